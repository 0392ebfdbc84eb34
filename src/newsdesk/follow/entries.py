"""A fetched feed as a list of entries: RSS and Atom (feedparser), JSON Feed, news sitemaps.

The format is told by content, not by the URL. Each entry has a stable GUID (its id, else its link,
else a hash of its title and text) by which a feed's entries are deduplicated across polls. An entry
that carries only a summary (or, in a sitemap, nothing but its link) is marked so: the poll fetches
its page. Sitemaps are read with the standard library's XML parser after refusing any DOCTYPE, so no
entity can be declared, expanded or fetched (the care defusedxml takes).
"""

from __future__ import annotations

import hashlib
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import feedparser

from newsdesk.ingest.readers.html import html_to_text

_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class FeedError(ValueError):
    """A fetched document that is not a feed newsdesk can read (the reason is a plain sentence)."""


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    link: str | None
    title: str | None
    published: str | None
    text: str  # the entry's content, else its summary (may be empty in a sitemap)
    summary_only: bool  # no full content: its page is fetched when it has a link
    author: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    kind: str  # rss/atom (feedparser's version name), json, sitemap
    title: str | None
    language: str | None
    entries: list[FeedEntry]


def parse_feed(data: bytes) -> ParsedFeed:
    """The entries of a feed document; FeedError when it holds none that can be read."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _json_feed(data)
    if b"<urlset" in data[:2048]:
        return _sitemap(data)
    return _rss_or_atom(data)


def _guid(*parts: str | None) -> str:
    for part in parts[:2]:
        if part and part.strip():
            return part.strip()
    digest = hashlib.sha256("\n".join(p or "" for p in parts[2:]).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"


def _clean(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# -- RSS and Atom ------------------------------------------------------------------------------------------


def _rss_or_atom(data: bytes) -> ParsedFeed:
    try:
        # A stream, never bytes/str: feedparser fetches strings that look like URLs.
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # feedparser raises on some corrupt declarations
        raise FeedError(f"the feed could not be parsed ({type(exc).__name__}: {exc})") from exc
    if not parsed.entries:
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        raise FeedError(f"the feed could not be parsed ({problem})" if problem else "the feed has no entries")
    feed = parsed.get("feed", {})
    entries = []
    for entry in parsed.entries:
        text, full = _entry_text(entry)
        link = _clean(entry.get("link"))
        title = _clean(entry.get("title"))
        entries.append(FeedEntry(
            guid=_guid(_clean(entry.get("id")), link, title, text), link=link, title=title,
            published=_clean(entry.get("published") or _own(entry, "updated")), text=text, summary_only=not full,
            author=_clean(entry.get("author")), language=_entry_language(entry),
        ))
    return ParsedFeed(str(parsed.get("version") or "feed"), _clean(feed.get("title")), _clean(feed.get("language")),
                      entries)


def _entry_text(entry: Any) -> tuple[str, bool]:
    """The longest content block as plain text (full: True), else the summary (False)."""
    blocks = [b for b in entry.get("content") or [] if (b.get("value") or "").strip()]
    if blocks:
        return _plain(max(blocks, key=lambda b: len(b.get("value", "")))), True
    if entry.get("summary_detail"):
        return _plain(entry["summary_detail"]), False
    return (entry.get("summary") or "").strip(), False


def _plain(block: Any) -> str:
    value = block.get("value") or ""
    if (block.get("type") or "text/html").lower() in _HTML_TYPES:
        return html_to_text(value)
    return str(value).strip()


def _own(entry: Any, key: str) -> Any:
    """A field the entry really has (feedparser maps a missing `updated` to `published`, with a warning)."""
    return dict.get(entry, key)


def _entry_language(entry: Any) -> str | None:
    for block in entry.get("content") or []:
        if block.get("language"):
            return str(block["language"])
    return None


# -- JSON Feed (https://jsonfeed.org/version/1.1) ----------------------------------------------------------


def _json_feed(data: bytes) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"the JSON feed could not be parsed ({exc})") from exc
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError("the JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items")
    if not isinstance(items, list) or not items:
        raise FeedError("the feed has no entries")
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = _clean(item.get("url"))
        title = _clean(item.get("title"))
        html = _clean(item.get("content_html"))
        full = _clean(item.get("content_text")) or (html_to_text(html) if html else None)
        text = full or _clean(item.get("summary")) or ""
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        author = next((_clean(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")), None)
        raw_id = item.get("id")
        entries.append(FeedEntry(
            guid=_guid(str(raw_id) if raw_id is not None else None, link, title, text), link=link, title=title,
            published=_clean(item.get("date_published") or item.get("date_modified")), text=text,
            summary_only=full is None, author=author, language=_clean(item.get("language")),
        ))
    if not entries:
        raise FeedError("the feed has no entries")
    return ParsedFeed("json", _clean(doc.get("title")), _clean(doc.get("language")), entries)


# -- news sitemaps (https://www.google.com/schemas/sitemap-news/0.9) ----------------------------------------


def _sitemap(data: bytes) -> ParsedFeed:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise FeedError("the sitemap declares a DOCTYPE or entities, which are refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"the sitemap could not be parsed ({exc})") from exc
    if root.tag != f"{_SITEMAP}urlset":
        raise FeedError("the XML document is not a sitemap (no urlset)")
    entries = []
    title = language = None
    for url in root.iter(f"{_SITEMAP}url"):
        link = _clean(url.findtext(f"{_SITEMAP}loc"))
        if not link:
            continue
        news = url.find(f"{_NEWS}news")
        entry_title = published = entry_language = None
        if news is not None:
            entry_title = _clean(news.findtext(f"{_NEWS}title"))
            published = _clean(news.findtext(f"{_NEWS}publication_date"))
            title = title or _clean(news.findtext(f"{_NEWS}publication/{_NEWS}name"))
            entry_language = _clean(news.findtext(f"{_NEWS}publication/{_NEWS}language"))
            language = language or entry_language
        published = published or _clean(url.findtext(f"{_SITEMAP}lastmod"))
        entries.append(FeedEntry(guid=link, link=link, title=entry_title, published=published, text="",
                                 summary_only=True, language=entry_language))
    if not entries:
        raise FeedError("the sitemap has no entries")
    return ParsedFeed("sitemap", title, language, entries)
