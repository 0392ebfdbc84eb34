"""The JSON form of a story listing: `newsdesk stories --json` prints one a line (docs/SCHEMA.md)."""

from __future__ import annotations

from typing import Any

from newsdesk.answer.stories import story_entry
from newsdesk.model import Story
from newsdesk.render.plain import plain


def story_dict(story: Story) -> dict[str, Any]:
    """A story as `newsdesk stories --json` prints it: without the brief's `cited_sources`."""
    out: dict[str, Any] = plain(story_entry(story))
    return out
