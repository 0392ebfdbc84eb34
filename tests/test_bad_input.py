"""The bad-input defects of issue 22, each pinned: one bad character, byte or record loses only itself."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.analyze.embedding import Embedder
from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.pipeline import ingest, iter_documents
from newsdesk.ingest.reasons import is_plain
from newsdesk.model import RawDocument, ReadError
from newsdesk.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "Officials in the capital said the bridge would reopen on Friday after repairs were finished. "




def stored_rows(db: Path) -> list[tuple[str, str, str]]:
    import sqlite3
    return sqlite3.connect(db).execute("SELECT path, author, text FROM articles ORDER BY path").fetchall()


def test_a_lone_surrogate_in_metadata_or_text_is_replaced_and_the_batch_lands(
        tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps({"text": SENTENCE + "one", "author": "ab\udfffc",
                                                "\udc80key": "value"}) + "\n")
    (folder / "b.jsonl").write_text(json.dumps({"text": SENTENCE + "two \udfff end"}) + "\n")
    (folder / "c.txt").write_text("Good headline\n\n" + SENTENCE + "three")
    report = ingest([str(folder)], SQLiteStore(str(tmp_path / "x.db")), embedder)
    assert report.failed == 0 and report.added == 3
    rows = stored_rows(tmp_path / "x.db")
    assert [row[1] for row in rows] == ["ab\ufffdc", None, None]
    assert rows[1][2].endswith("two \ufffd end")


def test_an_rss_reference_to_no_character_marks_it_and_keeps_the_feed() -> None:
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T &#xDC00;</title>'
            f"<item><title>a &#xDC00; b</title><description>{SENTENCE}&#x110000;</description></item>"
            f"<item><title>ok</title><description>{SENTENCE} five</description></item></channel></rss>")
    path = "feed.xml"
    from newsdesk.ingest.readers import read_document
    docs = list(read_document(path, feed.encode()))
    assert [type(d) for d in docs] == [RawDocument, RawDocument]
    assert isinstance(docs[0], RawDocument) and docs[0].title == "a \ufffd b"


def test_utf8_with_one_stray_byte_stays_utf8() -> None:
    data = ("Headline\n\n" + SENTENCE + " — six").encode() + b"\xff" + " more — text".encode()
    assert decode_bytes(data, "x.txt").endswith("— six\ufffd more — text")


def test_heavily_damaged_utf8_is_refused_with_the_reason() -> None:
    data = bytearray((SENTENCE + "— é ü ").encode() * 20)
    for i in range(0, len(data), 9):
        data[i] = 0xFF
    with pytest.raises(ValueError, match=r"damaged UTF-8 text: [\d,]+ byte sequences do not decode"):
        decode_bytes(bytes(data), "x.txt")


def test_cp1252_text_with_a_single_dash_is_not_read_as_another_code_page() -> None:
    assert decode_bytes(("CNN \u2014\n\n" + SENTENCE).encode("cp1252"), "x.txt").startswith("CNN \u2014")


def _warc_with_short_length(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in (1, 2):
        page = f"<html><body><article><p>{SENTENCE * 4} Page {n}.</p></article></body></html>".encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://example.com/{n}", "response",
                                                      payload=io.BytesIO(page), http_headers=http))
    data = buffer.getvalue()
    match = re.search(rb"Content-Length: (\d+)\r\n", data)
    assert match is not None
    data = data[: match.start(1)] + str(int(match.group(1)) - 40).encode() + data[match.end(1):]
    path = tmp_path / "short.warc"
    path.write_bytes(data)
    return path


def test_a_warc_record_shorter_than_its_content_is_reported_not_stored_cut(tmp_path: Path) -> None:
    items = list(iter_documents([str(_warc_with_short_length(tmp_path))], 10**8))
    assert isinstance(items[0], ReadError) and "Content-Length is shorter" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].html is not None and "Page 2." in items[1].html


def _as_nobody(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` as an unprivileged user: root reads every folder, so permissions are tested as another user."""
    command = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=True)


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="newsdesk-perm-"))
    path.chmod(0o755)
    yield path
    for folder, _, _ in os.walk(path):
        os.chmod(folder, 0o755)
    shutil.rmtree(path)


def test_unreadable_folders_are_reported_last_in_the_walk_or_named_directly(world_readable_dir: Path) -> None:
    top = world_readable_dir / "top"
    (top / "a").mkdir(parents=True)
    (top / "a" / "one.txt").write_text(SENTENCE)
    (top / "z_locked").mkdir()
    (top / "z_locked" / "two.txt").write_text(SENTENCE)
    (top / "z_locked").chmod(0)
    top.chmod(0o755)
    (top / "a").chmod(0o755)
    (top / "a" / "one.txt").chmod(0o644)
    code = ("from newsdesk.ingest.sources import iter_inputs\n"
            f"for item in iter_inputs([{str(top)!r}, {str(top / 'z_locked')!r}]):\n"
            "    print(item if hasattr(item, 'reason') else item[0])\n")
    lines = _as_nobody(code).stdout.splitlines()
    assert lines[0].endswith("one.txt")
    assert "z_locked" in lines[1] and "permission denied" in lines[1]
    assert "z_locked" in lines[2] and "permission denied" in lines[2] and "contains no files" not in lines[2]
    assert len(lines) == 3


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "newsdesk.cli", *args], input=stdin, capture_output=True,
                          env=env, timeout=600)


def test_questions_that_are_not_utf8_or_empty_are_refused_plainly(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    for args in (["ask", "--db", db, os.fsdecode(b"bridge \xff")], ["search", "--db", db, os.fsdecode(b"\xff")],
                 ["search", "--db", db, "  "]):
        result = run_cli(*args)
        err = result.stderr.decode()
        assert result.returncode == 2 and "Traceback" not in err
        assert "not valid UTF-8" in err or "is empty" in err


def test_ask_batch_answers_every_good_line_around_an_undecodable_one(tmp_path: Path, examples_dir: Path) -> None:
    db = str(tmp_path / "b.db")
    assert run_cli("ingest", "--db", db, str(examples_dir)).returncode == 0
    result = run_cli("ask", "--db", db, "--batch", "-", stdin=b"What happened?\nbad \xff line\nWho said it?\n")
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()
    assert len(lines) == 3 and lines[1] == {"line": 2, "error": lines[1]["error"]}
    assert "not valid UTF-8" in lines[1]["error"]
    assert [lines[0]["question"], lines[2]["question"]] == ["What happened?", "Who said it?"]


@pytest.mark.parametrize("reason", ["'NoneType' object has no attribute 'html'", "chr() arg not in range(0x110000)",
                                    "feed could not be parsed (UnicodeEncodeError: 'utf-8' codec can't encode)"])
def test_raw_exception_texts_are_not_plain(reason: str) -> None:
    assert not is_plain(reason)
