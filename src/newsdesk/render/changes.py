"""Change records as JSON (`newsdesk.change/1`, docs/SCHEMA.md): stored once, written many times.

A record is built as its document type (render/documents.py) when a watch finds the change, stored as
that JSON, and given its number and time (the store's) whenever it is written out: by `watch changes`
and in a webhook's body, the same bytes for the same record.
"""

from __future__ import annotations

import json
from typing import Any

from newsdesk.render.documents import ChangeJSON
from newsdesk.render.plain import plain
from newsdesk.store.follow_state import ChangeRow

CHANGE_SCHEMA = "newsdesk.change/1"


def change_body(change: ChangeJSON) -> str:
    """The stored form: the record's JSON (its `id` and `recorded` are filled in when it is written out)."""
    return json.dumps(plain(change), ensure_ascii=False)


def change_dict(row: ChangeRow) -> dict[str, Any]:
    """A stored record as written out, with its number and the time it was recorded."""
    out: dict[str, Any] = json.loads(row.body)
    out["id"] = row.id
    out["watch"] = row.watch_id
    out["recorded"] = row.recorded
    return out


def change_line(row: ChangeRow) -> str:
    """One line of `watch changes --json` (JSON Lines) and the body of its webhook POST."""
    return json.dumps(change_dict(row), ensure_ascii=False)


def change_summary(row: ChangeRow) -> str:
    """A line for the terminal: the kind, and the quoted text, source title, figures or stance."""
    data = change_dict(row)
    head = f"#{row.id} watch {row.watch_id} {row.recorded} {data['status']} {data['kind']}"
    if "statement" in data:
        marks = "".join(f"[{c['source']}]" for c in data["statement"]["citations"])
        return f"{head}: \"{data['statement']['text']}\" {marks}"
    if "source" in data:
        source = data["source"]
        return f"{head}: {source['title']} ({source.get('outlet') or source.get('url') or source['article_id']})"
    if "conflict" in data:
        conflict = data["conflict"]
        figures = " vs. ".join(v["phrase"] for v in conflict["versions"])
        return f"{head}: {conflict['attribute']} of {conflict['event']}: {figures}"
    stance = data["stance"]
    return f"{head}: {stance['source_actor']} towards {stance['target_actor']}: {stance['label']} ({stance['tone']})"
