"""Checks on CLI results that several test folders share (importable by name: pytest puts
tests/ on the path)."""

from __future__ import annotations

from typing import Any


def one_error(result: Any, code: int = 1) -> str:
    """The CLI result's stderr, checked to be one `error:` line and exit `code`."""
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    return result.stderr
