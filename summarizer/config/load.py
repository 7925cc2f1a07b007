"""Reading a config: YAML files, `--set a.b=c` overrides, the Python API's dicts, and
one-line errors that name the key, the value and where it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from summarizer.config.schema import Config
from summarizer.errors import ConfigError


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {exc.__class__.__name__}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config must be a YAML mapping, got {type(data).__name__}")
    return data


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split `a.b=value` into its key path and a YAML-typed value (`3` -> int, `[x]` -> list)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"--set {text!r}: expected KEY.PATH=VALUE, e.g. summary.sentences=2")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key.strip().split("."), value


def _apply_override(data: dict[str, Any], path: list[str], value: Any, text: str) -> None:
    node = data
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"--set {text}: {part} is not a section")
        node = child
    node[path[-1]] = value


def _describe(error: Any) -> str:
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key (value {error['input']!r})"
    message = error["msg"].removeprefix("Value error, ")
    return f"{key}: {message} (value {error['input']!r})"


def load_config(
    path: str | Path | None = None,
    overrides: list[str] | tuple[str, ...] = (),
    device: str | None = None,
) -> Config:
    """Read a YAML config (or the defaults), apply `--set` overrides, validate.

    Every problem becomes a `ConfigError` naming the key, the value and where it came from.
    """
    data: dict[str, Any] = {}
    source = "default config"
    if path is not None:
        path = Path(path)
        data = _read_yaml(path)
        source = str(path)
    override_keys: dict[str, str] = {}
    for text in overrides:
        key_path, value = parse_override(text)
        _apply_override(data, key_path, value, text)
        override_keys[".".join(key_path)] = f"--set {text}"
    if device is not None:
        data["device"] = device
        override_keys["device"] = f"--device {device}"
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        origin = next((o for k, o in override_keys.items() if key.startswith(k)), source)
        raise ConfigError(f"{origin}: {_describe(first)}") from None
    if isinstance(path, Path):
        config._base_dir = path.resolve().parent
    return config


def config_from(value: Config | dict[str, Any] | str | Path | None) -> Config:
    """Accept whatever the Python API was given: a Config, a dict, a YAML path or None."""
    if isinstance(value, Config):
        return value
    if isinstance(value, dict):
        try:
            return Config.model_validate(value)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ConfigError(f"config dict: {_describe(first)}") from None
    return load_config(value)


def dump_config(config: Config) -> str:
    """The effective config as YAML, in schema order (what `config show` prints)."""
    return yaml.safe_dump(config.model_dump(), sort_keys=False, allow_unicode=True)
