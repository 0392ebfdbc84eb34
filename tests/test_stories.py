"""Copies and stories: near-duplicates linked and counted once, stories grown incrementally, across languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.answer.stance import Event, stance_summary
from newsdesk.cli import main
from newsdesk.desk import Desk
from newsdesk.ingest.dedupe import CopyIndex, shingles, signature, similarity
from newsdesk.ingest.stories import StoryIndex, StoryItem
from newsdesk.model import Relation

DATA = Path(__file__).parent / "data" / "stories"
BATCH1, BATCH2 = str(DATA / "batch1.jsonl"), str(DATA / "batch2.jsonl")


def _by_title(desk: Desk) -> dict[str, str]:
    arts = desk.store.articles(desk.store.article_ids())
    return {a.title: a.id for a in arts.values()}


def _partition(desk: Desk) -> set[frozenset[str]]:
    """Stories as sets of titles: comparable between indexes whatever their story ids."""
    titles = {a.id: a.title for a in desk.store.articles(desk.store.article_ids()).values()}
    return {frozenset(titles[a] for a in s.article_ids) for s in desk.stories()}


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, embedder: object) -> Desk:
    d = Desk(tmp_path_factory.mktemp("stories") / "index.db")
    d.ingest([BATCH1])
    d.ingest([BATCH2])
    yield d
    d.close()


def test_edited_copy_with_another_first_paragraph_is_linked_to_its_original(desk: Desk) -> None:
    ids = _by_title(desk)
    original = ids["Fire at Marlow Bay textile factory kills 12"]
    copy = ids["Twelve dead in Halden Textiles factory fire"]
    assert desk.store.copy_originals([copy]) == {copy: original}
    assert desk.store.article_count() == 5  # the copy is kept: stored and citable
    assert desk.store.sentences(copy)


def test_unrelated_articles_and_translations_are_not_copies(desk: Desk) -> None:
    ids = _by_title(desk)
    others = [ids["Ostrava central bank raises rates again"], ids["Floods force thousands from homes in Vettra"],
              ids["Hochwasser zwingt Tausende in Vettra zur Flucht"]]
    assert desk.store.copy_originals(others) == {}


def test_copies_are_one_source_in_a_brief_listing_all_outlets(desk: Desk) -> None:
    ids = _by_title(desk)
    group = {ids["Fire at Marlow Bay textile factory kills 12"], ids["Twelve dead in Halden Textiles factory fire"]}
    brief = desk.ask("How many workers were killed in the Halden Textiles factory fire?")
    holding = [s for s in brief.sources if ({s.article_id} | {c["article_id"] for c in s.copies}) & group]
    assert len(holding) == 1
    listed = {holding[0].article_id} | {c["article_id"] for c in holding[0].copies}
    assert listed == group
    cited = {c.article_id: c.source for st in [*brief.answer, *brief.evidence] for c in st.citations}
    assert {n for aid, n in cited.items() if aid in group} == {holding[0].n}
    for st in [*brief.answer, *brief.evidence]:
        for c in st.citations:
            assert desk.store.article(c.article_id).text[c.start : c.end] == st.text


def test_a_brief_names_the_story_of_its_sources(desk: Desk) -> None:
    brief = desk.ask("How many workers were killed in the Halden Textiles factory fire?")
    assert brief.stories
    story = brief.stories[0]
    assert story.articles == 2 and story.sources == 1
    assert set(story.outlets) == {"Wire Service", "Northern Courier"}
    assert story.first_published == "2026-03-03" and story.last_published == "2026-03-04"
    assert story.cited_sources == [s.n for s in brief.sources if s.article_id in story_ids(desk, story.id)]


def story_ids(desk: Desk, story_id: int) -> set[str]:
    return set(desk.store.story_member_ids([story_id])[story_id])


def test_a_copy_never_stands_against_its_original_in_a_stance_count() -> None:
    rel = lambda aid: Relation(aid, 0, 0, 10, "Union", "Halden Textiles", "accuse", -0.6, "statement")  # noqa: E731
    event = Event("Union", "Halden Textiles", "accuse", -0.6, "statement", None, None, False,
                  [rel("original"), rel("copy"), rel("other")])
    assert stance_summary([event], "Union", "Halden").sources == 3
    assert stance_summary([event], "Union", "Halden", {"copy": "original"}).sources == 2


def test_translations_of_one_event_land_in_one_story_and_other_events_apart(desk: Desk) -> None:
    partition = _partition(desk)
    assert frozenset({"Floods force thousands from homes in Vettra",
                      "Hochwasser zwingt Tausende in Vettra zur Flucht"}) in partition
    assert frozenset({"Ostrava central bank raises rates again"}) in partition
    assert len(partition) == 3


def test_stories_grown_over_two_ingests_equal_a_one_shot_ingest(desk: Desk, tmp_path: Path) -> None:
    with Desk(tmp_path / "once.db") as once:
        once.ingest([BATCH1, BATCH2])
        assert _partition(once) == _partition(desk)
        assert {s.label for s in once.stories()} == {s.label for s in desk.stories()}


def test_an_index_from_before_stories_catches_up_when_migrated(desk: Desk, tmp_path: Path) -> None:
    with Desk(tmp_path / "old.db") as old:
        old.ingest([BATCH1, BATCH2])
        for table in ("signatures", "copies", "story_members", "stories"):
            old.store.conn.execute(f"DELETE FROM {table}")
        assert old.stories() == [], "a question does not organise"
        seen: list[tuple[str, int, int]] = []
        assert old.migrate(on_progress=lambda what, done, todo: seen.append((what, done, todo))).organized == 5
        assert seen == [("stories", 5, 5)]
        listed = old.stories()
        assert len(listed) == 3 and _partition(old) == _partition(desk)
        assert old.store.copy_originals(old.store.article_ids())


def test_stories_command_lists_stories_in_time_order_and_by_query(desk: Desk) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["stories", "--db", desk.db, "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["first_published"] for r in rows] == sorted(r["first_published"] for r in rows)
    assert len(rows) == 3
    result = runner.invoke(main, ["stories", "--db", desk.db, "--json", "--limit", "1", "central bank interest rate"])
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["label"] for r in rows] == ["Ostrava central bank raises rates again"]
    result = runner.invoke(main, ["stories", "--db", desk.db, "--since", "2026-04-01"])
    assert "Ostrava" in result.output and "Vettra" not in result.output


def test_near_copy_signatures_are_close_and_other_texts_far() -> None:
    text = " ".join(f"word{i}" for i in range(300))
    edited = "A new opening paragraph written by another desk. " + text.replace("word150", "changed")
    other = " ".join(f"term{i}" for i in range(300))
    assert similarity(signature(text), signature(edited)) > 0.8
    assert similarity(signature(text), signature(other)) < 0.1
    index = CopyIndex()
    assert index.add("a", signature(text)) == (None, 0.0)
    assert index.add("b", signature(other))[0] is None
    assert index.add("c", signature(edited))[0] == "a"


def test_text_without_spaces_is_shingled_by_characters() -> None:
    assert shingles("北京今天下雨了很大") == {"北京今天", "京今天下", "今天下雨", "天下雨了", "下雨了很", "雨了很大"}


def test_copies_giving_the_same_figure_are_one_version_and_a_changed_figure_is_still_shown() -> None:
    from newsdesk.analyze.claims import extract_claims
    from newsdesk.analyze.sentences import split_sentences
    from newsdesk.answer.conflicts import find_conflicts
    from newsdesk.model import Article

    body = ("A fire at the Halden Textiles factory in Marlow Bay killed 12 workers on Tuesday, the fire service said. "
            "The blaze started in the dyeing hall of the Halden Textiles plant in Marlow Bay.")
    original = Article("orig", body, "Marlow Bay factory fire", "Wire Service", "2026-03-03")
    copy = Article("copy", body.replace("the fire service said", "officials said"), "Marlow Bay factory fire",
                   "Courier", "2026-03-03")
    other = Article("other", body.replace("killed 12", "killed 15"), "Marlow Bay factory fire", "Gazette",
                    "2026-03-03")
    arts = {a.id: a for a in (original, copy, other)}
    claims = [c for a in arts.values() for c in extract_claims(a, split_sentences(a.id, a.text, "en"))]
    (apart,) = find_conflicts(claims, arts, {})
    (grouped,) = find_conflicts(claims, arts, {}, originals={"copy": "orig"})
    assert sorted(v.value for v in apart.versions) == ["12", "12", "15"]
    assert sorted(v.value for v in grouped.versions) == ["12", "15"]  # the copy's 12 counts once
    edited = Article("edited", body.replace("killed 12", "killed 14"), "Marlow Bay factory fire", "Courier",
                     "2026-03-03")
    pair = {"orig": original, "edited": edited}
    pair_claims = [c for a in pair.values() for c in extract_claims(a, split_sentences(a.id, a.text, "en"))]
    (changed,) = find_conflicts(pair_claims, pair, {}, originals={"edited": "orig"})
    assert sorted(v.value for v in changed.versions) == ["12", "14"]  # an edit that changes a fact is shown


def test_the_same_text_months_later_is_a_follow_up_not_a_copy() -> None:
    text = " ".join(f"word{i}" for i in range(300))
    index = CopyIndex()
    index.add("first", signature(text), "2026-01-05")
    assert index.add("months later", signature(text + " update"), "2026-05-05")[0] is None
    assert index.add("days later", signature(text + " update"), "2026-01-09")[0] == "first"


def test_deleting_a_story_label_article_leaves_the_story_named_by_a_remaining_member(tmp_path: Path) -> None:
    with Desk(tmp_path / "del.db") as d:
        d.ingest([BATCH2])
        (story,) = d.stories()
        assert story.articles == 2
        d.delete([story.label_article])
        (after,) = d.stories()
        assert after.articles == 1 and after.label_article != story.label_article
        assert after.label == d.article(after.label_article).title


def test_an_organiser_whose_indexes_went_stale_reloads_instead_of_overwriting(desk: Desk, tmp_path: Path) -> None:
    from newsdesk.ingest.organize import Organizer

    db = tmp_path / "two.db"
    with Desk(db) as first:
        first.ingest([BATCH1])
        organizer = Organizer(first.store)
        organizer._load()  # indexes as of batch 1
        with Desk(db) as second:
            second.ingest([BATCH2])  # another writer organises batch 2 meanwhile
        newest = first.store.conn.execute("SELECT id FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()[0]
        first.store.conn.execute("DELETE FROM signatures WHERE article_id = ?", (newest,))
        first.store.conn.execute("DELETE FROM story_members WHERE article_id = ?", (newest,))
        assert organizer.run() == 1
        assert _partition(first) == _partition(desk)


def test_a_copy_that_changed_a_figure_is_one_source_whose_outlets_disagree_in_the_brief(tmp_path: Path) -> None:
    records = [json.loads(line) for line in Path(BATCH1).read_text(encoding="utf-8").splitlines()][:2]
    records[1]["text"] = records[1]["text"].replace("Twelve workers were killed and 31 were injured",
                                                    "Thirteen workers were killed and 31 were injured")
    path = tmp_path / "edited.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Desk(tmp_path / "edited.db") as d:
        d.ingest([str(path)])
        assert len(d.store.copy_originals(d.store.article_ids())) == 1
        brief = d.ask("How many workers were killed in the Halden Textiles factory fire?")
        assert brief.answer
        assert len(brief.sources) == 1 and len(brief.sources[0].copies) == 1
        assert any({v.outlet for v in c.versions} == {"Wire Service", "Northern Courier"}
                   for c in brief.conflicts)


class _OneByOne(StoryIndex):
    """Stories compared one by one, as before the matrix product: the reference it must agree with."""

    def _near(self, vector, day):  # type: ignore[no-untyped-def]
        return [s for s in self.stories.values() if s.active_near(day)]


def test_placing_by_one_matrix_product_chooses_the_stories_comparing_one_by_one_did() -> None:
    """Many articles around a few topics, days apart, some undated or without a vector, some sharing names."""
    import numpy as np

    rng = np.random.default_rng(3)
    topics = rng.normal(size=(12, 64))
    items = []
    for i in range(600):
        vector = None
        if i % 37:
            raw = topics[i % 12] + rng.normal(scale=0.9, size=64)
            vector = (raw / np.linalg.norm(raw)).astype(np.float32)
        published = None if i % 23 == 0 else f"2026-0{1 + i % 3}-{1 + (i * 7) % 28:02d}"
        names = frozenset({f"name{i % 40}"}) if i % 2 else frozenset()
        items.append(StoryItem(f"a{i}", f"title {i}", vector, names, frozenset(), published, "outlet", "en"))
    fast, slow = StoryIndex([], {}), _OneByOne([], {})
    placed_fast = [fast.place(item) for item in items]
    placed_slow = [slow.place(item) for item in items]
    assert placed_fast == placed_slow
    assert 12 <= len(fast.stories) < len(items) / 2  # the case is not trivial: stories are joined and started


def test_organising_one_article_a_chunk_with_a_one_member_cache_gives_the_same_stories(
        desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Members read back from the store after the cache dropped them relabel stories as members held do."""
    from newsdesk.ingest import organize

    monkeypatch.setattr(organize, "CHUNK", 1)
    monkeypatch.setattr(organize, "CACHED_MEMBERS", 1)
    with Desk(tmp_path / "small.db") as small:
        small.ingest([BATCH1, BATCH2])
        assert _stories_with_labels(small) == _stories_with_labels(desk)


def _stories_with_labels(desk: Desk) -> set[tuple[str, frozenset[str]]]:
    titles = {a.id: a.title for a in desk.store.articles(desk.store.article_ids()).values()}
    return {(s.label, frozenset(titles[a] for a in s.article_ids)) for s in desk.stories()}
