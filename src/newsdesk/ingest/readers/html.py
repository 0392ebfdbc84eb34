"""HTML pages: pass the markup on (normalize extracts the article) with the page's own URL.

Also a small tag stripper for HTML fragments (feed entries) and for pages
trafilatura cannot parse (e.g. nesting deeper than libxml2 allows). It uses the
standard library parser, which has no depth limit and never runs scripts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from newsdesk.ingest.decode import decode_bytes
from newsdesk.model import RawDocument, ReadError

_SKIP = {"script", "style", "noscript", "template", "svg", "math", "head", "title", "iframe", "object",
         "canvas", "button", "select", "textarea", "nav", "footer", "aside"}
_BLOCK = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
          "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "figure", "figcaption", "address",
          "hr", "body", "html", "details", "summary", "caption"}
_WHITESPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


class _TextCollector(HTMLParser):
    """Collects visible text, one paragraph per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skip_stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self._skip_stack:
            self._skip_stack.clear()  # <head> left unclosed, as HTML allows
        if tag in _SKIP:
            self._skip_stack.append(tag)
            return
        if tag in _BLOCK and not self._skip_stack:
            self._flush()
        elif tag == "br" and not self._skip_stack:
            self._current.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_stack:
            return
        if tag == "br":
            self._current.append("\n")
        elif tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_stack:
            if tag in self._skip_stack:
                while self._skip_stack.pop() != tag:
                    pass
            return
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_stack:
            self._current.append(_WHITESPACE.sub(" ", data))

    def _flush(self) -> None:
        lines = "".join(self._current).split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_text(html: str) -> str:
    """Visible text of an HTML page or fragment, paragraphs separated by blank lines."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "\n\n".join(collector.paragraphs)


class _HeadLinks(HTMLParser):
    """Finds <link rel=canonical> and <meta property=og:url> in the head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key.lower(): (value or "").strip() for key, value in attrs}
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href")
        elif tag == "meta" and values.get("property", values.get("name", "")).lower() == "og:url":
            self.og_url = self.og_url or values.get("content")
        elif tag == "body":
            self.done = True


def page_url(html: str) -> str | None:
    """The page's own absolute http(s) URL from rel=canonical or og:url, if it states one."""
    end = html.lower().find("<body")
    parser = _HeadLinks()
    parser.feed(html[: end if end >= 0 else 200_000])
    for candidate in (parser.canonical, parser.og_url):
        if candidate and re.match(r"https?://[^\s/]+", candidate, re.IGNORECASE):
            return candidate
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its start."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def read_html(
    origin: str, data: bytes, *, path: str | None, url: str | None
) -> Iterator[RawDocument | ReadError]:
    """Yield the page as one document; the URL is the page's canonical one, else where it was fetched."""
    try:
        html = decode_bytes(data, origin, declared=declared_charset(data))
    except ValueError as exc:
        yield ReadError(origin, str(exc).removeprefix(f"{origin}: "))
        return
    yield RawDocument(origin=origin, format="html", html=html, url=page_url(html) or url, path=path)
