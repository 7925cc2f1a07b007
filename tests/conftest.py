"""Shared fixtures: the default pipeline (loaded once), the evaluation data, a CLI runner.

The evaluation data lives outside the repo in ../shared/data and is never copied in.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a test must never reach the hub

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"evaluation data not found at {DATA}")
    return DATA


@pytest.fixture(scope="session")
def seed_text(data_dir: Path) -> str:
    return (data_dir / "seed_page.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pipeline():
    from summarizer import Pipeline
    from summarizer.models.load import quiet_libraries

    quiet_libraries()
    return Pipeline.from_config({"device": "cpu"})


@pytest.fixture(scope="session")
def cli():
    """Invoke the CLI in-process (models stay loaded between calls); returns the result."""
    from typer.testing import CliRunner

    from summarizer.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke
