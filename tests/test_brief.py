"""End-to-end briefs over real articles, the real embedder and a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Brief, Filters
from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path) -> Desk:
    db = tmp_path_factory.mktemp("brief") / "index.db"
    desk = Desk(db, load_config(db=str(db)))
    report = desk.ingest([str(quetta_dir), str(EXAMPLES)])
    assert report.failed == 0, report.errors
    yield desk
    desk.close()


def _quetta_ids(desk: Desk) -> dict[str, str]:
    ids = {}
    for aid in desk.store.article_ids():
        art = desk.article(aid)
        if art and art.path and "quetta" in art.path:
            ids[Path(art.path).name[:3]] = aid
    return ids


def assert_faithful(brief: Brief, desk: Desk) -> None:
    """Every quoted line is the stored text at its citation, and every citation points at a listed source."""
    numbers = {s.n: s.article_id for s in brief.sources}
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for statement in [*brief.answer, *brief.evidence]:
        assert statement.citations
        for quoted in [statement, *statement.also]:
            for citation in quoted.citations:
                article = desk.article(citation.article_id)
                assert article is not None
                assert article.text[citation.start : citation.end] == quoted.text
                assert numbers[citation.source] == citation.article_id


def test_running_example_brief_cites_both_reports_and_quotes_the_claim(desk: Desk) -> None:
    question = shared_path("quetta", "question.txt").read_text(encoding="utf-8").strip()
    brief = desk.ask(question)
    assert_faithful(brief, desk)
    assert brief.question_type == "stance"
    ids = _quetta_ids(desk)
    cited = {c.article_id for s in [*brief.answer, *brief.evidence] for c in s.citations}
    assert {ids["000"], ids["003"]} <= cited, "both reports are cited"
    answer_text = " ".join(s.text for s in brief.answer)
    quoted = " ".join(s.text for s in [*brief.answer, *brief.evidence])
    assert "Amaq" in answer_text and "claimed responsibility" in answer_text
    assert "Khorasan Province faction" in quoted


def test_sources_list_title_outlet_and_path(desk: Desk) -> None:
    brief = desk.ask("What does ISIS think of Pakistan?")
    titles = {s.title for s in brief.sources}
    assert "Pakistan: IS is committed to attack on police school" in titles
    for source in brief.sources:
        assert source.path or source.url
        assert source.language == "en"


def test_how_many_question_quotes_numbers_from_both_reports(desk: Desk) -> None:
    brief = desk.ask("How many people were killed in the attack on the police training college in Quetta?")
    assert_faithful(brief, desk)
    quoted = " ".join(s.text for s in [*brief.answer, *brief.evidence])
    assert "61" in quoted and "60" in quoted


def test_unrelated_question_says_nothing_found_and_quotes_nothing(desk: Desk) -> None:
    brief = desk.ask("What is the recipe for a traditional Hungarian goulash with paprika?")
    assert brief.answer == [] and brief.evidence == [] and brief.sources == []
    assert brief.notes and "nothing is quoted" in brief.notes[0]


def test_example_question_answers_from_the_fictional_event(desk: Desk) -> None:
    brief = desk.ask("How many people died in the fire at the Halvard Chemicals plant in Marlow Bay?")
    assert_faithful(brief, desk)
    outlets = {s.outlet for s in brief.sources}
    assert len(outlets) >= 2, "several outlets are cited"
    assert any(ch.isdigit() for s in brief.answer for ch in s.text)


def test_outlet_filter_restricts_every_source(desk: Desk) -> None:
    brief = desk.ask("Who is blamed for the fire?", Filters(outlets=("The Northern Gazette",)))
    assert brief.sources
    assert {s.outlet for s in brief.sources} == {"The Northern Gazette"}


def test_date_filter_excludes_older_articles(desk: Desk) -> None:
    brief = desk.ask("How many people died in the Marlow Bay fire?", Filters(since="2025-09-17"))
    assert brief.sources
    assert all(s.published and s.published[:10] >= "2025-09-17" for s in brief.sources)


def test_same_question_gives_the_same_brief(desk: Desk) -> None:
    first = desk.ask("Who claimed responsibility for the attack in Quetta?")
    second = desk.ask("Who claimed responsibility for the attack in Quetta?")
    assert first == second


_WORDS = (
    "attack police Quetta Pakistan Islamic State claimed killed injured cadets officials fire plant union "
    "governor company evacuation lightning maintenance railway honey Afghanistan Amaq who what when where "
    "how many why did does think of the in at"
).split()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8))
def test_every_quoted_line_is_the_cited_span(desk: Desk, words: list[str]) -> None:
    brief = desk.ask(" ".join(words) + "?")
    assert_faithful(brief, desk)


def test_a_lead_with_a_wire_dateline_is_not_repeated_as_a_second_answer(tmp_path: Path) -> None:
    lead = "A record-breaking 18-foot Burmese python weighing 215 pounds has been captured in southern Florida."
    texts = {
        "herald": f"(WNS) {lead} Biologists tracked a male snake fitted with a radio transmitter to find her. "
                  "The team spent two years following the tagged males through the Everglades swamps.",
        "gazette": f"{lead} Conservancy staff said the female carried 122 developing eggs when she was caught. "
                   "Invasive pythons have eaten most of the small mammals in the national park, officials warned.",
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for outlet, text in texts.items():
        (folder / f"{outlet}.jsonl").write_text(
            json.dumps({"title": f"Giant python caught ({outlet})", "outlet": outlet, "published": "2022-07-01",
                        "text": text}) + "\n", encoding="utf-8")
    db = tmp_path / "index.db"
    with Desk(db, load_config(db=str(db))) as desk:
        assert desk.ingest([str(folder)]).added == 2
        brief = desk.ask("How heavy was the python captured in Florida?")
    holding = [s for s in [*brief.answer, *brief.evidence] if lead in s.text]
    assert len(holding) == 1, [s.text for s in brief.answer]
    assert any(lead in also.text for also in holding[0].also) or len(holding[0].citations) == 2


def test_every_line_carries_a_confidence_and_a_threshold_of_one_empties_the_answer(desk: Desk) -> None:
    question = "How many people were killed in the attack on the police training college?"
    brief = desk.ask(question)
    lines = [*brief.answer, *brief.evidence]
    assert lines and all(s.confidence is not None and 0.0 <= s.confidence <= 1.0 for s in lines)
    strict = Desk(desk.db, load_config(db=desk.db, answer_confidence="1"), readonly=True)
    try:
        unsure = strict.ask(question)
    finally:
        strict.close()
    assert unsure.answer == []
    assert any("answers this question directly" in note for note in unsure.notes)
    assert [s.text for s in unsure.evidence][:1] == [brief.answer[0].text]  # the closest evidence stays, first
