"""RSS and Atom feeds: one document per entry, with the feed's title as outlet.

feedparser is lenient on purpose: a feed with XML errors ("bozo") still gives
its entries, and those are kept; only a feed with no entries at all fails.
Entry bodies are HTML fragments, too short for page extraction, so their tags
are stripped here (feedparser has already removed scripts and event handlers).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import feedparser

from newsdesk.ingest.readers.html import html_to_text
from newsdesk.ingest.reasons import unexpected
from newsdesk.model import RawDocument, ReadError

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHAR_REFERENCE = re.compile(rb"&#(?:[xX](?P<hex>[0-9a-fA-F]+)|(?P<dec>[0-9]+));")
_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


def read_feed(origin: str, data: bytes, *, path: str | None) -> Iterator[RawDocument | ReadError]:
    """Yield one document per entry that has text; report entries without text."""
    try:
        parsed = _parse(_valid_references(data))
    except Exception as exc:  # feedparser crashes on some corrupt declarations and namespaces
        yield ReadError(origin, unexpected("the feed parser", origin, exc))
        return
    feed = parsed.get("feed", {})
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if parsed.get("bozo") and problem else ""
        yield ReadError(origin, f"feed has no entries{detail}")
        return
    outlet = _clean(feed.get("title"))
    language = _clean(feed.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#entry {number}"
        text = _entry_text(entry)
        if not text:
            yield ReadError(where, "feed entry has no content or summary")
            continue
        metadata: dict[str, Any] = {}
        if entry.get("id"):
            metadata["entry_id"] = entry["id"]
        tags = [tag.get("term") for tag in entry.get("tags") or [] if tag.get("term")]
        if tags:
            metadata["tags"] = tags
        if feed.get("link"):
            metadata["feed_link"] = feed["link"]
        yield RawDocument(
            origin=where,
            format="feed",
            text=text,
            url=_clean(entry.get("link")),
            path=path,
            title=_clean(entry.get("title")),
            published=_clean(entry.get("published") or entry.get("updated")),
            outlet=outlet,
            language=_entry_language(entry) or language,
            author=_clean(entry.get("author")),
            metadata=metadata,
        )


def _parse(data: bytes) -> Any:
    """feedparser, retried once on our own UTF-8 decoding without the XML declaration.

    feedparser raises (instead of setting bozo) when the declared encoding is
    itself garbled, e.g. encoding="\x8btf-8".
    """
    # A stream, never bytes/str: feedparser fetches strings that look like URLs.
    try:
        return feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception:
        text = _XML_DECLARATION.sub("", data.decode("utf-8", "replace"), count=1)
        return feedparser.parse(io.BytesIO(text.encode("utf-8")), sanitize_html=True,
                                resolve_relative_uris=False)


def _valid_references(data: bytes) -> bytes:
    """Numeric character references to no character (a lone surrogate, past U+10FFFF, NUL) as U+FFFD.

    feedparser turns `&#xDC00;` into a string no encoder takes and raises on `&#x110000;`, losing
    the whole feed for one bad entity; the damaged character alone is marked instead.
    """

    def fix(match: re.Match[bytes]) -> bytes:
        digits = match.group("hex") or match.group("dec")
        value = int(digits, 16 if match.group("hex") else 10) if len(digits) <= 12 else -1
        return match.group(0) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else b"&#xFFFD;"

    return _CHAR_REFERENCE.sub(fix, data) if b"&#" in data else data


def _entry_text(entry: Any) -> str:
    """The longest content block, else the summary, as plain text."""
    blocks = [block for block in entry.get("content") or [] if (block.get("value") or "").strip()]
    if blocks:
        block = max(blocks, key=lambda b: len(b.get("value", "")))
    elif entry.get("summary_detail"):
        block = entry["summary_detail"]
    else:
        return (entry.get("summary") or "").strip()
    value = block.get("value") or ""
    if (block.get("type") or "text/html").lower() in _HTML_TYPES:
        return html_to_text(value)
    return value.strip()


def _entry_language(entry: Any) -> str | None:
    for block in entry.get("content") or []:
        if block.get("language"):
            return str(block["language"])
    return None


def _clean(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
