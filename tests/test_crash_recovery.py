"""A killed ingest loses at most its open batch, and a re-run completes the index exactly.

Also: readers are never blocked by a writer (WAL), so searching and asking work while
another process is ingesting or holds a write transaction.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.ingest.pipeline import ingest
from newsdesk.store.sqlite import SQLiteStore

NEWSDESK = str(Path(sys.executable).parent / "newsdesk")
ARTICLES = 400
REPEATS = 20  # records whose text repeats an earlier one at another URL: known, gain a location

TOWNS = ["Dorrick", "Marlow Bay", "Tarrow", "Kellsby", "Arnholt", "Brisk", "Coldharbour", "Evanton", "Fenwick"]
SUBJECTS = ["The council", "The harbour board", "Police", "The regional governor", "A union spokesman",
            "The fire service", "Local traders", "The rail agency", "Hospital staff", "The mayor"]
VERBS = ["announced", "rejected", "approved", "postponed", "criticised", "welcomed", "investigated", "funded"]
OBJECTS = ["a new ferry terminal", "the bridge repairs", "a wage agreement", "the flood defences",
           "a school extension", "the bus timetable", "a housing project", "the port expansion",
           "a safety inspection", "the library budget"]
TAILS = ["on Monday", "after a long debate", "despite protests", "at a packed meeting", "without a vote",
         "for the second time this year", "in a written statement", "ahead of the winter"]
OUTLETS = ["Harbour Times", "Evening Post", "Northern Gazette", "Valley Courier"]


def synthetic_corpus(path: Path) -> int:
    """~400 distinct English articles as JSON Lines (seeded, so every run writes the same file)."""
    rng = random.Random(20250916)
    records = []
    for n in range(ARTICLES):
        town = rng.choice(TOWNS)
        sentences = [
            f"{rng.choice(SUBJECTS)} in {town} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
            for _ in range(rng.randint(1, 2))
        ]
        figure = f"The figure quoted in report {n} was {rng.randint(2, 9000)} crowns."
        records.append({
            "title": f"{town}: story {n}", "text": " ".join(sentences) + "\n\n" + figure,
            "outlet": rng.choice(OUTLETS),
            "published": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "url": f"https://news.example/{n}", "language": "en",
        })
    for r in range(REPEATS):
        earlier = records[(r * 37) % ARTICLES]
        records.append({**earlier, "url": f"https://mirror.example/{r}"})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return ARTICLES


def committed_articles(db: Path) -> int:
    """Articles visible to a separate read-only connection (0 before the schema exists)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def vectors_by_passage(db: Path) -> dict[tuple[str, int], bytes]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {(aid, idx): blob for aid, idx, blob in conn.execute(
            "SELECT p.article_id, p.idx, v.vector FROM passages p JOIN passage_vectors v ON v.passage_id = p.id")}
    finally:
        conn.close()


@pytest.mark.slow  # ~10 s on an idle 2-core machine, 30 s under load: three ingests of the corpus
def test_killed_ingest_rerun_gives_the_same_index_as_a_clean_run(
        tmp_path: Path, embedder: Embedder, dump_index: Callable):
    corpus = tmp_path / "corpus.jsonl"
    total = synthetic_corpus(corpus)
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    env = {**os.environ, "NEWSDESK_BATCH_SIZE": "16"}
    proc = subprocess.Popen([NEWSDESK, "ingest", "--db", str(killed_db), "-q", str(corpus)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while committed_articles(killed_db) < 32 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before it could be interrupted; make the corpus bigger"
        # Another process searches while the ingest goes on, and finds what is committed so far.
        with Desk(killed_db, load_config(db=str(killed_db))) as desk:
            hits = desk.search("council approved the ferry terminal", limit=5)
            found = desk.store.articles([hit.passage.article_id for hit in hits])
        assert len(hits) == 5
        assert any("ferry terminal" in hit.passage.text for hit in hits)
        assert all(found[h.passage.article_id].text[h.passage.start:h.passage.end] == h.passage.text for h in hits)
        assert proc.poll() is None, "ingest finished while searching; make the corpus bigger"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = committed_articles(killed_db)
    assert 32 <= partial < total

    store = SQLiteStore(killed_db)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.check_integrity() == []
    assert len(store.article_ids()) == partial
    store.close()

    rerun = subprocess.run([NEWSDESK, "ingest", "--db", str(killed_db), "-q", str(corpus)], env=env,
                           capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"added {total - partial}," in rerun.stdout

    clean_store = SQLiteStore(clean_db)
    report = ingest([str(corpus)], clean_store, embedder)
    clean_store.close()
    assert (report.added, report.known, report.failed) == (total, REPEATS, 0)

    resumed = dump_index(killed_db)
    assert len(resumed["articles"]) == total
    assert len(resumed["locations"]) == total + REPEATS
    assert resumed == dump_index(clean_db)
    killed_vectors, clean_vectors = vectors_by_passage(killed_db), vectors_by_passage(clean_db)
    assert killed_vectors.keys() == clean_vectors.keys()
    for key, blob in killed_vectors.items():  # batches differ between the runs; embeddings must not
        assert np.allclose(np.frombuffer(blob, np.float16), np.frombuffer(clean_vectors[key], np.float16),
                           atol=2e-3), key
    store = SQLiteStore(killed_db)
    assert store.check_integrity() == []
    store.close()


def test_ask_answers_from_committed_data_while_another_connection_holds_a_write_transaction(
        tmp_path: Path, examples_dir: Path, embedder: Embedder):
    db = tmp_path / "index.db"
    with Desk(db, load_config(db=str(db))) as desk:
        assert desk.ingest([str(examples_dir)]).failed == 0
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM articles")  # uncommitted: readers must still see every article
    try:
        # A question that tried to write would fail: at once on its read-only connection, or with "database is
        # locked" after the busy timeout. No clock is read: a loaded machine is slow, not wrong.
        asked = subprocess.run([NEWSDESK, "ask", "--db", str(db), "--json", "What caused the fire at the plant?"],
                               capture_output=True, text=True, timeout=600)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert asked.returncode == 0, asked.stderr
    brief = json.loads(asked.stdout)
    assert brief["answer"]
    assert any("fire" in statement["text"].lower() for statement in brief["answer"])
