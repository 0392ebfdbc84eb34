"""Turn a RawDocument into an Article: clean text, content-addressed id, title, outlet, date, language.

The id depends on the text alone (whitespace runs collapsed), so the same
story read twice, or at two URLs, is one article seen in two places.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import dateparser
import trafilatura
from trafilatura.settings import use_config

from newsdesk.analyze.language import detect_language
from newsdesk.analyze.vocabulary import COMMON_WORDS_FILE, data_file
from newsdesk.ingest.readers.html import html_to_text
from newsdesk.ingest.readers.text import is_caption, is_dateline
from newsdesk.model import Article, Location, RawDocument
from newsdesk.net.fetch import is_web_url

TITLE_CHARS = 100
_ID_CHARS = 20

_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*"
                      r"(?:[+-]\d{4}|GMT|UT|UTC|Z)$")
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-ZÀ-ÖØ-Þ0-9]|\s*$)")
_ABBREVIATIONS = set(data_file(COMMON_WORDS_FILE)["en"]["abbreviations"].split())
# No relative dates ("yesterday") and no Unix timestamps (read in the machine's local zone):
# the fields parsed here are meant to be absolute, and the result must not depend on when it runs.
_DATEPARSER_SETTINGS: dict[str, Any] = {"PARSERS": ["custom-formats", "absolute-time"],
                                        "REQUIRE_PARTS": ["day", "month", "year"]}


def normalize(raw: RawDocument) -> Article:
    """Build the Article for `raw`; raise ValueError saying why when it has no usable text."""
    extracted: dict[str, Any] = {}
    if raw.html is not None:
        extracted = extract_html(raw.html, raw.url)
        body = extracted.get("text") or ""
    else:
        body = raw.text or ""
    text = clean_text(body)
    title = _clean_line(raw.title) or _clean_line(extracted.get("title"))
    if title and raw.html is not None:
        text = _drop_leading_title(text, title)
    if not text.strip():
        # The reason only: callers pair it with raw.origin (as ReadError does).
        raise ValueError("no main text found in the HTML" if raw.html is not None else "no text")
    url = raw.url or extracted.get("url")
    metadata = {**raw.metadata, "format": raw.format}
    if url and not is_web_url(url):  # javascript:, data:, a file path: never a link; kept as text only
        metadata["url_text"] = url
        url = None
    return Article(
        id=content_id(text),
        text=text,
        title=title or derive_title(text),
        outlet=_clean_line(raw.outlet) or _clean_line(extracted.get("sitename")) or outlet_from_url(url),
        published=(parse_date(raw.published) or parse_date(extracted.get("date"))
                   or parse_date(raw.metadata.get("crawl_date"))),
        language=_language_code(raw.language) or detect_language(text),
        author=_clean_line(raw.author) or _clean_line(extracted.get("author")),
        url=url,
        path=raw.path,
        metadata=metadata,
        locations=[Location(url=url, path=raw.path)],
    )


def content_id(text: str) -> str:
    """First 20 hex chars of sha256 over the text with whitespace runs collapsed to one space."""
    canonical = _WHITESPACE.sub(" ", text).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:_ID_CHARS]


def clean_text(text: str) -> str:
    """NFC, \\n line endings, no trailing spaces or control characters, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = text.replace("\x0c", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", text)
    text = _TRAILING.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def extract_html(html: str, url: str | None = None) -> dict[str, Any]:
    """Main text and metadata of a page with trafilatura, falling back to all visible text.

    Settings favour precision and determinism: no comments, no cross-document
    deduplication cache, no signal-based timeout (which only works in the main
    thread), no guessing dates from running text.
    """
    document = None
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": False,
                                    "max_date": datetime.now(UTC).strftime("%Y-%m-%d")},
            config=_trafilatura_config(),
        )
    except Exception:  # trafilatura/lxml can raise on pathological markup; the fallback copes
        document = None
    result: dict[str, Any] = {}
    if document is not None:
        result = {key: getattr(document, key, None) for key in ("title", "author", "url", "sitename", "date")}
        # trafilatura puts one paragraph per line; the article format is one blank line between paragraphs.
        # trafilatura annotates a Document-or-dict result, but without as_dict=True it is always a Document.
        text = document.text  # type: ignore[union-attr]
        result["text"] = "\n\n".join(line for line in (text or "").split("\n") if line.strip())
    if not result.get("text"):
        result["text"] = html_to_text(html)
    return result


def derive_title(text: str) -> str:
    """The first sentence of the first paragraph that is not a caption or a dateline, cut to ~100 chars at a word."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    chosen = next((p for p in paragraphs if not is_caption(p) and not is_dateline(p)),
                  paragraphs[0] if paragraphs else "")
    sentence = _first_sentence(" ".join(chosen.split()))
    if len(sentence) <= TITLE_CHARS:
        return sentence.rstrip(".") if sentence.endswith(".") and not sentence.endswith("...") else sentence
    cut = sentence[: TITLE_CHARS + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > TITLE_CHARS // 2 else sentence[:TITLE_CHARS]
    return cut.rstrip(" ,;:-–—") + "…"


def outlet_from_url(url: str | None) -> str | None:
    """The URL's host without "www.", e.g. "washingtonpost.com"."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def parse_date(value: Any) -> str | None:
    """ISO 8601: YYYY-MM-DD, or a full datetime (with offset when known) when a time was given.

    Never raises; anything unparseable or implausible is None.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    parsed = _fast_datetime(value)
    if parsed is None and not _could_be_a_date(value):
        return None
    if parsed is None:
        try:
            parsed = dateparser.parse(value, settings=_DATEPARSER_SETTINGS)
        except Exception:  # dateparser raises assorted errors on odd input
            return None
    if parsed is None or not 1800 <= parsed.year <= 2200:
        return None
    if _HAS_TIME.search(value) or (parsed.hour, parsed.minute, parsed.second) != (0, 0, 0):
        return parsed.replace(microsecond=0).isoformat()
    return parsed.date().isoformat()


@lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


MAX_DATE_CHARS = 100  # "Tuesday, 14 June 2022 09:30:00 PM Eastern Daylight Time" is 55
_DATE_PUNCTUATION = frozenset(".,:;/-+()'’–—|@·•")  # what dates are written with besides letters and digits


def _could_be_a_date(value: str) -> bool:
    """Whether dateparser may read `value` as a date with a year (REQUIRE_PARTS): short, holding a digit,
    and made of letters, digits, spaces and the punctuation dates are written with.

    dateparser tries every locale's words on a string it cannot read (a second or more on a long run of
    random characters); a hostile metadata field must not cost that much.
    """
    return (len(value) <= MAX_DATE_CHARS and any(ch.isdigit() for ch in value)
            and all(ch.isalnum() or ch.isspace() or ch in _DATE_PUNCTUATION for ch in value))


def _fast_datetime(value: str) -> datetime | None:
    """ISO 8601 and RFC 2822 (feeds, WARC) without dateparser's cost."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    if not _RFC2822.match(value):  # email.utils is lenient: it reads "9:30 PM EDT" as 09:30 naive
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _first_sentence(paragraph: str) -> str:
    """Up to the first sentence end that is not an abbreviation or an initial."""
    for match in _SENTENCE_END.finditer(paragraph):
        words = paragraph[: match.start()].split()
        word = words[-1].lower().strip("\"'“‘(") if words else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        return paragraph[: match.end()].strip()
    return paragraph


def _drop_leading_title(text: str, title: str) -> str:
    """Remove the headline trafilatura repeats as the body's first line."""
    first, _, rest = text.partition("\n\n")
    def key(s: str) -> str:
        return _WHITESPACE.sub(" ", s).strip().casefold()

    if rest and key(first) == key(title):
        return rest
    return text


def _clean_line(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    line = " ".join(unicodedata.normalize("NFC", value).split())
    return line or None


def _language_code(value: str | None) -> str | None:
    """"en-US" -> "en"; None for values that are not language tags."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None
