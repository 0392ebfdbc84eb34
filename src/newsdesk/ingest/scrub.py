"""Lone surrogates out of everything a reader hands on, before anything encodes it.

Python strings can hold UTF-16 surrogate code points on their own (a JSON `"\\udfff"` escape, an
XML `&#xDC00;`, a file name with bytes that are not UTF-8), but no UTF-8 encoder, database or
terminal accepts them. Each is replaced by U+FFFD, the mark of a character that could not be read,
so the article is kept and shows where its text was damaged instead of the whole batch failing
when the store encodes it. NUL goes the same way: PostgreSQL text cannot hold it.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any, TypeVar

from newsdesk.model import RawDocument, ReadError

_SURROGATE = re.compile("[\x00\ud800-\udfff]")  # and NUL, which PostgreSQL text refuses
REPLACEMENT = "\ufffd"
Item = TypeVar("Item", bound=RawDocument | ReadError)


def scrub(value: Any) -> Any:
    """`value` with every lone surrogate replaced, looking inside lists, tuples and dict keys and values."""
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(item) for item in value)
    return value


def scrub_item(item: Item) -> Item:
    """A document or read error whose every text field is safe to encode as UTF-8."""
    changes = {f.name: scrub(getattr(item, f.name)) for f in fields(item)}
    return replace(item, **changes)
