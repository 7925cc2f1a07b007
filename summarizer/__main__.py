"""`python -m summarizer` is the same as the `summarizer` command."""

from summarizer.cli.main import app

app(prog_name="summarizer")
