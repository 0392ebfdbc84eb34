"""The timeline over a fictional story reported over several days (tests/timeline_articles.py):
real embedder, real SQLite file, the CLI and the brief of a sequence question."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.analyze.claims import extract_claims
from newsdesk.analyze.question import analyze_question
from newsdesk.analyze.sentences import split_sentences
from newsdesk.answer.timeline import event_sentences
from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Article, Filters, Timeline, TimelineEntry
from tests.timeline_articles import write_articles

QUERY = "What happened at the Brennholt dam?"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("timeline")
    path = str(folder / "index.db")
    with Desk(path, load_config(db=path)) as desk:
        report = desk.ingest([str(write_articles(folder))])
    assert report.failed == 0, report.errors
    return path


@pytest.fixture(scope="module")
def desk(db: str) -> Iterator[Desk]:
    with Desk(db, load_config(db=db)) as opened:
        yield opened


@pytest.fixture(scope="module")
def timeline(desk: Desk) -> Timeline:
    return desk.timeline(QUERY)


def entry_with(timeline: Timeline, words: str) -> TimelineEntry:
    found = [e for e in timeline.entries if words in e.statement.text]
    assert len(found) == 1, [e.statement.text for e in timeline.entries]
    return found[0]


def outlet_of(timeline: Timeline, n: int) -> str | None:
    return next(s.outlet for s in timeline.sources if s.n == n)


def test_entries_are_in_event_date_order_not_publication_order(timeline: Timeline) -> None:
    warning = entry_with(timeline, "warned of cracks")  # in the latest report, about the earliest event
    breach = entry_with(timeline, "gave way on Monday")
    evacuation = entry_with(timeline, "evacuated 400 residents")  # in the earliest report
    assert (warning.date, warning.basis) == ("2031-03-02", "stated")
    assert (breach.date, breach.basis) == ("2031-04-14", "relative")
    assert evacuation.date == "2031-04-15"
    assert warning.n < breach.n < evacuation.n
    dated = [e.date_end for e in timeline.entries if e.date_end]
    assert dated == sorted(dated)


def test_the_same_event_on_the_same_date_is_one_entry_citing_every_source(timeline: Timeline) -> None:
    breach = entry_with(timeline, "gave way on Monday")
    assert {outlet_of(timeline, c.source) for c in breach.statement.citations} == {"Riverside Courier", "Valley Times"}


def test_a_source_giving_another_day_is_kept_apart_and_flagged(timeline: Timeline) -> None:
    monday = entry_with(timeline, "gave way on Monday")
    sunday = entry_with(timeline, "gave way on Sunday")
    assert sunday.date == "2031-04-13"
    assert sunday.n in monday.differs and monday.n in sunday.differs
    assert any("different dates" in note for note in timeline.notes)


def test_a_relative_date_in_an_undated_article_stays_unresolved(timeline: Timeline) -> None:
    blog = entry_with(timeline, "Residents say")
    assert (blog.date, blog.basis, blog.expression) == (None, "unresolved", "Monday")
    assert "undated" in (blog.note or "")
    assert timeline.entries[-1] is blog  # unplaced entries come last


def test_german_reports_are_dated_by_their_own_words_and_merged_across_languages(timeline: Timeline) -> None:
    breach = entry_with(timeline, "gave way on Monday")
    german = [a for a in breach.statement.also if "am Montag gebrochen" in a.text]
    assert german and outlet_of(timeline, german[0].citations[0].source) == "Varna Rundschau"
    assert entry_with(timeline, "Gestern besichtigten").date == "2031-04-16"  # published 2031-04-17


def test_a_sentence_without_a_date_is_marked_as_dated_by_publication_only(timeline: Timeline) -> None:
    injured = entry_with(timeline, "12 people were injured")
    assert (injured.date, injured.basis) == ("2031-04-17", "published")


def test_every_entry_quotes_its_sources_verbatim(timeline: Timeline, desk: Desk) -> None:
    numbers = {s.n: s.article_id for s in timeline.sources}
    for entry in timeline.entries:
        for statement in [entry.statement, *entry.statement.also]:
            for c in statement.citations:
                assert numbers[c.source] == c.article_id
                assert desk.article(c.article_id).text[c.start:c.end] == statement.text


def test_filters_restrict_the_timeline(desk: Desk) -> None:
    german = desk.timeline(QUERY, Filters(languages=("de",)))
    assert german.entries and {s.language for s in german.sources} == {"de"}


def test_the_same_query_gives_the_same_timeline(desk: Desk, timeline: Timeline) -> None:
    assert desk.timeline(QUERY) == timeline


def test_an_empty_query_is_refused(desk: Desk) -> None:
    with pytest.raises(ValueError, match="empty"):
        desk.timeline("  ")


def test_the_day_the_claims_tie_to_the_event_dates_it_not_the_day_it_was_reported() -> None:
    text = ("The fire service said on Wednesday that the Orsk depot fire started on Tuesday. "
            "The mayor said on Wednesday that the depot would stay closed.")
    article = Article("a1", text, "Depot fire", published="2031-04-17", language="en")  # a Thursday
    sentences = split_sentences(article.id, text, "en")
    found = event_sentences([(s, 1.0) for s in sentences], {article.id: article},
                            extract_claims(article, sentences))
    by_text = {e.sentence.text[:12]: e.event for e in found}
    assert (by_text["The fire ser"].text, by_text["The fire ser"].low) == ("Tuesday", "2031-04-15")
    assert by_text["The mayor sa"].text == "Wednesday"  # a statement is an event of its own day


@pytest.mark.parametrize("question", [
    "What happened at the Brennholt dam?", "How did the Brennholt flood unfold?", "Timeline of the dam breach",
    "What led to the dam breach?", "Was ist am Staudamm passiert?", "Wie kam es zum Dammbruch?",
    "Que s'est-il passé à Brennholt ?", "Chronologie de la rupture du barrage", "¿Qué pasó en Brennholt?",
    "Cronología de la rotura de la presa", "布伦霍尔特大坝发生了什么？",
])
def test_questions_about_a_sequence_of_events_are_recognised(question: str) -> None:
    assert analyze_question(question).kind == "sequence"


@pytest.mark.parametrize("question", [
    "How many people were evacuated?", "When did the dam break?", "Who is responsible for the dam?",
])
def test_other_questions_are_not_sequences(question: str) -> None:
    assert analyze_question(question).kind != "sequence"


def test_a_sequence_question_gives_the_brief_a_timeline_citing_its_sources(desk: Desk) -> None:
    brief = desk.ask(QUERY)
    assert brief.question_type == "sequence" and brief.timeline
    numbers = {s.n: s.article_id for s in brief.sources}
    assert len(numbers) == len(brief.sources)
    for entry in brief.timeline:
        for c in entry.statement.citations:
            assert numbers[c.source] == c.article_id
            assert desk.article(c.article_id).text[c.start:c.end] == entry.statement.text
    assert not desk.ask("How many people were injured in Brennholt?").timeline


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_cli_timeline_json_follows_its_schema(db: str) -> None:
    code, out = run("timeline", "--db", db, "--json", QUERY)
    assert code == 0, out
    data = json.loads(out)
    assert data["schema"] == "newsdesk.timeline/1" and data["query"] == QUERY
    entry = data["entries"][0]
    assert set(entry) >= {"n", "date", "date_end", "precision", "basis", "expression", "differs", "text",
                          "citations", "also"}
    assert [e["date"] for e in data["entries"]][:2] == ["2031-03-02", "2031-04-13"]


def test_cli_timeline_prints_dates_citations_and_flags(db: str) -> None:
    code, out = run("timeline", "--db", db, QUERY)
    assert code == 0, out
    assert "2031-03-02 (March 2, 2031)" in out and "sources differ on the date" in out
    assert "not placed" in out and "published; no date in the text" in out and "Sources" in out
    code, markdown = run("timeline", "--db", db, "--markdown", "--lang", "de", QUERY)
    assert code == 0 and markdown.startswith("## Timeline:") and "Varna Rundschau" in markdown
    assert "Valley Times" not in markdown


def test_cli_ask_shows_the_timeline_section_for_a_sequence_question(db: str) -> None:
    code, out = run("ask", "--db", db, "--json", QUERY)
    assert code == 0, out
    assert json.loads(out)["timeline"]
    code, out = run("ask", "--db", db, QUERY)
    assert code == 0 and "\nTimeline\n" in out
    code, out = run("ask", "--db", db, "--markdown", QUERY)
    assert code == 0 and "**Timeline**" in out and "**2031-03-02 (March 2, 2031)**" in out


def test_an_empty_index_gives_an_empty_timeline_that_says_so(tmp_path: Path) -> None:
    code, out = run("timeline", "--db", str(tmp_path / "empty.db"), QUERY)
    assert code == 0 and "No dated events found." in out
    code, out = run("timeline", "--db", str(tmp_path / "empty.db"), "  ")
    assert code != 0 and "empty" in out


def test_cli_timeline_refuses_a_bad_date_filter(db: str) -> None:
    code, out = run("timeline", "--db", db, "--since", "not a date", QUERY)
    assert code != 0 and "--since" in out


def test_timeline_articles_file_is_json_lines(tmp_path: Path) -> None:
    lines = write_articles(tmp_path).read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["text"] for line in lines)
