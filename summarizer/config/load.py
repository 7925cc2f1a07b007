"""Reading a config: YAML files (bounded, see `safe_yaml`), `--set a.b=c` overrides, the
Python API's dicts, and one-line errors that name the key, a short excerpt of the value and
where it came from.
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from summarizer.config.safe_yaml import MAX_CONFIG_BYTES, safe_yaml
from summarizer.config.schema import Config
from summarizer.errors import ConfigError

_EXCERPT = reprlib.Repr()
_EXCERPT.maxstring = _EXCERPT.maxother = 60
_EXCERPT.maxlist = _EXCERPT.maxdict = _EXCERPT.maxlevel = 3


def excerpt(value: Any) -> str:
    """A value as an error quotes it: its repr cut to about 60 characters, whatever its size
    (reprlib stops early, so even an alias bomb's value costs nothing to quote)."""
    return _EXCERPT.repr(value)


def _clip(text: str, limit: int = 60) -> str:
    """Command-line text as an error quotes it: one line of at most `limit` characters."""
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: over {MAX_CONFIG_BYTES} bytes; a config is a few KB")
    try:
        data = safe_yaml(path.read_text(encoding="utf-8"))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None
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
        raise ConfigError(
            f"--set {_clip(text)!r}: expected KEY.PATH=VALUE, e.g. summary.sentences=2"
        )
    try:
        value = safe_yaml(raw) if raw.strip() else ""
    except ConfigError as exc:
        raise ConfigError(f"--set {_clip(text)}: {exc}") from None
    except yaml.YAMLError:
        value = raw
    return key.strip().split("."), value


def _apply_override(data: dict[str, Any], path: list[str], value: Any, text: str) -> None:
    node = data
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"--set {_clip(text)}: {_clip(part)} is not a section")
        node = child
    node[path[-1]] = value


def _describe(error: Any) -> str:
    key = _clip(".".join(str(part) for part in error["loc"]))
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key (value {excerpt(error['input'])})"
    message = error["msg"].removeprefix("Value error, ")
    return f"{key}: {message} (value {excerpt(error['input'])})"


def _origin(loc: tuple[Any, ...], overrides: dict[tuple[str, ...], str], source: str) -> str:
    """Where the bad value at `loc` came from: the --set/--device that wrote it or a key
    inside it (`--set a.b.c=1` is the cause of "a: unknown key"), else the file."""
    path = tuple(str(part) for part in loc)
    for key, origin in reversed(overrides.items()):
        if path[: len(key)] == key or key[: len(path)] == path:
            return origin
    return source


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
    override_keys: dict[tuple[str, ...], str] = {}
    for text in overrides:
        key_path, value = parse_override(text)
        _apply_override(data, key_path, value, text)
        override_keys[tuple(key_path)] = f"--set {_clip(text)}"
    if device is not None:
        data["device"] = device
        override_keys[("device",)] = f"--device {_clip(device)}"
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        origin = _origin(first["loc"], override_keys, source)
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
