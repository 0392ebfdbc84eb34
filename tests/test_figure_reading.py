"""Figures read as the text means them: a toll that has risen "after three workers died" is the toll, not three.

Fictional reports of one silo explosion (our own words), ingested into a real SQLite index with the real
embedder; the disputes are read from a brief and from `Desk.conflicts`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.analyze.claims.extract import extract_claims
from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.sentences import split_sentences
from newsdesk.answer.conflicts import parts_of_totals
from newsdesk.answer.events import profile, same_event
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Article

FIRST = {"title": "Four killed in blast at Kessler Mills grain silo", "outlet": "Dunmore Courier",
         "published": "2031-03-02T09:00:00+00:00",
         "text": "Four {who} were killed in an explosion at the Kessler Mills grain silo in Dunmore on Monday, the "
                 "fire service said.\n\nTwelve workers were taken to hospital with burns. The cause of the blast "
                 "was under investigation."}
LATER = {"title": "Kessler Mills silo blast toll rises to seven", "outlet": "Valley Wire",
         "published": "2031-03-03T10:00:00+00:00",
         "text": "The death toll from Monday's explosion at the Kessler Mills grain silo in Dunmore has risen to "
                 "seven after three workers died of their injuries in hospital, the fire service said.\n\n"
                 "Nine others remain in hospital."}
QUESTION = "How many people died in the Kessler Mills silo explosion?"


def desk_with(folder: Path, who: str) -> Desk:
    first = {**FIRST, "text": FIRST["text"].format(who=who)}
    (folder / "silo.jsonl").write_text("\n".join(json.dumps(r) for r in (first, LATER)) + "\n", encoding="utf-8")
    db = folder / "index.db"
    desk = Desk(db, load_config(db=str(db)))
    assert desk.ingest([str(folder / "silo.jsonl")]).failed == 0
    return desk


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Desk]:
    desk = desk_with(tmp_path_factory.mktemp("people"), "people")
    yield desk
    desk.close()


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Desk]:
    desk = desk_with(tmp_path_factory.mktemp("workers"), "workers")
    yield desk
    desk.close()


def test_the_figure_a_toll_has_risen_after_is_a_part_of_it_not_a_total() -> None:
    text = LATER["text"]
    article = Article("silo", text, LATER["title"])
    claims = extract_claims(article, split_sentences(article.id, text))
    killed = {c.value: c for c in claims if c.attribute == "killed"}
    assert {"7", "3"} <= set(killed)
    assert parts_of_totals(claims, {article.id: article}) == {killed["3"]}


def test_a_toll_given_as_brought_to_keeps_the_figures_that_brought_it_there_as_parts() -> None:
    text = "Two more miners died on Friday, bringing the toll from the collapse to eleven, officials said."
    article = Article("mine", text, "Mine toll")
    claims = extract_claims(article, split_sentences(article.id, text))
    parts = parts_of_totals(claims, {article.id: article})
    assert {c.value for c in parts} <= {"2"} and all(c.value != "11" for c in parts)


def test_two_figures_without_a_toll_are_both_kept() -> None:
    text = "Four people were killed in Kharkiv and three were killed in Kyiv, officials said."
    article = Article("two", text, "Strikes")
    claims = extract_claims(article, split_sentences(article.id, text))
    assert parts_of_totals(claims, {article.id: article}) == set()


def test_a_risen_toll_supersedes_the_earlier_total_not_the_deaths_that_raised_it(people: Desk) -> None:
    brief = people.ask(QUESTION)
    killed = [c for c in brief.conflicts if c.attribute.startswith("killed")]
    assert len(killed) == 1, [(c.attribute, c.note) for c in brief.conflicts]
    assert killed[0].classification == "superseded"
    assert killed[0].note is not None and killed[0].note.startswith("seven ") and "supersedes Four" in killed[0].note
    assert {v.value for v in killed[0].versions} == {"4", "7"}


def test_three_who_died_of_their_injuries_never_supersede_four_killed(workers: Desk) -> None:
    notes = [c.note or "" for c in [*workers.ask(QUESTION).conflicts, *workers.conflicts().conflicts]]
    assert not any(note.startswith("three") for note in notes), notes
    for conflict in workers.conflicts().conflicts:
        assert "3" not in {v.value for v in conflict.versions}


def test_a_toll_raised_by_workers_deaths_is_compared_with_the_earlier_count_of_workers(workers: Desk) -> None:
    killed = [c for c in workers.conflicts().conflicts if c.attribute == "killed (workers)"]
    assert len(killed) == 1 and killed[0].classification == "superseded"
    assert (killed[0].note or "").startswith("seven ") and "supersedes Four" in (killed[0].note or "")


def test_a_figure_opening_a_lead_is_not_a_name_two_disasters_share() -> None:
    silo = Article("silo", "Nine others remain in hospital after the blast at Kessler Mills in Dunmore.", "Silo blast")
    pit = Article("pit", "Nine miners were killed when a tunnel collapsed at the Carrow pit.", "Pit collapse")
    a, b = profile(silo, None), profile(pit, None)
    assert "nine" not in a.names and "nine" not in b.names
    assert not same_event(a, b)
