"""Who says a claim: the speaker a sentence names, a pronoun's antecedent, the subject of a verb."""

from __future__ import annotations

import re

from newsdesk.analyze.claims.context import Context
from newsdesk.analyze.claims.patterns import (
    ACCORDING,
    AUXILIARIES_AFTER_SUBJECT,
    CLAUSE_BREAK,
    CLAUSE_SUBJECT,
    DATELINE,
    EVENT_CLAUSE_WORD,
    LEADING,
    NEGATED_START,
    PARENTHETICAL_AT_END,
    PRONOUNS,
    SAID_AFTER,
    SPEAKER_BEFORE,
    SPEAKER_CLAUSE_END,
    SPEAKER_ROLE,
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
    if NEGATED_START.match(phrase):
        return None
    phrase = SPEAKER_CLAUSE_END.split(phrase)[0].strip(" ,")
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
    if EVENT_CLAUSE_WORD.search(phrase) and len(words) > 5:
        return None
    return phrase


def subject_before(text: str, end: int) -> tuple[str, int, int] | None:
    """The clause subject just before a verb at `end`: (phrase, start, end), skipping adverbs."""
    head = text[:end].rstrip()
    m = CLAUSE_SUBJECT.search(head)
    if not m:
        return None
    phrase = m.group("s")
    start = m.start("s")
    phrase_stripped = AUXILIARIES_AFTER_SUBJECT.sub("", phrase)
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
    phrase = PARENTHETICAL_AT_END.sub("", phrase.rstrip())
    tail = CLAUSE_BREAK.split(phrase)[-1].strip()
    tail = LEADING.sub("", tail).strip()
    if not tail or tail.lower() in PRONOUNS or len(tail.split()) > 8:
        return None
    return tail


def not_negated(speaker: str | None) -> str | None:
    """"No group" is the subject of the negation, not a speaker."""
    return None if speaker and NEGATED_START.match(speaker) else speaker
