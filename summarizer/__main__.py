"""`python -m summarizer` is the same as the `summarizer` command."""

from summarizer.cli import app

app(prog_name="summarizer")
