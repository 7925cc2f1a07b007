"""Config loading, overrides and the one-line errors a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from summarizer.config import DEFAULT_LABELS, Config, dump_config, load_config
from summarizer.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def test_default_yaml_equals_schema_defaults() -> None:
    on_disk = yaml.safe_load((REPO / "configs" / "default.yaml").read_text())
    assert on_disk == Config().model_dump()


def test_shipped_configs_validate() -> None:
    for path in sorted((REPO / "configs").glob("*.yaml")):
        load_config(path)


def test_default_labels_cover_the_required_topics() -> None:
    required = {
        "defense",
        "diplomacy",
        "politics",
        "economy",
        "business",
        "technology",
        "science",
        "health",
        "environment",
        "crime and law",
        "disaster and accidents",
        "sports",
        "entertainment",
    }
    assert required <= set(DEFAULT_LABELS)


def test_overrides_are_yaml_typed_and_nested() -> None:
    config = load_config(None, ["summary.sentences=2", "topic.labels=[war, peace]"], "cpu")
    assert config.summary.sentences == 2
    assert config.topic.labels == {"war": "war", "peace": "peace"}
    assert config.device == "cpu"


def test_labels_mapping_from_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("topic:\n  labels:\n    war: armed conflict\n    sport: games\n")
    assert load_config(path).topic.labels == {"war": "armed conflict", "sport": "games"}


def test_relative_models_resolve_against_the_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("device: cpu\n")
    assert load_config(path).base_dir == tmp_path.resolve()


@pytest.mark.parametrize(
    ("content", "overrides", "expected"),
    [
        ("summary:\n  sentnces: 3\n", [], "c.yaml: summary.sentnces: unknown key (value 3)"),
        ("device: gpu\n", [], "c.yaml: device: must be auto, cpu, cuda, cuda:N or mps"),
        ("- a\n- b\n", [], "a config must be a YAML mapping, got list"),
        ("summary: [unclosed\n", [], "not valid YAML"),
        ("", ["summary.sentences=many"], "--set summary.sentences=many: summary.sentences"),
        ("", ["summary.ratio=1.5"], "summary.ratio: Input should be less than or equal to 1"),
        ("", ["batch.record_timeout=0"], "batch.record_timeout: Input should be greater than 0"),
        ("", ["embedding.max_page_sentences=0"], "embedding.max_page_sentences: Input should be"),
        ("", ["novalue"], "expected KEY.PATH=VALUE"),
        ("topic:\n  labels: {}\n", [], "topic.labels: needs at least one label"),
        (
            "noise:\n  boilerplate_examples: ['Sign up today.', ' ']\n",
            [],
            "noise.boilerplate_examples: examples must not be empty",
        ),
    ],
)
def test_bad_configs_name_the_key_value_and_source(
    tmp_path: Path, content: str, overrides: list[str], expected: str
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path, overrides)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_dump_round_trips() -> None:
    config = load_config(None, ["summary.ratio=0.4"])
    assert Config.model_validate(yaml.safe_load(dump_config(config))) == config
