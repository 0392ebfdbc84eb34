"""Typed output parts (model.py) as plain JSON values, keys in field order.

The one place dataclasses become dicts, so every JSON output (CLI, API, snapshot) writes a part the
same way. A field marked `omit_none` (model.OMIT_NONE) is left out when None, as the schema has
always written it (a conflict's `note`, a story's `cited_sources` outside a brief).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any


def plain(value: Any) -> Any:
    """`value` with every dataclass a dict of its fields, tuples lists; dicts keep their key order."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if item is None and f.metadata.get("omit_none"):
                continue
            out[f.name] = plain(item)
        return out
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
