"""Responsibility: who claimed a deed, who is blamed, accused, suspected or linked, what caused it, who denies."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.analyze.claims.actor_names import actor_in, canonical_name, organisation_of
from newsdesk.analyze.claims.claim import make_claim
from newsdesk.analyze.claims.context import Context
from newsdesk.analyze.claims.patterns import (
    BLAMED,
    CAUSE_CLAUSE,
    CAUSE_NOT_A_CAUSE,
    CAUSE_PLACE,
    CAUSE_VERB,
    CAUSED,
    CAUSED_BY,
    CLAIMED,
    CLAIMED_BY,
    DENIAL_OBJECTS,
    DENIED,
    DENIED_WHICH,
    FALSE,
    FUNCTION_WORDS,
    HARM,
    LINKED,
    NEGATION_WORD,
    NONE_CLAIMED,
    PASSIVE,
    PRONOUNS,
    RESPONSIBILITY_GATES,
    RESPONSIBLE,
    SUSPECTED,
    UNDETERMINED,
)
from newsdesk.analyze.claims.speakers import (
    clause_tail,
    is_speaker_only,
    last_speaker,
    not_negated,
    subject_before,
    subject_speaker,
)
from newsdesk.model import Claim, Sentence


def find_responsibility(sentence: Sentence, words: frozenset[str], speaker: str | None, ctx: Context) -> list[Claim]:
    text = sentence.text
    out: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def add(found: tuple[str, int, int] | None, *, polarity: str = "affirmed", detail: str,
            who: str | None = speaker, qualifier: str = "exact") -> None:
        if found is None:
            return
        value, start, end = found
        if any(s <= start < e or start <= s < end for s, e in taken):
            return
        taken.append((start, end))
        out.append(make_claim(sentence, "responsibility", "responsibility", value, None, start, end,
                          polarity=polarity, speaker=who, detail=detail, qualifier=qualifier))

    def actor(m: re.Match[str], *groups: str, last: bool = False) -> tuple[str, int, int] | None:
        g = next((g for g in groups if m.group(g)), None)
        return actor_in(text, m.start(g), m.end(g), ctx, last=last) if g else None

    for m in _scan(NONE_CLAIMED, text, words):
        add(("none", m.start(), m.end()), polarity="negated", detail="claimed", who=not_negated(speaker))
    for m in _scan(CLAIMED_BY, text, words):
        found = actor(m, "who", "who2")
        add(found, detail="claimed", who=found[0] if found else None)
    for m in _scan(CLAIMED, text, words):
        subject = subject_before(text, m.start())
        if subject is None or NEGATION_WORD.search(subject[0]):
            continue
        if re.search(r"\bnot\s+(?:yet\s+)?$", text[: m.start()]) or re.search(r"\bnot\b", m.group(0)):
            continue
        found = actor_in(text, subject[1], subject[2], ctx)
        add(found, detail="claimed", who=found[0] if found else None)
    for m in _scan(BLAMED, text, words):
        verb = (m.group("verb") or "blamed").lower()
        if not HARM.search(text):  # "blamed coronavirus for the problems" is no claim about an event
            continue
        add(actor(m, "who", "who2"), detail="accused" if verb.startswith("accus") else "blamed",
            who=subject_speaker(text, m, speaker))
    for m in _scan(RESPONSIBLE, text, words) if HARM.search(text) else ():
        if not is_speaker_only(m.group("who"), speaker):
            add(actor(m, "who"), detail="blamed")
    for m in _scan(LINKED, text, words):
        add(actor(m, "who", last=True), detail="linked")
    for m in _scan(SUSPECTED, text, words):
        add(actor(m, "who", "who2"), detail="suspected", qualifier="approximate")
    for m in _scan(UNDETERMINED, text, words):
        add(("undetermined", m.start(), m.end()), polarity="negated", detail="cause", qualifier="vague")
    causes = [(max(0, m.start() - 120), m.start()) for m in _scan(CAUSED, text, words)]
    causes += [m.span("cause") for m in _scan(CAUSED_BY, text, words)]
    for lo, hi in causes:
        window = _whole_words(text, lo, hi)
        phrase = _cause_phrase(window)
        if phrase:
            start = hi - len(window) + max(0, window.rfind(phrase))
            found = actor_in(text, start, start + len(phrase), ctx)
            add((found[0] if found else phrase, start, start + len(phrase)), detail="caused")
    for m in _scan(DENIED, text, words):
        obj = m.group("obj") or ""
        if not DENIAL_OBJECTS.search(obj) or re.search(r"\d", obj) or PASSIVE.search(text[: m.start()]):
            continue
        window = _whole_words(text, max(0, m.start() - 90), m.start())
        who = clause_tail(re.split(r"[\"“”]", window)[-1])
        if who:
            start = m.start() - len(window) + window.rfind(who)
            found = actor_in(text, start, start + len(who), ctx)
            add(found, polarity="denied", detail="denied", who=found[0] if found else None)
    for m in _scan(DENIED_WHICH, text, words):
        found = actor(m, "who")
        add(found, polarity="denied", detail="denied", who=found[0] if found else None)
    for m in _scan(FALSE, text, words):
        who = speaker or last_speaker(ctx)
        if who:
            denier = organisation_of(who, ctx) or canonical_name(who)
            add((denier, m.start(), m.end()), polarity="denied", detail="denied", who=who)
    return sorted(out, key=lambda c: c.value_start)


def _scan(pattern: re.Pattern[str], text: str, words: frozenset[str]) -> Iterable[re.Match[str]]:
    """The pattern's matches, or none at once when the sentence lacks every word the pattern needs."""
    return pattern.finditer(text) if words & RESPONSIBILITY_GATES[pattern] else ()


def _whole_words(text: str, lo: int, hi: int) -> str:
    """text[lo:hi] without a word cut in half at its start."""
    if lo > 0 and text[lo - 1].isalnum():
        space = text.find(" ", lo, hi)
        lo = hi if space < 0 else space + 1
    return text[lo:hi]


def _cause_phrase(raw: str) -> str | None:
    """The cause as a short noun phrase: "Halvard said a lightning strike during a storm" -> "a lightning strike"."""
    phrase = CAUSE_CLAUSE.split(raw)[-1]
    phrase = CAUSE_VERB.split(phrase)[0]
    phrase = CAUSE_PLACE.split(phrase)[0].strip()
    if not phrase or phrase.lower() in PRONOUNS or len(phrase.split()) > 6 or not re.search(r"[A-Za-z]", phrase):
        return None
    words = phrase.lower().split()
    if words[-1] in FUNCTION_WORDS or words[0] in FUNCTION_WORDS - {"a", "an", "the"}:
        return None
    if CAUSE_NOT_A_CAUSE.fullmatch(phrase):
        return None
    return phrase
