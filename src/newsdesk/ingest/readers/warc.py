"""WARC and WARC.gz web archives: each successful HTML response is one page.

warcio stops silently at a truncated archive (a cut-off gzip member just ends
the iteration, a cut-off plain record comes back short), so truncation is
checked here explicitly and reported after the pages that could be read.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.readers.html import declared_charset, page_url
from newsdesk.model import RawDocument, ReadError

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_PAGE_RECORDS = ("response", "resource")
_CHUNK = 1 << 20
_MAX_PAGE = 20_000_000


def read_warc(origin: str, data: bytes, *, path: str | None) -> Iterator[RawDocument | ReadError]:
    """Yield one HTML document per 200 response record, then a ReadError if the archive is cut short.

    A record is handed on only once the next one has been read: warcio notices a Content-Length that
    is too short (the page cut mid-word) only when it looks for the next record, and then just
    writes a warning to stderr; that record is reported instead of its cut page being stored.
    """
    pages = 0
    number = 0
    problem: str | None = None
    archive = ArchiveIterator(io.BytesIO(data), arc2warc=True)
    records = _quietly(archive)
    pending: RawDocument | ReadError | None = None
    try:
        for number, record in enumerate(records, start=1):
            if pending is not None:
                yield _checked(pending, archive, number - 1)
            pending = None
            archive.err_count = 0  # what warcio found wrong with a record before it is about that record only
            if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                problem = f"truncated or corrupt: record {number} has no valid Content-Length header"
                break
            item = _page(record, f"{origin}#record {number}", path)
            _drain(record.raw_stream)
            if getattr(record.raw_stream, "limit", 0) > 0:
                problem = f"truncated: record {number} is incomplete"
                break
            if item is not None:
                pages += isinstance(item, RawDocument)
                pending = item
        else:
            if pending is not None:
                yield _checked(pending, archive, number)
                pending = None
            if data[archive.offset:].strip(b"\r\n\x00"):
                problem = f"truncated: the archive ends inside the record after record {number}"
    except Exception as exc:  # warcio fails on cut-off headers with AttributeError, not ArchiveLoadFailed
        kind = "corrupt" if isinstance(exc, ArchiveLoadFailed) else "truncated or corrupt"
        problem = f"{kind}: the archive could not be read after record {number}"  # warcio's words name its code
    if pending is not None:
        yield _checked(pending, archive, number)
    if data.startswith(b"\x1f\x8b") and (problem is None or "corrupt" in problem) and _gzip_truncated(data):
        problem = f"truncated: the archive ends inside the record after record {number}"
    if problem is not None:
        yield ReadError(origin, problem)
    elif pages == 0:
        yield ReadError(origin, f"no HTML pages with status 200 among {number} WARC records")


def _quietly(archive: ArchiveIterator) -> Iterator[Any]:
    """The archive's records, with warcio's warnings (written straight to stderr) kept off the terminal.

    Each is counted in `archive.err_count`, which `_checked` reads instead.
    """
    records = iter(archive)
    while True:
        with contextlib.redirect_stderr(io.StringIO()):
            record = next(records, None)
        if record is None:
            return
        yield record


def _checked(item: RawDocument | ReadError, archive: ArchiveIterator, number: int) -> RawDocument | ReadError:
    """The record's page, or why not when warcio found the record longer than its Content-Length said."""
    if isinstance(item, RawDocument) and archive.err_count:
        return ReadError(item.origin, f"record {number}'s Content-Length is shorter than the record:"
                                      " its page would be cut off")
    return item


def _page(record: Any, where: str, path: str | None) -> RawDocument | ReadError | None:
    """The HTML page in a record, or None for records that hold no page (requests, images, 404s...)."""
    if record.rec_type not in _PAGE_RECORDS:
        return None
    content_type = _content_type(record)
    if not content_type.split(";")[0].strip().lower().startswith(_HTML_TYPES):
        return None
    status = record.http_headers.get_statuscode() if record.http_headers else "200"
    if record.rec_type == "response" and status != "200":
        return None
    body = record.content_stream().read(_MAX_PAGE + 1)
    if len(body) > _MAX_PAGE:
        return ReadError(where, f"page is over {_MAX_PAGE:,} bytes")
    try:
        html = decode_bytes(body, where, declared=_charset(content_type) or declared_charset(body))
    except ValueError as exc:
        return ReadError(where, str(exc).removeprefix(f"{where}: "))
    target = record.rec_headers.get_header("WARC-Target-URI")
    metadata = {"crawl_date": record.rec_headers.get_header("WARC-Date"),
                "warc_record_id": record.rec_headers.get_header("WARC-Record-ID")}
    return RawDocument(origin=where, format="warc", html=html, url=page_url(html) or target, path=path,
                       metadata={key: value for key, value in metadata.items() if value})


def _content_type(record: object) -> str:
    """The payload's content type: the HTTP header for responses, the WARC header for resources."""
    http_headers = getattr(record, "http_headers", None)
    rec_headers = getattr(record, "rec_headers", None)
    if getattr(record, "rec_type", "") == "response" and http_headers is not None:
        return http_headers.get_header("Content-Type") or ""
    return (rec_headers.get_header("Content-Type") if rec_headers is not None else None) or ""


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _drain(stream: io.RawIOBase | object) -> None:
    """Read the rest of a record so its remaining length shows whether it was complete."""
    read = getattr(stream, "read", None)
    while read is not None and read(65_536):
        pass


def _gzip_truncated(data: bytes) -> bool:
    """True when a gzip member (of a multi-member stream) does not end properly.

    Decompresses in bounded steps and discards the output, so a hostile archive
    cannot make this allocate much.
    """
    position = 0
    while position < len(data):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            while not inflater.eof and position < len(data):
                chunk = data[position:position + _CHUNK]
                position += len(chunk)
                inflater.decompress(chunk, _CHUNK)
                while inflater.unconsumed_tail and not inflater.eof:
                    inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        except zlib.error:
            return True
        if not inflater.eof:
            return True
        position -= len(inflater.unused_data)
        while position < len(data) and data[position] == 0:
            position += 1
    return False
