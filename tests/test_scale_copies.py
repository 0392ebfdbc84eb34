"""bench/scale.py's varied copies: new content ids, offsets still on the right words, nothing refused on import."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

from newsdesk.analyze.embedding import Embedder
from newsdesk.config import load_config
from newsdesk.desk import Desk
from newsdesk.store.sqlite import SQLiteStore
from newsdesk.transfer import export_index, import_index

ROOT = Path(__file__).resolve().parents[1]


def _scale_module():  # bench/ is not a package: load the script as a module
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, examples_dir: Path) -> tuple[Path, list[str]]:
    db = tmp_path_factory.mktemp("base") / "base.db"
    with Desk(db, load_config(db=str(db))) as desk:
        desk.ingest([str(examples_dir)])
    out = io.StringIO()
    store = SQLiteStore(db, readonly=True)
    try:
        export_index(store, out)
    finally:
        store.close()
    return db, out.getvalue().splitlines()


def test_copies_import_cleanly_with_distinct_ids_and_offsets_on_the_same_words(
        tmp_path: Path, base: tuple[Path, list[str]]) -> None:
    scale = _scale_module()
    _, lines = base
    header, records = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    target = len(records) * 4
    store = SQLiteStore(tmp_path / "scaled.db")
    try:
        report = import_index(store, scale.corpus_lines(header, records, target), source="copies", batch_size=7)
        assert (report.added, report.known, report.failed) == (target, 0, 0), report.errors[:3]
        assert store.check_integrity() == []
        ids = store.article_ids()
        articles = store.articles(ids)
        originals = {r["article"]["id"]: r for r in records}
        by_text = {}
        for aid in ids:
            copy = articles[aid].metadata.get("scale_copy")
            if copy is None:
                continue
            by_text[articles[aid].text] = aid
            assert copy in (1, 2, 3) and " · " in (articles[aid].outlet or "")
        assert len(by_text) == target - len(records)  # every copy has a text of its own
        # A mention in a copied sentence still names the same words as in the original.
        original_names = {(m["actor"], r["article"]["text"][m["start"]:m["end"]])
                          for r in records for m in r["mentions"]}
        for mention in store.mentions([a for a in ids if a not in originals]):
            sentence = store.sentences(mention.article_id)[mention.sentence_index]
            assert sentence.start <= mention.start <= mention.end <= sentence.end
            assert (mention.actor, mention.text) in original_names
        for claim in store.claims([a for a in ids if a not in originals]):
            sentence = store.sentences(claim.article_id)[claim.sentence_index]
            assert (claim.start, claim.end) == (sentence.start, sentence.end)
    finally:
        store.close()
