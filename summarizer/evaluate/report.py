"""Show an `Evaluation`: tables on the terminal, or a small self-contained HTML report.

The HTML report needs no plotting library: the confusion matrix is drawn as inline SVG
(cells shaded by the share of the gold row) and the per-class F1 as CSS bars, so the file
opens anywhere, offline. It opens with where the figures came from (version, command,
data and its hash, models, the effective config), and the noise report shows the pages it
got wrong whole, in the `run --format html` view, with the wrong blocks outlined.
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
from summarizer.io.html_view import BLOCK_STYLE, blocks_html, legend

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
    if evaluation.calibration:
        console.print(Text(calibration_line(evaluation.calibration)))
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


def provenance_html(provenance: dict[str, Any]) -> str:
    """Where the figures came from: one table, the models, the effective config as YAML."""
    if not provenance:
        return ""
    keys = ["tool", "version", "command", "date", "data", "data_sha256", "seed"]
    rows = [[key, "" if provenance[key] is None else provenance[key]] for key in keys]
    models = [[m["key"], m["name"], m["source"], m["location"]] for m in provenance["models"]]
    return (
        f"<h2>provenance</h2>{_html_table(['', 'value'], rows)}"
        f"<h3>models</h3>{_html_table(['key', 'model', 'source', 'location'], models)}"
        f"<details><summary>effective config (YAML)</summary>"
        f"<pre>{escape(provenance['config'])}</pre></details>"
    )


def f1_bars(report: dict[str, Any]) -> str:
    """Per-class F1 as horizontal bars, worst class first, so the weak ones stand out."""
    classes = sorted(report["per_class"].items(), key=lambda item: item[1]["f1"])
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td>{d['f1']:.3f}</td>"
        f'<td><span class="bar" style="width:{20 * d["f1"]:.2f}em"></span></td></tr>'
        for label, d in classes
    )
    return f'<h2>F1 per class</h2><table class="bars">{rows}</table>'


def calibration_line(calibration: dict[str, float]) -> str:
    """Mean confidence against accuracy, and which way the model errs."""
    confidence, accuracy = calibration["mean_confidence"], calibration["accuracy"]
    gap = confidence - accuracy
    verdict = "overconfident" if gap > 0 else "underconfident" if gap < 0 else "calibrated"
    return (
        f"calibration: mean confidence {confidence:.3f} vs accuracy {accuracy:.3f} "
        f"({verdict} by {abs(gap):.3f})"
    )


def wrong_pages_html(evaluation: Evaluation) -> str:
    """The noise task's pages with a wrong block, whole: every block in the `run --format
    html` view, the wrong ones outlined, the gold label next to the predicted kind."""
    if not evaluation.pages:
        return ""
    parts = [
        f"<h2>pages with wrong blocks ({len(evaluation.pages)} shown)</h2><p>Outlined: the "
        "noise decision disagrees with the gold label; hover a block for kind, score and "
        f"gold.</p>{legend()}"
    ]
    for result, gold in evaluation.pages:
        parts.append(f"<h3>{escape(result.id)}</h3>{blocks_html(result.blocks, gold)}")
    return "".join(parts)


def html_report(evaluation: Evaluation) -> str:
    """A single HTML page: provenance, figures, per-class table and F1 bars, confusion
    picture, calibration, per-example errors and (noise) the wrong pages whole."""
    sections = [f"<h1>summarizer eval {escape(evaluation.task)}</h1>"]
    sections.append(f"<p>{escape(title(evaluation))}</p>")
    sections += [f'<p class="note">{escape(line)}</p>' for line in notes(evaluation)]
    sections.append(provenance_html(evaluation.provenance))
    for heading, columns, rows in tables(evaluation):
        sections.append(f"<h2>{escape(heading)}</h2>{_html_table(columns, rows)}")
    pipeline = next(iter(evaluation.rows))
    if evaluation.calibration:
        sections.append(f"<p>{escape(calibration_line(evaluation.calibration))}</p>")
    if pipeline in evaluation.classes:
        sections.append(f1_bars(evaluation.classes[pipeline]))
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
    sections.append(wrong_pages_html(evaluation))
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:80em}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}"
        "td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}"
        ".note{color:#a15c00}table.bars td{border:none}pre{background:#f3f4f6;padding:.5em}"
        + BLOCK_STYLE
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
    """The figures and their provenance as JSON (not the examples), in a folder made if
    missing, like the HTML."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(evaluation.to_dict(), indent=2) + "\n", encoding="utf-8")
