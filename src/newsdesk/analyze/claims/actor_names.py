"""Who an actor is: a name as written resolved to the alias table's name, or the article's main organisation."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from newsdesk.analyze.aliases import load_aliases
from newsdesk.analyze.claims.patterns import (
    GENERIC_ORG,
    GROUP_TAIL,
    LEADING_ARTICLE,
    ORG_SUFFIX,
    PRONOUNS,
    SPEAKER_FOR_ORG,
    STOP_NAMES,
)
from newsdesk.analyze.names import NAME_RUN

if TYPE_CHECKING:
    from newsdesk.analyze.claims.context import Context


def organisation_of(speaker: str, ctx: Context) -> str | None:
    """A spokesperson or executive speaks for the article's organisation ("spokeswoman Dana Okafor")."""
    if ctx.main_org and SPEAKER_FOR_ORG.search(speaker):
        return canonical_name(ctx.main_org)
    return None


def actor_in(text: str, start: int, end: int, ctx: Context, *, last: bool = False) -> tuple[str, int, int] | None:
    """The actor named in text[start:end]: (canonical name, span of the name as written), or None.

    A quoted or capitalised name wins (resolved through the alias table, "IS" -> "Islamic State");
    "the company" stands for the article's main organisation; a short common-noun phrase is kept as is.
    """
    phrase = text[start:end]
    quoted = re.search(r"[\"“]([^\"”]{2,60})[\"”]", phrase)
    if quoted:
        return canonical_name(quoted.group(1).strip()), start + quoted.start(1), start + quoted.end(1)
    names = [(n, i) for n, i in capitalised(phrase) if n.lower() not in STOP_NAMES]
    if names:
        name, i = names[-1] if last else max(names, key=lambda n: (len(n[0].split()), -n[1]))
        tail = GROUP_TAIL.match(phrase[i + len(name) :])
        if tail:
            name += tail.group(0)
        return canonical_name(name), start + i, start + i + len(name)
    lead = len(phrase) - len(phrase.lstrip())
    core = phrase.strip().rstrip(",")
    generic = LEADING_ARTICLE.sub("", core)
    if GENERIC_ORG.fullmatch(generic) and ctx.main_org:
        return canonical_name(ctx.main_org), start + lead, start + lead + len(core)
    if 1 <= len(core.split()) <= 6 and generic.lower() not in PRONOUNS and re.search(r"[a-z]", generic):
        return generic, start + lead, start + lead + len(core)
    return None


def capitalised(phrase: str) -> list[tuple[str, int]]:
    """Capitalised name runs in a phrase, with their offsets, without a leading article."""
    out = []
    for m in NAME_RUN.finditer(phrase):
        raw = m.group(0)
        lead = re.match(r"(?:The|A|An|But|And|However|Its|Their|His|Her)\s+", raw)
        offset = m.start() + (lead.end() if lead else 0)
        name = raw[lead.end() if lead else 0 :]
        name = re.sub(r"(?:'s|’s)$", "", name.rstrip(" .'’"))
        if len(name) >= 2 and name[0].isupper():
            out.append((name, offset))
    return out


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for group in load_aliases().groups:
        for alias in group:
            index.setdefault(name_key(alias), group[0])
    return index


def name_key(name: str) -> str:
    """A spelling-blind key: "Lashkar-e Jhangvi" and "Lashkar-e-Jhangvi" meet."""
    key = re.sub(r"[\s.\-'’\"“”]+", "", name).casefold()
    return key.removeprefix("the") if len(key) > 5 else key


def canonical_name(name: str) -> str:
    """The alias table's first name for an actor ("ISIS" -> "Islamic State"), else the name as written."""
    name = " ".join(name.split()).strip(" ,.;:")
    name = LEADING_ARTICLE.sub("", name)
    return _alias_index().get(name_key(name), name)


def main_org(text: str) -> str | None:
    """The organisation an article is most about (for "the company"): the most frequent org-like name."""
    counts = Counter(m.group(0).strip() for m in ORG_SUFFIX.finditer(text[:20000]))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None
