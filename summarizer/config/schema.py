"""The config schema: typed sections whose fields are every knob a user may turn.

The schema's defaults *are* the default config (configs/default.yaml mirrors them and a
test keeps the two equal), so the tool works with no config file at all. Only pydantic
is imported here: validating a config must never load torch.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
)

from summarizer.config.defaults import (
    BOILERPLATE_EXAMPLES,
    DEFAULT_CHAT_PROMPT,
    DEFAULT_LABELS,
    DEFAULT_TEMPLATES,
)


def _model_for(backends: set[str], value: str | None, info: ValidationInfo) -> str | None:
    """A section's `model` is required when its `backend` runs a model of its own."""
    backend = info.data.get("backend")
    if value is None and backend in backends:
        raise ValueError(f"required when backend is {backend} (a local dir or a hub id)")
    return value


class Section(BaseModel):
    """Base for every config section: unknown keys are errors, values are validated, and
    no number may be inf or nan (they pass `gt=0` and turn scores into NaN)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class InputConfig(Section):
    format: Literal["auto", "text", "html"] = Field(
        "auto", description="How to read a document; auto detects HTML by its content."
    )
    max_bytes: int = Field(
        10_000_000,
        gt=0,
        le=1_000_000_000,
        description="Larger inputs are refused with a clear error (at most 1 GB).",
    )
    allow_private_urls: bool = Field(
        False, description="Let `run URL` fetch loopback/private addresses (off: SSRF guard)."
    )
    download_timeout: float = Field(
        30.0, gt=0, description="Seconds for the whole download of `run URL` (not per read)."
    )


class EmbeddingConfig(Section):
    model: str = Field(
        "all-MiniLM-L6-v2",
        description="Sentence-embedding model: the embedded name, a local dir or a hub id.",
    )
    max_seq_length: int = Field(
        256,
        gt=0,
        description="Tokens per block/sentence embedded; at most the model's limit "
        "(checked when it loads).",
    )
    batch_tokens: int | None = Field(
        4096,
        gt=0,
        description="Padded tokens (texts x the longest) per embedding forward pass at most, "
        "besides batch_size: bounds memory on long sentences. null: batch_size alone.",
    )
    max_block_sentences: int | None = Field(
        256,
        gt=0,
        description="Sentences of one block embedded at most; a longer block (a page run into "
        "one line) is embedded through an evenly spaced sample, the others sharing the vector "
        "of the nearest one sampled. null: all.",
    )
    max_page_sentences: int | None = Field(
        3000,
        gt=0,
        description="Sentences of one page embedded at most, sampled the same way. null: all.",
    )
    backend: Literal["auto", "torch", "onnx"] = Field(
        "torch",
        description="What runs the embedding model's forward pass: torch, or onnx (ONNX "
        "Runtime on the CPU, exported once and cached); auto: onnx on a CPU, torch on a GPU.",
    )
    quantize: Literal["auto", "none", "int8"] = Field(
        "auto",
        description="onnx: int8 (dynamic quantization, ~2x faster on a CPU, cosine ~0.99 to "
        "float32) or none; auto: int8 with onnx, none with torch (which has no int8 path).",
    )
    onnx_cache: str | None = Field(
        None,
        description="Folder for exported ONNX models; null: ~/.cache/summarizer/onnx "
        "($XDG_CACHE_HOME/summarizer/onnx).",
    )

    @field_validator("quantize")
    @classmethod
    def _int8_needs_onnx(cls, value: str, info: ValidationInfo) -> str:
        if value == "int8" and info.data.get("backend") == "torch":
            raise ValueError("int8 needs backend onnx (or auto); torch runs float32")
        return value


# Prose that pages put around articles; the embedded model generalises from these to other
# wordings (see NoiseConfig.boilerplate_examples).
class NoiseConfig(Section):
    enabled: bool = Field(True, description="Flag teasers, bylines and boilerplate as noise.")
    min_similarity: float = Field(
        0.5,
        ge=-1.0,
        le=1.0,
        description="Blocks outside the article's span need this cosine to the article.",
    )
    main_content: Literal["trafilatura", "none"] = Field(
        "trafilatura",
        description="HTML pages: blocks outside this extractor's main content are boilerplate; "
        "none: judge the blocks alone.",
    )
    learned: str | None = Field(
        "default",
        description="Learned block decision after the rules (boosted trees over their "
        "evidence, JSON): default is the model shipped in the package, a path one from "
        "`summarizer train noise --learned`; null: the rules alone decide.",
    )
    learned_below: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="The learned decision peels blocks off the kept story's top and bottom "
        "while the model gives them under this probability of being the article.",
    )
    model: str | None = Field(
        None,
        description="Fine-tuned block classifier (labels article + noise kinds) that decides "
        "noise per block; the rule-based kinds stay as labels.",
    )
    boilerplate_examples: list[str] = Field(
        default_factory=lambda: list(BOILERPLATE_EXAMPLES),
        description="Examples of page furniture written as prose (author bios, newsletter "
        "pitches, cookie notices, ...): a kept block closer in meaning to one of them than "
        "to the article is boilerplate. [] turns this off.",
    )

    @field_validator("boilerplate_examples")
    @classmethod
    def _examples_have_text(cls, value: list[str]) -> list[str]:
        if any(not example.strip() for example in value):
            raise ValueError("examples must not be empty")
        return value


class GenerationSettings(Section):
    """Generation knobs of the seq2seq and chat backends; null keeps the checkpoint's own."""

    num_beams: int | None = Field(None, ge=1, description="Beam search width.")
    min_new_tokens: int | None = Field(None, ge=0, description="Shortest summary, in tokens.")
    max_new_tokens: int | None = Field(None, gt=0, description="Longest summary, in tokens.")
    length_penalty: float | None = Field(None, description="Beam score length exponent.")
    no_repeat_ngram_size: int | None = Field(
        None, ge=0, description="Never repeat an n-gram of this size."
    )
    do_sample: bool = Field(False, description="Sample instead of decoding deterministically.")


class SummaryConfig(Section):
    backend: Literal["extractive", "seq2seq", "chat"] = "extractive"
    sentences: int | None = Field(3, ge=1, description="Sentences in the summary.")
    ratio: float | None = Field(
        None, gt=0.0, le=1.0, description="Share of the article's sentences; overrides sentences."
    )
    lead_weight: float = Field(
        0.1, ge=0.0, description="extractive: how much an early position counts."
    )
    lexical_weight: float = Field(
        1.0, ge=0.0, description="extractive: weight of word-overlap centrality next to embeddings."
    )
    length_weight: float = Field(
        0.1,
        ge=0.0,
        description="extractive: how much a sentence far from ~20 words (log scale) is held back.",
    )
    model: str | None = Field(
        None,
        validate_default=True,
        description="seq2seq/chat checkpoint: a local dir or a hub id.",
    )
    long_input: Literal["chunk", "truncate"] = Field(
        "chunk",
        description="An article over the model's input limit: chunk it (map-reduce) or cut it.",
    )
    max_input_tokens: int | None = Field(
        None, gt=0, description="Input tokens per model call; default: the model's own limit."
    )
    batch_size: int | None = Field(
        None, gt=0, description="Texts per generate call; default: batch_size."
    )
    prefix: str | None = Field(
        None, description="seq2seq input prefix (T5's 'summarize: '); default: the checkpoint's."
    )
    prompt: str = Field(
        DEFAULT_CHAT_PROMPT, description="chat: the user message; {article} marks the text."
    )
    generation: GenerationSettings = Field(default_factory=GenerationSettings)

    @field_validator("model")
    @classmethod
    def _model_required(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _model_for({"seq2seq", "chat"}, value, info)

    @field_validator("prompt")
    @classmethod
    def _prompt_has_article(cls, value: str) -> str:
        if "{article}" not in value:
            raise ValueError("must contain {article} where the article text goes")
        return value


class TopicConfig(Section):
    backend: Literal["embedding", "nli", "classifier"] = "embedding"
    labels: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_LABELS),
        description="label: description (a bare list of names also works).",
    )
    temperature: float = Field(
        0.05,
        ge=0.001,
        description="Softmax temperature turning cosines into scores (from 0.001: lower is "
        "a plain argmax, and cosines over a tiny one overflow to NaN).",
    )
    templates: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TEMPLATES),
        min_length=1,
        description="embedding: prompts each label description is put in ({}); averaged.",
    )
    prototypes: str | None = Field(
        None,
        description="embedding: a folder of label prototypes adapted to a corpus "
        "(`summarizer adapt topic`); run, batch and eval score with them.",
    )
    adapt: Literal["corpus", "none"] = Field(
        "corpus",
        description="embedding, batch without topic.prototypes: corpus adapts the prototypes "
        "on a sample of INPUT before any record is written (saved beside OUTPUT, reused on "
        "--resume); none: plain zero-shot.",
    )
    adapt_sample: int = Field(
        1000,
        ge=1,
        le=1_000_000,
        description="Documents the prototypes are adapted on (a seeded sample by text hash).",
    )
    adapt_weight: float = Field(
        0.5, ge=0.0, le=1.0, description="embedding: share of the adapted prototypes in a score."
    )
    model: str | None = Field(
        None,
        validate_default=True,
        description="nli: an NLI checkpoint; classifier: a fine-tuned classifier (its labels).",
    )
    hypothesis_template: str = Field(
        "This news article is about {}.", description="nli: {} is replaced by each label."
    )
    multi_label: bool = Field(
        True, description="nli: score each label on its own instead of sharing 1 among them."
    )

    @field_validator("model")
    @classmethod
    def _model_required(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _model_for({"nli", "classifier"}, value, info)

    @field_validator("hypothesis_template")
    @classmethod
    def _template_has_slot(cls, value: str) -> str:
        """Exactly one bare `{}`: the code fills it with `str.format(label)`, which fails on
        "{} {}" or "{name}" and can allocate gigabytes for a width like "{:999999999}"."""
        try:
            parts = list(string.Formatter().parse(value))
        except ValueError:  # a lone { or }
            parts = []
        slots = [(name, spec, conv) for _, name, spec, conv in parts if name is not None]
        if slots != [("", "", None)]:
            raise ValueError("must contain one {} where the label goes (write {{ }} for braces)")
        return value

    @field_validator("templates")
    @classmethod
    def _templates_have_slots(cls, value: list[str]) -> list[str]:
        for template in value:
            cls._template_has_slot(template)
        return value

    @field_validator("labels", mode="before")
    @classmethod
    def _labels_from_list(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        if not all(isinstance(name, str | int | float) for name in value):
            raise ValueError("a list of labels holds plain names (or use label: description)")
        return {str(name): str(name) for name in value}

    @field_validator("labels")
    @classmethod
    def _labels_not_empty(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("needs at least one label")
        return value


class RayConfig(Section):
    """`batch.engine: ray`: where the Ray cluster is and how the actors are sized."""

    address: str | None = Field(
        None,
        description="Ray cluster to join: auto (the one `ray start` runs on this node), "
        "host:port or ray://host:port; null: start a local one for the run.",
    )
    actors: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="Pipeline actors (each loads the models once); null: as many as the "
        "cluster's CPUs (and GPUs) fit at num_cpus/num_gpus each.",
    )
    num_cpus: float = Field(1.0, gt=0, description="CPUs reserved per actor.")
    num_gpus: float = Field(
        0.0,
        ge=0,
        description="GPUs per actor; a fraction (0.25) lets several CPU-heavy actors share "
        "one GPU.",
    )
    batch_size: int = Field(
        32,
        gt=0,
        le=1_000_000,
        description="Records per actor call (a Ray Data block): their texts share model "
        "batches, as a local chunk's do.",
    )
    shard_size: int = Field(
        1000,
        gt=0,
        le=10_000_000,
        description="Records per finished part file; --resume redoes at most the shards "
        "that were not finished.",
    )


class BatchConfig(Section):
    engine: Literal["local", "ray"] = Field(
        "local",
        description="local: this process; ray: Ray Data actors on a local or remote Ray "
        "cluster (pip install 'summarizer[ray]'), settings under batch.ray.",
    )
    chunk_size: int = Field(
        256,
        gt=0,
        le=1_000_000,
        description="Records read, processed and written together in `batch`: their texts "
        "share model batches, and a resumed run redoes at most one chunk.",
    )
    text_field: str = Field("text", description="Input field holding the page text.")
    id_field: str | None = Field(
        None,
        description="Input field holding the record id; null: `id` where the input has it, "
        "else the row number (file name for a folder).",
    )
    title_field: str | None = Field(
        None,
        description="Input field holding the page title; null: `title` where a record has "
        'one; "": none.',
    )
    keep_fields: list[str] = Field(
        [],
        description="Input fields copied into each output record's `fields` (an id, a URL, "
        "a date), so the output needs no join; [all]: every field but the text.",
    )
    log_interval: float = Field(
        30.0, gt=0, description="Seconds between progress lines when stderr is not a terminal."
    )
    record_timeout: float | None = Field(
        300.0,
        gt=0,
        description="Seconds a record may take; one that takes longer becomes an error "
        "record and the run goes on. null: no limit.",
    )
    ray: RayConfig = Field(default_factory=RayConfig)


class TrainConfig(Section):
    """`summarizer train`: the training knobs; a command-line option wins over its key."""

    base: str = Field(
        "all-MiniLM-L6-v2", description="train topic/noise: embedded name, dir or hub id."
    )
    epochs: float | None = Field(
        None, gt=0, description="Most passes over the data; null: 3, more for small data."
    )
    lr: float = Field(5e-5, gt=0, description="Peak learning rate.")
    batch_size: int | None = Field(
        None, gt=0, description="Training examples per step; null: 16 (train summary: 8)."
    )
    max_length: int | None = Field(
        None,
        gt=0,
        description="Tokens per input text, saved with the model; null: 128 (summary: 512).",
    )
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Seed of split, weights, batches.")
    patience: int = Field(2, ge=1, description="Epochs without eval gain before stopping.")
    eval_split: float = Field(
        0.1, gt=0, lt=1, description="Without --eval: share of --train held out."
    )


class Config(Section):
    device: str = Field("auto", description="auto, cpu, cuda, cuda:N or mps.")
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = Field(
        "auto", description="Weights of the summary/topic/noise models; auto: bf16 on a GPU."
    )
    trust_remote_code: bool = Field(
        False, description="Let checkpoints run their own Python code (only for ones you trust)."
    )
    batch_size: int = Field(64, gt=0, description="Texts per model forward pass.")
    input: InputConfig = Field(default_factory=InputConfig)
    embedding: EmbeddingConfig = Field(default_factory=EmbeddingConfig)
    noise: NoiseConfig = Field(default_factory=NoiseConfig)
    summary: SummaryConfig = Field(default_factory=SummaryConfig)
    topic: TopicConfig = Field(default_factory=TopicConfig)
    batch: BatchConfig = Field(default_factory=BatchConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)

    _base_dir: Path = PrivateAttr(default_factory=Path.cwd)

    @field_validator("device")
    @classmethod
    def _device_known(cls, value: str) -> str:
        # [0-9], not \d or isdigit(): those accept "²" and other digits int() refuses
        if not re.fullmatch(r"auto|cpu|mps|cuda(:[0-9]{1,4})?", value):
            raise ValueError("must be auto, cpu, cuda, cuda:N or mps")
        return value

    @property
    def base_dir(self) -> Path:
        """The folder relative model paths resolve against (the config file's folder)."""
        return self._base_dir
