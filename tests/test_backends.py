"""Model backends through the CLI and the Pipeline API, on tiny random models.

Every model is built in a temp dir by tests/tiny_models.py and named in a YAML config by a
path relative to that config, so each test takes the code path a user's checkpoint takes.
The weights are random: tests check shapes, order, limits and records, not wording.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import huggingface_hub.constants
import pytest
import torch
import yaml
from tiny_models import (
    MAX_NEW_TOKENS,
    build_tiny_bart,
    build_tiny_causal_lm,
    build_tiny_classifier,
    build_tiny_nli,
    build_tiny_t5,
)
from transformers import AutoTokenizer, pipeline

from summarizer.config import GenerationSettings, load_config
from summarizer.models.batching import Batcher, BatchLimits
from summarizer.models.device import pick_dtype
from summarizer.noise.model import decide
from summarizer.pipeline import Pipeline
from summarizer.summary import chat, seq2seq
from summarizer.summary.abstractive import AbstractiveSummarizer, chunk_sentences, generate_kwargs
from summarizer.types import Article, Block

REPO = Path(__file__).resolve().parents[1]
TOPICS = ["politics", "sports", "technology"]
BART_LIMIT = 64 - 2  # position limit minus <s> and </s>

# Sentences from the tiny models' vocabulary (numbers become [UNK], still one token each),
# distinct so a test can find each one in what reached the model.
SENTENCES = [
    f"The minister said on monday that {i} new jobs were created in the city this year."
    for i in range(11, 51)
]


def page(sentences: list[str], per_paragraph: int = 3) -> str:
    """A scraped page: a byline, the article in paragraphs, a share line."""
    paragraphs = [
        " ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    ]
    return "\n".join(["Posted by: Staff Reporter", *paragraphs, "Share this story on email"])


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any hub access must fail fast instead of downloading (see test_tiny_models.py)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    build_tiny_bart(root / "bart")
    build_tiny_t5(root / "t5")
    build_tiny_nli(root / "nli")
    build_tiny_causal_lm(root / "chat")
    build_tiny_classifier(root / "topics", TOPICS)
    build_tiny_classifier(root / "blocks", ["article", "noise"])
    (root / "empty").mkdir()
    return root


def write_config(models: Path, name: str, config: dict[str, Any]) -> Path:
    path = models / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"device": "cpu", **config}))
    return path


def seq2seq_config(models: Path, model: str = "bart", **summary: Any) -> Path:
    return write_config(
        models,
        f"seq2seq-{model}",
        {
            "summary": {"backend": "seq2seq", "model": model, **summary},
            "topic": {"backend": "nli", "model": "nli", "labels": TOPICS},
        },
    )


@pytest.fixture()
def page_file(tmp_path: Path) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(page(SENTENCES[:12]))
    return path


def run_record(cli: Any, path: Path, config: Path, *args: str) -> dict[str, Any]:
    result = cli("run", str(path), "--config", str(config), *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_complete(record: dict[str, Any], labels: list[str]) -> None:
    assert record["error"] is None
    assert record["summary"].strip()
    assert len(record["summary"].split()) <= MAX_NEW_TOKENS
    assert sorted(t["label"] for t in record["topics"]) == sorted(labels)
    scores = [t["score"] for t in record["topics"]]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    assert record["topic"] == record["topics"][0]
    assert [b["kind"] for b in record["blocks"]][:2] == ["byline", "article"]
    assert record["article"].startswith(SENTENCES[0])


# --- whole records through the CLI -----------------------------------------------------


@pytest.mark.parametrize("model", ["bart", "t5"])
def test_seq2seq_summary_and_nli_topics(
    cli: Any, models: Path, page_file: Path, model: str
) -> None:
    record = run_record(cli, page_file, seq2seq_config(models, model))

    assert_complete(record, TOPICS)
    long_input = record["long_input"]  # 12 sentences are ~200 tokens, the limit ~62
    assert long_input["strategy"] == "chunk" and long_input["tokens"] > 3 * long_input["limit"]
    assert long_input["chunks"][0] >= 3 and long_input["chunks"][-1] == 1


def test_chat_summary_and_classifier_topics(cli: Any, models: Path, page_file: Path) -> None:
    config = write_config(
        models,
        "chat",
        {
            "summary": {"backend": "chat", "model": "chat"},
            "topic": {"backend": "classifier", "model": "topics"},
        },
    )

    first = run_record(cli, page_file, config)
    again = run_record(cli, page_file, config)

    assert_complete(first, TOPICS)  # labels are the model's id2label, not topic.labels
    assert first["long_input"] is None  # the chat model reads 256 tokens
    assert "<|im_start|>" not in first["summary"] and "{article}" not in first["summary"]
    assert again["summary"] == first["summary"]  # greedy by default


@pytest.mark.parametrize("backend", ["nli", "classifier"])
def test_long_article_is_cut_at_the_model_positions_when_the_tokenizer_sets_no_limit(
    cli: Any, tmp_path: Path, backend: str
) -> None:
    """A 60-paragraph article (~1,000 tokens) into a BERT with 128 positions whose tokenizer
    saved no `model_max_length`: the topics come from its first ~128 tokens and the record
    says it was cut, where the model used to fail on a tensor size mismatch."""
    model = tmp_path / "model"
    if backend == "nli":
        build_tiny_nli(model, max_positions=128, tokenizer_limit=False)
    else:
        build_tiny_classifier(model, TOPICS, max_positions=128, tokenizer_limit=False)
    assert "model_max_length" not in json.loads((model / "tokenizer_config.json").read_text())
    sentences = [f"The minister said on monday that {i} new jobs were created." for i in range(60)]
    path = tmp_path / "long.txt"
    path.write_text(page(sentences, per_paragraph=1))
    topic = {"backend": backend, "model": "model", "labels": TOPICS}
    config = write_config(tmp_path, "long", {"topic": topic})

    record = run_record(cli, path, config)

    assert record["error"] is None and record["summary"]
    assert sorted(t["label"] for t in record["topics"]) == TOPICS
    cut = record["topic_long_input"]
    assert cut["strategy"] == "truncate" and cut["truncated"] is True
    assert cut["limit"] < 128 < 5 * 128 < cut["tokens"]


def test_topic_long_input_is_null_when_the_article_fits(
    cli: Any, models: Path, tmp_path: Path
) -> None:
    path = tmp_path / "short.txt"
    path.write_text(page(SENTENCES[:3]))  # ~50 tokens, the classifier reads 126
    topic = {"backend": "classifier", "model": "topics"}
    record = run_record(cli, path, write_config(models, "fits", {"topic": topic}))

    assert record["error"] is None and record["topic_long_input"] is None


def test_chat_chunks_what_the_prompt_and_answer_leave_room_for(
    cli: Any, models: Path, page_file: Path
) -> None:
    config = write_config(
        models,
        "chat-128",
        {"summary": {"backend": "chat", "model": "chat", "max_input_tokens": 128}},
    )
    tokenizer = AutoTokenizer.from_pretrained(models / "chat")
    engine = chat.ChatEngine(load_config(config))
    prompt = tokenizer.apply_chat_template(
        engine.messages(""), tokenize=False, add_generation_prompt=True
    )

    record = run_record(cli, page_file, config)

    room = 128 - len(tokenizer(prompt)["input_ids"]) - MAX_NEW_TOKENS
    assert record["long_input"]["limit"] == room
    assert record["long_input"]["chunks"][0] >= 2 and record["long_input"]["chunks"][-1] == 1
    assert record["summary"].strip()


def test_chat_answer_excludes_the_prompt(models: Path) -> None:
    config = write_config(models, "chat-only", {"summary": {"backend": "chat", "model": "chat"}})
    engine = chat.ChatEngine(load_config(config))

    (answer,) = engine.generate(["the team won the final"])

    full = engine.pipe(engine.messages("the team won the final"), **engine.generation)
    assert full[0]["generated_text"][-1] == {"role": "assistant", "content": answer}


# --- long inputs -----------------------------------------------------------------------


@dataclass
class Call:
    inputs: list[str]
    outputs: list[str]


@pytest.fixture()
def model_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Call]]:
    """Every batch of texts the seq2seq model is asked to summarize, with its outputs."""
    calls: list[Call] = []
    original = seq2seq.Seq2SeqEngine.generate

    def spy(self: seq2seq.Seq2SeqEngine, texts: list[str]) -> list[str]:
        outputs = original(self, texts)
        calls.append(Call(list(texts), outputs))
        return outputs

    monkeypatch.setattr(seq2seq.Seq2SeqEngine, "generate", spy)
    yield calls


def words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


def test_long_article_reaches_the_model_in_chunks_then_reduces(
    cli: Any, models: Path, tmp_path: Path, model_calls: list[Call]
) -> None:
    path = tmp_path / "long.txt"
    path.write_text(page(SENTENCES))  # 40 sentences, ~700 tokens: 10x the position limit
    tokenizer = AutoTokenizer.from_pretrained(models / "bart")
    limit = 24 - 2

    record = run_record(cli, path, seq2seq_config(models, max_input_tokens=24))

    long_input = record["long_input"]
    assert long_input["tokens"] > 10 * 64 and long_input["limit"] == limit
    assert long_input["chunks"] == [len(call.inputs) for call in model_calls]
    assert len(model_calls) >= 3 and long_input["chunks"][-1] == 1  # map, reduce(s), final
    assert not long_input["truncated"]
    first = model_calls[0].inputs
    assert words(first) == words(SENTENCES)  # every sentence, in order, exactly once
    assert all(any(s in chunk for chunk in first) for s in SENTENCES)  # none split
    for call in model_calls:
        assert (
            max(len(tokenizer(t, add_special_tokens=False)["input_ids"]) for t in call.inputs)
            <= limit
        )
    for previous, reduce in zip(model_calls, model_calls[1:]):
        assert words(reduce.inputs) == words(previous.outputs)  # chunk summaries, joined
    assert record["summary"] == model_calls[-1].outputs[0]


def test_truncate_mode_cuts_at_the_limit_and_says_so(
    cli: Any, models: Path, page_file: Path, model_calls: list[Call]
) -> None:
    record = run_record(cli, page_file, seq2seq_config(models, long_input="truncate"))

    (call,) = model_calls
    (text,) = call.inputs
    assert record["long_input"]["strategy"] == "truncate" and record["long_input"]["truncated"]
    assert record["long_input"]["chunks"] == [1]
    assert words([text]) == words(SENTENCES[:12])[: len(text.split())]
    tokenizer = AutoTokenizer.from_pretrained(models / "bart")
    assert len(tokenizer(text, add_special_tokens=False)["input_ids"]) == BART_LIMIT


def test_chunks_fit_and_split_only_overlong_sentences(models: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(models / "bart")
    run_on = " ".join(["the team won the final"] * 10)  # 50 tokens, no sentence end
    sentences = [SENTENCES[0], run_on, SENTENCES[1]]

    chunks = chunk_sentences(tokenizer, sentences, 20)

    assert words(chunks) == words(sentences)
    assert all(len(tokenizer(c, add_special_tokens=False)["input_ids"]) <= 20 for c in chunks)
    assert chunks[0] == SENTENCES[0] and chunks[-1] == SENTENCES[1]


def test_reduce_rounds_that_stop_shrinking_truncate(models: Path) -> None:
    class Wordy:
        """An engine whose summaries are longer than its inputs: chunking cannot finish."""

        tokenizer = AutoTokenizer.from_pretrained(models / "bart")
        limit = 5

        def generate(self, texts: list[str]) -> list[str]:
            return [f"{text} and more news" for text in texts]

    text = "the team won. the team lost. the team won again."

    (summary,) = AbstractiveSummarizer(Wordy(), "chunk")([Article(text, None, [], None)])

    assert summary.long_input is not None and summary.long_input.truncated
    assert summary.long_input.chunks[0] >= 2 and summary.long_input.chunks[-1] == 1


def test_abstractive_summaries_read_the_story_span_not_the_whole_article(models: Path) -> None:
    class Echo:
        """An engine that returns what it read."""

        tokenizer = AutoTokenizer.from_pretrained(models / "bart")
        limit = 200

        def generate(self, texts: list[str]) -> list[str]:
            return texts

    story = "the team won the cup final."
    article = Article(f"{story}\nbuy tickets for the next match now.", None, [], None)
    article.story = Article(story, None, [story], None)

    (summary,) = AbstractiveSummarizer(Echo(), "chunk")([article])

    assert summary.text == story


# --- batching --------------------------------------------------------------------------


def test_batches_run_longest_first_and_return_in_input_order() -> None:
    seen: list[list[str]] = []

    def run(batch: list[str]) -> list[str]:
        seen.append(batch)
        return [text.upper() for text in batch]

    texts = ["bb", "a", "dddd", "ccc", "eeeee"]

    assert Batcher(BatchLimits(2))(run, texts) == [t.upper() for t in texts]
    assert seen == [["eeeee", "dddd"], ["ccc", "bb"], ["a"]]


def test_a_batch_of_documents_matches_one_at_a_time(models: Path) -> None:
    config = write_config(
        models,
        "batch",
        {
            "summary": {
                "backend": "seq2seq",
                "model": "bart",
                "max_input_tokens": 40,
                "batch_size": 2,
            },
            "topic": {"backend": "classifier", "model": "topics"},
        },
    )
    pipe = Pipeline.from_config(config)
    pages = [page(SENTENCES[i : i + n]) for i, n in ((0, 2), (5, 5), (20, 1), (30, 3))]

    together = pipe(pages, ids=["a", "b", "c", "d"])
    alone = [pipe([p], ids=[doc_id])[0] for p, doc_id in zip(pages, "abcd")]

    assert [r.id for r in together] == ["a", "b", "c", "d"]
    assert [r.summary for r in together] == [r.summary for r in alone]
    for batched, single in zip(together, alone):
        assert [t.label for t in batched.topics] == [t.label for t in single.topics]
        assert [t.score for t in batched.topics] == pytest.approx(
            [t.score for t in single.topics], abs=1e-3
        )


# --- noise block classifier ------------------------------------------------------------


def test_noise_model_decides_noise_and_rules_keep_kinds(models: Path) -> None:
    text = page(SENTENCES[:6])
    rules = Pipeline.from_config({"device": "cpu"})([text])[0].blocks
    config = write_config(models, "noise", {"noise": {"model": "blocks"}})
    classifier = pipeline("text-classification", model=str(models / "blocks"))

    blocks = Pipeline.from_config(config)([text])[0].blocks

    scores = classifier([b.text for b in blocks], top_k=None)
    for rule, block, ranked in zip(rules, blocks, scores):
        article = next(s["score"] for s in ranked if s["label"] == "article")
        assert block.noise == (article < 0.5)
        assert block.score == pytest.approx(max(article, 1 - article), abs=1e-3)
        if block.noise:
            assert block.kind == (rule.kind if rule.noise else "boilerplate")
        else:
            assert block.kind in {"article", "title"}


@pytest.mark.parametrize(
    ("rule_kind", "scores", "expected"),
    [
        ("byline", {"article": 0.9, "noise": 0.1}, ("article", False)),
        ("title", {"article": 0.7, "noise": 0.3}, ("title", False)),
        ("byline", {"article": 0.2, "teaser": 0.5, "noise": 0.3}, ("byline", True)),
        ("article", {"article": 0.2, "teaser": 0.5, "noise": 0.3}, ("teaser", True)),
        ("article", {"article": 0.4, "noise": 0.6}, ("boilerplate", True)),
    ],
)
def test_noise_model_label_rules(
    rule_kind: str, scores: dict[str, float], expected: tuple[str, bool]
) -> None:
    block = Block(0, "text", rule_kind, rule_kind == "byline", 0.95)
    decide(block, scores)
    assert (block.kind, block.noise) == expected


# --- settings --------------------------------------------------------------------------


def test_generation_settings_override_checkpoint_task_defaults() -> None:
    task = {"prefix": "summarize: ", "max_length": 200, "min_length": 30, "num_beams": 4}
    settings = GenerationSettings(max_new_tokens=60, num_beams=2)

    assert generate_kwargs(settings, task) == {
        "min_length": 30,
        "num_beams": 2,
        "max_new_tokens": 60,
        "do_sample": False,
    }


def test_dtype_auto_is_float32_on_cpu_and_explicit_dtypes_load(
    cli: Any, models: Path, page_file: Path
) -> None:
    assert pick_dtype("auto", "cpu") == "float32"
    assert pick_dtype("float16", "cpu") == "float16"
    config = write_config(
        models,
        "bf16",
        {
            "dtype": "bfloat16",
            "summary": {"backend": "seq2seq", "model": "bart"},
            "topic": {"backend": "classifier", "model": "topics"},
        },
    )

    pipe = Pipeline.from_config(config)

    assert pipe.summarize.engine.model.dtype == torch.bfloat16
    assert pipe.classify.model.pipe.model.dtype == torch.bfloat16
    assert_complete(run_record(cli, page_file, config), TOPICS)


def test_the_pipeline_resolves_the_device_once_for_every_model(
    models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.models import device

    asked: list[str] = []
    pick = device.pick_device
    monkeypatch.setattr(device, "pick_device", lambda wanted: asked.append(wanted) or pick(wanted))
    config = write_config(
        models,
        "nli-bart",
        {
            "device": "cpu",
            "summary": {"backend": "seq2seq", "model": "bart"},
            "topic": {"backend": "nli", "model": "nli", "labels": TOPICS},
        },
    )

    pipe = Pipeline.from_config(config)

    assert asked == ["cpu"] and pipe.placement == device.Placement("cpu", "float32")
    assert pipe.summarize.engine.model.device.type == "cpu"


# --- errors ----------------------------------------------------------------------------


def assert_one_line_error(result: Any, *fragments: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.mark.parametrize(
    ("override", "fragments"),
    [
        ("summary.model=./no-such-model", ["summary.model: model directory not found"]),
        ("summary.model=empty", ["summary.model:", "is not a model folder"]),
        ("summary.model=topics", ["summary.model: cannot load topics", "AutoModelForSeq2SeqLM"]),
        (
            "topic.model=no-such-org/no-such-model",
            ["topic.model: model 'no-such-org/no-such-model' is not available", "HF_HUB_OFFLINE"],
        ),
        ("topic.model=topics", ["topic.model: topics is not an NLI model"]),
        ("noise.model=topics", ["noise.model: topics labels blocks as"]),
        ("summary.max_input_tokens=10", ["leaves 8 tokens per call"]),
    ],
)
def test_bad_models_are_one_line_errors(
    cli: Any, models: Path, page_file: Path, override: str, fragments: list[str]
) -> None:
    result = cli("run", str(page_file), "--config", str(seq2seq_config(models)), "--set", override)
    assert_one_line_error(result, *fragments)


def test_unreachable_hub_is_one_line_error_without_retries(
    cli: Any, models: Path, page_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probes: list[str] = []

    def unreachable(self: Any, name: str, **kwargs: Any) -> None:
        probes.append(name)
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", unreachable)
    config = seq2seq_config(models)

    result = cli("run", str(page_file), "--config", str(config), "--set", "summary.model=org/m")

    assert_one_line_error(result, "summary.model: model 'org/m'", "hub cannot be reached")
    assert probes == ["org/m"]


def test_checkpoint_code_never_runs_without_trust_remote_code(
    cli: Any, models: Path, page_file: Path, tmp_path: Path
) -> None:
    custom = models / "custom"
    if not custom.exists():
        shutil.copytree(models / "topics", custom)
        config = json.loads((custom / "config.json").read_text())
        config["model_type"] = "x-custom"  # unknown to transformers: only its own code loads it
        config["auto_map"] = {"AutoConfig": "configuration_x.XConfig"}
        (custom / "config.json").write_text(json.dumps(config))
    marker = tmp_path / "ran"
    (custom / "configuration_x.py").write_text(f"open({str(marker)!r}, 'w')\n")

    result = cli(
        "run",
        str(page_file),
        "--config",
        str(seq2seq_config(models)),
        "--set",
        "topic.model=custom",
    )

    assert_one_line_error(result, "topic.model: custom runs its own Python code")
    assert not marker.exists()


def test_chat_backend_needs_a_chat_template(cli: Any, models: Path, page_file: Path) -> None:
    config = write_config(models, "chat-bart", {"summary": {"backend": "chat", "model": "bart"}})
    assert_one_line_error(cli("run", str(page_file), "--config", str(config)), "no chat template")


def test_backend_without_model_is_a_config_error(cli: Any, page_file: Path) -> None:
    result = cli("run", str(page_file), "--set", "summary.backend=seq2seq")
    assert_one_line_error(result, "summary.model: required when backend is seq2seq", code=2)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_missing_gpu_is_one_line_error(cli: Any, models: Path, page_file: Path) -> None:
    result = cli("run", str(page_file), "--config", str(seq2seq_config(models)), "--device", "cuda")
    assert_one_line_error(result, "device 'cuda' asked for")


# --- summarizer models -----------------------------------------------------------------


@pytest.fixture()
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))


def test_models_default_config_is_all_offline(cli: Any, empty_cache: None) -> None:
    result = cli("models", "--config", str(REPO / "configs" / "default.yaml"))

    assert result.exit_code == 0, result.output
    header, *rows, runtime = result.stdout.splitlines()
    assert header.split() == ["key", "model", "source", "offline", "location"]
    assert [row.split()[:4] for row in rows] == [
        ["embedding.model", "all-MiniLM-L6-v2", "embedded", "yes"]
    ]
    assert runtime == "embedding runtime: torch float32"


def test_models_marks_uncached_hub_models_missing(cli: Any, empty_cache: None) -> None:
    result = cli("models", "--config", str(REPO / "configs" / "hub-bart.yaml"))

    rows = {row.split()[0]: row.split() for row in result.stdout.splitlines()[1:]}
    assert rows["summary.model"][1:4] == ["facebook/bart-large-cnn", "hub", "MISSING"]
    assert rows["topic.model"][2:4] == ["hub", "MISSING"]
    assert rows["embedding.model"][3] == "yes"
    assert_one_line_error(result, "2 of 3 models not available offline")


def test_models_resolves_local_dirs_against_the_config(cli: Any, models: Path) -> None:
    result = cli("models", "--config", str(seq2seq_config(models)))

    assert result.exit_code == 0, result.output
    rows = {row.split()[0]: row.split() for row in result.stdout.splitlines()[1:]}
    assert rows["summary.model"][1:] == ["bart", "local", "yes", str(models / "bart")]
    assert rows["topic.model"][1:] == ["nli", "local", "yes", str(models / "nli")]
