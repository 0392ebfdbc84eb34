"""One re-extraction routine, run by the writer: `newsdesk migrate` and the next ingest bring a stale index
up to date, and what they store equals what a fresh index stores."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsdesk.analyze.claims import CLAIMS_VERSION
from newsdesk.analyze.relations import RELATIONS_VERSION
from newsdesk.analyze.steps import DEFAULT_ANALYSIS, steps_named
from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.ingest.migrate import NOT_RUN
from newsdesk.store.open import open_store


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path) -> str:
    path = str(tmp_path_factory.mktemp("migrate") / "fresh.db")
    with Desk(path, load_config(db=path)) as desk:
        assert desk.ingest([str(quetta_dir)]).failed == 0
    return path


def analysis(db: str) -> dict[str, Any]:
    """Everything the analysis steps and the organiser stored, comparable between two indexes."""
    store = open_store(db, readonly=True)
    try:
        ids = store.article_ids()
        return {"claims": store.claims(), "mentions": store.mentions(ids), "relations": store.article_relations(ids),
                "copies": store.copy_originals(ids), "stories": sorted(store.story_ids(ids).items()),
                "claims_version": store.get_meta("claims_version"),
                "relations_version": store.get_meta("relations_version")}
    finally:
        store.close()


def make_stale(fresh: str, path: Path, *, claims: bool = True, actors: bool = True, stories: bool = True) -> str:
    """A copy of `fresh` as an index made by older rules (results gone, versions old) and never organised."""
    shutil.copyfile(fresh, path)
    with closing(sqlite3.connect(path)) as conn, conn:
        if claims:
            conn.execute("DELETE FROM claims")
            conn.execute("UPDATE meta SET value = 'older' WHERE key = 'claims_version'")
        if actors:
            conn.execute("DELETE FROM mentions")
            conn.execute("DELETE FROM relations")
            conn.execute("UPDATE meta SET value = '0' WHERE key = 'relations_version'")
        if stories:
            for table in ("signatures", "copies", "story_members", "stories"):
                conn.execute(f"DELETE FROM {table}")
    return str(path)


def test_migrate_command_redoes_stale_steps_and_stories_as_a_fresh_index_has_them(fresh: str, tmp_path: Path) -> None:
    stale = make_stale(fresh, tmp_path / "stale.db")
    before = analysis(stale)
    assert before["claims"] == [] and before["mentions"] == [] and before["stories"] == []
    result = CliRunner().invoke(main, ["migrate", "--db", stale, "-q"])
    assert result.exit_code == 0, result.output
    assert "re-extracted claims of 2 article(s), actors of 2 article(s); organised 2 article(s)" in result.output
    after = analysis(stale)
    assert after == analysis(fresh)
    assert (after["claims_version"], after["relations_version"]) == (CLAIMS_VERSION, RELATIONS_VERSION)
    again = CliRunner().invoke(main, ["migrate", "--db", stale, "-q"])
    assert "re-extracted nothing; organised 0 article(s)" in again.output, "once only"


def test_the_next_ingest_brings_stale_claims_up_to_date(fresh: str, tmp_path: Path, quetta_dir: Path) -> None:
    stale = make_stale(fresh, tmp_path / "stale.db", actors=False, stories=False)
    with Desk(stale, load_config(db=stale)) as desk:
        report = desk.ingest([str(quetta_dir)])  # nothing new: only the catch-up writes
        assert (report.added, report.known) == (0, 2)
    assert analysis(stale) == analysis(fresh)


def test_an_ingest_without_a_step_leaves_it_missing_until_migrated(fresh: str, tmp_path: Path,
                                                                   quetta_dir: Path) -> None:
    path = str(tmp_path / "claims-only.db")
    with Desk(path, load_config(db=path, analysis=["claims"])) as desk:
        desk.ingest([str(quetta_dir)])
        assert desk.pending_work() == [], "the configured steps are current"
    partial = analysis(path)
    assert partial["mentions"] == [] and partial["relations_version"] == NOT_RUN
    assert partial["claims"] == analysis(fresh)["claims"]
    with Desk(path, load_config(db=path), readonly=True) as desk:
        assert any("actors" in note and "newsdesk migrate" in note for note in desk.pending_work())
        assert desk.migrate().redone == {"actors": 2}
        assert desk.pending_work() == []
    assert analysis(path) == analysis(fresh)


def test_steps_are_chosen_by_name_in_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_config().analysis == DEFAULT_ANALYSIS == ("claims", "actors")
    monkeypatch.setenv("NEWSDESK_ANALYSIS", "actors, claims")
    assert [s.name for s in steps_named(load_config().analysis)] == ["actors", "claims"]
    monkeypatch.delenv("NEWSDESK_ANALYSIS")
    toml = tmp_path / "newsdesk.toml"
    toml.write_text('[newsdesk]\nanalysis = ["claims"]\n', encoding="utf-8")
    assert load_config(toml).analysis == ("claims",)
    with pytest.raises(ValueError, match="unknown analysis step 'stance'"):
        Desk(tmp_path / "x.db", load_config(analysis=["claims", "stance"]))
    assert not (tmp_path / "x.db").exists(), "refused before the index is opened"
