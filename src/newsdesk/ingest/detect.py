"""Decide which reader a file needs by looking at its content, not its name.

Files arrive misnamed all the time (an HTML page saved as .txt, a feed served
as .html, JSON Lines exported as .dat), so the bytes are sniffed first and the
extension is only a tie-breaker.
"""

from __future__ import annotations

import json
import re
import zlib

from newsdesk.ingest.decode import BOMS, looks_like_utf16

HEAD = 65_536  # bytes looked at for most decisions

# Magic numbers of formats people are likely to drop into a news folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"ID3\x02", "MP3 audio"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"\x00asm", "WebAssembly module"),
    (b"{\\rtf", "RTF document"),
)

_FEED_ROOTS = {"rss", "feed", "rdf:rdf"}
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|span|a|br|table|tr|td|article|section|header|footer|nav|main|"
    r"script|style|meta|link|title|h[1-6]|ul|ol|li|img|em|strong|b|i|form|input|iframe)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
_FIRST_TAG = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>[]*(?:\[.*?\])?\s*>)\s*)*<([A-Za-z][\w:.-]*)",
    re.DOTALL | re.IGNORECASE,
)


def sniff_binary(data: bytes) -> str | None:
    """Name the binary kind of `data` (e.g. "PDF document"), or None if it may be text.

    Kept separate from `detect_format` so that the error message can say what
    the file is, which is the first thing a user needs to fix it.
    """
    head = data[:HEAD]
    if head.startswith(b"\x1f\x8b"):
        return None if _gunzip_head(head).lstrip().startswith(b"WARC/") else "gzip-compressed file"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if re.match(rb"BZh[1-9]1AY&SY", head):
        return "bzip2 archive"
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "RIFF media"
    if head.startswith(BOMS) or looks_like_utf16(head):
        return None
    if b"\x00" in head:
        return "contains NUL bytes"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls / len(head) > 0.02:
        return "many control bytes"
    return None


def detect_format(name: str, data: bytes) -> str:
    """Return "warc", "feed", "html", "jsonl", "text" or "binary" for a file's bytes.

    Content decides; `name` only settles JSON whose first line is not an object.
    """
    head = data[:HEAD]
    if head.lstrip().startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"\x1f\x8b") and _gunzip_head(head).lstrip().startswith(b"WARC/"):
        return "warc"
    if sniff_binary(data) is not None:
        return "binary"
    text = _head_text(head).lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        root = _FIRST_TAG.match(text)
        tag = root.group(1).lower() if root else ""
        if tag in _FEED_ROOTS:
            return "feed"
        if tag == "html" or text[:15].lower().startswith("<!doctype html"):
            return "html"
    # JSON before tag density: a JSON Lines record's text may itself carry HTML.
    if _is_json_records(name, data, text):
        return "jsonl"
    if _tag_dense(text):
        return "html"
    return "text"


def _gunzip_head(head: bytes, limit: int = 4096) -> bytes:
    """Decompress the start of a gzip stream, tolerating truncation."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, limit)
    except zlib.error:
        return b""


def _head_text(head: bytes) -> str:
    """A lenient decoding of the head, good enough for sniffing markup and JSON."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "replace")
    utf16 = looks_like_utf16(head)
    if utf16:
        return head.decode(utf16, "replace")
    return head.decode("utf-8", "replace")


def _tag_dense(text: str) -> bool:
    """True when HTML tags make up a real share of the text (an HTML fragment without <html>)."""
    tags = _HTML_TAG.findall(text)
    if len(tags) < 4:
        return False
    return sum(map(len, tags)) >= 0.05 * len(text) or len(tags) >= 20


def _is_json_records(name: str, data: bytes, text: str) -> bool:
    """JSON Lines (an object-looking early line parses), a whole JSON document, or a .json/.jsonl file."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in "{[":
        return False
    for line in _first_lines(data):
        line = line.strip()
        if line.startswith("{"):
            try:
                if isinstance(json.loads(line), dict):
                    return True
            except ValueError:
                pass
    try:
        if isinstance(json.loads(_head_text(data)), (list, dict)):
            return True
    except ValueError:
        pass
    lowered = name.lower().split("?", 1)[0]
    return lowered.endswith((".json", ".jsonl", ".ndjson", ".jsonlines"))


def _first_lines(data: bytes, count: int = 5) -> list[str]:
    """The first few lines in full (a JSON Lines record may be far longer than the head)."""
    if data.startswith(BOMS) or looks_like_utf16(data[:HEAD]):
        return _head_text(data[: HEAD * 16]).splitlines()[:count]
    pieces = data.split(b"\n", count)[:count]
    return [piece.decode("utf-8", "replace") for piece in pieces]
