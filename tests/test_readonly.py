"""Questions never write: every read works on an index file (and folder) the process may not write.

Root ignores file modes, so the checks do not rely on chmod alone: the index is opened in SQLite's
read-only mode (a write raises), its bytes and mtime must not change and no write-ahead log may grow;
and the questions are asked once more by a process of an unprivileged user (nobody) when the tests run
as root, for whom the modes really forbid writing.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import main
from newsdesk.config import load_config
from newsdesk.desk import Desk

ROOT = Path(__file__).resolve().parents[1]
STANCE = "What does ISIS think of Pakistan?"
SEQUENCE = "What happened in Quetta, in order?"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, quetta_dir: Path) -> str:
    path = str(tmp_path_factory.mktemp("readonly") / "built.db")
    with Desk(path, load_config(db=path)) as desk:
        assert desk.ingest([str(quetta_dir)]).failed == 0
    return path


@pytest.fixture
def protected(built: str) -> Iterator[Path]:
    """A copy of the index in a folder anyone may enter, file and folder write-protected."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-ro-"))
    index = folder / "index.db"
    shutil.copyfile(built, index)
    index.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield index
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def fingerprint(index: Path) -> tuple[str, int, dict[str, int]]:
    """The file's bytes and mtime, and the size of every file beside it (a growing -wal is a write)."""
    beside = {p.name: p.stat().st_size for p in index.parent.iterdir() if p != index}
    return hashlib.sha256(index.read_bytes()).hexdigest(), index.stat().st_mtime_ns, beside


def unchanged(before: tuple[str, int, dict[str, int]], index: Path) -> None:
    digest, mtime, beside = fingerprint(index)
    assert (digest, mtime) == before[:2], "the index file was written"
    grown = {name: size for name, size in beside.items() if name.endswith("-wal") and size > 0}
    assert not grown and set(beside) <= set(before[2]) | {f"{index.name}-wal", f"{index.name}-shm"}, beside


def test_every_question_answers_on_a_write_protected_index_and_writes_nothing(protected: Path) -> None:
    before = fingerprint(protected)
    with Desk(protected, load_config(db=str(protected)), readonly=True) as desk:
        brief = desk.ask(STANCE)
        assert brief.answer and brief.relations, "answered from the stored analysis"
        assert desk.conflicts(None).conflicts
        assert desk.conflicts("Quetta bombing death toll").conflicts
        assert desk.relations("Islamic State", "Pakistan").events
        assert desk.actors(None)
        assert desk.stories(None) and desk.stories("Quetta")
        assert desk.timeline(SEQUENCE).entries
        assert desk.search("Quetta")
        assert not any("migrate" in note for note in brief.notes), "a current index needs nothing"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            desk.store.set_meta("probe", "a write must fail, not happen")
    unchanged(before, protected)


def test_read_commands_open_the_index_read_only(protected: Path) -> None:
    before = fingerprint(protected)
    runner = CliRunner()
    for args in (["ask", STANCE], ["conflicts"], ["relations", "Islamic State"], ["stories"], ["actors"],
                 ["timeline", SEQUENCE], ["search", "Quetta"], ["stats"]):
        result = runner.invoke(main, [args[0], "--db", str(protected), *args[1:]])
        assert result.exit_code == 0, (args, result.output)
        assert "warning" not in result.stderr
    unchanged(before, protected)


def test_a_stale_index_is_answered_as_stored_with_a_note_to_migrate(built: str, tmp_path: Path) -> None:
    folder = tmp_path / "stale"
    folder.mkdir()
    index = folder / "index.db"
    shutil.copyfile(built, index)
    with closing(sqlite3.connect(index)) as conn, conn:
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'claims_version'")
        for table in ("signatures", "copies", "story_members", "stories"):
            conn.execute(f"DELETE FROM {table}")
    index.chmod(0o444)
    folder.chmod(0o555)
    try:
        before = fingerprint(index)
        with Desk(index, load_config(db=str(index)), readonly=True) as desk:
            brief = desk.ask(STANCE)
            assert brief.answer
            notes = [n for n in brief.notes if "newsdesk migrate" in n]
            assert len(notes) == 2 and "claims" in notes[0] and "2 article(s)" in notes[1]
            assert desk.conflicts(None).conflicts, "the stored claims are used as they are"
        result = CliRunner().invoke(main, ["conflicts", "--db", str(index)])
        assert result.exit_code == 0
        assert result.stderr.count("newsdesk migrate") == 2 and result.stderr.count("warning:") == 2
        for listing in (["follow", "list"], ["watch", "list"]):  # listings write nothing either
            listed = CliRunner().invoke(main, [*listing, "--db", str(index)])
            assert listed.exit_code == 0 and "no " in listed.output, listed.output
        unchanged(before, index)
    finally:
        folder.chmod(0o755)


def test_loading_the_embedder_to_ask_records_nothing_in_an_empty_index(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    with Desk(path, load_config(db=str(path))) as desk:
        assert desk.embedder.name
        assert desk.store.get_meta("embedder") is None, "a reader wrote the embedder's name"
        desk.ingest([])
        assert desk.store.get_meta("embedder") == desk.embedder.name, "the writer records it"


def test_a_missing_index_is_read_as_an_empty_one_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with Desk(path, load_config(db=str(path)), readonly=True) as desk:
        assert desk.stats()["articles"] == 0 and desk.stories(None) == []
    assert not path.exists()
