"""Names of one actor: the bundled table of well-known aliases plus the user's own file.

Used to widen a question's names ("ISIS" also finds "Islamic State") and to
tell whether a sentence mentions an actor. All-caps short forms ("IS", "US")
match case-sensitively so they never match the ordinary words "is" and "us".
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class AliasTable:
    groups: tuple[tuple[str, ...], ...]

    def names_for(self, name: str) -> tuple[str, ...]:
        """All names of the actor `name` belongs to (itself first), or just `name`."""
        key = _key(name)
        for group in self.groups:
            if any(_key(alias) == key for alias in group):
                return (name, *[a for a in group if _key(a) != key])
        return (name,)


def _key(name: str) -> str:
    return re.sub(r"[\s.\-'’]+", " ", name).strip().casefold().removeprefix("the ")


def _parse(text: str) -> list[tuple[str, ...]]:
    groups = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        # `key=value` cells (kind=, part_of=, country=) describe the actor for analyze.actors; they are not names.
        names = tuple(n.strip() for n in line.split("\t") if n.strip() and "=" not in n)
        if names:
            groups.append(names)
    return groups


@cache
def load_aliases(user_file: str | None = None) -> AliasTable:
    """Bundled aliases, with the user's groups (NEWSDESK_ALIASES or `user_file`) taking precedence."""
    bundled = _parse((resources.files("newsdesk") / "data" / "aliases.tsv").read_text(encoding="utf-8"))
    extra_path = user_file or os.environ.get("NEWSDESK_ALIASES")
    extra = _parse(Path(extra_path).read_text(encoding="utf-8")) if extra_path else []
    return AliasTable(tuple(extra + bundled))


def mention_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that finds any of `names` as whole words, with demonym-like endings ("Pakistani")."""
    parts = []
    for name in sorted(set(names), key=len, reverse=True):
        escaped = re.escape(name).replace(r"\ ", r"[\s\-]+")
        if name.isupper() and len(name) <= 5:
            parts.append(f"(?-i:{escaped})")
        else:
            parts.append(escaped + r"(?:i|is|ian|ians|ese|'s|’s|s)?")
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)
