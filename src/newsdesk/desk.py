"""The Python API: `Desk(db).ingest(paths)`, `Desk(db).ask(question) -> Brief`.

A Desk opens the store and loads models once, so a batch of questions pays
for start-up only once. Questions never write: bringing the index up to date is
the writer's job (`ingest`, `migrate`); `Desk(db, readonly=True)` reads an index
the process may not write, and opens it writable only when a writing method is called.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import numpy as np

from newsdesk.analyze.embedding import Embedder, get_embedder
from newsdesk.analyze.question import analyze_question
from newsdesk.analyze.steps import steps_named
from newsdesk.answer.brief import compose_brief
from newsdesk.answer.disputes import Disputes, add_conflicts, best_matching, collection_disputes
from newsdesk.answer.parts import cite_parts
from newsdesk.answer.rank import Candidate, collect_sentences, rank_sentences
from newsdesk.answer.ranker import answer_threshold, load_ranker
from newsdesk.answer.stance import actors_report, add_relations, relations_report
from newsdesk.answer.stories import add_stories, copy_groups, list_stories
from newsdesk.answer.story_page import StoryPage, story_page
from newsdesk.answer.timeline import attach_timeline, timeline_for
from newsdesk.config import Config, load_config
from newsdesk.ingest.migrate import MigrationReport, bring_up_to_date, pending_work
from newsdesk.ingest.migrate import ProgressHook as MigrateHook
from newsdesk.ingest.organize import refresh_stories
from newsdesk.ingest.pipeline import ProgressHook, ingest, ingest_documents
from newsdesk.model import (
    NO_FILTERS,
    ActorEntry,
    Article,
    Brief,
    Filters,
    IngestReport,
    Question,
    RawDocument,
    ReadError,
    RelationsReport,
    Sentence,
    Story,
    Timeline,
)
from newsdesk.net.policy import host_policy
from newsdesk.search import FusedHit, hybrid_search
from newsdesk.store.base import Store, StoreError
from newsdesk.store.open import open_reader, open_store, redact


class Desk:
    def __init__(self, db: str | Path | None = None, config: Config | None = None, *, readonly: bool = False) -> None:
        self.config = config or load_config()
        self.db = str(db) if db is not None else self.config.db
        self.steps = steps_named(self.config.analysis)  # an unknown step name fails here, before any work
        self.ranker = load_ranker(self.config.ranker)  # so does an unknown or unreadable ranker
        # The calibrated confidence of each line: the learned ranker's own, or `confidence_model` beside "hand".
        self.confidence_model = self.ranker or (load_ranker(self.config.confidence_model)
                                                if self.config.confidence_model else None)
        self.answer_confidence = answer_threshold(self.config.answer_confidence, self.confidence_model,
                                                  "learned" if self.ranker is not None else "hand")
        self.readonly = readonly
        self.store: Store = (open_reader(self.db, pool_size=self.config.pool_size) if readonly
                             else open_store(self.db, pool_size=self.config.pool_size))

    def _writable(self) -> Store:
        """The store, reopened writable if it was opened for reading only: for the writing methods."""
        if self.readonly:
            self.store.close()
            self.store = open_store(self.db, pool_size=self.config.pool_size)
            self.readonly = False
        return self.store

    @cached_property
    def embedder(self) -> Embedder:
        """The configured embedder; an index built with another one is refused, not silently mixed."""
        embedder = get_embedder(self.config.embedder)
        self._check_embedder_name(embedder.name)
        return embedder

    def _check_embedder_name(self, name: str, record: bool = False) -> None:
        """Refuse another embedder than the index's; `record` (writers only) names it in an index without one."""
        recorded = self.store.get_meta("embedder")
        if recorded is None:
            if record:
                self.store.set_meta("embedder", name)
        elif recorded != name:
            raise StoreError(
                f"{redact(self.db)} was built with embedder {recorded!r}, not {name!r}; "
                "use the same embedder or build a new index"
            )

    def ingest(self, paths: Iterable[str], on_progress: ProgressHook | None = None,
               cluster: str | None = None) -> IngestReport:
        """Ingest here, or with `cluster` (a Dask scheduler address) on its workers (ingest/cluster.py)."""
        store = self._writable()
        if cluster is not None:
            from newsdesk.ingest.cluster import cluster_ingest
            from newsdesk.ingest.pipeline import iter_documents

            self._check_embedder_name(self.config.embedder, record=True)  # the client needs no model of its own
            report = cluster_ingest(
                iter_documents([str(p) for p in paths], self.config.max_file_bytes, host_policy(self.config)),
                store, cluster,
                embedder_name=self.config.embedder, dense_passages=self.config.dense_passages,
                batch_size=self.config.batch_size, on_progress=on_progress, analysis=self.config.analysis,
            )
        elif self.config.ingest_workers > 1:
            from newsdesk.ingest.parallel import parallel_ingest
            from newsdesk.ingest.pipeline import iter_documents

            self._check_embedder_name(self.config.embedder, record=True)
            report = parallel_ingest(
                iter_documents([str(p) for p in paths], self.config.max_file_bytes, host_policy(self.config)),
                store, workers=self.config.ingest_workers, embedder_name=self.config.embedder,
                dense_passages=self.config.dense_passages, batch_size=self.config.batch_size,
                on_progress=on_progress, analysis=self.config.analysis,
            )
        else:
            self._check_embedder_name(self.embedder.name, record=True)
            report = ingest(
                [str(p) for p in paths], store, self.embedder,
                batch_size=self.config.batch_size, max_bytes=self.config.max_file_bytes,
                dense_passages=self.config.dense_passages, on_progress=on_progress, steps=self.steps,
                policy=host_policy(self.config),
            )
        store.prepare_dense_search()  # the writer, not the next question, reads the new vectors (store/dense_index.py)
        return report

    def migrate(self, on_progress: MigrateHook | None = None) -> MigrationReport:
        """Re-extract analysis made by older rules and organise articles not organised yet (the writer's job)."""
        report = bring_up_to_date(self._writable(), self.steps, on_progress)
        self.store.prepare_dense_search()
        return report

    def ingest_documents(self, documents: Iterable[RawDocument | ReadError]) -> IngestReport:
        """Ingest documents read elsewhere (a followed feed's entries), as `ingest` does files."""
        store = self._writable()
        self._check_embedder_name(self.embedder.name, record=True)
        report = ingest_documents(documents, store, self.embedder, batch_size=self.config.batch_size,
                                  dense_passages=self.config.dense_passages, steps=self.steps)
        store.prepare_dense_search()
        return report

    def pending_work(self) -> list[str]:
        """What is out of date in the index (answers use it as it is), one note each; empty when current."""
        return pending_work(self.store, self.steps)

    def search(self, query: str, filters: Filters = NO_FILTERS, limit: int = 10) -> list[FusedHit]:
        return self._search(analyze_question(query), self._query_vector(query), filters, limit)

    def _query_vector(self, query: str) -> np.ndarray:
        # The text as typed, not `Question.text` (whitespace-normalised): search has always embedded it so.
        return self.embedder.embed_queries([query])[0]

    def _search(self, question: Question, query_vector: np.ndarray, filters: Filters, limit: int) -> list[FusedHit]:
        now = (filters.until or self.store.latest_published()) if question.about_now else None
        return hybrid_search(question, self.store, self.embedder, filters=filters, limit=limit,
                             query_vector=query_vector, recent_before=now)

    def ask(self, question_text: str, filters: Filters = NO_FILTERS) -> Brief:
        if not question_text.strip():
            raise ValueError("the question is empty")
        question = analyze_question(question_text)
        query_vector = self.embedder.embed_queries([question.text])[0]
        reference = filters.until or self.store.latest_published()  # "now", for questions about recent events
        hits = hybrid_search(
            question, self.store, self.embedder, filters=filters, limit=self.config.candidates,
            query_vector=query_vector, recent_before=reference if question.about_now else None,
        )
        pool = collect_sentences(hits, self.store)
        articles = self.store.articles([s.article_id for s, _ in pool])
        ranked = rank_sentences(question, pool, self.embedder, query_vector, articles, reference, self.ranker,
                                confidence_model=self.confidence_model)
        searched = self.store.article_count()
        originals = copy_groups(self.store, articles)
        brief = compose_brief(question, ranked, articles, answer_size=self.config.answer_size,
                              evidence_size=self.config.evidence_size, searched=searched, originals=originals,
                              preceding=self._sentence_before, answer_confidence=self.answer_confidence)
        add_conflicts(brief, question, ranked, self.store, articles)  # "where sources disagree"
        if question.parts:  # a comparison or conjunction: every part looked for and cited apart (answer/parts.py)
            cite_parts(brief, question.parts, lambda text, outlet, span: self._ranked_for(text, outlet, span, filters),
                       self._outlet_named, articles, searched, reference)
        if question.kind == "stance":  # what X did to / said about Y, by event (answer/stance.py)
            add_relations(brief, self.store, question.actor, question.target, articles, filters)
        if question.kind == "sequence":  # what happened, in order (answer/timeline.py)
            attach_timeline(brief, timeline_for(
                question, self.store, self.embedder, filters, query_vector=query_vector,
                also_articles=tuple(s.article_id for s in brief.sources)))
        add_stories(brief, self.store)
        brief.notes.extend(self.pending_work())  # an index `newsdesk migrate` would change: say so
        return brief

    def _ranked_for(self, text: str, outlet: str | None, span: tuple[str, str] | None, filters: Filters
                    ) -> tuple[list[Candidate], dict[str, Article]]:
        """The ranked sentences for one part of a question, within one outlet and one month when it names them."""
        question = analyze_question(text)
        query_vector = self.embedder.embed_queries([question.text])[0]
        if outlet is not None:
            filters = replace(filters, outlets=(outlet,))
        if span is not None:  # the month, within the dates the user asked for
            filters = replace(filters, since=max(span[0], filters.since or span[0]),
                              until=min(span[1], filters.until or span[1]))
        reference = filters.until or self.store.latest_published()
        hits = hybrid_search(question, self.store, self.embedder, filters=filters, limit=self.config.candidates,
                             query_vector=query_vector, recent_before=reference if question.about_now else None)
        pool = collect_sentences(hits, self.store)
        articles = self.store.articles([s.article_id for s, _ in pool])
        return rank_sentences(question, pool, self.embedder, query_vector, articles, reference, self.ranker), articles

    def _outlet_named(self, name: str) -> str | None:
        """The outlet of the index that `name` ("the Valley Wire", "USA Today" stored as usatoday.com) is, if any."""
        bare = re.sub(r"^the\s+", "", name, flags=re.I)
        compact = [re.sub(r"[\W_]+", "", n.lower()) for n in (name, bare)]
        domains = [f"{c}{tld}" for c in dict.fromkeys(compact) if c for tld in (".com", ".co.uk", ".org", ".net")]
        for candidate in dict.fromkeys([name, bare, *domains]):
            ids = self.store.article_ids(outlet=candidate)
            if ids:
                found = self.store.articles(ids[:1])
                return found[ids[0]].outlet if ids[0] in found else candidate
        return None

    def _sentence_before(self, sentence: Sentence) -> Sentence | None:
        if sentence.index == 0:
            return None
        sentences = self.store.sentences(sentence.article_id)
        return sentences[sentence.index - 1] if sentence.index <= len(sentences) else None

    def timeline(self, query: str, filters: Filters = NO_FILTERS) -> Timeline:
        """The events and claims of the articles matching `query`, in the order they happened, each cited."""
        if not query.strip():
            raise ValueError("the query is empty")
        return timeline_for(analyze_question(query), self.store, self.embedder, filters)

    def conflicts(self, query: str | None = None, filters: Filters = NO_FILTERS, limit: int = 40) -> Disputes:
        """Disputed facts across the collection, or among the `limit` articles that best match `query`."""
        if query is None or not query.strip():
            return collection_disputes(self.store)
        query_vector = self._query_vector(query)
        hits = self._search(analyze_question(query), query_vector, filters, limit)
        ids = list(dict.fromkeys(h.passage.article_id for h in hits))
        return collection_disputes(self.store, ids, query=query, focus=best_matching(self.store, ids, query_vector))

    def stories(self, query: str | None = None, filters: Filters = NO_FILTERS, limit: int = 40) -> list[Story]:
        """Stories in time order: all of them, or those of the `limit` articles that best match `query`."""
        ids = None
        if query is not None and query.strip():
            ids = list(dict.fromkeys(h.passage.article_id for h in self.search(query, filters, limit=limit)))
        return list_stories(self.store, ids, filters)

    def story(self, story_id: int) -> StoryPage | None:
        """One story: its articles in time order, the facts they dispute, and what its actors did."""
        return story_page(self.store, story_id)

    def actors(self, name: str | None = None, limit: int = 50) -> list[ActorEntry]:
        """Actors by mention count, with their names as written and parts; with `name`, that actor's family."""
        return actors_report(self.store, name, limit)

    def relations(self, x: str, y: str | None = None, filters: Filters = NO_FILTERS) -> RelationsReport:
        """X's relations (with Y, or with anyone) as a timeline of cited events; with Y, the stance both ways."""
        return relations_report(self.store, [x], [y] if y else None, filters)

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def delete(self, article_ids: Iterable[str] = (), outlet: str | None = None) -> int:
        store = self._writable()
        ids = list(article_ids)
        if outlet is not None:
            ids.extend(store.article_ids(outlet=outlet))
        deleted = store.delete_articles(ids)
        refresh_stories(store)  # the stories the deleted articles shaped, placed again as if they had never come
        return deleted

    def stats(self) -> dict:
        return self.store.stats()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
