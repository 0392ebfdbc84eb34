"""What one article's sentences share while they are read in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from newsdesk.analyze.claims.actor_names import main_org
from newsdesk.model import Article


@dataclass
class Context:
    """What carries over between sentences: the last speaker (for "he said"), the previous sentence (for
    "that attack"), the article's main organisation (for "the company")."""

    article: Article
    last_speaker: str | None = None
    unread_say: list[str] = field(default_factory=list)  # later sentences with a reporting verb, not read yet
    previous: str | None = None

    @cached_property
    def main_org(self) -> str | None:
        return main_org(self.article.text)
