"""Export an index to JSON Lines and import it into another one, without re-analysing anything.

The file is a header line, then one line per article with everything the store keeps about it:
the article with its metadata and every location, sentence and passage offsets, the stored
vectors, claims, mentions and relations. Sentence, passage and mention texts are not written:
they are spans of the article text and are cut from it again on import.

Vectors travel as base64 of little-endian float16, the precision the SQLite index stores them in,
so a round trip is bit for bit and the file half the size of float32 (a backend that keeps float32
loses nothing it had at ingest: vectors are L2-normalised and float16 keeps ~3 decimal digits).

Only the `Store` protocol is used, so any backend can be the source or the target.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any, TextIO

import numpy as np

from newsdesk.analyze.embedding import EMBEDDERS
from newsdesk.ingest.normalize import content_id
from newsdesk.model import (
    AnalyzedArticle,
    Article,
    Claim,
    IngestReport,
    Location,
    Mention,
    Passage,
    ReadError,
    Relation,
    Sentence,
)
from newsdesk.store.base import Store, StoreError

FORMAT = "newsdesk.export/1"
VECTOR_DTYPE = "<f2"  # little-endian float16
_META_KEYS = ("claims_version", "relations_version")  # how current the stored analysis is


class ImportRefused(StoreError):
    """The whole file cannot go into this index (not an export, another format version, another embedder)."""


# -- export -------------------------------------------------------------------------------------------


def export_index(store: Store, out: TextIO, *, chunk: int = 200) -> int:
    """Write the header and one line per article of `store` to `out`; returns the number of articles."""
    ids = store.article_ids_as_added()  # an import then forms the same copy groups and stories
    embedder = store.get_meta("embedder")
    first = next(iter(store.article_vectors(ids[:50]).values()), None) if ids else None
    header = {
        "format": FORMAT,
        "embedder": embedder,
        "dim": int(first.shape[1]) if first is not None else _known_dim(embedder),
        "vector_dtype": "float16",
        "articles": len(ids),
        "meta": {k: v for k in _META_KEYS if (v := store.get_meta(k)) is not None},
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    for i in range(0, len(ids), chunk):
        for record in _records(store, ids[i : i + chunk]):
            out.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    return len(ids)


def _records(store: Store, ids: list[str]) -> Iterator[dict[str, Any]]:
    articles = store.articles(ids)
    passages: dict[str, list[Passage]] = {}
    for p in store.lead_passages(ids, 1 << 30):
        passages.setdefault(p.article_id, []).append(p)
    vectors = store.article_vectors(ids)
    claims = _by_article(store.claims(ids))
    mentions = _by_article(store.mentions(ids))
    relations = _by_article(store.article_relations(ids))
    for aid in ids:
        art = articles.get(aid)
        if art is None:  # deleted meanwhile
            continue
        matrix = vectors.get(aid, np.zeros((0, 0), dtype=np.float16))
        yield {
            "article": {
                "id": art.id, "title": art.title, "text": art.text, "outlet": art.outlet,
                "published": art.published, "language": art.language, "author": art.author, "url": art.url,
                "path": art.path, "metadata": art.metadata,
                "locations": [{"url": loc.url, "path": loc.path} for loc in art.locations],
            },
            "sentences": [[s.start, s.end] for s in store.sentences(aid)],
            "passages": [[p.first_sentence, p.last_sentence, p.start, p.end] for p in passages.get(aid, [])],
            "vectors": base64.b64encode(np.ascontiguousarray(matrix, dtype=VECTOR_DTYPE).tobytes()).decode("ascii"),
            "claims": [_plain(c, drop=("article_id",)) for c in claims.get(aid, [])],
            "mentions": [_plain(m, drop=("article_id", "text")) for m in mentions.get(aid, [])],
            "relations": [_plain(r, drop=("article_id",)) for r in relations.get(aid, [])],
        }


def _by_article(items: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(item.article_id, []).append(item)
    return out


def _plain(item: Any, drop: tuple[str, ...]) -> dict[str, Any]:
    """A dataclass as JSON-safe fields: infinite bounds ("at least 61" has no upper one) as strings."""
    out = {}
    for key, value in asdict(item).items():
        if key in drop:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)  # "inf" / "-inf"; float() reads them back
        out[key] = value
    return out


def _known_dim(embedder: str | None) -> int | None:
    factory = EMBEDDERS.get(embedder or "")
    dim = getattr(factory, "dim", None)
    return int(dim) if dim is not None else None


# -- import -------------------------------------------------------------------------------------------


def import_index(store: Store, lines: Iterable[str], *, source: str = "-", batch_size: int = 64) -> IngestReport:
    """Add every article of an export to `store`, in `add_batch` transactions of `batch_size`.

    Articles already in the index only gain their locations. A bad line is reported by its line number
    and skipped; the rest goes on. A file that is not an export, or was made with another embedder
    than the target index's, is refused as a whole (`ImportRefused`) before anything is written.
    """
    numbered = iter(enumerate(lines, 1))
    header, line_no = _read_header(numbered, source)
    _check_embedder(store, header, source)
    was_empty = store.article_count() == 0
    dim = header.get("dim")
    report = IngestReport()
    batch: list[AnalyzedArticle] = []
    seen: set[str] = set()

    def flush() -> None:
        if batch:
            added = store.add_batch(batch)
            report.added += len(added)
            report.added_ids.extend(added)
            report.known += len(batch) - len(added)
            batch.clear()
            seen.clear()

    for line_no, line in numbered:
        if not line.strip():
            continue
        report.read += 1
        try:
            item = _analyzed(json.loads(line), dim)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            report.failed += 1
            report.errors.append(ReadError(f"{source}:{line_no}", f"bad export record: {_reason(exc)}"))
            continue
        if item.article.id in seen:  # the same article twice in one batch: flush so add_batch sees it
            flush()
        seen.add(item.article.id)
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    expected = header.get("articles")
    if isinstance(expected, int) and report.read < expected:
        report.errors.append(ReadError(
            source, f"the header announces {expected} articles but only {report.read} records follow "
                    "(the file was cut short?)"))
        report.failed += expected - report.read
    if was_empty:  # the target's analysis is exactly as current as the source's
        for key, value in (header.get("meta") or {}).items():
            if key in _META_KEYS and isinstance(value, str):
                store.set_meta(key, value)
    return report


def _read_header(numbered: Iterator[tuple[int, str]], source: str) -> tuple[dict[str, Any], int]:
    for line_no, line in numbered:
        if not line.strip():
            continue
        try:
            header = json.loads(line)
        except ValueError as exc:
            raise ImportRefused(f"{source}:{line_no}: not a newsdesk export (no header: {exc})") from exc
        if not isinstance(header, dict) or "format" not in header:
            raise ImportRefused(f"{source}:{line_no}: not a newsdesk export (the first line has no \"format\")")
        if header["format"] != FORMAT:
            raise ImportRefused(f"{source}:{line_no}: export format {header['format']!r} is not {FORMAT!r}")
        return header, line_no
    raise ImportRefused(f"{source}: empty file, not a newsdesk export")


def _check_embedder(store: Store, header: dict[str, Any], source: str) -> None:
    theirs = header.get("embedder")
    ours = store.get_meta("embedder")
    if not theirs:
        if store.article_count():
            raise ImportRefused(f"{source}: the export names no embedder; import it into an empty index")
        return
    if ours is not None and ours != theirs:
        raise ImportRefused(f"{source}: the export's vectors come from embedder {theirs!r} but this index uses "
                            f"{ours!r}; import into a new index (or one built with {theirs!r})")
    known = _known_dim(theirs)
    if known is not None and header.get("dim") not in (None, known):
        raise ImportRefused(f"{source}: the header says {theirs!r} vectors have {header.get('dim')} dimensions, "
                            f"but that embedder makes {known}")
    if ours is None:
        store.set_meta("embedder", theirs)


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc}"
    return str(exc) or type(exc).__name__


def _analyzed(record: Any, dim: int | None) -> AnalyzedArticle:
    """One export line back into what `add_batch` takes, checking every offset against the text."""
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    a = record["article"]
    text = a["text"]
    if not isinstance(text, str) or not text:
        raise ValueError("article text is missing or empty")
    if a["id"] != content_id(text):
        raise ValueError(f"article id {a['id']!r} does not match its text (changed or damaged)")
    article = Article(
        id=a["id"], text=text, title=str(a["title"]), outlet=a.get("outlet"), published=a.get("published"),
        language=a.get("language"), author=a.get("author"), url=a.get("url"), path=a.get("path"),
        metadata=dict(a.get("metadata") or {}),
        locations=[Location(loc.get("url"), loc.get("path")) for loc in a.get("locations") or []],
    )
    aid = article.id
    sentences = [Sentence(aid, i, int(start), int(end), _span(text, start, end, "sentence"))
                 for i, (start, end) in enumerate(record["sentences"])]
    if not sentences:
        raise ValueError("the article has no sentences")
    passages = []
    for i, (first, last, start, end) in enumerate(record["passages"]):
        if not 0 <= first <= last < len(sentences):
            raise ValueError(f"passage {i} names sentences {first}..{last} of {len(sentences)}")
        passages.append(Passage(aid, i, int(first), int(last), int(start), int(end),
                                _span(text, start, end, "passage")))
    raw = base64.b64decode(record["vectors"], validate=True)
    vectors = np.frombuffer(raw, dtype=VECTOR_DTYPE)
    width = dim or (len(vectors) // max(len(passages), 1))
    if width <= 0 or len(vectors) % width:
        raise ValueError(f"{len(raw)} bytes of vectors do not make rows of {width} dimensions")
    vectors = vectors.reshape(-1, width).astype(np.float16)
    if len(vectors) > len(passages) or (passages and not len(vectors)):
        raise ValueError(f"{len(passages)} passages but {len(vectors)} vectors")
    claims = [_claim(aid, c, text) for c in record.get("claims") or []]
    mentions = [Mention(article_id=aid, text=_span(text, m["start"], m["end"], "mention"),
                        **_only(m, Mention, ("article_id", "text"))) for m in record.get("mentions") or []]
    relations = [Relation(article_id=aid, **_only(r, Relation, ("article_id",))) for r in record.get("relations") or []]
    for r in relations:
        _span(text, r.start, r.end, "relation")
    return AnalyzedArticle(article, sentences, passages, vectors, claims=claims, mentions=mentions,
                           relations=relations)


def _claim(aid: str, data: dict[str, Any], text: str) -> Claim:
    values = _only(data, Claim, ("article_id",))
    for key in ("low", "high"):
        if isinstance(values.get(key), str):
            values[key] = float(values[key])
    claim = Claim(article_id=aid, **values)
    _span(text, claim.start, claim.end, "claim")
    return claim


def _only(data: dict[str, Any], cls: type, drop: tuple[str, ...]) -> dict[str, Any]:
    """The fields of `cls` found in `data`; an unknown field is an error, not silently dropped."""
    names = {f.name for f in fields(cls)} - set(drop)
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"unknown {cls.__name__.lower()} field(s) {', '.join(sorted(unknown))}")
    return {k: v for k, v in data.items() if k in names}


def _span(text: str, start: Any, end: Any, what: str) -> str:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise ValueError(f"{what} offsets {start}..{end} fall outside the text ({len(text)} characters)")
    return text[start:end]
