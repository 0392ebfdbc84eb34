"""JSON Lines (one article per line), a JSON array of articles, or a single JSON article.

A bad line is reported with its line number and the rest of the file goes on:
exports and scrapes routinely end with a truncated line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newsdesk.model import RawDocument, ReadError

# Field names other tools use for the same thing (e.g. newspaper3k exports: publish_date, authors).
_ALIASES: dict[str, tuple[str, ...]] = {
    "published": ("published", "publish_date", "published_at", "date", "pubdate"),
    "author": ("author", "authors"),
    "outlet": ("outlet", "source", "sitename", "site_name"),
}
_PLAIN = ("title", "url", "language")


def read_jsonl(origin: str, text: str, *, path: str | None) -> Iterator[RawDocument | ReadError]:
    """Yield one document per record; malformed records become ReadErrors naming their line."""
    stripped = text.strip()
    pretty_object = stripped.startswith("{") and "\n" in stripped and _is_one_document(stripped)
    if stripped.startswith("[") or pretty_object:
        try:
            whole = json.loads(stripped)
        except ValueError as exc:
            yield ReadError(origin, f"malformed JSON: {exc}")
            return
        items = whole if isinstance(whole, list) else [whole]
        for number, item in enumerate(items, start=1):
            yield _record(f"{origin}#item {number}", item, path=path)
        if not items:
            yield ReadError(origin, "empty JSON array")
        return
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        where = f"{origin}:line {number}"
        try:
            item = json.loads(line)
        except ValueError as exc:
            yield ReadError(where, f"malformed JSON ({exc.args[0] if exc.args else exc})")
            continue
        yield _record(where, item, path=path)


def _is_one_document(text: str) -> bool:
    """A pretty-printed single object (not JSON Lines) parses as a whole."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _record(where: str, item: Any, *, path: str | None) -> RawDocument | ReadError:
    """Turn one JSON object into a RawDocument, or say what is wrong with it."""
    if not isinstance(item, dict):
        return ReadError(where, f"expected a JSON object, got {type(item).__name__}")
    if "text" not in item:
        return ReadError(where, "missing required field 'text'")
    text = item["text"]
    if not isinstance(text, str):
        return ReadError(where, f"field 'text' must be a string, got {_json_kind(text)}")
    if not text.strip():
        return ReadError(where, "field 'text' is empty")
    metadata = {key: value for key, value in item.items() if key != "text"}
    fields: dict[str, str | None] = {}
    for name in _PLAIN:
        fields[name] = _string(metadata.pop(name, None)) if isinstance(metadata.get(name), str) else None
    for name, keys in _ALIASES.items():
        fields[name] = None
        for key in keys:
            value = _string(metadata.get(key))
            if value is not None:
                fields[name] = value
                metadata.pop(key)
                break
    return RawDocument(origin=where, format="jsonl", text=text, path=path, metadata=metadata, **fields)


def _string(value: Any) -> str | None:
    """A usable string field (a list of strings, like `authors`, is joined), else None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(v.strip() for v in value if v.strip()) or None
    return None


def _json_kind(value: object) -> str:
    """What a JSON value is, in JSON's words (a reason must not name Python types such as NoneType)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    return "an array" if isinstance(value, list) else "an object"
