"""Ingest with analysing worker processes (`ingest_workers`) stores what a one-process ingest stores.

Real RealTime QA articles, the real embedder and spaCy in real worker processes, real SQLite files;
the two indexes are compared through their full export (articles, sentences, passages, vectors,
claims, mentions, relations), so the order of writing and every analysed field count.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from itertools import islice
from pathlib import Path

import pytest

from newsdesk.analyze.embedding import get_embedder
from newsdesk.config import load_config
from newsdesk.eval.realtimeqa import iter_raw_articles
from newsdesk.ingest.parallel import parallel_ingest
from newsdesk.ingest.pipeline import ingest_documents
from newsdesk.model import RawDocument
from newsdesk.store.sqlite import SQLiteStore
from newsdesk.transfer import export_index
from tests.conftest import shared_path


def _documents() -> list[RawDocument]:
    docs = list(islice(iter_raw_articles(shared_path("data", "realtimeqa-dev"), ["20220617"]), 30))
    # The first text again, in a later chunk: known only once the first chunk is written.
    return [*docs, replace(docs[0], origin="again.jsonl:line 1")]


def _export(path: Path) -> list[dict]:
    store = SQLiteStore(path)
    try:
        out = io.StringIO()
        export_index(store, out)
    finally:
        store.close()
    return [json.loads(line) for line in out.getvalue().splitlines()[1:]]  # the header holds the export's time


def test_worker_processes_store_the_same_index_as_one_process(tmp_path: Path) -> None:
    name = load_config().embedder
    docs = _documents()
    alone = SQLiteStore(tmp_path / "one.db")
    try:
        expected = ingest_documents(docs, alone, get_embedder(name), batch_size=8)
    finally:
        alone.close()
    pooled = SQLiteStore(tmp_path / "workers.db")
    try:
        report = parallel_ingest(docs, pooled, workers=2, embedder_name=name, batch_size=8)
    finally:
        pooled.close()
    assert (report.read, report.added, report.known, report.failed) == (
        expected.read, expected.added, expected.known, expected.failed)
    assert report.known >= 1  # the repeated text
    one, workers = _export(tmp_path / "one.db"), _export(tmp_path / "workers.db")
    assert len(one) == expected.added
    assert sum(len(r["relations"]) for r in one) > 0
    assert workers == one


def test_no_workers_is_refused_with_the_setting_named(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "index.db")
    try:
        with pytest.raises(ValueError, match="ingest_workers"):
            parallel_ingest([], store, workers=0, embedder_name=load_config().embedder)
    finally:
        store.close()


def test_the_cli_ingests_with_the_ingest_workers_setting_and_reports_bad_lines(tmp_path: Path) -> None:
    records = [
        {"title": "Ferry terminal approved", "text": "The harbour board approved a new ferry terminal on Tuesday. "
                                                      "Work will begin in the spring, the board said."},
        '{"title": "Cut off", "text": "The export ended in the mid',
        {"title": "Library", "text": "The town library reopened on Saturday. Volunteers dried four thousand books."},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "index.db"
    env = {**os.environ, "NEWSDESK_INGEST_WORKERS": "2", "NEWSDESK_BATCH_SIZE": "1"}
    result = subprocess.run([str(Path(sys.executable).parent / "newsdesk"), "ingest", "--db", str(db), "-q", str(feed)],
                            capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"error: {feed}:line 2: malformed JSON" in result.stderr
    assert result.stdout.strip() == "read 2, added 2, already known 0, failed 1"
    store = SQLiteStore(db)
    try:
        assert {store.article(aid).title for aid in store.article_ids()} == {"Ferry terminal approved", "Library"}
    finally:
        store.close()
