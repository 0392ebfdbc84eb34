"""Question analysis: what kind of answer is wanted, and which actors and terms it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.analyze.aliases import AliasTable, load_aliases
from newsdesk.analyze.terms import QUESTION_WORDS, content_terms

# "What does X think of Y", "how does X view Y", "X's position on Y", "relations between X and Y".
_STANCE_PATTERNS = [
    re.compile(
        r"^\s*what\s+(?:does|did|do|is|are|was|were)\s+(?P<x>.+?)\s+"
        r"(?:think|thinks|feel|feels|say|says|said|believe|want|wants)\s+(?:of|about|on|from|regarding|towards?)\s+"
        r"(?P<y>.+?)\s*\??\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^\s*how\s+(?:does|did|do)\s+(?P<x>.+?)\s+(?:view|see|regard|treat|feel about)\s+(?P<y>.+?)\s*\??\s*$",
               re.IGNORECASE),
    re.compile(r"^\s*what\s+is\s+(?P<x>.+?)(?:'s|’s)\s+(?:position|stance|view|attitude)\s+(?:on|of|towards?)\s+"
               r"(?P<y>.+?)\s*\??\s*$", re.IGNORECASE),
    re.compile(r"^\s*(?:what\s+are\s+(?:the\s+)?)?relations?\s+between\s+(?P<x>.+?)\s+and\s+(?P<y>.+?)\s*\??\s*$",
               re.IGNORECASE),
]

_TYPE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("how_many", re.compile(r"^\s*(how\s+(many|much)|what\s+(number|percentage|share|amount))\b", re.I)),
    # A sequence of events (en, de, fr, es, zh): the brief gains a timeline (answer/timeline.py). A question
    # ending in "... after what happened?" asks to fill in one event, not for a sequence.
    ("sequence", re.compile(
        r"\bwhat\s+(?:has\s+|had\s+)?happen(?:ed|s)\b(?!\s*\?)|\bhow\s+(?:did|has|have|do|does)\b.*\b(?:unfold|develop|"
        r"evolve|progress|escalate)|\btime\s*line\b|\bchronolog|\bsequence\s+of\s+events\b|\bwhat\s+led\s+"
        r"(?:up\s+)?to\b|\bevents\s+(?:since|leading)\b|\bwhat\s+(?:has\s+)?happened\s+since\b"
        r"|\bwas\s+geschah\b|\bwas\s+(?:ist|war)\b.{0,60}\b(?:passiert|geschehen)\b|\bwie\s+kam\s+es\s+zu[mr]?\b"
        r"|\bablauf\b|\bhergang\b"
        r"|\bzeitleiste\b|\bzeitstrahl\b"
        r"|\bqu(?:e|')\s*(?:s'est|est-ce\s+qui\s+s'est)[-\s]+(?:il\s+)?pass[ée]|\bd[ée]roul[ée]|\bfrise\s+"
        r"chronologique"
        r"|\bqu[ée]\s+(?:pas[óo]|ha\s+pasado|ocurri[óo]|sucedi[óo])|\bc[óo]mo\s+se\s+desarroll|\bl[íi]nea\s+de"
        r"\s+tiempo|\bcronolog[íi]a"
        r"|发生了什么|经过|时间线|来龙去脉|始末|怎么回事", re.I)),
    ("when", re.compile(r"^\s*(when|what\s+(time|date|day|year|month))\b|\bwhat\s+(day|date|year)\b", re.I)),
    ("where", re.compile(r"^\s*(where|in\s+which\s+(city|country|town|place|region))\b", re.I)),
    ("who", re.compile(r"^\s*(who|whom|whose|which\s+(group|person|company|country|organi[sz]ation|team|man|woman))\b",
                       re.I)),
    ("why", re.compile(r"^\s*(why|what\s+(caused|led\s+to|was\s+the\s+(cause|reason|motive)))\b", re.I)),
    ("yes_no", re.compile(r"^\s*(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", re.I)),
    ("what", re.compile(r"^\s*(what|which)\b", re.I)),
]


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # stance, how_many, when, where, who, why, yes_no, what, open
    terms: tuple[str, ...]  # content words, lower-cased
    actor: tuple[str, ...] = ()  # stance: all names of X
    target: tuple[str, ...] = ()  # stance: all names of Y
    names: tuple[tuple[str, ...], ...] = field(default_factory=tuple)  # every named thing, with its aliases


def _clean_name(name: str) -> str:
    return re.sub(r"^(the)\s+", "", name.strip(" \t\"'“”‘’?.!"), flags=re.I)


def _named_things(text: str) -> list[str]:
    """Capitalised word runs and acronyms, skipping the sentence-initial question word."""
    found = []
    for match in re.finditer(r"\b(?:[A-Z][\w’'.\-]*|[A-Z]{2,})(?:\s+(?:of\s+|the\s+|al-)?[A-Z][\w’'.\-]*)*", text):
        phrase = match.group(0).rstrip(".'’")
        first = phrase.split()[0].lower()
        if match.start() == len(text) - len(text.lstrip()) and first in QUESTION_WORDS | {"is", "are", "did", "does"}:
            rest = phrase.split()[1:]
            if not rest:
                continue
            phrase = " ".join(rest)
        found.append(phrase)
    return found


def analyze_question(text: str, aliases: AliasTable | None = None) -> Question:
    aliases = aliases or load_aliases()
    text = " ".join(text.split())
    names = tuple(aliases.names_for(n) for n in _named_things(text))
    for pattern in _STANCE_PATTERNS:
        match = pattern.match(text)
        if match:
            x, y = _clean_name(match.group("x")), _clean_name(match.group("y"))
            return Question(text, "stance", tuple(content_terms(text)), aliases.names_for(x), aliases.names_for(y),
                            names)
    kind = "open"
    for name, rule in _TYPE_RULES:
        if rule.search(text):
            kind = name
            break
    return Question(text, kind, tuple(content_terms(text)), names=names)
