"""Delete keeps stories true: delete then ingest again gives the stories of an index that never deleted.

Stories grow one article at a time in the order articles were added, so what a deleted article shaped (the
story it started, the centroid later articles were compared with, the copies linked to it) must go with it.
The differential check: index A ingests a real collection, deletes an outlet and a few other articles and
ingests their files again; index B ingests the same files with the deleted ones last (the order A now holds
them in) and never deletes. Every story (members, size, centroid, label, dates, counters) and every copy link
must be the same, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.eval.realtimeqa import iter_raw_articles
from tests.conftest import shared_path
from tests.pg_server import drop_database, new_database, raw

ROOT = Path(__file__).resolve().parents[1]
RTQA_WEEK = "20220617"
RTQA_QUESTIONS = 4  # question groups of the week taken: enough for stories of several articles, quick to ingest
OUTLET = "The Northern Gazette"  # an outlet of examples/ deleted whole
ALSO_DELETED = ("evening_post_2025-09-16_union.txt", "000_db31efd76b5c4f36.txt")  # and these files' articles


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """examples/, the quetta articles and a few RealTime QA search results (one JSON Lines file a question)."""
    folder = tmp_path_factory.mktemp("rtqa")
    groups: dict[str, list[str]] = {}
    for doc in iter_raw_articles(shared_path("data", "realtimeqa-dev"), [RTQA_WEEK]):
        groups.setdefault(str(doc.metadata["question_id"]), []).append(json.dumps(
            {"text": doc.text, "url": doc.url, "title": doc.title, "published": doc.published}, ensure_ascii=False))
    for question in sorted(groups)[:RTQA_QUESTIONS]:
        (folder / f"{question}.jsonl").write_text("\n".join(groups[question]) + "\n", encoding="utf-8")
    return [*sorted((ROOT / "examples" / "articles").iterdir()), *sorted(shared_path("quetta", "articles").iterdir()),
            *sorted(folder.iterdir())]


def organisation(desk: Desk) -> dict[str, Any]:
    """Every story as stored (with its members) and every copy link, keyed by article ids, not row numbers."""
    store = desk.store
    states, members = store.story_states()
    by_story: dict[int, list[str]] = {}
    for aid, sid in members.items():
        by_story.setdefault(sid, []).append(aid)
    stories = {}
    for state in states:
        stories[frozenset(by_story.get(state.id, []))] = {
            "id": state.id, "label": state.label, "label_article": state.label_article,
            "first": state.first_published, "last": state.last_published, "size": state.size,
            "names": dict(state.names), "actors": dict(state.actors), "outlets": dict(state.outlets),
            "languages": dict(state.languages), "centroid": state.centroid}
    ids = store.article_ids_as_added()
    return {"stories": stories, "copies": store.copy_originals(ids), "articles": ids}


def assert_true_to_members(desk: Desk) -> None:
    """No empty story, sizes that count the members, labels naming a member, no row about a deleted article."""
    store = desk.store
    states, members = store.story_states()
    counts: dict[int, int] = {}
    for sid in members.values():
        counts[sid] = counts.get(sid, 0) + 1
    for state in states:
        assert counts.get(state.id, 0) == state.size > 0, state.label
        assert members.get(state.label_article) == state.id, state.label
    present = set(store.article_ids_as_added())
    assert set(members) == present
    for table, column in [("stories", "label_article"), ("copies", "original_id"), ("copies", "article_id"),
                          ("signatures", "article_id"), ("story_members", "article_id")]:
        assert not [v for (v,) in raw(store, f"SELECT {column} FROM {table}") if v not in present], (table, column)


def assert_same_organisation(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got["articles"] == want["articles"]  # the same articles in the same order: the premise of the check
    assert got["copies"] == want["copies"]
    assert set(got["stories"]) == set(want["stories"])
    for members, story in want["stories"].items():
        other = got["stories"][members]
        assert {k: v for k, v in other.items() if k != "centroid"} == {k: v for k, v in story.items()
                                                                    if k != "centroid"}
        assert (other["centroid"] is None) == (story["centroid"] is None)
        if story["centroid"] is not None:
            np.testing.assert_allclose(other["centroid"], story["centroid"], atol=1e-4)


def deleted_and_their_files(desk: Desk, files: list[Path]) -> tuple[list[str], list[Path]]:
    """The outlet's articles and those of ALSO_DELETED; the files that hold them (which hold nothing else)."""
    store = desk.store
    victims = set(store.article_ids(outlet=OUTLET))
    paths = {str(p) for p in files if p.name in ALSO_DELETED}
    rows = raw(store, "SELECT article_id, path FROM locations WHERE path IS NOT NULL")
    victims |= {aid for aid, path in rows if path in paths}
    holding = {path for aid, path in rows if aid in victims}
    assert not {aid for aid, path in rows if path in holding} - victims  # whole files, so B can hold them last
    return sorted(victims), [p for p in files if str(p) in holding]


def check_delete_then_reingest(db_a: str, db_b: str, files: list[Path]) -> None:
    with Desk(db_a, load_config(db=db_a)) as a:
        assert a.ingest([str(p) for p in files]).failed == 0
        victims, refiled = deleted_and_their_files(a, files)
        assert len(victims) >= 4 and len(refiled) >= 3
        assert a.delete(victims) == len(victims)
        assert_true_to_members(a)
        assert not set(victims) & {aid for members in organisation(a)["stories"] for aid in members}
        assert a.ingest([str(p) for p in refiled]).added == len(victims)
        assert_true_to_members(a)
        after = organisation(a)
    kept = [p for p in files if p not in refiled]
    with Desk(db_b, load_config(db=db_b)) as b:
        assert b.ingest([str(p) for p in kept]).failed == 0
        assert b.ingest([str(p) for p in refiled]).added == len(victims)
        never_deleted = organisation(b)
    assert_same_organisation(after, never_deleted)


def test_delete_then_reingest_gives_the_stories_of_an_index_that_never_deleted_on_sqlite(
        collection: list[Path], embedder: Embedder, tmp_path: Path) -> None:
    check_delete_then_reingest(str(tmp_path / "a.db"), str(tmp_path / "b.db"), collection)


@pytest.fixture
def two_pg_databases(pg_server: Any) -> Iterator[tuple[str, str]]:
    urls = new_database(pg_server), new_database(pg_server)
    yield urls
    for url in urls:
        drop_database(pg_server, url)


def test_delete_then_reingest_gives_the_stories_of_an_index_that_never_deleted_on_postgresql(
        collection: list[Path], embedder: Embedder, two_pg_databases: tuple[str, str]) -> None:
    check_delete_then_reingest(*two_pg_databases, collection)


def test_deleting_every_article_of_a_story_leaves_no_story_row(examples_dir: Path, embedder: Embedder,
                                                               tmp_path: Path) -> None:
    with Desk(tmp_path / "x.db") as desk:
        desk.ingest([str(examples_dir)])
        states, members = desk.store.story_states()
        biggest = max(states, key=lambda s: s.size)
        assert biggest.size > 1
        desk.delete([aid for aid, sid in members.items() if sid == biggest.id])
        assert_true_to_members(desk)
        assert len(desk.store.story_states()[1]) == desk.store.article_count() == len(members) - biggest.size
