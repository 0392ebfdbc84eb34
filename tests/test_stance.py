"""Stance answers: a brief's relations section, events counted once, the relations and actors commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.answer.stance import group_events, stance_summary
from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import Article, Brief, Relation, RelationEvent, StancePart
from newsdesk.render.jsonout import brief_dict
from newsdesk.render.terminal import render_markdown, render_terminal

QUESTION = "What does ISIS think of Pakistan?"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path, examples_dir: Path) -> str:
    path = tmp_path_factory.mktemp("stance") / "index.db"
    with Desk(path, load_config(db=str(path))) as desk:
        report = desk.ingest([str(quetta_dir), str(examples_dir)])
        assert report.failed == 0, report.errors
    return str(path)


@pytest.fixture(scope="module")
def desk(db: str) -> Desk:
    desk = Desk(db, load_config(db=db))
    yield desk
    desk.close()


@pytest.fixture(scope="module")
def isis_brief(desk: Desk) -> Brief:
    return desk.ask(QUESTION)


def assert_citations_quote_the_store(relations: list[StancePart | RelationEvent], brief: Brief, desk: Desk) -> None:
    numbers = {s.n: s.article_id for s in brief.sources}
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for item in events_of(relations):
        for c in item.citations:
            assert numbers[c.source] == c.article_id
            assert desk.article(c.article_id).text[c.start : c.end] == c.text


def events_of(relations: list[StancePart | RelationEvent]) -> list[RelationEvent]:
    return [r for r in relations if isinstance(r, RelationEvent)]


def stance_of(relations: list[StancePart | RelationEvent]) -> StancePart:
    assert isinstance(relations[0], StancePart), relations[0]
    return relations[0]


def test_isis_question_gets_a_hostile_label_with_counts(isis_brief: Brief, desk: Desk) -> None:
    stance = stance_of(isis_brief.relations)
    assert stance.kind == "stance"
    assert (stance.source_actor, stance.target_actor, stance.label) == ("Islamic State", "Pakistan", "hostile")
    assert stance.summary == "hostile: 2 attacks claimed, 0 friendly acts, in 2 sources"
    assert stance.counts == {"claim_responsibility": 2}
    assert_citations_quote_the_store(isis_brief.relations, isis_brief, desk)


def test_isis_brief_says_the_sources_hold_no_statement_of_its_own_views(isis_brief: Brief) -> None:
    note = stance_of(isis_brief.relations).note
    assert note is not None
    assert note.startswith("The sources hold no statement of Islamic State's own views on Pakistan")
    assert note in isis_brief.notes


def test_the_quetta_attack_claim_reported_by_two_outlets_is_one_event(isis_brief: Brief) -> None:
    claims = [r for r in events_of(isis_brief.relations) if r.action == "claim_responsibility"]
    assert len(claims) == 2
    main_attack = next(r for r in claims if r.anchor is None)
    assert len({c.article_id for c in main_attack.citations}) == 2, "one event listing both reports"
    assert next(r for r in claims if r.anchor == "august").target_part == "lawyers"


def test_lashkar_e_jhangvi_appears_as_the_officials_account_of_the_same_attack(isis_brief: Brief) -> None:
    others = [r for r in events_of(isis_brief.relations) if r.direction == "other_account"]
    lej = [r for r in others if r.source_actor == "Lashkar-e-Jhangvi"]
    assert lej and all(r.attributed and r.speaker == "Pakistan" for r in lej)


def test_brief_renders_a_relations_section(isis_brief: Brief) -> None:
    text = render_terminal(isis_brief)
    assert "Relations" in text and "hostile: 2 attacks claimed" in text
    assert "Islamic State claimed an attack on Pakistan (lawyers)" in text
    markdown = render_markdown(isis_brief)
    assert "**Relations**" in markdown
    data = brief_dict(isis_brief)
    json.dumps(data)
    assert data["relations"][0]["kind"] == "stance"


def test_relations_respect_the_date_filter(desk: Desk) -> None:
    from newsdesk.model import Filters

    brief = desk.ask(QUESTION, Filters(since="2030-01-01"))
    assert not events_of(brief.relations)


def test_union_stance_towards_the_company_is_read_from_its_own_statements(desk: Desk) -> None:
    brief = desk.ask("What does the Chemical and Port Workers' Union think of Halvard Chemicals?")
    stance = stance_of(brief.relations)
    assert stance.label == "unfriendly" and stance.own_statements >= 2
    assert stance.note is None, "the union's own words are in the sources"
    backward = [r for r in events_of(brief.relations) if r.direction == "backward"]
    assert {r.action for r in backward} == {"deny"}
    denial = backward[0]
    assert len(denial.citations) == 2, "the company's denial, reported twice, counts once"
    assert_citations_quote_the_store(brief.relations, brief, desk)


def test_relations_command_shows_the_stance_both_ways_and_a_timeline(db: str) -> None:
    result = CliRunner().invoke(main, ["relations", "--db", db, "ISIS", "Pakistan"])
    assert result.exit_code == 0, result.output
    assert "Islamic State → Pakistan: hostile: 2 attacks claimed" in result.output
    assert "Pakistan → Islamic State: unknown: no relations found" in result.output
    assert "Timeline" in result.output and "The Islamic State also claimed that attack" in result.output
    data = json.loads(CliRunner().invoke(main, ["relations", "--db", db, "--json", "Halvard Chemicals"]).output)
    actions = {(e["source_actor"], e["action"], e["target_actor"]) for e in data["events"]}
    assert ("Halvard Chemicals", "deny", "Chemical and Port Workers' Union") in actions
    assert ("Ruth Amsel", "demand", "Halvard Chemicals") in actions


def test_actors_command_lists_names_and_counts(db: str) -> None:
    result = CliRunner().invoke(main, ["actors", "--db", db, "ISIS"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Islamic State (armed_group):")
    assert "Amaq" in result.output and "Khorasan Province faction" in result.output
    everyone = json.loads(CliRunner().invoke(main, ["actors", "--db", db, "--json"]).output)
    by_actor = {a["actor"]: a for a in everyone}
    assert by_actor["Pakistan"]["names"]["Pakistani"] >= 1 and by_actor["Pakistan"]["kind"] == "state"
    assert [a["mentions"] for a in everyone] == sorted((a["mentions"] for a in everyone), reverse=True)


def test_unknown_actor_is_said_plainly(db: str) -> None:
    result = CliRunner().invoke(main, ["relations", "--db", db, "Atlantis"])
    assert result.exit_code == 0 and "names no actor 'Atlantis'" in result.output


def test_an_index_from_before_relations_is_filled_in_once(tmp_path: Path, quetta_dir: Path) -> None:
    path = tmp_path / "old.db"
    with Desk(path, load_config(db=str(path))) as desk:
        desk.ingest([str(quetta_dir)])
        desk.store.conn.execute("DELETE FROM relations")
        desk.store.conn.execute("DELETE FROM mentions")
        desk.store.set_meta("relations_version", "0")
        assert desk.migrate().redone == {"actors": 2}
        assert desk.migrate().redone == {}, "once"
        assert desk.store.relations(["Islamic State"], ["Pakistan"])


def test_reports_days_apart_are_different_events() -> None:
    def rel(aid: str) -> Relation:
        return Relation(aid, 0, 0, 10, "A", "B", "attack", -1.0, "action")

    articles = {aid: Article(aid, "x" * 10, "t", published=day)
                for aid, day in [("a", "2024-03-01"), ("b", "2024-03-02"), ("c", "2024-05-01"), ("d", None)]}
    events = group_events([rel("a"), rel("b"), rel("c"), rel("d")], articles)
    assert [[r.article_id for r in e.relations] for e in events] == [["a", "b", "d"], ["c"]]
    assert stance_summary(events, "A", "B").summary == "hostile: 2 attacks, 0 friendly acts, in 4 sources"


def test_a_stance_question_about_an_actor_the_index_never_names_is_answered_unknown(desk: Desk) -> None:
    brief = desk.ask("What does Nintendo think of the World Bank?")
    stance = [p for p in brief.relations if isinstance(p, StancePart)]
    assert len(stance) == 1 and stance[0].label == "unknown", "read as a stance question, with nothing found"
    assert any("names no actor 'Nintendo'" in n for n in brief.notes)


def test_a_meeting_reported_from_the_other_side_counts_for_both(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "visit.txt").write_text(
        "Lavrov in Pyongyang\n\nThe North Korean leader welcomed Russian Foreign Minister Sergey Lavrov to Pyongyang "
        "this week. The two sides discussed trade.\n", encoding="utf-8")
    path = tmp_path / "index.db"
    with Desk(path, load_config(db=str(path))) as desk:
        assert desk.ingest([str(folder)]).failed == 0
        brief = desk.ask("How does Russia view North Korea?")
    stance = stance_of(brief.relations)
    assert stance.label != "unknown" and "meeting" in stance.summary, stance.summary
    assert [e.direction for e in events_of(brief.relations)] == ["backward"], "listed as reported: North Korea's act"
