"""The learned block decision: its features, its JSON model, its site-grouped folds; and the
default rules on the lists of other stories that read like the story these tests' pages
hold (leads under repeated datelines, which no model learned from the L3S pages, and
headlines over on-topic leads under a "Top stories" heading)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from summarizer.noise.features import page_features
from summarizer.noise.learned import (
    DEFAULT_MODEL,
    LEARNED,
    BlockModel,
    decide,
    fit,
    site_folds,
)
from summarizer.segment import Segment
from summarizer.types import ARTICLE, TEASER, Block

STORY = [
    "FRESNO, Jan 16 (Reuters) - The county council approved a plan on Wednesday to pump "
    "water from the river into the aquifer during wet winters, ending a decade of dispute.",
    "The plan, which passed by four votes to one, lets growers take part of the winter flow "
    "and stores it underground, where it can be drawn on during summer droughts.",
    "Council members said the scheme would cost about $40 million over ten years, paid for "
    "by a fee on every acre-foot of water that farms draw from the basin.",
    "Environmental groups welcomed the vote but said they would watch how much of the river "
    "is left for salmon in dry years, when the flow is already low.",
]
OTHER_LEADS = [
    "SACRAMENTO, Jan 15 (Reuters) - California regulators on Tuesday proposed cutting water "
    "deliveries to farms by a fifth after the driest autumn on record.",
    "LOS ANGELES, Jan 15 (Reuters) - The city's water agency said on Tuesday it would raise "
    "rates by 8 percent to pay for new pipelines and storage.",
    "SAN DIEGO, Jan 14 (Reuters) - A desalination plant that cost $1 billion began delivering "
    "water on Monday, supplying about a tenth of the county's needs.",
]


def _labelled(texts: list[str], rules: list[str]) -> list[Block]:
    blocks = [Block(i, t) for i, t in enumerate(texts)]
    for block, rule in zip(blocks, rules):
        block.rule = rule
        if rule == "off_topic":
            block.kind, block.noise, block.score = TEASER, True, 0.7
        else:
            block.score = 0.9
    return blocks


def test_features_read_shape_runs_and_place_around_the_core() -> None:
    texts = [
        "Water plan approved",
        *STORY,
        "More stories",
        *OTHER_LEADS,
        "1. Dam plan stalls",
        "2. Drought deepens",
        "3. Growers sue state",
    ]
    rules = ["header", *["core"] * 4, "off_topic", *["on_topic"] * 3, *["off_topic"] * 3]
    blocks = _labelled(texts, rules)
    vectors = np.zeros((len(texts), 4))
    vectors[1:5, 0] = 1.0  # the story's blocks point one way,
    vectors[6:9, 1] = 1.0  # the other stories another
    names, rows = page_features([Segment(t) for t in texts], blocks, vectors)
    column = {name: rows[:, names.index(name)] for name in names}

    assert rows.shape == (len(texts), len(names))
    assert column["dateline_lead"][[1, 6, 7, 8]].tolist() == [1.0] * 4
    assert column["dateline_lead"][[2, 5, 9]].tolist() == [0.0] * 3
    assert column["log_shape_run"][6] == pytest.approx(np.log(3))
    assert column["numbered_run"][9:12].tolist() == [1.0, 1.0, 1.0]
    assert column["leading_number"][9] == 1.0 and column["leading_number"][5] == 0.0
    assert column["before_core"][0] == 1.0 and column["after_core"][6] == 1.0
    assert column["after_core"][3] == 0.0 and column["before_core"][3] == 0.0
    assert column["similarity"][2] == pytest.approx(1.0)
    assert column["similarity"][7] == pytest.approx(0.0)
    assert column["embedded"][0] == 0.0 and column["embedded"][1] == 1.0
    assert column["rule_core"][1:5].tolist() == [1.0] * 4
    assert column["rule_noise"][5] == 1.0 and column["next1_rule_noise"][4] == 1.0
    assert column["prev1_prose"][6] == 0.0 and column["prev2_prose"][6] == 1.0
    assert column["html"].max() == 0.0  # plain text lines


def test_features_read_the_markup_on_html() -> None:
    segments = [
        Segment("Water plan approved", tag="h1", in_main=True),
        Segment(STORY[0], tag="p", in_main=True),
        Segment("Drought deepens", tag="li", link_density=1.0, in_chrome=True),
    ]
    blocks = _labelled([s.text for s in segments], ["header", "core", "off_topic"])
    names, rows = page_features(segments, blocks, np.zeros((3, 4)))
    column = {name: rows[:, names.index(name)] for name in names}
    assert column["heading_tag"].tolist() == [1.0, 0.0, 0.0]
    assert column["list_tag"].tolist() == [0.0, 0.0, 1.0]
    assert column["link_density"][2] == 1.0 and column["in_chrome"][2] == 1.0
    assert column["in_main"].tolist() == [1.0, 1.0, 0.0]


def test_features_of_an_empty_page_have_the_same_columns() -> None:
    names, rows = page_features([], [], np.zeros((0, 4)))
    full, _ = page_features([Segment("A line.")], [Block(0, "A line.")], np.zeros((1, 4)))
    assert names == full and rows.shape == (0, len(names))


def test_the_json_model_predicts_as_the_fitted_trees(tmp_path) -> None:
    from sklearn.ensemble import GradientBoostingClassifier

    generator = np.random.default_rng(0)
    rows = generator.normal(size=(400, 3))
    labels = rows[:, 0] + 0.5 * rows[:, 1] * rows[:, 2] > 0
    model = fit(["a", "b", "c"], rows, labels, trees=30)
    model.save(tmp_path / "model.json")
    loaded = BlockModel.load(tmp_path / "model.json")
    reference = GradientBoostingClassifier(
        n_estimators=30, max_depth=3, learning_rate=0.1, subsample=0.8, random_state=0
    ).fit(rows, labels.astype(int))
    expected = reference.predict_proba(rows)[:, 1]
    np.testing.assert_allclose(
        loaded.article_probability(["a", "b", "c"], rows), expected, atol=1e-4
    )
    # columns in another order are matched by name
    swapped = loaded.article_probability(["c", "a", "b"], rows[:, [2, 0, 1]])
    np.testing.assert_allclose(swapped, expected, atol=1e-4)


def test_a_file_of_another_format_is_refused(tmp_path) -> None:
    from summarizer.errors import UserError

    path = tmp_path / "model.json"
    path.write_text('{"format": "pickle"}')
    with pytest.raises(UserError, match="not a block model"):
        BlockModel.load(path)


def test_site_folds_never_put_a_site_on_both_sides() -> None:
    sites = [f"site{i % 7}.com" for i in range(40)] + ["big.com"] * 15
    folds = site_folds(sites, folds=5)
    assert len(folds) == 5
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested.tolist()) == list(range(len(sites)))  # every page tested once
    for train, test in folds:
        assert not {sites[i] for i in train} & {sites[i] for i in test}


def test_decide_peels_the_stories_edges_up_to_the_tail_and_never_restores_flagged_ones() -> None:
    texts = ["By Jane Doe", "A story line.", "Other headline", "A quote.", STORY[1], "78,000"]
    rules = ["header", "core", "header", "off_topic", "on_topic", "tail"]
    blocks = _labelled(texts, rules)
    blocks[0].kind, blocks[0].noise, blocks[0].rule = "byline", True, "pattern"
    decide(blocks, np.array([0.9, 0.1, 0.1, 0.99, 0.6, 0.1]), drop_below=0.5)
    assert (blocks[0].kind, blocks[0].rule) == ("byline", "pattern")  # flagged: stays
    assert (blocks[1].kind, blocks[1].noise, blocks[1].rule) == ("boilerplate", True, LEARNED)
    assert (blocks[2].kind, blocks[2].noise, blocks[2].rule) == (TEASER, True, LEARNED)
    assert blocks[2].score == pytest.approx(0.9)
    assert (blocks[3].noise, blocks[3].rule) == (True, "off_topic")
    assert (blocks[4].noise, blocks[4].rule) == (False, "on_topic")  # over drop_below
    assert (blocks[5].kind, blocks[5].rule) == (ARTICLE, "tail")  # a line-up: the rules'


def test_decide_drops_nothing_inside_the_story() -> None:
    texts = ["Related: Other news today", *STORY, "More headlines here"]
    blocks = _labelled(texts, ["header", "core", "core", "core", "core", "on_topic"])
    decide(blocks, np.array([0.02, 0.9, 0.03, 0.04, 0.8, 0.01]), drop_below=0.1)
    assert [b.noise for b in blocks] == [True, False, False, False, False, True]
    assert [b.rule for b in blocks][2:4] == ["core", "core"]  # under 0.1, but inside


def test_decide_keeps_the_most_probable_block_of_a_story_it_would_drop_whole() -> None:
    blocks = _labelled(STORY[:3], ["core"] * 3)
    decide(blocks, np.array([0.01, 0.05, 0.02]), drop_below=0.1)
    assert [b.noise for b in blocks] == [True, False, True]


def test_the_shipped_model_loads() -> None:
    model = BlockModel.load(DEFAULT_MODEL)
    names, _ = page_features([], [], np.zeros((0, 4)))
    assert model.features == names and model.trees


def test_train_noise_learned_fits_and_saves_a_loadable_model(cli, tmp_path) -> None:
    records = []
    for n in range(12):
        lines = [f"Story {n}: the council votes on the water plan", *STORY, "More stories"]
        lines += [lead.replace("Jan 1", f"Feb {n + 1}") for lead in OTHER_LEADS]
        labels = ["article"] * 5 + ["boilerplate"] + ["teaser"] * 3
        records.append({"text": "\n".join(lines), "line_labels": labels})
    data = tmp_path / "pages.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = tmp_path / "model"
    result = cli("train", "noise", "--learned", "--train", str(data), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "learned:" in result.stdout
    model = BlockModel.load(out / "block_model.json")
    assert model.trees
    assert json.loads((out / "metrics.json").read_text())["eval_pages"] >= 1


def test_the_rules_flag_dateline_led_leads_of_other_stories(pipeline) -> None:
    """Full lead sentences of other stories under the story's own dateline style, on its
    topic, after the story: prose the span and similarity rules keep, flagged by default."""
    page = "\n".join(["Council approves river water plan", *STORY, *OTHER_LEADS])
    blocks = pipeline(page)[0].blocks
    leads = [b for b in blocks if b.text in OTHER_LEADS]
    assert len(leads) == len(OTHER_LEADS)
    assert all(b.noise and b.rule == "dateline_leads" for b in leads), [b.rule for b in leads]
    assert not any(b.noise for b in blocks if b.text in STORY)


def test_headlines_over_on_topic_leads_under_a_top_stories_heading_are_teasers(pipeline) -> None:
    """Headlines over lead paragraphs read like the story's own sections, and their leads
    are on its topic; the box's heading ends the story."""
    box = [
        "Drought forces farmers to sell cattle early",
        "Farmers in the valley are selling cattle months early as the drought dries up grass.",
        "Salmon run hits record low on the river",
        "Biologists counted fewer salmon returning to the river this autumn than ever before.",
        "Governor signs bill on groundwater pumping",
        "The new law requires every basin in the state to balance its pumping by 2040.",
    ]
    page = "\n".join(["Council approves river water plan", *STORY, "Top stories", *box])
    blocks = pipeline(page)[0].blocks
    assert all(b.noise for b in blocks if b.text in box)
    assert not any(b.noise for b in blocks if b.text in STORY)


def test_two_further_dateline_leads_are_other_stories() -> None:
    from summarizer.noise.structure import other_dateline_leads

    story = [Block(i, t) for i, t in enumerate(STORY)]
    one_more = [*story, Block(4, OTHER_LEADS[0])]
    assert other_dateline_leads(one_more) == set()  # a single one may be the story's
    listed = [*story, *(Block(4 + i, t) for i, t in enumerate(OTHER_LEADS))]
    assert other_dateline_leads(listed) == {4, 5, 6}
    quoted = [Block(0, 'He said: "We will not stop until the plan is passed in full."')] * 3
    assert other_dateline_leads(quoted) == set()  # a speaker is no dateline
    letters = [
        "DEAR ABBY: My husband and I were getting ready to sell the house we have lived in.",
        "DEAR WORRIED: Of course you should talk to him before the sale goes through.",
        "DEAR ABBY: My older sister has just told us she is moving across the country.",
        "DEAR SISTER: Tell her how much you will miss her, and offer to help her pack.",
    ]
    assert other_dateline_leads([Block(i, t) for i, t in enumerate(letters)]) == set()
    results = [
        f"{team} ({score}): Smith scored 19 points and Jones added two more in the win."
        for team, score in (("Heritage", "1-0"), ("Rockledge", "0-1"), ("Viera", "4-0"))
    ]
    assert other_dateline_leads([Block(i, t) for i, t in enumerate(results)]) == set()
    agencies = [t.replace("(Reuters)", "(AP)") for t in OTHER_LEADS]
    assert other_dateline_leads([*story, *(Block(4 + i, t) for i, t in enumerate(agencies))])


def test_interview_turns_and_a_box_above_the_story_are_no_other_leads() -> None:
    from summarizer.noise.structure import other_dateline_leads

    turns = [
        "L.A. WEEKLY: What is your short answer to people who ask what your work is about?",
        "ALEXA DOUGLAS: I try to position plants as storytellers, living archives of a city.",
        "FAMILY AFFAIR: Inside the kitchen of the couple who run the best diner in town.",
    ]
    story = [Block(i, t) for i, t in enumerate(STORY)]
    assert other_dateline_leads([*story, *(Block(4 + i, t) for i, t in enumerate(turns))]) == set()
    box = [Block(i, t, kind=TEASER) for i, t in enumerate(OTHER_LEADS[:2])]
    above = [*box, *(Block(2 + i, t) for i, t in enumerate(STORY))]
    assert other_dateline_leads(above) == set()  # the story's own lead stays its own


def test_the_learned_decision_runs_by_default_and_can_be_turned_off() -> None:
    from summarizer import Pipeline
    from summarizer.noise.learned import LearnedNoise

    default = Pipeline.from_config({"device": "cpu"}).noise
    assert isinstance(default, LearnedNoise) and default.drop_below == 0.05
    rules = Pipeline.from_config({"device": "cpu", "noise": {"learned": None}}).noise
    assert not isinstance(rules, LearnedNoise)


def test_the_learned_decision_drops_under_the_configured_probability(monkeypatch) -> None:
    from summarizer import Pipeline

    monkeypatch.setattr(
        BlockModel, "article_probability", lambda _, n, rows: np.full(len(rows), 0.07)
    )
    segments = [Segment(t) for t in STORY]
    seen = []
    for below in (0.05, 0.1):
        pipeline = Pipeline.from_config({"device": "cpu", "noise": {"learned_below": below}})
        vectors = pipeline.embedder.encode([s.text for s in segments])
        blocks = pipeline.noise([segments], [vectors])[0]
        seen.append(([b.rule == LEARNED for b in blocks], sum(not b.noise for b in blocks)))
    assert not any(seen[0][0])  # 0.07 is over the default 0.05
    assert sum(seen[1][0]) == len(STORY) - 1 and seen[1][1] == 1  # all but one block


def test_one_call_over_many_pages_decides_each_page_as_alone() -> None:
    """The trees run once over a call's blocks; an empty page between two must not shift
    the next page's probabilities."""
    from summarizer import Pipeline

    pipeline = Pipeline.from_config({"device": "cpu", "noise": {"learned_below": 0.5}})
    lines = ["Top stories", *STORY, *OTHER_LEADS, "Share this article"]
    pages = [[Segment(t) for t in lines], [], [Segment(t) for t in [*OTHER_LEADS, *STORY]]]
    vectors = [pipeline.embedder.encode([s.text for s in page]) for page in pages]
    together = pipeline.noise(pages, vectors)
    alone = [pipeline.noise([page], [v])[0] for page, v in zip(pages, vectors)]
    seen = [[(b.kind, b.rule, b.score) for b in page] for page in together]
    assert seen == [[(b.kind, b.rule, b.score) for b in page] for page in alone]
    assert together[1] == [] and any(b.rule == LEARNED for page in together for b in page)
