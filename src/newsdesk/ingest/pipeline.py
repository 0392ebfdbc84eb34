"""Ingest: read -> normalize -> (skip known) -> analyze -> embed -> store, a transaction per batch.

Every document ends up counted exactly once in the report: added, already known,
or failed with a reason naming where it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.passages import make_passages
from newsdesk.analyze.sentences import split_sentences
from newsdesk.analyze.steps import DEFAULT_STEPS, AnalysisStep, run_steps
from newsdesk.ingest.migrate import mark_steps_not_run, reextract_stale
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.organize import Organizer
from newsdesk.ingest.readers import read_document
from newsdesk.ingest.reasons import is_plain, unexpected
from newsdesk.ingest.scrub import scrub_item
from newsdesk.ingest.sources import iter_inputs
from newsdesk.model import AnalyzedArticle, Article, IngestReport, Passage, RawDocument, ReadError
from newsdesk.net.policy import STRICT, HostPolicy
from newsdesk.store.base import Store

ProgressHook = Callable[[IngestReport, str], None]


def iter_documents(paths: Iterable[str], max_bytes: int,
                   policy: HostPolicy = STRICT) -> Iterator[RawDocument | ReadError]:
    """Every raw document (or error) found under `paths`, in a deterministic order; URLs fetched under `policy`."""
    for item in iter_inputs(paths, max_bytes=max_bytes, policy=policy):
        if isinstance(item, ReadError):
            yield item
            continue
        origin, data = item
        try:
            yield from read_document(origin, data)
        except Exception as exc:  # a reader bug must not stop the batch
            yield ReadError(origin, unexpected("reading", origin, exc))


# Characters of an article's lead embedded with its title when only the lead is embedded.
LEAD_CHARS = 700


def analyze_article(article: Article, embedder: Embedder, dense_passages: int = 1,
                    steps: Sequence[AnalysisStep] = DEFAULT_STEPS) -> AnalyzedArticle:
    """Sentences, passages, vectors and the analysis steps' results for one article."""
    return analyze_articles([article], embedder, dense_passages, steps)[0]


def embedded_texts(article: Article, passages: list[Passage], dense_passages: int) -> list[str]:
    """What is embedded for an article: its title with the lead, or (dense_passages > 1 or 0 = all) passages.

    Embedding is 98 % of ingest time and linear in tokens. One vector of title and
    lead per article finds the article by meaning (across languages too); the
    passages inside it are found by BM25 and the sentences reranked at question time.
    """
    if not passages:
        return []
    if dense_passages == 1:
        return [f"{article.title}\n{article.text[: max(LEAD_CHARS, passages[0].end)]}"]
    chosen = passages if dense_passages <= 0 else passages[:dense_passages]
    # The title gives a passage its topic; it is embedded with it but never quoted.
    return [f"{article.title}\n{p.text}" for p in chosen]


def analyze_articles(articles: list[Article], embedder: Embedder, dense_passages: int = 1,
                     steps: Sequence[AnalysisStep] = DEFAULT_STEPS) -> list[AnalyzedArticle]:
    """Analyze several articles, embedding all their texts in one call (much faster), then run `steps` on them."""
    staged = []
    texts: list[str] = []
    for article in articles:
        sentences = split_sentences(article.id, article.text, article.language)
        # Non-overlapping windows: every sentence once in the full-text index.
        passages = make_passages(article.id, article.text, sentences, max_sentences=3, stride=3)
        wanted = embedded_texts(article, passages, dense_passages)
        staged.append((article, sentences, passages, len(wanted)))
        texts.extend(wanted)
    vectors = embedder.embed_passages(texts)
    out = []
    offset = 0
    for article, sentences, passages, count in staged:
        out.append(AnalyzedArticle(article, sentences, passages, vectors[offset : offset + count]))
        offset += count
    run_steps(out, steps)  # claims, mentions and relations, each step over the whole batch (analyze/steps.py)
    return out


def ingest(
    paths: Iterable[str],
    store: Store,
    embedder: Embedder,
    *,
    batch_size: int = 64,
    max_bytes: int = 50_000_000,
    dense_passages: int = 1,
    on_progress: ProgressHook | None = None,
    steps: Sequence[AnalysisStep] = DEFAULT_STEPS,
    policy: HostPolicy = STRICT,
) -> IngestReport:
    """Ingest every document found under `paths` (URLs fetched under `policy`)."""
    return ingest_documents(iter_documents(paths, max_bytes, policy), store, embedder, batch_size=batch_size,
                            dense_passages=dense_passages, on_progress=on_progress, steps=steps)


def ingest_documents(
    documents: Iterable[RawDocument | ReadError],
    store: Store,
    embedder: Embedder,
    *,
    batch_size: int = 64,
    dense_passages: int = 1,
    on_progress: ProgressHook | None = None,
    steps: Sequence[AnalysisStep] = DEFAULT_STEPS,
) -> IngestReport:
    """Normalize, analyze and store raw documents from any source (files, an evaluation set, an API upload).

    The writer also brings the stored analysis up to date first (ingest/migrate.py): new articles are
    analysed by the current steps, so the old ones must be too before the index says it is current.
    """
    reextract_stale(store, steps)
    report = IngestReport()
    organizer = Organizer(store)  # copies and stories of each stored batch (ingest/organize.py)
    chunk: list[RawDocument | ReadError] = []

    def flush() -> None:
        if not chunk:
            return
        docs = list(chunk)
        chunk.clear()
        write_chunk(store, analyze_chunk(docs, embedder, dense_passages, store.known_ids, steps), report)
        organizer.run()
        if on_progress is not None:
            for doc in docs:
                on_progress(report, doc.origin)

    for doc in documents:
        chunk.append(scrub_item(doc))  # origins are printed
        if len(chunk) >= batch_size:
            flush()
    flush()
    organizer.run()  # nothing new, or an index from before copies and stories: the one-time catch-up
    if report.added:
        mark_steps_not_run(store, steps)
    return report


@dataclass
class ChunkResult:
    """What the per-chunk work (normalize, skip known, analyze) hands to the one writer.

    Plain data, so it can travel from a cluster worker back to the client that writes the store.
    """

    read: int = 0
    analyzed: list[AnalyzedArticle] = field(default_factory=list)  # new articles, ready for `add_batch`
    known: list[Article] = field(default_factory=list)  # already in the store: only their locations are added
    duplicates: int = 0  # the same text again within the chunk (its locations merged into the first)
    errors: list[ReadError] = field(default_factory=list)


def analyze_chunk(
    documents: Sequence[RawDocument | ReadError],
    embedder: Embedder,
    dense_passages: int = 1,
    known_ids: Callable[[list[str]], set[str]] | None = None,
    steps: Sequence[AnalysisStep] = DEFAULT_STEPS,
) -> ChunkResult:
    """Normalize and analyze a chunk of documents: the work local and cluster ingest share.

    `known_ids` (the store's, when there is one at hand) spares analysing articles already stored; a
    cluster worker has no store, so its articles are all analysed and `add_batch` tells new from known.
    """
    prepared = prepare_chunk(documents, known_ids)
    return analyze_prepared(prepared, embedder, dense_passages, steps)


@dataclass
class PreparedChunk:
    """A chunk normalized and sorted into new and known articles: what is left is the analysis (CPU-bound)."""

    result: ChunkResult  # read, known, duplicates and errors filled; `analyzed` still empty
    fresh: list[Article] = field(default_factory=list)  # articles to analyse
    origins: dict[str, str] = field(default_factory=dict)  # article id -> its document's origin (file:line)


def prepare_chunk(documents: Sequence[RawDocument | ReadError],
                  known_ids: Callable[[list[str]], set[str]] | None = None) -> PreparedChunk:
    """Normalize a chunk, merge texts seen twice in it, and set aside the articles `known_ids` says are stored."""
    result = ChunkResult()
    pending: dict[str, Article] = {}
    origins: dict[str, str] = {}  # pending id -> its document's origin (file:line), for error messages
    for doc in documents:
        if isinstance(doc, ReadError):
            result.errors.append(scrub_item(doc))
            continue
        result.read += 1
        doc = scrub_item(doc)
        try:
            article = normalize(doc)
        except ValueError as exc:  # normalize's own "why not" (no text, no main text in the HTML)
            result.errors.append(ReadError(doc.origin, str(exc) if is_plain(str(exc)) else
                                           unexpected("normalizing", doc.origin, exc)))
            continue
        except Exception as exc:
            result.errors.append(ReadError(doc.origin, unexpected("normalizing", doc.origin, exc)))
            continue
        if article.id in pending:
            # The same text twice in one chunk: one article, seen at both places.
            pending[article.id].locations.extend(article.locations)
            result.duplicates += 1
        else:
            pending[article.id] = article
            origins[article.id] = doc.origin
    known = known_ids(list(pending)) if known_ids is not None and pending else set()
    result.known = [a for a in pending.values() if a.id in known]
    fresh = [a for a in pending.values() if a.id not in known]
    return PreparedChunk(result, fresh, origins)


def analyze_prepared(prepared: PreparedChunk, embedder: Embedder, dense_passages: int = 1,
                     steps: Sequence[AnalysisStep] = DEFAULT_STEPS) -> ChunkResult:
    """Analyze a prepared chunk's new articles; one that yields no sentence is an error naming its origin."""
    result = prepared.result
    if prepared.fresh:
        for item in _analyze_batch_safely(prepared.fresh, embedder, result.errors, prepared.origins, dense_passages,
                                          steps):
            if item.sentences:
                result.analyzed.append(item)
            else:
                result.errors.append(ReadError(prepared.origins[item.article.id], "no sentences found in the text"))
    return result


def write_chunk(store: Store, result: ChunkResult, report: IngestReport) -> None:
    """Store a chunk's articles in one transaction and count them into `report` (the single writer's job)."""
    report.read += result.read
    report.known += result.duplicates
    for article in result.known:
        store.add_locations(article)
    report.known += len(result.known)
    added = store.add_batch(result.analyzed) if result.analyzed else []
    report.added += len(added)
    report.added_ids.extend(added)
    report.known += len(result.analyzed) - len(added)
    for error in result.errors:
        _fail(report, error)


def _analyze_batch_safely(batch: list[Article], embedder: Embedder, errors: list[ReadError],
                          origins: dict[str, str], dense_passages: int,
                          steps: Sequence[AnalysisStep]) -> list[AnalyzedArticle]:
    """Analyze a batch at once; if that fails, article by article so one bad text loses only itself."""
    try:
        return analyze_articles(batch, embedder, dense_passages, steps)
    except Exception:
        out = []
        for article in batch:
            try:
                out.extend(analyze_articles([article], embedder, dense_passages, steps))
            except Exception as exc:
                errors.append(ReadError(origins[article.id], unexpected("analysis", origins[article.id], exc)))
        return out


def _fail(report: IngestReport, error: ReadError) -> None:
    report.failed += 1
    report.errors.append(error)
