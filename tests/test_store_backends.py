"""PostgreSQL against SQLite on the same news, and PostgreSQL under many writers and readers at once.

The two backends must give the same answers: the same briefs, claims, actors and relations. The
server backend must also stay whole when several processes write overlapping batches or open a new
database at the same moment (several `newsdesk serve` workers or ingests on one database).
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.pipeline import analyze_articles, iter_documents
from newsdesk.model import NO_FILTERS, AnalyzedArticle, Filters, Location, RawDocument, TermQuery
from newsdesk.render.jsonout import brief_dict
from newsdesk.store.base import StoreError
from newsdesk.store.migrate import migration_files
from newsdesk.store.open import open_store
from newsdesk.store.postgres_text import tsquery_terms
from tests.pg_server import raw

ROOT = Path(__file__).resolve().parents[1]


def build(db: str, folder: Path) -> None:
    with Desk(db, load_config(db=db)) as desk:
        assert desk.ingest([str(folder)]).failed == 0


def citable(brief: dict) -> dict:
    """What a brief says and cites: statements with their citations, conflicts, relations, sources."""
    def statements(items: list[dict]) -> list[tuple]:
        return [(s["text"], [(c["article_id"], c["start"], c["end"]) for c in s["citations"]],
                 statements(s.get("also", []))) for s in items]

    # Evidence in near ties (scores a few ten-thousandths apart) may swap places between backends: a set.
    return {"answer": statements(brief["answer"]), "evidence": sorted(statements(brief["evidence"]), key=repr),
            "sources": [(s["article_id"], s["n"]) for s in brief["sources"]],
            "conflicts": brief["conflicts"], "relations": brief["relations"], "notes": brief["notes"]}


@pytest.fixture(scope="module")
def example_indexes(tmp_path_factory: pytest.TempPathFactory, pg_server, embedder: Embedder):
    """The bundled examples ingested into a SQLite file and into a PostgreSQL database."""
    from tests.pg_server import drop_database, new_database

    lite = str(tmp_path_factory.mktemp("lite") / "index.db")
    url = new_database(pg_server)
    build(lite, ROOT / "examples" / "articles")
    build(url, ROOT / "examples" / "articles")
    yield lite, url
    drop_database(pg_server, url)


def test_every_example_question_gets_the_same_brief_on_both_backends(example_indexes: tuple[str, str]):
    """The same statements with the same citations, in the same order, the same sources, disagreements and relations.

    Lexical scores are not the same numbers on the two backends (ts_rank times IDF against FTS5's BM25,
    Snowball against porter stems); on this collection they still pick the same passages and order the
    answer the same. Evidence whose scores differ by a few ten-thousandths may swap places: it is
    compared as a set.
    """
    lite, url = example_indexes
    questions = [q for q in (ROOT / "examples" / "questions.txt").read_text().splitlines() if q.strip()]
    with Desk(lite, load_config(db=lite)) as a, Desk(url, load_config(db=url)) as b:
        for question in questions:
            left, right = citable(brief_dict(a.ask(question))), citable(brief_dict(b.ask(question)))
            assert left["answer"], question
            assert left == right, question


def test_a_big_index_ranks_only_passages_its_rarer_terms_select_and_keeps_the_top(
        example_indexes: tuple[str, str], monkeypatch: pytest.MonkeyPatch):
    """Pruning by term statistics (store/postgres_terms.py), forced on the small example index.

    With the statistics ANALYZE keeps, common words only score the passages the rarer ones select: the
    best passages are those of the full ranking, and every passage returned holds a selecting word.
    """
    import psycopg

    from newsdesk.analyze.question import analyze_question
    from newsdesk.search import term_query
    from newsdesk.store import postgres_terms

    _, url = example_indexes
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE passages")
    questions = [q for q in (ROOT / "examples" / "questions.txt").read_text().splitlines() if q.strip()]
    full = open_store(url, readonly=True)
    monkeypatch.setattr(postgres_terms, "PRUNE_FROM_PASSAGES", 0)
    monkeypatch.setattr(postgres_terms, "CANDIDATE_BUDGET", 1)
    pruned = open_store(url, readonly=True)
    try:
        with pruned._read() as cur:  # noqa: SLF001 - the statistics the pruned store reads
            stats = postgres_terms.load_term_stats(cur)
        assert stats is not None and stats.share, "ANALYZE left element statistics to prune with"
        decided: list[list[bool]] = []

        def recording(*args: object) -> tuple[list[bool], list[float | None]]:
            choice = postgres_terms.matching_terms(*args)
            decided.append(choice[0])
            return choice

        monkeypatch.setattr("newsdesk.store.postgres.matching_terms", recording)
        for question in questions:
            expression = term_query(analyze_question(question))
            everything = full.lexical_search(expression, 200, NO_FILTERS)
            selected = pruned.lexical_search(expression, 10, NO_FILTERS)
            assert len(selected) == min(10, len(everything)), question
            assert {h.passage for h in selected} <= {h.passage for h in everything}, question
            assert [h.passage for h in selected[:3]] == [h.passage for h in everything[:3]], question
        pruned_some = any(not all(choice) for choice in decided)
        assert pruned_some, "the forced statistics left out some passages matching only common words"
    finally:
        full.close()
        pruned.close()


def test_term_statistics_choose_rare_terms_first_within_the_budget() -> None:
    from newsdesk.store.postgres_terms import TermStats, matching_terms, query_lexemes

    stats = TermStats({"said": 0.3, "week": 0.05, "flood": 0.004, "new": 0.1}, passages=1_000_000)
    lexemes = [["said"], ["week"], ["flood"], ["humphrey"], ["new", "week"], []]
    matched, estimated = matching_terms(lexemes, stats)
    # "humphrey" is unlisted (rare): always selects; "flood" (4,000) fits the 30,000 budget; the rest score
    # (a stop word has no lexeme and matches nothing).
    assert matched == [False, False, True, True, False, False]
    assert estimated == [300_000.0, 50_000.0, None, None, 0.05 * 1_000_000, 0.0]
    assert matching_terms(lexemes, stats, extra=1)[0] == [False, True, True, True, False, False], "widened"
    assert matching_terms([["said"], ["week"]], stats)[0] == [False, True], "the rarest term selects regardless"
    assert matching_terms(lexemes, None)[0] == [True] * 6, "no statistics: every term selects"
    assert matching_terms([["north", "week"]], stats)[0] == [True], "a phrase with a rare word is rare"
    assert query_lexemes("'north' <-> 'korea'") == ["north", "korea"]
    assert query_lexemes("'o''brien'") == ["o'brien"]


def test_both_backends_store_the_same_claims_actors_and_relations(
        tmp_path: Path, pg_url: str, quetta_dir: Path, embedder: Embedder):
    lite = str(tmp_path / "index.db")
    build(lite, quetta_dir)
    build(pg_url, quetta_dir)
    a, b = open_store(lite), open_store(pg_url)
    try:
        ids = a.article_ids()
        assert b.article_ids() == ids
        assert b.articles(ids) == a.articles(ids)
        assert [b.sentences(i) for i in ids] == [a.sentences(i) for i in ids]
        assert b.claims() == a.claims() and b.claims(ids[:1]) == a.claims(ids[:1])
        assert b.mentions() == a.mentions()
        assert b.mentions(ids[:3]) == a.mentions(ids[:3]) and b.mentions(ids[:3])  # texts cut in Python on PG
        assert b.relations() == a.relations()
        assert b.relations(["Islamic State"], ["Pakistan"], either_way=True) == \
            a.relations(["Islamic State"], ["Pakistan"], either_way=True)
        assert b.relations(filters=Filters(until="2016-10-24")) == a.relations(filters=Filters(until="2016-10-24"))
        assert b.actor_stats() == a.actor_stats()
        assert sorted(b.actor_names()) == sorted(a.actor_names())
        lead_a, lead_b = a.lead_vectors(ids), b.lead_vectors(ids)
        assert lead_a.keys() == lead_b.keys()
        assert all((lead_a[i] == lead_b[i]).all() for i in ids)  # the same float16 numbers
        assert b.lead_passages(ids, 2) == a.lead_passages(ids, 2)
        for key in ("articles", "locations", "sentences", "passages", "outlets", "languages", "first_published",
                    "last_published", "embedder", "schema_version"):
            assert b.stats()[key] == a.stats()[key], key
    finally:
        a.close()
        b.close()
    # The running example's question: its stance section reads all of the above.
    with Desk(lite, load_config(db=lite)) as x, Desk(pg_url, load_config(db=pg_url)) as y:
        question = "What does ISIS think of Pakistan?"
        left, right = citable(brief_dict(x.ask(question))), citable(brief_dict(y.ask(question)))
    assert left["answer"] and left["relations"]
    assert left == right


# -- term queries become parameterised tsqueries -------------------------------------------------------


@pytest.mark.parametrize(("terms", "expected"), [
    (("tarrow",), "'tarrow'"),
    (("ferry", "bridge"), "'ferri' | 'bridg'"),
    (("Islamic State", "ISIS"), "'islam' <-> 'state' | 'isi'"),
    (("it's a \\ 'quote'",), "'quot'"),
    (("fares' | 'bridge", "fares:* & !bridge"), "'fare' <-> 'bridg' | 'fare' <-> 'bridg'"),
])
def test_term_queries_become_phrase_tsqueries_with_every_phrase_a_parameter(pg_url: str, terms: tuple[str, ...],
                                                                             expected: str):
    import psycopg
    from psycopg import sql

    compiled = tsquery_terms(TermQuery(terms))
    assert [params for _, params in compiled] == [[t] for t in terms]  # every phrase is a bound parameter
    statement = sql.SQL(" || ").join(sql.SQL("({})").format(s) for s, _ in compiled)
    with psycopg.connect(pg_url) as conn:
        [(got,)] = conn.execute(sql.SQL("SELECT ({})::text").format(statement),
                                [p for _, ps in compiled for p in ps]).fetchall()
    assert got == expected


def test_terms_cannot_inject_sql_or_tsquery_syntax(pg_url: str, embedder: Embedder):
    from tests.test_store import analyzed

    store = open_store(pg_url)
    try:
        store.add_batch(analyzed(embedder, "harbour", "post"))
        for hostile in ["'); DROP TABLE articles; --", "fares' | 'bridge", "fares:* & !bridge", "\\'"]:
            store.lexical_search(TermQuery((hostile,)), 10, NO_FILTERS)
        assert store.article_count() == 2
        assert [h.passage.index for h in store.lexical_search(TermQuery(("fares' | 'bridge",)), 10, NO_FILTERS)] == []
    finally:
        store.close()


# -- many writers and readers on one database --------------------------------------------------------------


@pytest.fixture(scope="module")
def many(embedder: Embedder) -> list[AnalyzedArticle]:
    """Every bundled example and the Quetta reports, analysed once."""
    docs = [d for d in iter_documents([str(ROOT / "examples" / "articles"), str(ROOT.parent / "shared" / "quetta")],
                                      10_000_000) if isinstance(d, RawDocument)]
    articles = {}
    for doc in docs:
        article = normalize(doc)
        articles.setdefault(article.id, article)
    return analyze_articles(list(articles.values()), embedder)


def test_writer_threads_adding_overlapping_batches_while_others_search_add_each_article_once(
        pg_url: str, many: list[AnalyzedArticle]):
    assert len(many) >= 8
    open_store(pg_url).close()  # the schema exists before the race (opening at once is tested below)
    n = len(many)
    # Four writers, each with its own pool: overlapping halves, in different orders, each article at a new URL.
    shares = [many[: n // 2 + 2], many[n // 2 - 2 :], many[::-1], many[::2]]
    results: list[list[str]] = [[] for _ in shares]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(shares))

    def write(k: int) -> None:
        store = open_store(pg_url, pool_size=1)
        try:
            batch = [AnalyzedArticle(**{**item.__dict__, "article": _at(item, f"https://w{k}.example/")})
                     for item in shares[k]]
            barrier.wait()
            for i in range(0, len(batch), 3):
                results[k].extend(store.add_batch(batch[i : i + 3]))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    searched = [0]
    writing = threading.Event()
    writing.set()
    vector = many[0].vectors[0]

    def read() -> None:
        """Search while the writers write: never an error, and every hit is a slice of its stored article."""
        store = open_store(pg_url, pool_size=1)
        try:
            while writing.is_set():
                hits = store.lexical_search(TermQuery(("fire", "police", "attack")), 20, NO_FILTERS)
                hits += store.dense_search(vector, 10, NO_FILTERS)
                texts = store.articles([h.passage.article_id for h in hits])
                assert all(texts[h.passage.article_id].text[h.passage.start:h.passage.end] == h.passage.text
                           for h in hits)
                searched[0] += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    readers = [threading.Thread(target=read) for _ in range(2)]
    threads = [threading.Thread(target=write, args=(k,)) for k in range(len(shares))]
    for t in readers + threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    writing.clear()
    for t in readers:
        t.join(timeout=60)
    assert errors == []
    assert searched[0] > 0
    added = [aid for r in results for aid in r]
    assert sorted(added) == sorted(item.article.id for item in many)  # each one added by exactly one writer
    store = open_store(pg_url)
    try:
        assert store.article_count() == n
        assert store.check_integrity() == []
        assert raw(store, "SELECT count(*) FROM passages") == [(sum(len(i.passages) for i in many),)]
        assert raw(store, "SELECT count(*) FROM claims") == [(sum(len(i.claims) for i in many),)]
        expected_locations = sum(1 + sum(item in share for share in shares) for item in many)
        assert raw(store, "SELECT count(*) FROM locations") == [(expected_locations,)]
    finally:
        store.close()


def _at(item: AnalyzedArticle, prefix: str):
    from dataclasses import replace

    art = item.article
    return replace(art, locations=[Location(art.url, art.path), Location(prefix + art.id, None)])


WRITER = """
import pickle, sys
from newsdesk.store.open import open_store
items = pickle.load(open(sys.argv[2], "rb"))
store = open_store(sys.argv[1], pool_size=1)
sys.stdin.readline()  # start together
added = []
for i in range(0, len(items), 2):
    added += store.add_batch(items[i : i + 2])
store.close()
print(",".join(added))
"""


def test_processes_opening_a_new_database_and_writing_at_once_do_not_fail_or_duplicate(
        tmp_path: Path, pg_url: str, many: list[AnalyzedArticle]):
    """Three processes open the same empty database at once (migrations race) and add overlapping batches."""
    n = len(many)
    shares = [many, many[::-1], many[n // 3 :]]
    procs = []
    for k, share in enumerate(shares):
        file = tmp_path / f"share{k}.pickle"
        file.write_bytes(pickle.dumps(share))
        procs.append(subprocess.Popen([sys.executable, "-c", WRITER, pg_url, str(file)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=_env()))
    outs = [p.communicate("go\n", timeout=180) for p in procs]
    for proc, (_out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
    added = [aid for out, _ in outs for aid in out.strip().split(",") if aid]
    assert sorted(added) == sorted(item.article.id for item in many)
    store = open_store(pg_url)
    try:
        assert store.article_count() == n and store.check_integrity() == []
        assert raw(store, "SELECT version FROM newsdesk_schema") == [(store.schema_version(),)]
    finally:
        store.close()


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def test_ask_on_postgres_answers_from_committed_data_while_another_connection_holds_a_write_transaction(
        example_indexes: tuple[str, str]):
    import psycopg

    _, url = example_indexes
    newsdesk = str(Path(sys.executable).parent / "newsdesk")
    with psycopg.connect(url) as writer:
        writer.execute("DELETE FROM articles")  # uncommitted: readers must still see every article
        asked = subprocess.run([newsdesk, "ask", "--db", url, "--json", "What caused the fire at the plant?"],
                               capture_output=True, text=True, timeout=120, env=_env())
        writer.rollback()
    assert asked.returncode == 0, asked.stderr
    brief = json.loads(asked.stdout)
    assert any("fire" in statement["text"].lower() for statement in brief["answer"])


def pg_dump(url: str) -> dict[str, list[tuple]]:
    """Everything a PostgreSQL index says about its articles, independent of row ids (as conftest's content_dump)."""
    import psycopg

    with psycopg.connect(url) as conn:
        return {
            "articles": conn.execute("SELECT id, title, text, outlet, published, language, author, url, path, metadata "
                                     "FROM articles ORDER BY id").fetchall(),
            "sentences": conn.execute('SELECT article_id, idx, start, "end" FROM sentences '
                                      "ORDER BY article_id, idx").fetchall(),
            "passages": conn.execute(
                'SELECT article_id, idx, first_sentence, last_sentence, start, "end", tsv::text, v.vector::text '
                "FROM passages p LEFT JOIN passage_vectors v ON v.passage_id = p.id ORDER BY article_id, idx"
            ).fetchall(),
            "locations": conn.execute("SELECT article_id, url, path FROM locations "
                                      "ORDER BY article_id, url, path").fetchall(),
        }


@pytest.mark.slow  # three ingests of 400 articles, like its SQLite twin in test_crash_recovery.py
def test_killed_postgres_ingest_rerun_gives_the_same_index_as_a_clean_run(
        tmp_path: Path, pg_server, pg_url: str, embedder: Embedder):
    import signal
    import time

    import psycopg

    from newsdesk.ingest.pipeline import ingest
    from tests.pg_server import drop_database, new_database
    from tests.test_crash_recovery import REPEATS, synthetic_corpus

    def committed() -> int:
        with psycopg.connect(pg_url) as conn:
            if conn.execute("SELECT to_regclass('articles')").fetchone()[0] is None:
                return 0
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    corpus = tmp_path / "corpus.jsonl"
    total = synthetic_corpus(corpus)
    newsdesk = str(Path(sys.executable).parent / "newsdesk")
    env = {**_env(), "NEWSDESK_BATCH_SIZE": "16"}
    proc = subprocess.Popen([newsdesk, "ingest", "--db", pg_url, "-q", str(corpus)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while committed() < 32 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before it could be interrupted; make the corpus bigger"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = committed()
    assert 32 <= partial < total
    store = open_store(pg_url)
    assert store.check_integrity() == [] and len(store.article_ids()) == partial
    store.close()

    rerun = subprocess.run([newsdesk, "ingest", "--db", pg_url, "-q", str(corpus)], env=env,
                           capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    assert f"added {total - partial}," in rerun.stdout

    clean_url = new_database(pg_server)
    try:
        clean = open_store(clean_url)
        report = ingest([str(corpus)], clean, embedder)
        clean.close()
        assert (report.added, report.known, report.failed) == (total, REPEATS, 0)
        resumed, fresh = pg_dump(pg_url), pg_dump(clean_url)
        assert len(resumed["articles"]) == total and len(resumed["locations"]) == total + REPEATS
        assert resumed["articles"] == fresh["articles"] and resumed["locations"] == fresh["locations"]
        assert resumed["sentences"] == fresh["sentences"]
        # Batches differ between the runs; the embeddings may differ in their last bits, nothing else may.
        assert [row[:7] for row in resumed["passages"]] == [row[:7] for row in fresh["passages"]]
        for a, b in zip(resumed["passages"], fresh["passages"], strict=True):
            assert (a[7] is None) == (b[7] is None)
            if a[7] is not None:
                assert max(abs(x - y) for x, y in zip(json.loads(a[7]), json.loads(b[7]), strict=True)) <= 2e-3
    finally:
        drop_database(pg_server, clean_url)


def test_missing_postgres_database_is_a_store_error_saying_so(pg_server) -> None:
    url = pg_server.get_uri("no_such_newsdesk_db")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(url)


def test_passwords_in_a_database_url_are_never_shown(pg_url: str) -> None:
    from newsdesk.store.open import redact

    assert redact("postgresql://ann:s3cret@db.example:5432/news?sslmode=require") == \
        "postgresql://ann:***@db.example:5432/news?sslmode=require"
    assert redact("/data/index.db") == "/data/index.db"
    with_password = pg_url.replace("postgres:@", "postgres:s3cret@")  # the test server trusts local users
    store = open_store(with_password)
    try:
        assert "s3cret" not in json.dumps(store.stats()) and "***" in store.stats()["db"]
    finally:
        store.close()
    with pytest.raises(StoreError) as excinfo:
        open_store(with_password.replace("/t_", "/missing_t_"))
    assert "s3cret" not in str(excinfo.value)


def _stories(desk: Desk) -> list[tuple]:
    return [(s.label, s.first_published, s.last_published, s.articles, s.sources, s.outlets, s.languages,
             s.article_ids) for s in desk.stories()]


def test_both_backends_form_the_same_copies_and_stories(example_indexes: tuple[str, str]) -> None:
    lite, url = example_indexes
    with Desk(lite, load_config(db=lite)) as a, Desk(url, load_config(db=url)) as b:
        assert _stories(a) == _stories(b)
        ids = a.store.article_ids()
        assert a.store.copy_originals(ids) == b.store.copy_originals(ids)
        assert a.store.article_ids_as_added() == b.store.article_ids_as_added()


def test_an_index_exported_from_sqlite_and_imported_into_postgres_gives_the_same_briefs(
        example_indexes: tuple[str, str], pg_url: str) -> None:
    import io

    from newsdesk.ingest.organize import refresh_stories
    from newsdesk.transfer import export_index, import_index

    lite, _ = example_indexes
    out = io.StringIO()
    source = open_store(lite, readonly=True)
    try:
        export_index(source, out)
    finally:
        source.close()
    target = open_store(pg_url)
    try:
        report = import_index(target, io.StringIO(out.getvalue()), source="export.jsonl")
        refresh_stories(target)
    finally:
        target.close()
    assert report.failed == 0 and report.added > 0
    questions = [q for q in (ROOT / "examples" / "questions.txt").read_text().splitlines() if q.strip()]
    with Desk(lite, load_config(db=lite)) as a, Desk(pg_url, load_config(db=pg_url)) as b:
        assert _stories(a) == _stories(b)
        for question in questions:
            left, right = brief_dict(a.ask(question)), brief_dict(b.ask(question))
            assert citable(left) == citable(right), question
            assert left["stories"] == right["stories"], question


def test_a_chinese_question_finds_the_chinese_report_by_full_text_on_postgres(pg_url: str,
                                                                            embedder: Embedder) -> None:
    from newsdesk.analyze.question import analyze_question
    from newsdesk.search import term_query

    build(pg_url, ROOT / "tests" / "data" / "multilingual")
    store = open_store(pg_url, readonly=True)
    try:
        hits = store.lexical_search(term_query(analyze_question("大坝溃决造成多少人死亡？")), 10, NO_FILTERS)
        found = store.articles([h.passage.article_id for h in hits])
        assert hits and found[hits[0].passage.article_id].language == "zh"
        assert store.get_meta("fts_text") not in (None, "pending")
    finally:
        store.close()


def test_postgres_migration_004_recuts_the_full_text_of_existing_chinese_articles(pg_url: str,
                                                                                 embedder: Embedder) -> None:
    import psycopg

    from newsdesk.analyze.question import analyze_question
    from newsdesk.search import term_query

    build(pg_url, ROOT / "tests" / "data" / "multilingual")
    # As a database built before 004, 005 and 006 had it: Chinese passages indexed unsegmented, schema version 3.
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE passages p SET tsv = to_tsvector('english', substr(a.text, p.start + 1, "
                     "p.\"end\" - p.start)) FROM articles a WHERE a.id = p.article_id AND a.language = 'zh'")
        conn.execute("DROP TABLE story_members, stories, copies, signatures")
        conn.execute("DROP TABLE changes, watch_seen, watches, feed_entries, feeds")  # 006
        conn.execute("ALTER TABLE articles DROP COLUMN seq")
        conn.execute("UPDATE newsdesk_schema SET version = 3")
    query = term_query(analyze_question("大坝溃决造成多少人死亡？"))
    store = open_store(pg_url)
    try:
        assert store.schema_version() == max(n for n, _ in migration_files("migrations_pg"))
        hits = store.lexical_search(query, 10, NO_FILTERS)
        assert hits and store.articles([hits[0].passage.article_id])[hits[0].passage.article_id].language == "zh"
        assert len(store.article_ids_as_added()) == store.article_count()  # existing rows numbered by 005
    finally:
        store.close()
