"""Progress in `batch`: a word while the models load."""

from __future__ import annotations

import contextlib

import pytest

from summarizer.batch.progress import loading


def test_loading_spins_on_a_terminal_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with loading(quiet=False):  # stderr is no terminal here: a log keeps one error line
        pass
    assert capsys.readouterr().err == ""
    statuses: list[str] = []

    class Console:
        def __init__(self, stderr: bool) -> None:
            pass

        def status(self, text: str) -> contextlib.AbstractContextManager[None]:
            statuses.append(text)
            return contextlib.nullcontext()

    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    monkeypatch.setattr("rich.console.Console", Console)
    with loading(quiet=False):
        pass
    with loading(quiet=True):
        pass
    assert statuses == ["batch: loading models"]
