"""Ingest: read -> normalize -> (skip known) -> analyze -> embed -> store, a transaction per batch.

Every document ends up counted exactly once in the report: added, already known,
or failed with a reason naming where it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from newsdesk.analyze.claims import extract_claims
from newsdesk.analyze.embedding import Embedder
from newsdesk.analyze.passages import make_passages
from newsdesk.analyze.relations import annotate as annotate_actors
from newsdesk.analyze.sentences import split_sentences
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.organize import Organizer
from newsdesk.ingest.readers import read_document
from newsdesk.ingest.sources import iter_inputs
from newsdesk.model import AnalyzedArticle, Article, IngestReport, Passage, RawDocument, ReadError
from newsdesk.store.base import Store

ProgressHook = Callable[[IngestReport, str], None]


def iter_documents(paths: Iterable[str], max_bytes: int) -> Iterator[RawDocument | ReadError]:
    """Every raw document (or error) found under `paths`, in a deterministic order."""
    for item in iter_inputs(paths, max_bytes=max_bytes):
        if isinstance(item, ReadError):
            yield item
            continue
        origin, data = item
        try:
            yield from read_document(origin, data)
        except Exception as exc:  # a reader bug must not stop the batch
            yield ReadError(origin, f"could not be read: {type(exc).__name__}: {exc}")


# Characters of an article's lead embedded with its title when only the lead is embedded.
LEAD_CHARS = 700


def analyze_article(article: Article, embedder: Embedder, dense_passages: int = 1) -> AnalyzedArticle:
    """Sentences, passages and vectors for one article."""
    return analyze_articles([article], embedder, dense_passages)[0]


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


def analyze_articles(articles: list[Article], embedder: Embedder, dense_passages: int = 1) -> list[AnalyzedArticle]:
    """Analyze several articles, embedding all their texts in one call (much faster)."""
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
        out.append(AnalyzedArticle(article, sentences, passages, vectors[offset : offset + count],
                                   claims=extract_claims(article, sentences)))
        offset += count
    annotate_actors(out)  # mentions and relations (analyze.relations), one parse of the batch
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
) -> IngestReport:
    """Ingest every document found under `paths`."""
    return ingest_documents(iter_documents(paths, max_bytes), store, embedder, batch_size=batch_size,
                            dense_passages=dense_passages, on_progress=on_progress)


def ingest_documents(
    documents: Iterable[RawDocument | ReadError],
    store: Store,
    embedder: Embedder,
    *,
    batch_size: int = 64,
    dense_passages: int = 1,
    on_progress: ProgressHook | None = None,
) -> IngestReport:
    """Normalize, analyze and store raw documents from any source (files, an evaluation set, an API upload)."""
    report = IngestReport()
    organizer = Organizer(store)  # copies and stories of each stored batch (ingest/organize.py)
    pending: dict[str, Article] = {}
    origins: dict[str, str] = {}  # pending id -> its document's origin (file:line), for error messages

    def flush() -> None:
        if not pending:
            return
        batch = list(pending.values())
        where = dict(origins)
        pending.clear()
        origins.clear()
        analyzed = _analyze_batch_safely(batch, embedder, report, where, dense_passages)
        good = [a for a in analyzed if a.sentences]
        for item in analyzed:
            if not item.sentences:
                _fail(report, ReadError(where[item.article.id], "no sentences found in the text"))
        added = store.add_batch(good)
        report.added += len(added)
        report.added_ids.extend(added)
        report.known += len(good) - len(added)
        organizer.run()

    for doc in documents:
        if isinstance(doc, ReadError):
            _fail(report, doc)
        else:
            report.read += 1
            try:
                article = normalize(doc)
            except Exception as exc:
                _fail(report, ReadError(doc.origin, str(exc) or type(exc).__name__))
            else:
                if article.id in pending:
                    # The same text twice in one batch: one article, seen at both places.
                    pending[article.id].locations.extend(article.locations)
                    report.known += 1
                elif store.known_ids([article.id]):
                    store.add_locations(article)
                    report.known += 1
                else:
                    pending[article.id] = article
                    origins[article.id] = doc.origin
                    if len(pending) >= batch_size:
                        flush()
        if on_progress is not None:
            on_progress(report, doc.origin)
    flush()
    organizer.run()  # nothing new, or an index from before copies and stories: the one-time catch-up
    return report


def _analyze_batch_safely(batch: list[Article], embedder: Embedder, report: IngestReport,
                          origins: dict[str, str], dense_passages: int) -> list[AnalyzedArticle]:
    """Analyze a batch at once; if that fails, article by article so one bad text loses only itself."""
    try:
        return analyze_articles(batch, embedder, dense_passages)
    except Exception:
        out = []
        for article in batch:
            try:
                out.extend(analyze_articles([article], embedder, dense_passages))
            except Exception as exc:
                _fail(report, ReadError(origins[article.id], f"analysis failed: {exc}"))
        return out


def _fail(report: IngestReport, error: ReadError) -> None:
    report.failed += 1
    report.errors.append(error)
