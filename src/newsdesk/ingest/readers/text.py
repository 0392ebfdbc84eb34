"""Plain text and Markdown: one file, one article, the first line as title when it is one.

The headline and caption tests live here because they are knowledge about how
news text is laid out; normalize reuses them to derive titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsdesk.model import RawDocument, ReadError

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_CREDIT_WORDS = re.compile(
    r"^(?:video|videos|photo|photos|image|images|picture|credit|credits|graphic|illustration|foto|bild|"
    r"file photo|screenshot)\b",
    re.IGNORECASE,
)
_AGENCIES = re.compile(r"\b(?:ap|afp|reuters|getty(?: images)?|epa|dpa|ansa|xinhua|anadolu|efe)(?: photo)?$",
                       re.IGNORECASE)
_TRAILING_PARENS = re.compile(r"\(([^()]{1,120})\)\W*$")
_DATELINE_END = re.compile(r"[\s(][-\u2013\u2014]{1,2}$")
"""A place and/or outlet followed by a dash, on a line of its own: "London CNN —", "BERLIN (dpa) -"."""


def is_caption(paragraph: str) -> bool:
    """True for a photo/video caption: a paragraph ending in a parenthesised credit.

    e.g. "... (Video: Reuters / Photo: AP)" or "... (Arshad Butt/AP)".
    """
    match = _TRAILING_PARENS.search(paragraph.strip())
    if not match:
        return False
    credit = match.group(1).strip()
    return "/" in credit or bool(_CREDIT_WORDS.match(credit)) or bool(_AGENCIES.search(credit))


def headline(line: str) -> str | None:
    """The line as a headline (Markdown `#` marks removed), or None if it reads as body text.

    A headline is short, has no sentence-final period and is not a caption.
    """
    heading = _MD_HEADING.match(line)
    candidate = (heading.group(1) if heading else line).strip().strip("*_").strip()
    if not candidate or not any(ch.isalpha() for ch in candidate):
        return None
    if len(candidate) > 150 or len(candidate.split()) > 25:
        return None
    if candidate[-1] in ".,;:" and not candidate.endswith("..."):
        return None
    if is_caption(candidate) or is_dateline(candidate):
        return None
    return candidate


def is_dateline(paragraph: str) -> bool:
    """True for a dateline standing alone ("Washington CNN —"): the story's place and source, not its headline."""
    text = " ".join(paragraph.split())
    return len(text) <= 60 and len(text.split()) <= 8 and bool(_DATELINE_END.search(text))


def read_text(
    origin: str, text: str, *, path: str | None, url: str | None
) -> Iterator[RawDocument | ReadError]:
    """Yield the whole text as one document; the first line becomes the title if it is a headline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        yield ReadError(origin, "empty (whitespace only)")
        return
    stripped = text.lstrip("\n \t")
    first, _, rest = stripped.partition("\n")
    title = headline(first)
    if title is not None and rest.strip():
        body = rest.strip("\n")
    else:
        title, body = None, text
    yield RawDocument(origin=origin, format="text", text=body, title=title, path=path, url=url)
