"""Show an `Evaluation`: tables on the terminal, or a small self-contained HTML report.

The HTML report needs no plotting library: the confusion matrix is drawn as inline SVG
(cells shaded by the share of the gold row), so the file opens anywhere, offline.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from summarizer.evaluate.tasks import Evaluation

HEADINGS = {
    "accuracy": "accuracy",
    "macro_f1": "macro-F1",
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "pages_exact": "pages exactly right",
    "rouge1": "ROUGE-1",
    "rouge2": "ROUGE-2",
    "rougeLsum": "ROUGE-Lsum",
    "words": "words",
}


CLEAN_TEXT_HINT = ". Clean article text needs no noise stage: --set noise.enabled=false"


def _figure(name: str, value: float) -> str:
    return f"{value:.1f}" if name == "words" else f"{value:.4f}"


def title(evaluation: Evaluation) -> str:
    return (
        f"{evaluation.task} · {evaluation.source} · {evaluation.records} records · "
        f"{evaluation.seconds:.0f} s"
    )


def notes(evaluation: Evaluation) -> list[str]:
    """What a reader must know to trust the figures: the topic prototypes used, failed and
    skipped records."""
    lines = []
    if evaluation.prototypes:
        lines.append(f"topic prototypes: {evaluation.prototypes}")
    if evaluation.failed:
        hint = "" if evaluation.task == "noise" else CLEAN_TEXT_HINT
        lines.append(
            f"{evaluation.failed} of {evaluation.records} records failed in the pipeline and "
            f"count as wrong (first: {evaluation.first_error}){hint}"
        )
    if evaluation.skipped:
        lines.append(
            f"{evaluation.skipped} pages skipped: their blocks do not line up with their "
            "labeled lines"
        )
    return lines


TableData = tuple[str, list[str], list[list[str]]]  # heading, columns, rows


def tables(evaluation: Evaluation) -> list[TableData]:
    """The method table, then the task's details for the pipeline's row."""
    methods = (
        title(evaluation),
        ["method", *(HEADINGS[m] for m in evaluation.metrics)],
        [
            [name, *(_figure(m, figures[m]) for m in evaluation.metrics)]
            for name, figures in evaluation.rows.items()
        ],
    )
    result = [methods]
    pipeline = next(iter(evaluation.rows))
    if pipeline in evaluation.classes:
        report = evaluation.classes[pipeline]
        result.append(("per class (first row)", *per_class_rows(report)))
        result.append(("confusion matrix (rows: gold, columns: predicted)", *confusion(report)))
    if evaluation.by_label:
        rows = [
            [label, str(int(d["blocks"])), f"{d['flagged']:.4f}"]
            for label, d in evaluation.by_label.items()
        ]
        heading = "blocks flagged as noise, by gold label (first row)"
        result.append((heading, ["gold label", "blocks", "flagged"], rows))
    return result


def per_class_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    columns = ["label", "precision", "recall", "F1", "support"]
    rows = [
        [label, f"{d['precision']:.4f}", f"{d['recall']:.4f}", f"{d['f1']:.4f}", str(d["support"])]
        for label, d in report["per_class"].items()
    ]
    return columns, rows


def confusion(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    labels = report["labels"]
    rows = [[gold, *map(str, counts)] for gold, counts in zip(labels, report["confusion"])]
    return ["gold \\ predicted", *labels], rows


def print_evaluation(evaluation: Evaluation, console: Console) -> None:
    """The tables and notes on the terminal. Every string goes in as `Text`, never as rich
    markup: labels, ids and file names are the user's data, and one like "[/x]" would
    otherwise stop the print with a MarkupError."""
    for heading, columns, rows in tables(evaluation):
        table = Table(title=Text(heading), title_justify="left")
        for i, column in enumerate(columns):
            table.add_column(Text(column), justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*map(Text, row))
        console.print(table)
    for line in notes(evaluation):
        console.print(Text(f"note: {line}", style="yellow"))


def confusion_svg(report: dict[str, Any], cell: int = 44) -> str:
    """The confusion matrix as an SVG heatmap: shade = share of the gold row (recall)."""
    labels = report["labels"]
    margin = 12 + 7 * max(len(label) for label in labels)
    size = margin + cell * len(labels)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 8}" height="{size + 8}" '
        'font-family="sans-serif" font-size="12">'
    ]
    for i, (label, counts) in enumerate(zip(labels, report["confusion"])):
        y = margin + i * cell
        name = escape(label)
        parts.append(
            f'<text x="{margin - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{name}</text>'
        )
        x_label = margin + i * cell + cell / 2
        parts.append(
            f'<text x="{x_label}" y="{margin - 6}" transform="rotate(-45 {x_label} {margin - 6})">'
            f"{name}</text>"
        )
        total = sum(counts) or 1
        for j, count in enumerate(counts):
            share = count / total
            x = margin + j * cell
            colour = f"rgba(37,99,235,{share:.3f})"
            ink = "white" if share > 0.5 else "black"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{colour}" '
                f'stroke="#ccc"><title>gold {name}, predicted {escape(labels[j])}: '
                f"{count}</title></rect>"
                f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                f'fill="{ink}">{count}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _html_table(columns: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_report(evaluation: Evaluation) -> str:
    """A single HTML page: figures, per-class table, confusion picture, per-example errors."""
    sections = [f"<h1>summarizer eval {escape(evaluation.task)}</h1>"]
    sections.append(f"<p>{escape(title(evaluation))}</p>")
    sections += [f'<p class="note">{escape(line)}</p>' for line in notes(evaluation)]
    for heading, columns, rows in tables(evaluation):
        sections.append(f"<h2>{escape(heading)}</h2>{_html_table(columns, rows)}")
    pipeline = next(iter(evaluation.rows))
    if pipeline in evaluation.classes:
        sections.append(
            "<h2>confusion matrix picture</h2><p>Rows: gold, columns: predicted; the shade is "
            "the share of the gold row (hover a cell for its count).</p>"
        )
        sections.append(confusion_svg(evaluation.classes[pipeline]))
    if evaluation.examples:
        columns = list(evaluation.examples[0])
        rows = [[_cell(example[c]) for c in columns] for example in evaluation.examples]
        sections.append(
            f"<h2>errors of {escape(pipeline)} ({len(evaluation.examples)} shown)</h2>"
            + _html_table(columns, rows)
        )
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:80em}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}"
        ".note{color:#a15c00}"
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>summarizer eval {escape(evaluation.task)}</title><style>{style}</style></head>"
        f"<body>{''.join(sections)}</body></html>\n"
    )


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return "" if value is None else str(value)


def write_html(evaluation: Evaluation, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(evaluation), encoding="utf-8")


def write_json(evaluation: Evaluation, path: Path) -> None:
    """The figures as JSON (not the examples), in a folder made if missing, like the HTML."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(evaluation.to_dict(), indent=2) + "\n", encoding="utf-8")
