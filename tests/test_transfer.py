"""Export an index and import it elsewhere: the same briefs, stats, analysis and vectors, nothing re-analysed."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.analyze.embedding import Embedder
from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.render.jsonout import brief_dict
from newsdesk.store.sqlite import SQLiteStore
from newsdesk.transfer import ImportRefused, export_index, import_index

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [q for q in (ROOT / "examples" / "questions.txt").read_text(encoding="utf-8").splitlines() if q.strip()]


@pytest.fixture(scope="module")
def source_db(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, examples_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("source") / "source.db"
    with Desk(db, load_config(db=str(db))) as desk:
        report = desk.ingest([str(examples_dir)])
    assert report.added > 0 and report.failed == 0
    return db


@pytest.fixture(scope="module")
def exported(source_db: Path) -> str:
    out = io.StringIO()
    store = SQLiteStore(source_db, readonly=True)
    try:
        export_index(store, out)
    finally:
        store.close()
    return out.getvalue()


def _import(db: Path, text: str, **kwargs: object) -> object:
    store = SQLiteStore(db)
    try:
        return import_index(store, io.StringIO(text), source="dump.jsonl", **kwargs)  # type: ignore[arg-type]
    finally:
        store.close()


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


VECTORS = "SELECT p.article_id, p.idx, v.vector FROM passages p JOIN passage_vectors v ON v.passage_id = p.id " \
          "ORDER BY 1, 2"
CLAIMS = "SELECT * FROM claims ORDER BY article_id, value_start, id"
MENTIONS = ('SELECT article_id, sentence_idx, start, "end", actor, kind, part, how FROM mentions '
            "ORDER BY article_id, start, id")
RELATIONS = "SELECT * FROM relations ORDER BY article_id, start, trigger_start, id"


def _without_ids(rows: list[tuple]) -> list[tuple]:
    return [row[1:] for row in rows]


def test_round_trip_gives_the_same_index_briefs_and_vectors(
        tmp_path: Path, source_db: Path, exported: str, dump_index: Callable, embedder: Embedder) -> None:
    target = tmp_path / "target.db"
    report = _import(target, exported)
    header = json.loads(exported.splitlines()[0])
    assert report.failed == 0 and report.added == header["articles"] == len(exported.splitlines()) - 1  # type: ignore
    assert dump_index(target) == dump_index(source_db)
    assert _rows(target, VECTORS) == _rows(source_db, VECTORS)  # bit for bit
    assert _without_ids(_rows(target, CLAIMS)) == _without_ids(_rows(source_db, CLAIMS))
    assert _rows(target, MENTIONS) == _rows(source_db, MENTIONS)
    assert _without_ids(_rows(target, RELATIONS)) == _without_ids(_rows(source_db, RELATIONS))
    assert _rows(target, "SELECT * FROM meta ORDER BY key") == _rows(source_db, "SELECT * FROM meta ORDER BY key")
    with Desk(target, load_config(db=str(target))) as b:
        b.migrate()  # copies and stories are the receiving index's own, made by the writer as `newsdesk import` does
    with Desk(source_db, load_config(db=str(source_db))) as a, Desk(target, load_config(db=str(target))) as b:
        stats_a, stats_b = a.stats(), b.stats()
        for key in ("db", "bytes_on_disk"):
            stats_a.pop(key), stats_b.pop(key)
        assert stats_a == stats_b
        for question in QUESTIONS:
            assert brief_dict(a.ask(question)) == brief_dict(b.ask(question)), question


def test_importing_twice_adds_nothing_and_counts_every_article_as_known(tmp_path: Path, exported: str,
                                                                       dump_index: Callable) -> None:
    target = tmp_path / "target.db"
    first = _import(target, exported)
    before = dump_index(target)
    again = _import(target, exported, batch_size=3)
    assert again.added == 0 and again.known == first.added and again.failed == 0  # type: ignore[attr-defined]
    assert dump_index(target) == before


def test_bad_lines_are_reported_by_number_and_the_rest_is_imported(tmp_path: Path, exported: str) -> None:
    lines = exported.splitlines()
    record = json.loads(lines[2])
    record["sentences"][0] = [0, 10**9]
    lines[2] = json.dumps(record)  # line 3: offsets outside the text
    lines[3] = "{not json"  # line 4
    record = json.loads(lines[4])
    record["article"]["text"] += " changed"
    lines[4] = json.dumps(record)  # line 5: the text no longer matches its content address
    report = _import(tmp_path / "target.db", "\n".join(lines) + "\n")
    where = [e.origin for e in report.errors]  # type: ignore[attr-defined]
    assert where == ["dump.jsonl:3", "dump.jsonl:4", "dump.jsonl:5"]
    reasons = " | ".join(e.reason for e in report.errors)  # type: ignore[attr-defined]
    assert "outside the text" in reasons and "does not match its text" in reasons
    assert report.added == len(lines) - 1 - 3 and report.failed == 3  # type: ignore[attr-defined]


def test_a_truncated_export_imports_what_is_whole_and_says_it_was_cut(tmp_path: Path, exported: str) -> None:
    lines = exported.splitlines()
    cut = "\n".join(lines[:4]) + "\n" + lines[4][: len(lines[4]) // 2]
    report = _import(tmp_path / "target.db", cut)
    assert report.added == 3  # type: ignore[attr-defined]
    assert report.errors[0].origin == "dump.jsonl:5"  # type: ignore[attr-defined]
    assert "cut short" in report.errors[-1].reason  # type: ignore[attr-defined]
    assert report.failed == len(lines) - 1 - 3  # type: ignore[attr-defined]


def test_an_export_from_another_embedder_is_refused_before_anything_is_written(
        tmp_path: Path, source_db: Path, exported: str) -> None:
    lines = exported.splitlines()
    header = json.loads(lines[0])
    other = json.dumps({**header, "embedder": "multilingual-e5-small", "dim": 384})
    target = tmp_path / "target.db"
    with Desk(target, load_config(db=str(target))) as desk:
        desk.ingest([])  # a writer records the configured embedder in the new index (reading it does not)
    with pytest.raises(ImportRefused, match="multilingual-e5-small"):
        _import(target, "\n".join([other, *lines[1:]]))
    assert _rows(target, "SELECT count(*) FROM articles") == [(0,)]
    with pytest.raises(ImportRefused, match="not a newsdesk export"):
        _import(tmp_path / "other.db", "\n".join(lines[1:]))


def test_cli_export_and_import_move_an_index(tmp_path: Path, source_db: Path, dump_index: Callable) -> None:
    runner = CliRunner()
    dump = tmp_path / "dump.jsonl"
    result = runner.invoke(main, ["export", "--db", str(source_db), str(dump)])
    assert result.exit_code == 0, result.output
    target = tmp_path / "server.db"
    result = runner.invoke(main, ["import", "--db", str(target), str(dump)])
    assert result.exit_code == 0, result.output
    assert "failed 0" in result.output
    assert dump_index(target) == dump_index(source_db)
    result = runner.invoke(main, ["import", "--db", str(target), str(source_db)])
    assert result.exit_code == 1 and "not a newsdesk export" in result.output
