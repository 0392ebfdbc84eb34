"""One fictional event (the Korvell dam failure) reported in en, de, fr, es and zh, plus unrelated news.

See tests/data/multilingual/README.md. The Spanish report gives 14 dead where the others give 11.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.analyze.claims import extract_claims
from newsdesk.analyze.claims.intl import _chinese_numeral
from newsdesk.analyze.question import analyze_question
from newsdesk.analyze.searchtext import searchable
from newsdesk.analyze.sentences import split_sentences
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.model import NO_FILTERS, Article, TermQuery
from newsdesk.render.terminal import render_terminal
from newsdesk.search import term_query
from newsdesk.store.sqlite import SQLiteStore

DATA = Path(__file__).parent / "data" / "multilingual"
EVENT = {"en": "Almer Valley Herald", "de": "Alpenpost", "fr": "Le Courrier de l'Almer", "es": "El Diario del Valle",
         "zh": "阿尔默日报"}


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Desk]:  # noqa: ANN001
    db = tmp_path_factory.mktemp("ml") / "ml.db"
    with Desk(db, load_config(db=str(db))) as d:
        report = d.ingest(sorted(str(p) for p in DATA.glob("*.jsonl")))
        assert report.added == 15
        yield d


def _event_article(desk: Desk, language: str) -> Article:
    found = [a for a in desk.store.articles(desk.store.article_ids()).values()
             if a.language == language and a.published == "2026-03-15"]
    assert len(found) == 1
    return found[0]


def test_language_of_every_article_is_detected_and_stored(desk: Desk) -> None:
    assert desk.stats()["languages"] == {"en": 3, "de": 3, "fr": 3, "es": 3, "zh": 3}


def test_searchable_cuts_chinese_into_words_and_leaves_other_text_alone() -> None:
    assert searchable("Rund 3.200 Bewohner wurden evakuiert.") == "Rund 3.200 Bewohner wurden evakuiert."
    words = searchable("科尔维尔水坝溃决").split()
    assert "水坝" in words and "溃决" in words


def test_chinese_question_finds_the_chinese_report_by_bm25_alone(desk: Desk) -> None:
    hits = desk.store.lexical_search(term_query(analyze_question("大坝溃决造成多少人死亡？")), 10, NO_FILTERS)
    assert hits, "no BM25 hit: Chinese text is not cut into words in the index"
    zh = _event_article(desk, "zh")
    assert hits[0].passage.article_id == zh.id
    # The passage text is the article's own text at the stored offsets, not the segmented index form.
    assert hits[0].passage.text == zh.text[hits[0].passage.start:hits[0].passage.end]


def test_chinese_question_finds_the_other_reports_by_meaning(desk: Desk) -> None:
    hits = desk.search("科尔维尔水坝溃决造成多少人死亡？", limit=40)
    found = desk.store.articles([h.passage.article_id for h in hits])
    by_meaning_only = {found[h.passage.article_id].outlet for h in hits
                       if h.lexical_rank is None and h.dense_rank is not None}
    assert {EVENT[x] for x in ("en", "de", "fr", "es")} <= by_meaning_only


def test_english_question_cites_reports_in_all_five_languages_marked_with_theirs(desk: Desk) -> None:
    brief = desk.ask("How many people died when the Korvell dam collapsed?")
    assert {s.outlet for s in brief.sources} >= set(EVENT.values())
    statements = [*brief.answer, *brief.evidence]
    by_id = desk.store.articles([c.article_id for s in statements for c in s.citations])
    for s in statements:
        source = by_id[s.citations[0].article_id]
        assert s.language == (None if source.language == "en" else source.language)
        assert all(by_id[c.article_id].text[c.start:c.end] == s.text for c in s.citations)
    assert {s.language for s in statements} >= {None, "de", "fr", "es", "zh"}
    shown = render_terminal(brief)
    assert "[zh] " in shown and "[de] " in shown


def test_the_differing_death_toll_is_flagged_across_languages(desk: Desk) -> None:
    brief = desk.ask("How many people died when the Korvell dam collapsed?")
    killed = [c for c in brief.conflicts if "killed" in c.attribute]
    assert killed, brief.conflicts
    values = {v.value for c in killed for v in c.versions}
    assert {"11", "14"} <= values, killed


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "zh"])
def test_claims_are_found_in_each_language(desk: Desk, language: str) -> None:
    art = _event_article(desk, language)
    claims = extract_claims(art, split_sentences(art.id, art.text, art.language))
    counts = {(c.attribute, c.value) for c in claims if c.kind == "count"}
    killed = "14" if language == "es" else "11"
    assert {("killed", killed), ("missing", "7"), ("evacuated", "3200"), ("injured", "40")} <= counts
    assert any(c.kind == "responsibility" and c.polarity == "denied" and "Nordhydro" in c.value or
               c.value == "诺德水电公司" for c in claims)
    for c in claims:  # offsets point at the figure or name as written
        assert art.text[c.value_start:c.value_end]


def test_claimed_responsibility_is_found_in_de_fr_es_zh(desk: Desk) -> None:
    expected = {"de": "Schwarze Fahne", "fr": "Front du Levant", "es": "Frente Rojo",
                "zh": "黑隼阵线"}
    arts = desk.store.articles(desk.store.article_ids()).values()
    found = set()
    for art in arts:
        for c in extract_claims(art, split_sentences(art.id, art.text, art.language)):
            if c.kind == "responsibility" and c.detail == "claimed":
                found.add((art.language, c.value))
    assert {(k, v) for k, v in expected.items()} <= found


@pytest.mark.parametrize(("text", "value"), [("七", 7), ("十一", 11), ("两百", 200), ("三千二百", 3200),
                                             ("一万二千", 12000)])
def test_chinese_numerals_are_read(text: str, value: int) -> None:
    assert _chinese_numeral(text) == value


@pytest.mark.parametrize(("question", "language", "kind"), [
    ("Wie viele Menschen starben beim Dammbruch?", "de", "how_many"),
    ("Wann brach der Damm?", "de", "when"),
    ("Qui est responsable de la rupture du barrage ?", "fr", "who"),
    ("¿Por qué se rompió la presa?", "es", "why"),
    ("大坝是什么时候溃决的？", "zh", "when"),
    ("大坝溃决造成多少人死亡？", "zh", "how_many"),
])
def test_question_kind_and_language_outside_english(question: str, language: str, kind: str) -> None:
    q = analyze_question(question)
    assert (q.language, q.kind) == (language, kind)
    assert q.terms and not {"wie", "der", "la", "de", "se", "的"} & set(q.terms)


def test_migration_004_recuts_the_full_text_rows_of_existing_chinese_articles(desk: Desk, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    src = sqlite3.connect(desk.store.path)
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    # As an index built before 004 had it: Chinese passages stored unsegmented, schema version 3.
    rows = dst.execute("SELECT p.id, p.idx, a.title, substr(a.text, p.start + 1, p.\"end\" - p.start) "
                       "FROM passages p JOIN articles a ON a.id = p.article_id WHERE a.language = 'zh'").fetchall()
    for pid, idx, title, text in rows:
        dst.execute("UPDATE passage_fts SET title = ?, body = ? WHERE rowid = ?",
                    (title if idx == 0 else "", text, pid))
    # nor the tables of 005 (stories), 006 (follow) and 007 (a column of watches)
    for table in ("story_members", "stories", "copies", "signatures", "changes", "watch_seen", "watches",
                  "feed_entries", "feeds"):
        dst.execute(f"DROP TABLE {table}")
    dst.execute("PRAGMA user_version = 3")
    dst.commit()
    assert not dst.execute("SELECT count(*) FROM passage_fts WHERE passage_fts MATCH '\"水坝\"'").fetchone()[0]
    dst.close()
    store = SQLiteStore(db)
    try:
        assert store.schema_version() >= 4
        assert store.get_meta("fts_text") and store.get_meta("fts_text") != "pending"
        assert store.lexical_search(TermQuery(("水坝",)), 5, NO_FILTERS)
    finally:
        store.close()


def test_labelled_sentences_give_no_false_claims_and_most_true_ones() -> None:
    """The sentences of tests/data/claims_intl_sentences.tsv (years, ages, times and crowds among them)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "claims_intl_precision", Path(__file__).parents[1] / "bench" / "claims_intl_precision.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = [(lang, s, exp, bench.found(lang, s)) for lang, s, exp in bench.labelled()]
    false = [(lang, s, sorted(got - exp)) for lang, s, exp, got in rows if got - exp]
    assert not false, false
    expected = sum(len(exp) for _, _, exp, _ in rows)
    assert sum(len(exp & got) for _, _, exp, got in rows) >= 0.9 * expected


def test_rgb_retrieval_mode_asks_in_chinese_and_in_english(tmp_path: Path, embedder) -> None:  # noqa: ANN001
    """`eval rgb --retrieval --translations` on a file in RGB's format made from our own Chinese articles."""
    import json

    from newsdesk.eval.rgb_retrieval import run_rgb_retrieval

    zh = [json.loads(line) for line in (DATA / "zh.jsonl").read_text(encoding="utf-8").splitlines()]
    record = {"id": 7, "query": "科尔维尔水坝溃决造成多少人死亡", "answer": ["11人"],
              "positive": [zh[0]["text"]], "negative": [a["text"] for a in zh[1:]]}
    data = tmp_path / "zh.json"
    data.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    translations = tmp_path / "en.jsonl"
    translations.write_text(json.dumps({"id": 7, "query": record["query"],
                                        "query_en": "How many people died when the Korvell dam failed?"}) + "\n")
    summary = run_rgb_retrieval(data, translations=translations)
    assert summary["questions"] == 1
    for language in ("zh", "en"):
        assert summary[language]["positive_first"] == 1.0
        assert summary[language]["answer_in_brief"] == 1.0


def test_the_five_reports_of_the_event_land_in_one_story_and_nothing_else_joins_it(desk: Desk) -> None:
    event_ids = {_event_article(desk, language).id for language in EVENT}
    stories = desk.stories()
    holding = [story for story in stories if event_ids & set(story.article_ids)]
    assert len(holding) == 1
    assert set(holding[0].article_ids) == event_ids
    assert sorted(holding[0].languages) == sorted(EVENT)
    assert sum(story.articles for story in stories) == 15
