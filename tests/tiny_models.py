"""Tiny, randomly initialised Hugging Face models built on the fly for tests.

The summarizer loads every model through the same `from_pretrained(path)` /
`pipeline(task, model=path)` / `SentenceTransformer(path)` calls a user's real checkpoint
goes through. Tests cannot download checkpoints (the hub is unreachable in CI), so these
builders write *real* model directories - config, safetensors weights, tokenizer files,
generation config, chat template - with a few thousand parameters each. The weights are
random, so outputs are meaningless, but shapes, special tokens, position limits and label
maps are all realistic, which is what the code under test depends on.

Every builder is deterministic (fixed seed, fixed vocabulary) and takes a fraction of a
second, so session-scoped fixtures can call them freely. The tokenizer is word-level over
a fixed news vocabulary: it needs no training and no sentencepiece/BPE files, and its
token counts are easy to reason about in tests (one lowercase word = one token).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch
from tokenizers import (
    AddedToken,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
)
from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    BertConfig,
    BertForSequenceClassification,
    BertModel,
    GenerationConfig,
    PreTrainedConfig,
    PreTrainedModel,
    PreTrainedTokenizerFast,
    Qwen2Config,
    Qwen2ForCausalLM,
    T5Config,
    T5ForConditionalGeneration,
)

__all__ = [
    "CHAT_TEMPLATE",
    "MAX_NEW_TOKENS",
    "NEWS_WORDS",
    "NLI_LABELS",
    "build_tiny_bart",
    "build_tiny_causal_lm",
    "build_tiny_classifier",
    "build_tiny_nli",
    "build_tiny_sentence_transformer",
    "build_tiny_t5",
]

SEED = 0
HIDDEN = 32
HEADS = 2
LAYERS = 1
FFN = 64
# Weight init scale, 10x the usual 0.02. At the default scale tiny random seq2seq models
# greedily emit nothing but BOS/pad (an empty summary) and classifiers give every label
# ~1/n, which would make tests vacuous or tie-sensitive; at 0.2 outputs are non-empty,
# vary with the input and have clear winners, while staying deterministic.
INIT_STD = 0.2
# T5 scales its own per-layer init by this factor (default 1.0); 4.0 is the T5 equivalent.
T5_INIT_FACTOR = 4.0
# Small on purpose: tests of generative code paths should stay fast, and a bounded output
# length is something they can assert on.
MAX_NEW_TOKENS = 8
# Order matters: zero-shot pipelines find the entailment id by the label name, but tools
# that read id2label directly expect the MNLI order used by e.g. facebook/bart-large-mnli.
NLI_LABELS: tuple[str, ...] = ("entailment", "neutral", "contradiction")

# A fixed vocabulary keeps token ids (and thus random-model outputs) stable across runs
# and machines. Words are common in news copy and boilerplate so test fixtures mostly
# tokenize to real ids rather than a wall of unknowns.
NEWS_WORDS: tuple[str, ...] = tuple(
    """
    . , ' " : ; ? ! - ( ) % $ & / 0 1 2 3 4 5 6 7 8 9 10 100 2023 2024 2025
    a an the and or but if then than that this these those there here it its is are was
    were be been being has have had do does did will would can could should may might must
    not no yes of in on at by for from to with without about after before during over under
    into out up down off again more most less least very also just only still even new old
    first last next other same such all any each every some many much few several both
    he she they we you i him her them us his their our your who whom whose which what when
    where why how said says say told tell asked according reported reports report announced
    news story article read more share comment comments subscribe newsletter sign login
    advertisement cookie cookies privacy policy terms contact copyright rights reserved menu
    home page click follow email photo video image caption credit editor staff reporter
    writer correspondent press agency reuters associated by-line byline updated published
    minutes hours ago today yesterday tomorrow week month year years day days time monday
    tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december morning evening night
    government president minister prime parliament congress senate election vote voters
    party campaign law court judge police officials official state states city country
    national international world global local public people percent million billion number
    economy economic market markets stock stocks shares price prices inflation rate rates
    bank banks company companies business industry trade jobs workers growth oil energy
    health hospital doctors patients virus vaccine study research scientists university
    school students climate weather storm rain fire water war military army attack forces
    peace talks deal agreement plan policy security crisis team game season match win won
    lose lost player players coach sport sports football league cup final record technology
    tech data internet online phone software ai artificial intelligence apple google
    microsoft amazon meta social media network users customers service services family
    children women men life home house car cars road train flight travel food water
    summary topic politics science culture entertainment music film art book opinion
    analysis live latest breaking exclusive investigation interview statement spokesperson
    chief executive officer director leader leaders group members union europe european
    america american china chinese russia ukraine india uk britain london washington
    system user assistant summarize summarise following text write short one sentence
    make made take took give gave get got go went come came see saw know knew think
    grew rose fell rise fall cut raised warned killed injured arrested charged started
    ended opened closed expected announced launched signed held called added
    """.split()
)

CHAT_TEMPLATE = (
    "{%- for message in messages -%}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}"
)
"""ChatML, as used by Qwen-style instruct models: one `<|im_start|>role ... <|im_end|>` block
per turn, and an open assistant turn when `add_generation_prompt=True`."""


@dataclass(frozen=True)
class _TokenizerSpec:
    """Special tokens of one architecture's tokenizer.

    `roles` maps `PreTrainedTokenizerFast` kwargs (`pad_token`, ...) to tokens; its order is
    the order of the first vocabulary ids, so each architecture keeps its familiar ids
    (BART pad=1, T5 pad=0, BERT pad=0). `single`/`pair` are `TemplateProcessing` templates
    that add the special tokens the real tokenizer would, e.g. `[CLS] a [SEP] b [SEP]` for
    the premise/hypothesis pairs zero-shot classification feeds a BERT NLI model.
    """

    roles: Mapping[str, str]
    single: str | None = None
    pair: str | None = None
    extra: tuple[str, ...] = field(default_factory=tuple)
    model_input_names: tuple[str, ...] = ("input_ids", "attention_mask")

    @property
    def specials(self) -> list[str]:
        return list(dict.fromkeys([*self.roles.values(), *self.extra]))


_BART_TOKENS = _TokenizerSpec(
    roles={"bos_token": "<s>", "pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>"},
    single="<s> $A </s>",
    pair="<s> $A </s> </s> $B </s>",
)
_T5_TOKENS = _TokenizerSpec(
    roles={"pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>"},
    single="$A </s>",
    pair="$A </s> $B </s>",
)
_BERT_TOKENS = _TokenizerSpec(
    roles={
        "pad_token": "[PAD]",
        "unk_token": "[UNK]",
        "cls_token": "[CLS]",
        "sep_token": "[SEP]",
        "mask_token": "[MASK]",
    },
    single="[CLS] $A [SEP]",
    pair="[CLS] $A [SEP] $B:1 [SEP]:1",
    # BERT tells premise from hypothesis by segment ids, so the tokenizer must return them.
    model_input_names=("input_ids", "token_type_ids", "attention_mask"),
)
# Qwen-style: no BOS and no post-processor (the chat template supplies all markers), and
# `<|im_end|>` is what ends an assistant turn.
_CHATML_TOKENS = _TokenizerSpec(
    roles={"pad_token": "<|endoftext|>", "eos_token": "<|im_end|>", "unk_token": "<unk>"},
    extra=("<|im_start|>",),
)


def _word_level_tokenizer(spec: _TokenizerSpec) -> Tokenizer:
    """Lowercasing, whitespace/punctuation-splitting word-level tokenizer over NEWS_WORDS."""
    vocab = {token: i for i, token in enumerate(dict.fromkeys([*spec.specials, *NEWS_WORDS]))}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token=spec.roles["unk_token"]))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    # WordPiece's decoder re-joins words with spaces and glues punctuation back on
    # ("grew ." -> "grew."); no token starts with its "##" prefix, so nothing else changes.
    tokenizer.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    # Registered as special so they are never split or lowercased and decode(...,
    # skip_special_tokens=True) drops them, like in real tokenizers.
    tokenizer.add_special_tokens(
        [AddedToken(t, special=True, normalized=False) for t in spec.specials]
    )
    if spec.single is not None:
        templates = f"{spec.single} {spec.pair}"
        tokenizer.post_processor = processors.TemplateProcessing(
            single=spec.single,
            pair=spec.pair,
            special_tokens=[(t, vocab[t]) for t in spec.specials if t in templates],
        )
    return tokenizer


def _build_tokenizer(spec: _TokenizerSpec, model_max_length: int) -> PreTrainedTokenizerFast:
    """Wrap the word-level tokenizer so `AutoTokenizer`/pipelines load it from disk.

    `model_max_length` is what the summarizer reads to size its input chunks, so it must
    match the model's real position limit.
    """
    return PreTrainedTokenizerFast(
        tokenizer_object=_word_level_tokenizer(spec),
        model_max_length=model_max_length,
        extra_special_tokens=list(spec.extra),
        model_input_names=list(spec.model_input_names),
        **spec.roles,
    )


def _generation_config(
    tokenizer: PreTrainedTokenizerFast, **ids: int | list[int]
) -> GenerationConfig:
    """Greedy, short generation, so generative tests are fast and deterministic."""
    defaults = {"pad_token_id": tokenizer.pad_token_id, "eos_token_id": tokenizer.eos_token_id}
    return GenerationConfig(
        max_new_tokens=MAX_NEW_TOKENS, do_sample=False, num_beams=1, **{**defaults, **ids}
    )


def _save(
    path: str | Path,
    model_cls: type[PreTrainedModel],
    config: PreTrainedConfig,
    tokenizer: PreTrainedTokenizerFast,
    generation: GenerationConfig | None = None,
) -> Path:
    """Initialise `model_cls(config)` from a fixed seed and save model + tokenizer to `path`.

    The seed is set inside `fork_rng` so building a model never perturbs the random state
    of the test that asked for it.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = model_cls(config).eval()
    if generation is not None:
        model.generation_config = generation
    model.save_pretrained(path)  # safetensors is the default (and only) format in 5.x
    tokenizer.save_pretrained(path)
    return path


def build_tiny_bart(path: str | Path, max_positions: int = 64) -> Path:
    """A BART summarizer (`AutoModelForSeq2SeqLM`) that accepts `max_positions` input tokens.

    Token ids and generation settings mirror facebook/bart-large-cnn: decoding starts from
    `</s>` and `<s>` is forced as the first generated token.
    """
    tokenizer = _build_tokenizer(_BART_TOKENS, model_max_length=max_positions)
    config = BartConfig(
        vocab_size=len(tokenizer),
        max_position_embeddings=max_positions,
        d_model=HIDDEN,
        encoder_layers=LAYERS,
        decoder_layers=LAYERS,
        encoder_attention_heads=HEADS,
        decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN,
        decoder_ffn_dim=FFN,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
        init_std=INIT_STD,
    )
    generation = _generation_config(
        tokenizer,
        bos_token_id=tokenizer.bos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_bos_token_id=tokenizer.bos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    return _save(path, BartForConditionalGeneration, config, tokenizer, generation)


def build_tiny_t5(path: str | Path, model_max_length: int = 64) -> Path:
    """A T5 summarizer (`AutoModelForSeq2SeqLM`).

    T5 uses relative position buckets, so the model itself has no input limit; the
    tokenizer's `model_max_length` is the only place the tool can learn one, exactly as
    with t5-small (512).
    """
    tokenizer = _build_tokenizer(_T5_TOKENS, model_max_length=model_max_length)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=HIDDEN,
        d_kv=HIDDEN // HEADS,
        d_ff=FFN,
        num_layers=LAYERS,
        num_decoder_layers=LAYERS,
        num_heads=HEADS,
        relative_attention_num_buckets=8,
        relative_attention_max_distance=32,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
        initializer_factor=T5_INIT_FACTOR,
    )
    generation = _generation_config(tokenizer, decoder_start_token_id=tokenizer.pad_token_id)
    return _save(path, T5ForConditionalGeneration, config, tokenizer, generation)


def build_tiny_classifier(
    path: str | Path,
    labels: Sequence[str],
    max_positions: int = 128,
    tokenizer_limit: bool = True,
) -> Path:
    """A fine-tuned-style BERT topic classifier for the `text-classification` pipeline.

    `id2label`/`label2id` follow the order of `labels`, so the pipeline reports the given
    names instead of `LABEL_0`, .... With `tokenizer_limit=False` the saved tokenizer has no
    `model_max_length` (transformers then reads the 1e30 sentinel), as many community
    checkpoints do: only the model's `max_position_embeddings` bounds its input.
    """
    if len(set(labels)) != len(labels) or not labels:
        raise ValueError(f"labels must be non-empty and unique, got {list(labels)!r}")
    tokenizer = _build_tokenizer(_BERT_TOKENS, model_max_length=max_positions)
    config = _bert_config(
        tokenizer,
        max_positions,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    saved = _save(path, BertForSequenceClassification, config, tokenizer)
    if not tokenizer_limit:
        settings = saved / "tokenizer_config.json"
        tokenizer_config = json.loads(settings.read_text())
        del tokenizer_config["model_max_length"]
        settings.write_text(json.dumps(tokenizer_config))
    return saved


def build_tiny_nli(
    path: str | Path, max_positions: int = 128, tokenizer_limit: bool = True
) -> Path:
    """A BERT NLI model for the `zero-shot-classification` pipeline.

    The pipeline locates the entailment logit through a label starting with "entail", so
    an NLI model is simply a classifier over NLI_LABELS.
    """
    return build_tiny_classifier(path, NLI_LABELS, max_positions, tokenizer_limit)


def build_tiny_causal_lm(path: str | Path, max_positions: int = 256) -> Path:
    """A Qwen2-style chat model (`AutoModelForCausalLM`, `text-generation` pipeline).

    The tokenizer carries a ChatML chat template (CHAT_TEMPLATE), so chat-style
    `[{"role": ..., "content": ...}]` inputs work, and generation stops at `<|im_end|>` or
    `<|endoftext|>` like Qwen instruct models.
    """
    tokenizer = _build_tokenizer(_CHATML_TOKENS, model_max_length=max_positions)
    tokenizer.chat_template = CHAT_TEMPLATE
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=HIDDEN,
        intermediate_size=FFN,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        num_key_value_heads=HEADS,
        max_position_embeddings=max_positions,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=True,
        initializer_range=INIT_STD,
    )
    stop_ids = [tokenizer.eos_token_id, tokenizer.pad_token_id]
    generation = _generation_config(tokenizer, eos_token_id=stop_ids)
    return _save(path, Qwen2ForCausalLM, config, tokenizer, generation)


def build_tiny_sentence_transformer(path: str | Path, max_positions: int = 128) -> Path:
    """A sentence-transformers embedding model: tiny BERT + mean pooling.

    The BERT is first saved as a plain HF model in `path`, then wrapped and re-saved there
    by sentence-transformers itself, so the directory layout (modules.json, 1_Pooling/, ...)
    is whatever the installed version writes and reads.
    """
    tokenizer = _build_tokenizer(_BERT_TOKENS, model_max_length=max_positions)
    path = _save(path, BertModel, _bert_config(tokenizer, max_positions), tokenizer)

    from sentence_transformers import SentenceTransformer

    try:  # sentence-transformers >= 6 moved the modules (the old path warns)
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # pragma: no cover - sentence-transformers 5.x
        from sentence_transformers.models import Pooling, Transformer

    transformer = Transformer(str(path), max_seq_length=max_positions)
    pooling = Pooling(HIDDEN, pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling], device="cpu")
    model.save(str(path), create_model_card=False)
    return path


def _bert_config(
    tokenizer: PreTrainedTokenizerFast, max_positions: int, **extra: object
) -> BertConfig:
    """The one tiny BERT shared by the NLI, classifier and embedding builders."""
    return BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=HIDDEN,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        intermediate_size=FFN,
        max_position_embeddings=max_positions,
        pad_token_id=tokenizer.pad_token_id,
        initializer_range=INIT_STD,
        **extra,
    )
