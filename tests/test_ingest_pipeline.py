"""The ingest pipeline end to end: real readers, the real embedder and real SQLite files."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.ingest.normalize import content_id
from newsdesk.ingest.pipeline import ingest
from newsdesk.model import Location
from newsdesk.store.sqlite import SQLiteStore

NEWSDESK = str(Path(sys.executable).parent / "newsdesk")

STORY = ("The harbour board approved a new ferry terminal on Tuesday after two years of debate.\n\n"
         "Work on the terminal will begin in the spring and should take eighteen months, the board said.")
OTHER = "Heavy rain flooded the valley road overnight. Crews had cleared it by noon on Wednesday."


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NEWSDESK, *args], input=stdin, capture_output=True, text=True, timeout=120)


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path):
    store = SQLiteStore(tmp_path / "index.db")
    yield store
    store.close()


def test_reingesting_the_examples_adds_nothing_and_leaves_the_content_unchanged(
        tmp_path: Path, examples_dir: Path, embedder: Embedder, dump_index: Callable):
    db = tmp_path / "index.db"
    store = SQLiteStore(db)
    first = ingest([str(examples_dir)], store, embedder)
    assert first.failed == 0, first.errors
    assert first.added > 0 and first.added == len(store.article_ids())
    dumped = dump_index(db)
    assert len(dumped["articles"]) == first.added
    second = ingest([str(examples_dir)], store, embedder)
    assert (second.read, second.added, second.known, second.failed) == (first.read, 0, first.added, 0)
    assert second.added_ids == []
    assert dump_index(db) == dumped
    assert store.check_integrity() == []
    store.close()


def test_same_text_in_two_records_is_one_article_listing_both_urls(
        tmp_path: Path, store: SQLiteStore, embedder: Embedder):
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"title": "Ferry terminal approved", "url": "https://one.example/ferry", "text": STORY},
        {"title": "Terminal gets go-ahead", "url": "https://two.example/news/42", "text": STORY},
    ])
    report = ingest([str(feed)], store, embedder)
    assert (report.read, report.added, report.known, report.failed) == (2, 1, 1, 0)
    [article_id] = store.article_ids()
    assert article_id == content_id(STORY)
    article = store.article(article_id)
    assert article.title == "Ferry terminal approved"  # the first record seen describes the article
    assert article.locations == [Location("https://one.example/ferry", str(feed)),
                                 Location("https://two.example/news/42", str(feed))]


def test_same_text_at_two_paths_and_in_a_later_run_gains_each_location(
        tmp_path: Path, store: SQLiteStore, embedder: Embedder):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "ferry.txt").write_text(STORY + "\n", encoding="utf-8")
    (folder / "b" / "copy.txt").write_text(STORY.replace("\n\n", "\n\n\n"), encoding="utf-8")  # same words
    report = ingest([str(folder)], store, embedder)
    assert (report.added, report.known, report.failed) == (1, 1, 0)
    later = tmp_path / "later.txt"
    later.write_text(STORY, encoding="utf-8")
    again = ingest([str(later)], store, embedder)
    assert (again.added, again.known, again.failed) == (0, 1, 0)
    [article_id] = store.article_ids()
    assert [loc.path for loc in store.article(article_id).locations] == [
        str(folder / "a" / "ferry.txt"), str(folder / "b" / "copy.txt"), str(later)]
    assert store.stats()["sentences"] == len(store.sentences(article_id)) > 0


def test_article_without_sentences_fails_naming_its_file_and_line(
        tmp_path: Path, store: SQLiteStore, embedder: Embedder):
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"title": "Rain", "text": OTHER},
        {"title": "Invisible", "text": "\u200b\u200b\u200b"},  # not whitespace to Python, yet no sentence
        {"title": "Ferry", "text": STORY},
    ])
    report = ingest([str(feed)], store, embedder)
    assert (report.read, report.added, report.failed) == (3, 2, 1)
    [error] = report.errors
    assert error.origin == f"{feed}:line 2"
    assert "no sentences" in error.reason
    assert sorted(store.article_ids()) == sorted([content_id(OTHER), content_id(STORY)])


def test_bad_files_each_fail_alone_naming_file_and_line_and_the_cli_exits_1(tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text(OTHER + "\n", encoding="utf-8")
    (folder / "b_image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "c_empty.txt").write_bytes(b"")
    write_jsonl(folder / "d_feed.jsonl", [
        {"title": "Ferry terminal approved", "url": "https://one.example/ferry", "text": STORY},
        '{"title": "Cut off", "text": "The export ended in the mid',
        {"title": "Library", "text": "The town library reopened on Saturday. Volunteers dried four thousand books."},
    ])
    db = tmp_path / "index.db"
    result = run_cli("ingest", "--db", str(db), "-q", str(folder))
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3, result.stderr
    assert any(e.startswith(f"error: {folder / 'b_image.png'}: binary file") for e in errors)
    assert any(e.startswith(f"error: {folder / 'c_empty.txt'}: empty") for e in errors)
    assert any(e.startswith(f"error: {folder / 'd_feed.jsonl'}:line 2: malformed JSON") for e in errors)
    assert result.stdout.strip() == "read 3, added 3, already known 0, failed 3"
    store = SQLiteStore(db)
    titles = {store.article(aid).title for aid in store.article_ids()}
    store.close()
    assert titles == {"Heavy rain flooded the valley road overnight", "Ferry terminal approved", "Library"}


def test_stdin_is_ingested_with_a_dash(tmp_path: Path):
    db = tmp_path / "index.db"
    result = run_cli("ingest", "--db", str(db), "-q", "-", stdin=STORY + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "read 1, added 1, already known 0, failed 0"
    store = SQLiteStore(db)
    article = store.article(content_id(STORY))
    store.close()
    assert article is not None
    assert article.text == STORY
    assert article.locations == [Location(None, None)]  # stdin has neither a path nor a URL


def test_the_configured_analysis_steps_fill_exactly_what_extraction_by_name_gives(embedder: Embedder,
                                                                                 quetta_dir: Path) -> None:
    """Claims and actors run through the step interface equal the extractors called directly, and a step
    left out of the configuration leaves its fields empty."""
    from newsdesk.analyze.claims import extract_claims
    from newsdesk.analyze.relations import annotate
    from newsdesk.analyze.steps import steps_named
    from newsdesk.ingest.normalize import normalize
    from newsdesk.ingest.pipeline import analyze_articles, iter_documents
    from newsdesk.model import AnalyzedArticle, RawDocument

    articles = [normalize(d) for d in iter_documents([str(quetta_dir)], 50_000_000) if isinstance(d, RawDocument)]
    stepped = analyze_articles(articles, embedder)
    direct = [AnalyzedArticle(i.article, i.sentences, [], None) for i in stepped]
    annotate(direct)
    assert [i.claims for i in stepped] == [extract_claims(i.article, i.sentences) for i in stepped]
    assert [(i.mentions, i.relations) for i in stepped] == [(i.mentions, i.relations) for i in direct]
    assert any(i.claims for i in stepped) and any(i.relations for i in stepped)
    claims_only = analyze_articles(articles, embedder, steps=steps_named(["claims"]))
    assert [i.claims for i in claims_only] == [i.claims for i in stepped]
    assert all(i.mentions == [] and i.relations == [] for i in claims_only)
