"""What a question asks for, read from the sentence that asks; quotes naming the answer by description."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.analyze.question import analyze_question, answer_noun, question_kind
from newsdesk.answer.context import refers_by_description
from newsdesk.config import load_config
from newsdesk.desk import Desk


@pytest.mark.parametrize(("question", "noun"), [
    ("Which wildly popular show was recently green lit for a new season?", "show"),
    ("Which Ivy League school announced it will eliminate student loans?", "school"),
    ("Which two countries did the alliance formally invite to join?", "countries"),
    ("Which embattled celebrity was found liable in a sexual battery case?", "celebrity"),
    ("Supermarkets are struggling to stock which condiment, sparking outrage?", "condiment"),
    ("What NFL star announced his retirement on Tuesday?", "star"),
])
def test_answer_noun_is_the_thing_a_which_question_asks_for(question: str, noun: str) -> None:
    assert answer_noun(question, "en") == noun


@pytest.mark.parametrize("question", ["What is it called?", "Who won the election?", "How many people died?"])
def test_questions_without_a_which_noun_have_none(question: str) -> None:
    assert answer_noun(question, "en") is None


def test_answer_noun_is_only_read_from_english_questions() -> None:
    assert answer_noun("Welche Serie wurde verlängert?", "de") is None


def test_a_sentence_refers_by_description_when_a_determiner_leads_to_the_noun() -> None:
    assert refers_by_description("Netflix said the wildly popular South Korean show is back.", "show")
    assert refers_by_description("The shows earned several nominations.", "show")
    assert not refers_by_description("Harbor Lights leads the race with 25 nominations.", "show")
    assert not refers_by_description("A deal that would create a fifth-largest airline.", "airline")


@pytest.mark.parametrize(("question", "kind"), [
    ("Approximately how many cases are in the country as of this week?", "how_many"),
    ("Dozens of people were unaccounted for after severe flooding in which state?", "where"),
    ("NASA completed its first launch from a spaceport outside the US. Where did the launch occur?", "where"),
    ("A court ruled this week. How many months was her detention extended?", "how_many"),
    ("A poll was taken in the U.S. last week. Which company came first?", "who"),
    ("According to a survey, what percentage of adults disapprove of the ruling in Roe v. Wade?", "how_many"),
    ("According to the ministry, how soon could vaccines be available for children?", "when"),
    ("The tax agency announced it will do what this week?", "what"),
    ("When did the siege begin?", "when"),
])
def test_kind_is_read_from_the_sentence_that_asks(question: str, kind: str) -> None:
    assert question_kind(question, "en") == kind
    assert analyze_question(question).kind == kind


def test_a_quote_naming_the_answer_by_description_starts_at_the_sentence_that_names_it(tmp_path: Path) -> None:
    text = ("“Harbor Lights” is officially coming back.\n\n"
            "The streaming service announced Sunday that the wildly popular coastal drama show is renewed for a "
            "second season. Filming of the new episodes starts in the spring in three fishing towns.")
    other = ("Television critics met in Lisbon this week to discuss the future of streaming drama. "
             "Several panels looked at how a second season is planned and paid for.")
    folder = tmp_path / "in"
    folder.mkdir()
    for name, body in (("show", text), ("panel", other)):
        (folder / f"{name}.jsonl").write_text(json.dumps(
            {"title": f"{name} news", "outlet": name, "published": "2024-03-04", "text": body}) + "\n",
            encoding="utf-8")
    db = tmp_path / "index.db"
    with Desk(db, load_config(db=str(db))) as desk:
        assert desk.ingest([str(folder)]).added == 2
        brief = desk.ask("Which popular show was renewed for a second season?")
        quoted = [s for s in brief.answer if "renewed for a second season" in s.text]
        assert quoted, [s.text for s in brief.answer]
        assert quoted[0].text.startswith("“Harbor Lights” is officially coming back.")
        for citation in quoted[0].citations:
            assert desk.article(citation.article_id).text[citation.start:citation.end] == quoted[0].text
