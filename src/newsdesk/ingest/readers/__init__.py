"""One entry point for every input format: detect by content, then hand to that format's reader.

Nothing raised by a reader escapes: a bad file (or a bad record inside one)
becomes a ReadError naming where and why, and the batch goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.detect import detect_format, sniff_binary
from newsdesk.ingest.readers.feed import read_feed
from newsdesk.ingest.readers.html import read_html
from newsdesk.ingest.readers.jsonl import read_jsonl
from newsdesk.ingest.readers.text import read_text
from newsdesk.ingest.readers.warc import read_warc
from newsdesk.ingest.reasons import unexpected
from newsdesk.model import RawDocument, ReadError

__all__ = ["read_document"]

_URL = re.compile(r"^https?://", re.IGNORECASE)


def read_document(origin: str, data: bytes) -> Iterator[RawDocument | ReadError]:
    """Yield the documents in one input (a file, stdin or a fetched URL), or errors saying why not."""
    if not data:
        yield ReadError(origin, "empty")
        return
    if not data.strip():
        yield ReadError(origin, "empty (whitespace only)")
        return
    url = origin if _URL.match(origin) else None
    path = None if url or origin == "<stdin>" else origin
    fmt = detect_format(origin, data)
    try:
        if fmt == "binary":
            yield ReadError(origin, _binary_reason(origin, data))
        elif fmt == "warc":
            yield from read_warc(origin, data, path=path)
        elif fmt == "feed":
            yield from read_feed(origin, data, path=path)
        elif fmt == "html":
            yield from read_html(origin, data, path=path, url=url)
        else:
            try:
                text = decode_bytes(data, origin)
            except ValueError as exc:
                yield ReadError(origin, str(exc).removeprefix(f"{origin}: "))
                return
            if fmt == "jsonl":
                yield from read_jsonl(origin, text, path=path)
            else:
                yield from read_text(origin, text, path=path, url=url)
    except Exception as exc:  # a reader bug or a library choking must not stop the batch
        yield ReadError(origin, unexpected(f"the {fmt} reader", origin, exc))


def _binary_reason(origin: str, data: bytes) -> str:
    kind = sniff_binary(data) or "binary data"
    advice = "; convert it to text or HTML first" if kind.endswith("document") else ""
    return f"binary file ({kind}) is not a supported format{advice}"
