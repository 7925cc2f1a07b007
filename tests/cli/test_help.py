"""`--help` reads as a user types: value names, not Python types, and one example each."""

from __future__ import annotations

import re

import pytest

COMMANDS = [
    ["run"],
    ["batch"],
    ["config", "show"],
    ["models"],
    ["split"],
    ["train", "topic"],
    ["train", "noise"],
    ["train", "summary"],
    ["eval", "topic"],
    ["eval", "noise"],
    ["eval", "summary"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_names_values_plainly_and_shows_an_example(cli, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.output
    assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])>", result.stdout)
    examples = re.findall(r"Example: summarizer (\w+)", result.stdout)
    assert examples == [command[0]]


def test_flags_show_no_value_and_options_name_theirs(cli) -> None:
    lines = cli("batch", "--help").stdout.splitlines()
    resume = next(line for line in lines if "--resume" in line)
    assert resume.split("--resume")[1].split()[0] == "Continue"
    assert any("--set" in line and "KEY=VALUE" in line for line in lines)
    assert any("--output" in line and "PATH" in line for line in lines)
