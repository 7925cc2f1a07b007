"""The tiny test models load and run through the same code paths real checkpoints take.

If these pass, a failure elsewhere in the suite is about the summarizer, not about a
half-built fixture model. Every model is loaded from disk by path, with the hub forced
offline, so a builder that forgot a file shows up as a failed (not a silent) download.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import huggingface_hub.constants
import pytest
import torch
from sentence_transformers import SentenceTransformer
from tiny_models import (
    CHAT_TEMPLATE,
    MAX_NEW_TOKENS,
    NLI_LABELS,
    build_tiny_bart,
    build_tiny_causal_lm,
    build_tiny_classifier,
    build_tiny_nli,
    build_tiny_sentence_transformer,
    build_tiny_t5,
)
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    pipeline,
)

TOPICS = ["politics", "sports", "technology"]
ARTICLE = "The president said the economy grew by 2 percent this year, officials reported."
LONG_ARTICLE = " ".join([ARTICLE] * 20)
MESSAGES = [
    {"role": "system", "content": "Summarize the following text in one short sentence."},
    {"role": "user", "content": ARTICLE},
]

Builder = Callable[[Path], Path]
BUILDERS: dict[str, Builder] = {
    "bart": build_tiny_bart,
    "t5": build_tiny_t5,
    "nli": build_tiny_nli,
    "causal_lm": build_tiny_causal_lm,
    "classifier": partial(build_tiny_classifier, labels=TOPICS),
    "sentence_transformer": build_tiny_sentence_transformer,
}


@pytest.fixture(autouse=True, scope="module")
def _offline() -> Iterator[None]:
    """Make any hub access raise instead of hanging or downloading, builders included.

    huggingface_hub reads HF_HUB_OFFLINE once at import, which has already happened by the
    time a test runs, so the module constant is patched too (it is what gets checked).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
        yield


def _build(factory: pytest.TempPathFactory, name: str) -> Path:
    return BUILDERS[name](factory.mktemp(name))


@pytest.fixture(scope="module")
def bart_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "bart")


@pytest.fixture(scope="module")
def t5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "t5")


@pytest.fixture(scope="module")
def nli_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "nli")


@pytest.fixture(scope="module")
def classifier_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "classifier")


@pytest.fixture(scope="module")
def causal_lm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "causal_lm")


@pytest.fixture(scope="module")
def st_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory, "sentence_transformer")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- every builder ---------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILDERS)
def test_builds_are_deterministic_and_safetensors(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    first, second = _build(tmp_path_factory, name), _build(tmp_path_factory, name)
    files = _files(first)
    assert "model.safetensors" in files
    assert not any(f.endswith((".bin", ".pt")) for f in files)
    assert files == _files(second)


def test_build_does_not_disturb_global_rng(tmp_path: Path) -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    build_tiny_nli(tmp_path)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("name", ["bart", "nli", "causal_lm"])
def test_tokenizer_limit_is_the_models_position_limit(
    name: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(f"{name}_dir")
    tokenizer = AutoTokenizer.from_pretrained(path)
    assert tokenizer.model_max_length == AutoConfig.from_pretrained(path).max_position_embeddings


def test_tokenizer_is_word_level_lowercase_with_unknown(nli_dir: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(nli_dir)
    tokens = tokenizer.tokenize("The ECONOMY grew, zyzzyva!")
    assert tokens == ["the", "economy", "grew", ",", "[UNK]", "!"]
    ids = tokenizer("the economy grew .")["input_ids"]
    assert tokenizer.decode(ids, skip_special_tokens=True) == "the economy grew."


# --- seq2seq summarizers ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "first", "last"), [("bart", "<s>", "</s>"), ("t5", None, "</s>")])
def test_seq2seq_tokenizer_adds_architecture_specials(
    name: str, first: str | None, last: str, request: pytest.FixtureRequest
) -> None:
    tokenizer = AutoTokenizer.from_pretrained(request.getfixturevalue(f"{name}_dir"))
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("the news")["input_ids"])
    assert tokens == [t for t in (first, "the", "news", last) if t is not None]


@pytest.mark.parametrize("name", ["bart", "t5"])
def test_seq2seq_generates_bounded_nonempty_summary(
    name: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(f"{name}_dir")
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path)
    assert tokenizer.model_max_length == 64
    batch = tokenizer([ARTICLE, LONG_ARTICLE], truncation=True, padding=True, return_tensors="pt")
    assert batch["input_ids"].shape[1] == tokenizer.model_max_length

    output = model.generate(**batch)

    assert output.dtype == torch.long
    assert output.shape[0] == 2
    assert output.shape[1] <= 1 + MAX_NEW_TOKENS  # decoder start token + new tokens
    summaries = tokenizer.batch_decode(output, skip_special_tokens=True)
    assert all(isinstance(s, str) and s.strip() for s in summaries)


def test_bart_position_limit_is_real(tmp_path: Path) -> None:
    path = build_tiny_bart(tmp_path, max_positions=16)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path)
    assert tokenizer.model_max_length == model.config.max_position_embeddings == 16

    at_limit = tokenizer(LONG_ARTICLE, truncation=True, return_tensors="pt")
    model.generate(**at_limit, max_new_tokens=2)
    over_limit = tokenizer(LONG_ARTICLE, truncation=True, max_length=17, return_tensors="pt")
    with pytest.raises((IndexError, RuntimeError)):
        model(**over_limit, decoder_input_ids=torch.tensor([[2]]))


def test_seq2seq_generation_config(bart_dir: Path, t5_dir: Path) -> None:
    bart = AutoModelForSeq2SeqLM.from_pretrained(bart_dir).generation_config
    t5 = AutoModelForSeq2SeqLM.from_pretrained(t5_dir).generation_config
    for config in (bart, t5):
        assert config.max_new_tokens == MAX_NEW_TOKENS
        assert config.do_sample is False
    assert (bart.decoder_start_token_id, bart.forced_bos_token_id) == (2, 0)
    assert t5.decoder_start_token_id == t5.pad_token_id == 0


# --- classifiers -----------------------------------------------------------------------


def test_nli_labels_and_pair_encoding(nli_dir: Path) -> None:
    classifier = pipeline("zero-shot-classification", model=str(nli_dir))
    assert classifier.model.config.id2label == dict(enumerate(NLI_LABELS))
    encoded = classifier.tokenizer("premise", "hypothesis")
    tokens = classifier.tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    assert tokens == ["[CLS]", "[UNK]", "[SEP]", "[UNK]", "[SEP]"]
    assert encoded["token_type_ids"] == [0, 0, 0, 1, 1]


@pytest.mark.parametrize("multi_label", [False, True])
def test_zero_shot_scores_every_label(nli_dir: Path, multi_label: bool) -> None:
    classifier = pipeline("zero-shot-classification", model=str(nli_dir))

    result = classifier(ARTICLE, candidate_labels=TOPICS, multi_label=multi_label)

    assert sorted(result["labels"]) == sorted(TOPICS)
    assert all(0.0 <= s <= 1.0 for s in result["scores"])
    assert result["scores"] == sorted(result["scores"], reverse=True)
    if not multi_label:
        assert math.isclose(sum(result["scores"]), 1.0, rel_tol=1e-5)


def test_classifier_returns_given_labels(classifier_dir: Path) -> None:
    classifier = pipeline("text-classification", model=str(classifier_dir))
    assert classifier.model.config.label2id == {label: i for i, label in enumerate(TOPICS)}

    (top,) = classifier(ARTICLE)
    every = classifier([ARTICLE, LONG_ARTICLE], top_k=None, truncation=True)

    assert top["label"] in TOPICS
    for scores in every:
        assert sorted(s["label"] for s in scores) == sorted(TOPICS)
        assert math.isclose(sum(s["score"] for s in scores), 1.0, rel_tol=1e-5)


def test_classifier_rejects_bad_labels(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        build_tiny_classifier(tmp_path, ["a", "a"])


# --- chat model ------------------------------------------------------------------------


def test_chat_template_renders_turns(causal_lm_dir: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(causal_lm_dir)
    assert tokenizer.chat_template == CHAT_TEMPLATE
    turns = [{"role": "user", "content": "hi"}]

    closed = tokenizer.apply_chat_template(turns, tokenize=False)
    open_ = tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True)

    assert closed == "<|im_start|>user\nhi<|im_end|>\n"
    assert open_ == closed + "<|im_start|>assistant\n"


def test_causal_lm_generates_bounded_tokens(causal_lm_dir: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(causal_lm_dir)
    model = AutoModelForCausalLM.from_pretrained(causal_lm_dir)
    prompt = tokenizer.apply_chat_template(
        MESSAGES, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )

    output = model.generate(**prompt)

    prompt_len = prompt["input_ids"].shape[1]
    assert torch.equal(output[0, :prompt_len], prompt["input_ids"][0])
    assert 0 < output.shape[1] - prompt_len <= MAX_NEW_TOKENS


def test_chat_pipeline_returns_only_new_text(causal_lm_dir: Path) -> None:
    chat = pipeline("text-generation", model=str(causal_lm_dir))

    (new,) = chat(MESSAGES, return_full_text=False)
    (full,) = chat(MESSAGES)

    text = new["generated_text"]
    assert isinstance(text, str) and text.strip()
    assert ARTICLE.lower() not in text and "<|im_start|>" not in text
    assert len(chat.tokenizer.tokenize(text)) <= MAX_NEW_TOKENS
    assert full["generated_text"] == [*MESSAGES, {"role": "assistant", "content": text}]


# --- embeddings ------------------------------------------------------------------------


def test_sentence_transformer_embeds(st_dir: Path) -> None:
    model = SentenceTransformer(str(st_dir), device="cpu")
    assert model.max_seq_length == model.tokenizer.model_max_length == 128

    embeddings = model.encode([ARTICLE, "the team won the final", ARTICLE])

    assert embeddings.shape == (3, 32)
    assert (embeddings[0] == embeddings[2]).all()
    assert not (embeddings[0] == embeddings[1]).all()
