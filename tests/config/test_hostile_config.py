"""Hostile and careless configs (issue 25): every one is a single `error:` line with exit
code 2, found before any model loads, in bounded time and memory.

The cases are the tester's: a 344-byte YAML alias bomb that ran to 4.4 GB, templates
str.format cannot fill, numbers that overflow or turn scores into NaN, a device string
with a superscript digit, a value the embedding model cannot take.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from cli_checks import one_error
from tiny_models import build_tiny_sentence_transformer

from summarizer.config import load_config
from summarizer.config.safe_yaml import MAX_CONFIG_BYTES, MAX_CONFIG_NODES, safe_yaml
from summarizer.errors import ConfigError

# Seven levels of nine aliases each: 9**6 * 8 = 4.25 million strings once expanded.
ALIAS_BOMB = "topic:\n  labels:\n" + "".join(
    f"    - &{name} [{','.join([f'*{prev}'] * 9) if prev else ','.join(['xxxxxxxx'] * 8)}]\n"
    for prev, name in zip([None, *"abcdef"], "abcdefg")
)


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path, cli) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB) < 400
    started = time.perf_counter()
    message = one_error(cli("config", "show", "--config", str(path)), 2)
    assert time.perf_counter() - started < 30  # a guard against a hang, not a speed target
    assert f"expands to over {MAX_CONFIG_NODES} values" in message and str(path) in message
    as_override = ALIAS_BOMB.split("labels:\n")[1].replace("\n    - ", ", ").strip(" -\n")
    message = one_error(cli("config", "show", "--set", f"topic.labels=[{as_override}]"), 2)
    assert "--set topic.labels=" in message and len(message) < 200


def test_aliases_that_expand_modestly_still_work() -> None:
    text = "a: &labels [war, peace]\nb: *labels\nc: {x: *labels}\n"
    assert safe_yaml(text) == {
        "a": ["war", "peace"],
        "b": ["war", "peace"],
        "c": {"x": ["war", "peace"]},
    }


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [*a]\n", "alias refers to a node that contains it"),
        ("a: " + "[" * 100_000 + "]" * 100_000, "nest"),
        ("a: [" + ",".join(["1"] * (MAX_CONFIG_NODES + 1)) + "]", "expands to over"),
        ("a: " + "x" * MAX_CONFIG_BYTES, "characters is over"),
    ],
    ids=["recursive-alias", "deep-nesting", "too-many-values", "too-long"],
)
def test_yaml_that_would_take_unbounded_work_is_refused(
    monkeypatch: pytest.MonkeyPatch, libyaml: bool, text: str, message: str
) -> None:
    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    started = time.perf_counter()
    with pytest.raises((ConfigError, yaml.YAMLError), match=message):
        safe_yaml(text)
    assert time.perf_counter() - started < 30  # a guard against a hang, not a speed target


def test_a_config_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    with pytest.raises(ConfigError, match=f"over {MAX_CONFIG_BYTES} bytes"):
        load_config(path)


def test_an_unreadable_config_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("device: cpu\n")

    def denied(self: Path, encoding: str | None = None) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", denied)
    with pytest.raises(ConfigError, match=r"c\.yaml: cannot read it \(Permission denied\)$"):
        load_config(path)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ('topic.templates=["{} {}"]', "topic.templates: must contain one {}"),
        ("topic.templates=['{name}']", "topic.templates: must contain one {}"),
        ("topic.templates=['{:999999999}']", "topic.templates: must contain one {}"),
        ("topic.templates=['about {']", "topic.templates: must contain one {}"),
        ("topic.hypothesis_template={0} and {1}", "topic.hypothesis_template: must contain"),
        ("topic.temperature=1e-320", "topic.temperature: Input should be greater than or equal"),
        ("input.max_bytes=1.0e+26", "input.max_bytes: Unable to parse"),
        ("input.max_bytes=100000000000000000000000000", "input.max_bytes: Input should be less"),
        ("batch.chunk_size=1000000000000000000000", "batch.chunk_size: Input should be less"),
        ("summary.lead_weight=.inf", "summary.lead_weight: Input should be a finite number"),
        ("noise.min_similarity=.nan", "noise.min_similarity: Input should be a finite number"),
        ("noise.learned_below=2", "noise.learned_below: Input should be less than"),
        ("device=cuda:²", "device: must be auto, cpu, cuda, cuda:N or mps"),
        ("device=auto:0", "device: must be auto, cpu, cuda, cuda:N or mps"),
        ("topic.labels=[[a, b], c]", "topic.labels: a list of labels holds plain names"),
        ("a.b.c=1", "--set a.b.c=1: a: unknown key"),
    ],
)
def test_bad_values_are_one_line_naming_the_override(cli, override: str, expected: str) -> None:
    message = one_error(cli("config", "show", "--set", override), 2)
    assert message.startswith(f"error: --set {override}: ") and expected in message


def test_a_file_error_still_blames_the_file_when_overrides_are_given(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("topic:\n  temperature: 0\n")
    with pytest.raises(ConfigError, match=r"^.*c\.yaml: topic\.temperature"):
        load_config(path, ["topic.backend=embedding", "summary.sentences=2"])


def test_a_huge_bad_value_is_quoted_as_a_short_excerpt(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"topic": {"labels": "x" * 100_000}}))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "topic.labels: Input should be a valid dictionary" in message
    assert "xxx...xxx" in message and len(message) < len(str(path)) + 200


def test_trust_remote_code_reaches_the_embedding_model(tmp_path: Path) -> None:
    """A checkpoint whose config maps AutoModel to its own class: the class runs only when
    the config trusts remote code, otherwise transformers' own BertModel loads it."""
    from summarizer.models.embedder import load_embedder as embedding_model

    folder = build_tiny_sentence_transformer(tmp_path / "custom-code-st")
    (folder / "custom_bert.py").write_text(
        "from transformers import BertModel\n\n\nclass CustomBert(BertModel):\n    pass\n"
    )
    config = json.loads((folder / "config.json").read_text())
    config["auto_map"] = {"AutoModel": "custom_bert.CustomBert"}
    (folder / "config.json").write_text(json.dumps(config))
    classes = {
        trust: type(
            embedding_model(
                load_config(None, [f"embedding.model={folder}", f"trust_remote_code={trust}"]),
                "cpu",
            )[0].auto_model
        ).__name__
        for trust in ("false", "true")
    }
    assert classes == {"false": "BertModel", "true": "CustomBert"}


@pytest.fixture(scope="module")
def short_embedder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedding model with 128 positions (the default max_seq_length is 256)."""
    return build_tiny_sentence_transformer(tmp_path_factory.mktemp("st") / "st", max_positions=128)


def test_max_seq_length_over_the_models_positions_is_refused(cli, short_embedder: Path) -> None:
    page = "The council voted on the budget on Monday. " * 5
    model = f"embedding.model={short_embedder}"
    too_long = cli("run", "-", "-s", model, "-s", "embedding.max_seq_length=129", input=page)
    message = one_error(too_long, 2)
    assert "embedding.max_seq_length: 129 is over the 128 tokens" in message
    assert "set it to 128 or less" in message
    result = cli("run", "-", "-s", model, "-s", "embedding.max_seq_length=128", input=page)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output


def test_the_default_max_seq_length_is_lowered_to_a_smaller_model(short_embedder: Path) -> None:
    from summarizer.models.embedder import load_embedder as embedding_model

    model = embedding_model(load_config(None, [f"embedding.model={short_embedder}"]), "cpu")
    assert model.max_seq_length == 128
    long_sentence = " ".join(["council"] * 400) + "."
    assert model.encode([long_sentence]).shape[0] == 1  # 400 tokens, cut at 128


def test_the_embedded_model_refuses_a_max_seq_length_over_512(cli, data_dir: Path) -> None:
    page = str(data_dir / "seed_page.txt")
    message = one_error(cli("run", page, "--set", "embedding.max_seq_length=100000"), 2)
    assert "100000 is over the 512 tokens" in message


@pytest.mark.parametrize("folder", ["/etc", "."])
def test_a_folder_that_is_no_model_is_one_line(cli, data_dir: Path, folder: str) -> None:
    page = str(data_dir / "seed_page.txt")
    message = one_error(cli("run", page, "--set", f"embedding.model={folder}"), 1)
    assert message.startswith("error: embedding.model: ") and "is not a model folder" in message
