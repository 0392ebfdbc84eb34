"""Who says a claim: the speaker a sentence names, a pronoun's antecedent, the subject of a verb."""

from __future__ import annotations

import re

from newsdesk.analyze.claims.context import Context
from newsdesk.analyze.claims.patterns import (
    ACCORDING,
    DATELINE,
    LEADING,
    PRONOUNS,
    SAID_AFTER,
    SPEAKER_BEFORE,
    SPEAKER_ROLE,
    F,
)


def sentence_speaker(text: str, ctx: Context) -> str | None:
    """Who the sentence says said it, or None; a bare pronoun ("he said") stands for the last named speaker."""
    found = _named_speaker(text)
    if found == "":
        return last_speaker(ctx)
    if found:
        ctx.last_speaker, ctx.unread_say = found, []
    return found


def last_speaker(ctx: Context) -> str | None:
    """The last speaker named before this sentence (reading a skipped sentence's speaker only now)."""
    for text in reversed(ctx.unread_say):
        found = _named_speaker(text)
        if found:
            ctx.last_speaker = found
            break
    ctx.unread_say = []
    return ctx.last_speaker


def _named_speaker(text: str) -> str | None:
    """The speaker a sentence names; "" when it is only a pronoun; None when there is none."""
    m = ACCORDING.search(text)
    if m and (found := clean_speaker(m.group("s"))):
        return found
    for m in reversed(list(SPEAKER_BEFORE.finditer(text))):
        found = clean_speaker(m.group("s"))
        if found is not None:
            return found
    m = SAID_AFTER.search(text)
    if m and (found := clean_speaker(m.group("s"))):
        return found
    return None


def clean_speaker(phrase: str) -> str | None:
    """A speaker phrase trimmed of conjunctions and relative clauses; "" for a pronoun, None for no speaker."""
    phrase = DATELINE.sub("", phrase.strip().lstrip("►•*·-–— "))
    phrase = LEADING.sub("", phrase).strip()
    if re.match(r"(?:no|none|nobody|not)\b", phrase, F):
        return None
    phrase = re.split(r"\s+(?:who|which|that|whose|where)\s+|\s+in\s+a\s+statement\b", phrase)[0].strip(" ,")
    if not phrase:
        return None
    if phrase.lower() in PRONOUNS:
        return ""
    words = phrase.split()
    if len(words) > 10 or not re.search(r"[A-Za-z]", phrase):
        return None
    # A speaker names someone: a capitalised name or a role word, not a clause fragment.
    if not (re.search(r"[A-Z]", phrase) or SPEAKER_ROLE.search(phrase)):
        return None
    if re.search(r"\b(?:killed|injured|wounded|attack|were|was)\b", phrase, F) and len(words) > 5:
        return None
    return phrase


def subject_before(text: str, end: int) -> tuple[str, int, int] | None:
    """The clause subject just before a verb at `end`: (phrase, start, end), skipping adverbs."""
    head = text[:end].rstrip()
    m = re.search(r"(?:^|[,;:(—–]|\bthat\b|\band\b|\bbut\b|\bwhile\b|\bwhen\b)\s*(?P<s>[^,;:()—–]{1,90}?)\s*$", head)
    if not m:
        return None
    phrase = m.group("s")
    start = m.start("s")
    phrase_stripped = re.sub(r"(?:\s+(?:has|have|had|also|since|quickly|later|swiftly|reportedly|purportedly|"
                             r"already))+\s*$", "", phrase, flags=F)
    return phrase_stripped, start, start + len(phrase_stripped)


def subject_speaker(text: str, match: re.Match[str], speaker: str | None) -> str | None:
    """Who blames or accuses: the subject of the verb, else the sentence's speaker."""
    subject = subject_before(text, match.start())
    if subject and re.search(r"[A-Za-z]", subject[0]):
        phrase = clean_speaker(subject[0])
        if phrase:
            return phrase
    return speaker


def is_speaker_only(phrase: str, speaker: str | None) -> bool:
    return bool(speaker) and phrase.strip(" \"“”") == speaker


def clause_tail(phrase: str) -> str | None:
    """The last clause of a phrase ("The company said it" -> "it"); None when only a pronoun is left.

    A parenthetical just before the verb is skipped: "Lakeline, which runs the ferry, rejected" -> "Lakeline".
    """
    phrase = re.sub(r",\s*(?:which|who|whose|a|an|the|its|their)\b[^,;:]*,\s*$", "", phrase.rstrip(), flags=F)
    tail = re.split(r"[,;:]|\bthat\b|\band\b|\bbut\b", phrase)[-1].strip()
    tail = LEADING.sub("", tail).strip()
    if not tail or tail.lower() in PRONOUNS or len(tail.split()) > 8:
        return None
    return tail


def not_negated(speaker: str | None) -> str | None:
    """"No group" is the subject of the negation, not a speaker."""
    return None if speaker and re.match(r"(?:no|none|nobody|not)\b", speaker, F) else speaker
