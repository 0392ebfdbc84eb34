"""Where sources disagree: real reports (the Quetta attack), our examples, and a fictional ferry disaster.

Real embedder, real SQLite files, no mocks: each corpus is ingested and the conflicts are
read from briefs and from `Desk.conflicts`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.answer.conflicts import find_conflicts
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Brief, ConflictEntry
from newsdesk.render.jsonout import brief_dict
from newsdesk.render.terminal import render_markdown, render_terminal


def open_desk(tmp: Path, *paths: Path) -> Desk:
    db = tmp / "index.db"
    desk = Desk(db, load_config(db=str(db)))
    report = desk.ingest([str(p) for p in paths])
    assert report.failed == 0, report.errors
    return desk


def by_attribute(conflicts: list[ConflictEntry], attribute: str) -> ConflictEntry:
    found = [c for c in conflicts if c.attribute == attribute]
    assert len(found) == 1, [c.attribute for c in conflicts]
    return found[0]


def values(conflict: ConflictEntry) -> set[tuple[str, str]]:
    return {(v.value, v.qualifier) for v in conflict.versions}


def assert_verbatim(conflicts: list[ConflictEntry], desk: Desk, sources: list[Any]) -> None:
    """Each version's text is the stored article text at every citation, under the brief's source numbers."""
    numbers = {s.n: s.article_id for s in sources}
    for conflict in conflicts:
        for version in conflict.versions:
            assert version.citations
            for c in version.citations:
                article = desk.article(c.article_id)
                assert article is not None
                assert article.text[c.start : c.end] == version.text
                assert numbers[c.source] == c.article_id


# --- the Quetta attack: two real reports -------------------------------------------------------------------


@pytest.fixture(scope="module")
def quetta(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, quetta_dir: Path) -> Iterator[Desk]:
    desk = open_desk(tmp_path_factory.mktemp("quetta"), quetta_dir)
    yield desk
    desk.close()


def quetta_ids(desk: Desk) -> dict[str, str]:
    return {Path(a.path or "").name[:3]: aid for aid in desk.store.article_ids() if (a := desk.article(aid))}


@pytest.fixture(scope="module")
def isis_brief(quetta: Desk) -> Brief:
    return quetta.ask("What does ISIS think of Pakistan?")


def test_quetta_brief_sets_60_against_at_least_61_killed(quetta: Desk, isis_brief: Brief) -> None:
    killed = by_attribute(isis_brief.conflicts, "killed")
    assert killed.classification == "differ"
    assert values(killed) == {("60", "exact"), ("61", "lower")}
    ids = quetta_ids(quetta)
    cited = {v.value: {c.article_id for c in v.citations} for v in killed.versions}
    assert cited == {"60": {ids["000"]}, "61": {ids["003"]}}
    assert any("killing 60 people" in v.text for v in killed.versions)
    assert any("at least 61" in v.phrase for v in killed.versions)
    assert_verbatim(isis_brief.conflicts, quetta, isis_brief.sources)


def test_quetta_brief_sets_three_injured_figures_side_by_side(quetta: Desk, isis_brief: Brief) -> None:
    injured = by_attribute(isis_brief.conflicts, "injured")
    assert injured.classification == "differ"
    assert values(injured) == {("120", "lower"), ("117", "exact"), ("100", "lower")}
    ids = quetta_ids(quetta)
    where = {v.phrase: v.citations[0].article_id for v in injured.versions}
    assert where == {"More than 120": ids["000"], "117": ids["003"], "more than 100": ids["003"]}
    speakers = {v.phrase: v.speaker for v in injured.versions}
    assert speakers["more than 100"] == "a senior security official"


def test_quetta_claim_of_islamic_state_contradicts_blame_and_no_claim(quetta: Desk, isis_brief: Brief) -> None:
    responsibility = by_attribute(isis_brief.conflicts, "responsibility")
    assert responsibility.classification == "contradict"
    got = {(v.value, v.polarity) for v in responsibility.versions}
    assert got == {("Islamic State", "affirmed"), ("Lashkar-e-Jhangvi", "affirmed"), ("none", "negated")}
    ids = quetta_ids(quetta)
    claimed_in = {c.article_id for v in responsibility.versions if v.value == "Islamic State"
                  for c in v.citations}
    assert claimed_in == {ids["000"], ids["003"]}
    (none,) = [v for v in responsibility.versions if v.value == "none"]
    assert none.text == "No group has claimed responsibility for the assault."
    assert none.citations[0].article_id == ids["003"]
    blamers = {v.speaker for v in responsibility.versions if v.value == "Lashkar-e-Jhangvi"}
    assert blamers == {"The military", "a senior security official"}


def test_quetta_agreeing_facts_are_not_disputes(quetta: Desk, isis_brief: Brief) -> None:
    attributes = {c.attribute for c in isis_brief.conflicts}
    assert attributes == {"killed", "injured", "responsibility"}
    for conflict in isis_brief.conflicts:  # three attackers, Quetta, the college: no version is about them
        assert conflict.attribute != "attackers"
    store = quetta.store
    ids = store.article_ids()
    every = find_conflicts(store.claims(ids), store.articles(ids), store.lead_vectors(ids), include_agreeing=True)
    attackers = [c for c in every if c.attribute == "attackers"]
    assert attackers and all(c.classification in ("agree", "compatible") for c in attackers)
    # Background events in the same report (Peshawar 2015, the lawyers in August) are other events.
    killed = [c for c in every if c.attribute == "killed" and "(" not in c.event]
    assert {v.value for c in killed for v in c.versions} == {"60", "61"}


def test_disputed_statements_carry_a_marker_in_json_and_terminal(isis_brief: Brief) -> None:
    data = brief_dict(isis_brief)
    marked = [s for s in data["answer"] + data["evidence"] if "conflict" in s]
    assert marked, "the IS claim quoted in the answer is disputed"
    ids = {c["id"] for c in data["conflicts"]}
    for statement in marked:
        conflict = next(c for c in data["conflicts"] if c["id"] == statement["conflict"])
        spans = {(c["article_id"], c["start"]) for v in conflict["versions"] for c in v["citations"]}
        assert {(c["article_id"], c["start"]) for c in statement["citations"]} & spans
    assert sorted(ids) == list(range(1, len(ids) + 1))
    json.dumps(data)
    text = render_terminal(isis_brief)
    assert "Where sources disagree" in text and "‡" in text
    assert text.index("Where sources disagree") < text.index("Sources\n")
    assert "| value | source |" in render_markdown(isis_brief)


# --- a fictional ferry disaster in three outlets, and a mine collapse in two ---------------------------------

FERRY = [
    {"title": "Twelve dead as ferry capsizes on Lake Orrin", "outlet": "Orrin Herald",
     "published": "2031-05-04T08:00:00+00:00",
     "text": "Twelve people died when the ferry Marta capsized on Lake Orrin near the town of Vessa on Sunday, "
             "police said.\n\nAbout 1,200 residents of the lakeside villages were evacuated as the storm grew.\n\n"
             "The Boatmen's Guild blamed Lakeline Transport for the disaster, saying the ferry carried twice its "
             "licensed load.\n\nThe Marta, built in 1998, was 42 metres long and had made the crossing at 9:30 a.m. "
             "every day since 2005."},
    {"title": "Ferry operator rejects overloading claims after Lake Orrin disaster", "outlet": "Vessa Daily",
     "published": "2031-05-04T18:00:00+00:00",
     "text": "At least 12 people were killed in the capsizing of the ferry Marta on Lake Orrin near Vessa, "
             "officials said on Sunday.\n\nLakeline Transport, which runs the ferry, rejected the Boatmen's Guild's "
             "accusations.\n\nSome 1.200 residents were evacuated from villages around the lake. The damage was "
             "estimated at 1.2 million crowns."},
    {"title": "Lake Orrin ferry death toll rises to 19", "outlet": "National Wire",
     "published": "2031-05-05T09:00:00+00:00",
     "text": "The death toll from Sunday's capsizing of the ferry Marta on Lake Orrin near Vessa has risen to 19, "
             "rescuers said on Monday.\n\nAbout 1 200 residents remain evacuated. The damage to the harbour at Vessa "
             "was put at 1,200,000 crowns by the port authority."},
]
MINE = [
    {"title": "Dunmoor mine collapse kills dozens", "outlet": "Karsk Times", "published": "2031-06-10T10:00:00+00:00",
     "text": "At least 61 people were killed when the Dunmoor mine collapsed near Karsk on Tuesday, the mines ministry "
             "said.\n\nRescue teams worked through the night."},
    {"title": "Rescuers end search at Dunmoor mine", "outlet": "Northern Courier",
     "published": "2031-06-11T10:00:00+00:00",
     "text": "The collapse of the Dunmoor mine near Karsk on Tuesday killed 61 people, rescuers said.\n\n"
             "The mine had been inspected in March."},
]


@pytest.fixture(scope="module")
def fictional(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Desk]:
    folder = tmp_path_factory.mktemp("fictional")
    (folder / "ferry.jsonl").write_text("\n".join(json.dumps(r) for r in FERRY) + "\n", encoding="utf-8")
    (folder / "mine.jsonl").write_text("\n".join(json.dumps(r) for r in MINE) + "\n", encoding="utf-8")
    desk = open_desk(folder, folder / "ferry.jsonl", folder / "mine.jsonl")
    yield desk
    desk.close()


def test_a_later_toll_supersedes_an_earlier_one_by_date(fictional: Desk) -> None:
    disputes = fictional.conflicts()
    killed = by_attribute(disputes.conflicts, "killed")
    assert killed.classification == "superseded"
    by_value = {(v.value, v.qualifier): v for v in killed.versions}
    assert by_value[("12", "exact")].superseded is True and by_value[("12", "exact")].outlet == "Orrin Herald"
    assert by_value[("19", "exact")].superseded is False
    assert by_value[("12", "lower")].superseded is False  # "at least 12" is still true of 19
    assert "19" in killed.note and "supersedes" in killed.note
    assert "ferry" in killed.event or "Lake Orrin" in killed.event
    assert_verbatim(disputes.conflicts, fictional, disputes.sources)


def test_a_denial_contradicts_the_accusation_it_answers(fictional: Desk) -> None:
    responsibility = by_attribute(fictional.conflicts().conflicts, "responsibility")
    assert responsibility.classification == "contradict"
    got = {(v.value, v.polarity, v.outlet) for v in responsibility.versions}
    assert got == {("Lakeline Transport", "affirmed", "Orrin Herald"),
                   ("Lakeline Transport (denied)", "denied", "Vessa Daily")}


def test_odd_number_formats_of_one_figure_agree(fictional: Desk) -> None:
    attributes = {c.attribute for c in fictional.conflicts().conflicts}
    assert "evacuated" not in attributes  # 1,200 / 1.200 / 1 200
    assert "amount:damage (crowns)" not in attributes  # 1.2 million / 1,200,000
    store = fictional.store
    ids = store.article_ids()
    every = find_conflicts(store.claims(ids), store.articles(ids), store.lead_vectors(ids), include_agreeing=True)
    evacuated = [c for c in every if c.attribute == "evacuated"]
    assert len(evacuated) == 1 and evacuated[0].classification == "agree"
    assert {v.phrase for v in evacuated[0].versions} == {"About 1,200", "Some 1.200", "About 1 200"}


def test_at_least_61_and_61_are_compatible_not_a_dispute(fictional: Desk) -> None:
    assert fictional.conflicts("Dunmoor mine collapse near Karsk").conflicts == []
    store = fictional.store
    ids = store.article_ids()
    every = find_conflicts(store.claims(ids), store.articles(ids), store.lead_vectors(ids), include_agreeing=True)
    mine = [c for c in every if c.attribute == "killed" and "Dunmoor" in c.event]
    assert len(mine) == 1 and mine[0].classification == "compatible"


def test_years_lengths_and_times_never_become_claims(fictional: Desk) -> None:
    for claim in fictional.store.claims():
        assert claim.value not in ("1998", "2005", "42", "09:30")


def test_a_brief_about_the_ferry_shows_its_disputes_and_not_the_mine(fictional: Desk) -> None:
    brief = fictional.ask("How many people died when the ferry capsized on Lake Orrin?")
    attributes = [c.attribute for c in brief.conflicts]
    assert attributes[0] == "killed" and "responsibility" in attributes
    assert all("Dunmoor" not in c.event for c in brief.conflicts)
    assert_verbatim(brief.conflicts, fictional, brief.sources)
    assert sorted(s.n for s in brief.sources) == list(range(1, len(brief.sources) + 1))


# --- the examples: a fire told by seven outlets ------------------------------------------------------------


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, examples_dir: Path) -> Iterator[Desk]:
    desk = open_desk(tmp_path_factory.mktemp("examples"), examples_dir)
    yield desk
    desk.close()


def test_examples_death_toll_is_superseded_by_the_later_six(examples: Desk) -> None:
    killed = by_attribute(examples.conflicts().conflicts, "killed")
    assert killed.classification == "superseded"
    got = {(v.value, v.qualifier, v.superseded) for v in killed.versions}
    assert ("4", "exact", True) in got and ("5", "lower", False) in got and ("6", "exact", False) in got
    assert killed.event.startswith("fire")


def test_examples_evacuation_figures_differ_and_the_cause_is_contested(examples: Desk) -> None:
    conflicts = examples.conflicts().conflicts
    evacuated = by_attribute(conflicts, "evacuated")
    assert evacuated.classification == "differ"
    assert {v.value for v in evacuated.versions} == {"2000", "3500"}
    speakers = {v.speaker for v in evacuated.versions}
    assert {"provincial government", "fire service"} <= speakers
    cause = by_attribute(conflicts, "responsibility")
    assert cause.classification == "contradict"
    got = {(v.value, v.polarity) for v in cause.versions}
    assert {("lightning strike", "affirmed"), ("undetermined", "negated"), ("Halvard Chemicals", "affirmed"),
            ("Halvard Chemicals (denied)", "denied")} <= got
    assert all(c.attribute != "killed (workers)" for c in conflicts)


def test_unrelated_articles_have_no_disputes(examples: Desk) -> None:
    brief = examples.ask("How much did it cost to rebuild the Tarrow Valley railway line?")
    assert brief.conflicts == []


def test_an_event_label_is_the_same_in_every_process() -> None:
    """Names tied on every count were ordered by set iteration, which Python randomises per process."""
    code = (
        "from newsdesk.answer.events import event_label\n"
        "from newsdesk.model import Article\n"
        "t = 'Officials said Alabama Monday Montgomery and Ohio Tuesday Dayton.'\n"
        "arts = [Article(id=str(i), text=t, title='Report', outlet='o', published=None, language='en', author=None,"
        " url=None, path=None, metadata={}, locations=[]) for i in range(2)]\n"
        "print(event_label(arts))\n"
    )
    labels = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": str(seed)},
                             capture_output=True, text=True, check=True).stdout for seed in range(6)}
    assert len(labels) == 1, labels
