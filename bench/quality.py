"""Quality of each stage on the evaluation data in ../shared/data, with baselines in the
same run. Data is read from the shared folder, never copied.

    python bench/quality.py [--data ../shared/data] [--limit N]
                            [--only noise,pages,l3s,topic,summary]
                            [--pages-lang en|de|unk] [--set embedding.backend=onnx ...]

Tables: noise lines on composed pages; article extraction on real pages (plain text and
HTML) next to readability-lxml and trafilatura; embedding topics on AG News and BBC
(zero-shot and with adapted prototypes, shuffled and sorted); extractive summaries on BBC
and XSum next to lead-k and plain centrality.
`--only pages --pages-lang de --limit 250` measures the extraction on 250 of trafilatura's
German pages, which the noise rules were not written on (a held-out check).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))

from l3s import (  # noqa: E402
    L3SPage,
    PageScore,
    baseline_rows,
    format_rows,
    gold_row,
    load_l3s_pages,
    score,
    summarize_scores,
)
from l3s_learn import (  # noqa: E402
    COMPOSED_PAGES,
    DEFAULT_CACHE,
    MODES,
    collect,
    composed_training,
    fit_on,
)
from real_pages import (  # noqa: E402
    BASELINES,
    LANGS,
    evaluate,
    format_table,
    load_real_pages,
    page_plain_text,
    readability_text,
    trafilatura_text,
)

from summarizer import Pipeline  # noqa: E402
from summarizer.batch.adapt import SEED, sample_key  # noqa: E402
from summarizer.batch.job import run_in_chunks  # noqa: E402
from summarizer.config import SummaryConfig, TopicConfig, load_config  # noqa: E402
from summarizer.evaluate.metrics import PRF, ROUGE_TYPES, Classification, average, rouge_each  # noqa: E402
from summarizer.io.readers import Record  # noqa: E402
from summarizer.models.load import quiet_libraries  # noqa: E402
from summarizer.noise.learned import LearnedNoise, site_folds  # noqa: E402
from summarizer.summary.extractive import ExtractiveSummarizer  # noqa: E402
from summarizer.text.sentences import split_sentences  # noqa: E402
from summarizer.topic.embedding import EmbeddingClassifier  # noqa: E402
from summarizer.topic.prototypes import Prototypes, refine  # noqa: E402
from summarizer.types import Article  # noqa: E402

NOISE_LABELS = {"byline", "teaser_headline", "teaser_snippet"}
CHUNK = 256  # documents per call, as `summarizer batch` sends them
AG_LABELS = {
    "World": "world news: international affairs, governments, conflicts and diplomacy",
    "Sports": "sports: games, matches, athletes, teams and tournaments",
    "Business": "business: companies, markets, the economy, trade and finance",
    "Sci/Tech": "science and technology: computers, the internet, software, space and research",
}
BBC_LABELS = {
    "business": "business: companies, markets, the economy, trade and finance",
    "entertainment": "entertainment: film, music, television, celebrities and the arts",
    "politics": "politics: government, elections, political parties and parliament",
    "sport": "sport: games, matches, athletes, teams and tournaments",
    "tech": "technology: computers, the internet, software, gadgets and telecoms",
}


def read_jsonl(path: Path, limit: int | None) -> list[dict]:
    """Records in a fixed shuffled order (the files are sorted by label), then limited."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    random.Random(0).shuffle(rows)
    return rows[:limit]


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def new_table(title: str, columns: list[str]) -> Table:
    table = Table(title=title)
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    return table


def one_line_rule(line: str) -> bool:
    """The baseline: keep lines of 10+ words that end in sentence punctuation."""
    return len(line.split()) >= 10 and bool(re.search(r"[.!?][\"'”’)]*\s*$", line))


def noise_on_composed_pages(pipeline: Pipeline, data: Path, limit: int | None) -> Table:
    """Line-level noise P/R/F1 and exactly-right pages on pages_bbc_dev.jsonl."""
    rows = read_jsonl(data / "pages_bbc_dev.jsonl", limit)
    started = time.perf_counter()
    records = [Record(str(number), row["text"]) for number, row in enumerate(rows)]
    results = [r for chunk in run_in_chunks(pipeline, records, CHUNK) for r in chunk]
    seconds = time.perf_counter() - started
    tool, rule = PRF(), PRF()
    tool_exact = rule_exact = 0
    for row, result in zip(rows, results):
        gold = [label in NOISE_LABELS for label in row["line_labels"]]
        predicted = [block.noise for block in result.blocks]
        baseline = [not one_line_rule(line) for line in row["text"].split("\n")]
        tool.add(predicted, gold)
        rule.add(baseline, gold)
        tool_exact += predicted == gold
        rule_exact += baseline == gold
    table = new_table(
        f"Noise lines, composed pages (pages_bbc_dev: {len(rows)} pages, {seconds:.0f} s)",
        ["method", "precision", "recall", "F1", "pages exactly right"],
    )
    for name, prf, exact in (("summarizer", tool, tool_exact), ("one-line rule", rule, rule_exact)):
        table.add_row(
            name,
            f"{prf.precision:.4f}",
            f"{prf.recall:.4f}",
            f"{prf.f1:.4f}",
            f"{exact}/{len(rows)} ({exact / len(rows):.1%})",
        )
    return table


def noise_on_real_pages(pipeline: Pipeline, data: Path, limit: int | None, lang: str = "en") -> str:
    """Article extraction on real pages, from plain text and from HTML, with the baselines;
    `lang` other than "en" takes trafilatura's pages in that language (a held-out set)."""
    pages = load_real_pages(data, limit=limit, lang=lang)
    started = time.perf_counter()
    from_text = _articles(pipeline, [page_plain_text(p) for p in pages], [p.id for p in pages])
    from_html = _articles(pipeline, [p.html for p in pages], [p.id for p in pages])
    seconds = time.perf_counter() - started
    methods: dict[str, Callable] = {
        "summarizer text": lambda page: from_text[page.id],
        "summarizer html": lambda page: from_html[page.id],
        **BASELINES,
    }
    language = "" if lang == "en" else f", lang {lang}"
    header = (
        f"Article extraction, real pages ({len(pages)} pages{language}, summarizer {seconds:.0f} s)"
    )
    return f"{header}\n{format_table(evaluate(pages, methods), lang)}"


L3S_BASELINES: dict[str, Callable[[str], str]] = {
    "trafilatura": trafilatura_text,
    "trafilatura precise": lambda html: trafilatura_text(html, favor_precision=True),
    "readability-lxml": readability_text,
}


def l3s_pages(pipeline: Pipeline, data: Path, limit: int | None) -> str:
    """The L3S-GN1 dev pages (`bench/l3s.py`): article BoW P/R/F1, the related-stories leak
    and summary purity, from plain text and from HTML, next to the HTML baselines.

    The shipped block model was trained on these pages, so the pipeline's rows come from
    cross-validation grouped by site (`bench/l3s_learn.py`): each page is run with a model
    fitted on the other folds' sites. With `noise.learned` null the rows are the rules'."""
    pages = load_l3s_pages(data, limit)
    started = time.perf_counter()
    learned = isinstance(pipeline.noise, LearnedNoise)
    rows = []
    for mode in ("text", "html"):
        scores: dict[str, PageScore] = {}
        for stage, test in _l3s_stages(pipeline, pages, data) if learned else [(None, pages)]:
            scores.update(_l3s_scores(pipeline, test, mode, stage))
        name = f"summarizer {mode}" + (" (site CV)" if learned else " (rules)")
        rows.append(summarize_scores(name, [scores[p.id] for p in pages]))
    seconds = time.perf_counter() - started
    rows += [*baseline_rows(pages, L3S_BASELINES), gold_row(pages)]
    header = f"L3S-GN1 dev pages ({len(pages)} pages, summarizer {seconds:.0f} s)"
    return f"{header}\n{format_rows(rows)}"


def _l3s_stages(
    pipeline: Pipeline, pages: list[L3SPage], data: Path
) -> list[tuple[LearnedNoise, list[L3SPage]]]:
    """Per site-grouped fold, the noise stage with a model fitted on the other folds, and
    the fold's pages (features from `bench/l3s_learn.py`'s cache; its composed training
    pages join every fold, as they do in the shipped model)."""
    tables = [collect(pages, mode, DEFAULT_CACHE) for mode in MODES]
    composed_pages, composed = composed_training(data, DEFAULT_CACHE, COMPOSED_PAGES)
    stages = []
    for train, test in site_folds([p.site for p in pages]):
        model = fit_on(tables, [pages[i] for i in train], composed, composed_pages)
        stage = LearnedNoise(pipeline.noise.rules, model, pipeline.noise.drop_below)
        stages.append((stage, [pages[i] for i in test]))
    return stages


def _l3s_scores(
    pipeline: Pipeline, pages: list[L3SPage], mode: str, stage: LearnedNoise | None
) -> dict[str, PageScore]:
    """Each page's figures from the pipeline's article and summary (`mode`: text or html),
    with `stage` as its noise stage where given."""
    records = [Record(p.id, p.plain_text if mode == "text" else p.html) for p in pages]
    shipped = pipeline.noise
    pipeline.noise = stage or shipped
    try:
        made = {r.id: r for chunk in run_in_chunks(pipeline, records, CHUNK) for r in chunk}
    finally:
        pipeline.noise = shipped
    return {
        p.id: score(made[p.id].article or "", None if made[p.id].error else made[p.id].summary, p)
        for p in pages
    }


def _articles(pipeline: Pipeline, texts: list[str], ids: list[str]) -> dict[str, str]:
    records = [Record(i, t) for i, t in zip(ids, texts) if t.strip()]
    out = {i: "" for i in ids}
    for chunk in run_in_chunks(pipeline, records, CHUNK):
        for result in chunk:
            out[result.id] = result.article
    return out


def embed_articles(pipeline: Pipeline, texts: list[str], titles: list[str | None]) -> list[Article]:
    """Articles as the summary and topic stages receive them (sentences + their vectors)."""
    sentences = [split_sentences(text) or [text] for text in texts]
    vectors = pipeline.embedder.encode([s for doc in sentences for s in doc])
    bounds = np.cumsum([len(doc) for doc in sentences])[:-1]
    return [
        Article(text, title, doc, v)
        for text, title, doc, v in zip(texts, titles, sentences, np.split(vectors, bounds))
    ]


@functools.cache
def dev_set(pipeline: Pipeline, path: Path, limit: int | None) -> tuple[list[dict], list[Article]]:
    """A dev set's records and embedded articles, once per run: the topic and summary
    tables both read bbc_dev, the run's largest embedding job."""
    rows = read_jsonl(path, limit)
    texts, titles = [r["text"] for r in rows], [r.get("title") for r in rows]
    return rows, embed_articles(pipeline, texts, titles)


def _macro_f1(classifier: EmbeddingClassifier, articles: list[Article], gold: list[str]) -> str:
    predicted = [t[0].label for chunk in chunks(articles) for t in classifier(chunk)]
    figures = Classification(list(classifier.labels))
    figures.add(predicted, gold)
    return f"{figures.macro_f1:.3f}"


def _adapted(
    classifier: EmbeddingClassifier, rows: list[dict], articles: list[Article], size: int
) -> Prototypes:
    """Prototypes refined on the sample `summarizer adapt topic` takes of these records
    (the `size` smallest seeded hashes), from the articles embedded once for the table."""
    keys = [sample_key(Record(r["id"], r["text"], r.get("title")), SEED) for r in rows]
    chosen = sorted(range(len(rows)), key=lambda i: keys[i])[:size]
    documents = classifier.document_vectors([articles[i] for i in chosen])
    vectors = refine(documents, classifier.label_vectors(), classifier.config.adapt_weight)
    return Prototypes(dict(classifier.config.labels), vectors)


def _per_chunk(classifier: EmbeddingClassifier, articles: list[Article], gold: list[str]) -> str:
    """The old behaviour, for comparison: prototypes refined on each 256-document call."""
    predicted = []
    for chunk in chunks(articles):
        refined = refine(classifier.document_vectors(chunk), classifier.label_vectors(), 0.5)
        prototypes = Prototypes(dict(classifier.config.labels), refined)
        scorer = EmbeddingClassifier(classifier.embedder, classifier.config, prototypes)
        predicted += [t[0].label for t in scorer(chunk)]
    figures = Classification(list(classifier.labels))
    figures.add(predicted, gold)
    return f"{figures.macro_f1:.3f}"


def topics(pipeline: Pipeline, data: Path, limit: int | None) -> Table:
    """Macro-F1 of the embedding topics on AG News and BBC, shuffled and sorted by label:
    plain zero-shot, the old per-call adaptation, and prototypes adapted with `summarizer
    adapt` on the same file or on the other half of it (held out: the honest case)."""
    size = TopicConfig().adapt_sample
    table = new_table(
        f"Embedding topics, embedded MiniLM (macro-F1; adapted on a {size}-document sample)",
        ["data set", "docs", "order", "zero-shot", "per chunk (old)", "same file", "other half"],
    )
    for name, labels in (("agnews_dev.jsonl", AG_LABELS), ("bbc_dev.jsonl", BBC_LABELS)):
        rows, articles = dev_set(pipeline, data / name, limit)
        classifier = EmbeddingClassifier(pipeline.embedder, TopicConfig(labels=labels))
        same = _adapted(classifier, rows, articles, size)
        half = len(rows) // 2
        halves = [(slice(0, half), slice(half, None)), (slice(half, None), slice(0, half))]
        for order in ("shuffled", "sorted"):
            ranks = range(len(rows))
            if order == "sorted":
                ranks = sorted(ranks, key=lambda i: rows[i]["label"])
            ordered = [articles[i] for i in ranks]
            gold = [rows[i]["label"] for i in ranks]
            cells = [_macro_f1(classifier, ordered, gold), _per_chunk(classifier, ordered, gold)]
            cells.append(
                _macro_f1(
                    EmbeddingClassifier(classifier.embedder, classifier.config, same), ordered, gold
                )
            )
            held_out = {}
            for scored, adapted_on in halves:
                other = _adapted(classifier, rows[adapted_on], articles[adapted_on], size)
                scorer = EmbeddingClassifier(classifier.embedder, classifier.config, other)
                for i, topic in zip(range(len(rows))[scored], scorer(articles[scored])):
                    held_out[i] = topic[0].label
            figures = Classification(list(labels))
            figures.add([held_out[i] for i in ranks], gold)
            cells.append(f"{figures.macro_f1:.3f}")
            table.add_row(name, str(len(rows)), order, *cells)
    return table


def summaries(pipeline: Pipeline, data: Path, limit: int | None) -> Table:
    """ROUGE of extractive summaries vs lead-k and plain embedding centrality."""
    table = new_table(
        "Extractive summaries (ROUGE-1 / ROUGE-2 / ROUGE-Lsum F1, stemmed)",
        ["data set", "docs", "length", "lead-k", "centrality", "summarizer"],
    )
    for name, length in (
        ("bbc_dev.jsonl", {"ratio": 0.42}),
        ("xsum_validation.jsonl", {"sentences": 1}),
    ):
        rows, articles = dev_set(pipeline, data / name, limit)
        references = [r["summary"] for r in rows]
        variants = {
            # a lead prior so large that position alone decides: lead-k at the same length
            "lead-k": SummaryConfig(
                **length, lead_weight=1e6, lexical_weight=0.0, length_weight=0.0
            ),
            "centrality": SummaryConfig(
                **length, lead_weight=0.0, lexical_weight=0.0, length_weight=0.0
            ),
            "summarizer": SummaryConfig(**length),
        }
        cells = []
        for config in variants.values():
            summaries = [s.text for s in ExtractiveSummarizer(config)(articles)]
            means = average(rouge_each(summaries, references))
            cells.append(" / ".join(f"{100 * means[k]:.1f}" for k in ROUGE_TYPES))
        shown = ", ".join(f"{k} {v}" for k, v in length.items())
        table.add_row(name, str(len(rows)), shown, *cells)
    return table


STAGES = {
    "noise": noise_on_composed_pages,
    "pages": noise_on_real_pages,
    "l3s": l3s_pages,
    "topic": topics,
    "summary": summaries,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="Documents per data set.")
    parser.add_argument("--only", default=",".join(STAGES), help="Comma-separated stages.")
    parser.add_argument(
        "--pages-lang",
        default="en",
        choices=LANGS,
        help="Real pages in this language (de: trafilatura's German pages, held out).",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        help="Config override key=value for every pipeline (e.g. embedding.backend=onnx).",
    )
    args = parser.parse_args()
    quiet_libraries()
    console = Console(width=120)
    started = time.perf_counter()
    pipeline = Pipeline(load_config(None, ["device=cpu", *args.set]))
    clean = Pipeline(load_config(None, ["device=cpu", "noise.enabled=false", *args.set]))
    for stage in args.only.split(","):
        stage_pipeline = clean if stage in {"topic", "summary"} else pipeline
        options = {"lang": args.pages_lang} if stage == "pages" else {}
        console.print(STAGES[stage](stage_pipeline, args.data, args.limit, **options))
        console.print()
    console.print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
