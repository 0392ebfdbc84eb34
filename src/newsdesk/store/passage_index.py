"""A tantivy index of a SQLite index's passages, kept beside the file: top-k BM25 that skips most postings.

FTS5's `bm25()` ranks every row a query matches before `ORDER BY rank LIMIT` keeps the best; at
100 k articles (3 M passages) a question's common words match hundreds of thousands of passages and
that was most of an `ask` (docs/SCALING.md, "Lexical search at 100 k"). tantivy reads postings in
blocks that carry their best possible score (block-max WAND), so a top-k query skips the blocks that
cannot enter the top k. Pruning FTS5 by its rarest phrases was measured too: fast only when the
common phrases no longer score, and then a third of the top passages differ.

This index is a cache of the store, never the record: the store writes the same passages here inside
its own write transaction, after bumping `meta.passages_generation`, and records that generation and the
highest passage id (a writer of older code adds passages without bumping it) in `newsdesk.json` here
once tantivy has committed: the stamp. A search uses this index only when its stamp is the store's;
otherwise a writable store rebuilds it from its rows and a read-only one searches FTS5. `tantivy` is
an optional package: without it the store searches FTS5 alone.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsdesk.model import Filters

try:
    import tantivy  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # optional: the store then searches FTS5 alone
    tantivy = None  # type: ignore[assignment, unused-ignore]

# Bumped when the schema or the tokenizer below changes: an index of another version is rebuilt.
FORMAT = 2
STATE_FILE = "newsdesk.json"
# As bm25(passage_fts, 2.0, 1.0): a word in the title counts double. The title is added to the passage's one
# text field that many times, so term frequency, length and IDF are per passage, as FTS5 counts them.
TITLE_WEIGHT = 2
WRITER_HEAP = 100_000_000  # bytes tantivy buffers before it writes a segment
Stamp = tuple[int, int]  # the store's passages_generation and highest passage id


def available() -> bool:
    """Whether the tantivy package is installed."""
    return tantivy is not None


def folder_for(db_path: str) -> Path:
    """Where the passage index of the SQLite file `db_path` lives: beside it."""
    return Path(db_path + ".tantivy")


@dataclass(frozen=True)
class PassageDoc:
    """One passage as this index holds it: the searchable texts and what filters read."""

    passage_id: int
    title: str  # the article's title on its first passage, else ""
    body: str
    published: str | None
    outlet: str | None
    language: str | None


def _day(published: str | None) -> int | None:
    """A publication date as a day number, or None when there is none (a date filter then excludes it)."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


class PassageIndex:
    """The tantivy index in one folder: written by `update`/`rebuild`, read by `search`."""

    def __init__(self, folder: Path, *, create: bool) -> None:
        if tantivy is None:
            raise RuntimeError("the tantivy package is not installed")
        self.folder = folder
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("pid", indexed=True, fast=True)
        builder.add_text_field("text", tokenizer_name="newsdesk")
        builder.add_integer_field("day", indexed=True, fast=True)
        builder.add_text_field("outlet", tokenizer_name="raw")
        builder.add_text_field("language", tokenizer_name="raw")
        self.schema = builder.build()
        # Close to FTS5's `porter unicode61 remove_diacritics 2`: words, lower case, accents folded, English stems.
        self.analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                         .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
                         .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("english")).build())
        if create:  # only under the store's write lock: no other writer is inside the folder then
            if self.state().get("format") not in (None, FORMAT):
                shutil.rmtree(folder, ignore_errors=True)  # made by another version: start anew
            folder.mkdir(parents=True, exist_ok=True)
        try:
            self.index = tantivy.Index(self.schema, path=str(folder), reuse=True)
        except ValueError:  # another schema without a state file (a folder half made by another version)
            if not create:
                raise
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            self.index = tantivy.Index(self.schema, path=str(folder), reuse=True)
        self.index.register_tokenizer("newsdesk", self.analyzer)
        self._searched: Stamp | None = None

    @staticmethod
    def open_existing(folder: Path) -> PassageIndex | None:
        """The index in `folder` when tantivy is installed and one of this format is there (nothing is written)."""
        if tantivy is None or not (folder / STATE_FILE).is_file():
            return None
        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if state.get("format") != FORMAT:
            return None
        return PassageIndex(folder, create=False)

    # -- state ----------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """What newsdesk.json records (format, generation, max_passage_id, passages); empty when unreadable."""
        try:
            found = json.loads((self.folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def stamp(self) -> Stamp | None:
        """The store's (generation, highest passage id) this index holds, or None while it holds none."""
        state = self.state()
        generation, highest = state.get("generation"), state.get("max_passage_id")
        return (generation, highest) if isinstance(generation, int) and isinstance(highest, int) else None

    def serves(self, stamp: Stamp) -> bool:
        """Whether a search may use this index for a store at `stamp`.

        Its own stamp, or the one before the last update: the writer records the new stamp once tantivy
        has committed, before the store's transaction commits, and readers keep the store's previous
        state until then (passages the store does not show yet are skipped when read by id).
        """
        state = self.state()
        return stamp == self.stamp() or list(stamp) == state.get("previous")

    def _record(self, stamp: Stamp, previous: Stamp | None) -> None:
        """Written after tantivy's commit, atomically: a crash leaves no stamp, and so a rebuild."""
        searcher = self.index.searcher()
        temporary = self.folder / (STATE_FILE + ".tmp")
        temporary.write_text(json.dumps({"format": FORMAT, "generation": stamp[0], "max_passage_id": stamp[1],
                                         "previous": list(previous) if previous else None,
                                         "passages": searcher.num_docs}), encoding="utf-8")
        os.replace(temporary, self.folder / STATE_FILE)

    def _commit(self, writer: Any, stamp: Stamp, previous: Stamp | None) -> None:
        """Commit `writer`'s changes and record `stamp`; then merge segments, so searches do not meet one per batch.

        The stamp is dropped just before the commit: a crash from there until the new one is recorded
        leaves no stamp, hence a rebuild. Searches meanwhile (one commit long) go to FTS5.
        """
        (self.folder / STATE_FILE).unlink(missing_ok=True)
        writer.commit()
        self.index.reload()
        self._record(stamp, previous)
        writer.wait_merging_threads()
        self.index.reload()

    # -- writing --------------------------------------------------------------------------

    def update(self, added: Iterable[PassageDoc], deleted: Sequence[int], stamp: Stamp) -> None:
        """Passages added and removed by one store transaction, then the store's `stamp` after it recorded."""
        previous = self.stamp()
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        for pid in deleted:
            writer.delete_documents_by_term("pid", pid)
        for doc in added:
            writer.add_document(self._document(doc))
        self._commit(writer, stamp, previous)

    def rebuild(self, docs: Iterable[PassageDoc], stamp: Stamp) -> None:
        """Every passage of the store written anew (the index had diverged from it, or did not exist)."""
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        writer.delete_all_documents()
        for doc in docs:
            writer.add_document(self._document(doc))
        self._commit(writer, stamp, None)

    def _document(self, doc: PassageDoc) -> Any:
        document = tantivy.Document()
        document.add_unsigned("pid", doc.passage_id)
        for _ in range(TITLE_WEIGHT if doc.title else 0):
            document.add_text("text", doc.title)
        document.add_text("text", doc.body)
        day = _day(doc.published)
        if day is not None:
            document.add_integer("day", day)
        document.add_text("outlet", (doc.outlet or "").lower())
        document.add_text("language", (doc.language or "").lower())
        return document

    # -- searching ------------------------------------------------------------------------

    def search(self, phrases: Sequence[str], limit: int, filters: Filters, stamp: Stamp) -> list[tuple[int, float]]:
        """Passage ids and BM25 scores of the best `limit` passages matching any phrase, best first.

        Raises ValueError for a filter this index cannot apply (a date that is not ISO): the caller
        then searches FTS5, which compares the text as SQL does.
        """
        if self._searched != stamp:
            self.index.reload()  # another process may have written since this one last searched
            self._searched = stamp
        clauses = []
        for phrase in phrases:
            words: list[str | tuple[int, str]] = list(self.analyzer.analyze(phrase))
            if not words:
                continue
            clauses.append((tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", str(words[0]))
                            if len(words) == 1 else tantivy.Query.phrase_query(self.schema, "text", words)))
        if not clauses:
            return []
        query = tantivy.Query.boolean_query(clauses)
        narrowing = self._filter_queries(filters)
        if narrowing:
            # Filters must hold and score nothing; the phrases, any one of them, must match.
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query)]
                + [(tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0)) for q in narrowing])
        searcher = self.index.searcher()
        hits = searcher.search(query, limit, count=False).hits
        ids = searcher.fast_field_values("pid", [address for _, address in hits])
        return [(int(pid), float(score)) for (score, _), pid in zip(hits, ids, strict=True) if pid is not None]

    def _filter_queries(self, filters: Filters) -> list[Any]:
        found = []
        if filters.since or filters.until:
            low = date.fromisoformat(filters.since[:10]).toordinal() if filters.since else None
            high = date.fromisoformat(filters.until[:10]).toordinal() if filters.until else None
            found.append(tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer, low, high))
        for field, values in (("outlet", filters.outlets), ("language", filters.languages)):
            if values:
                found.append(tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, field, v.lower())) for v in values]))
        return found
