"""Claims: what a sentence asserts that another source could contradict, found by rules at ingest.

Why rules and not a model: claims are extracted for every article at ingest, which must
stay fast (a few milliseconds for an article of 80 sentences), and every claim must keep
the exact sentence and offsets it came from so that a brief can quote it verbatim.

Found per sentence:
- counts: a figure (digits, "1,200", "1.2 million", "dozens", "50-60"), its qualifier
  (exact, lower/upper bound, approximate, range, vague) and what it counts (killed,
  injured, arrested, missing, evacuated, hostages, attackers, amounts of money). Years,
  ages, times of day, addresses, distances and durations never count anything here;
- responsibility: who claimed it, who is blamed, accused, suspected or linked, what caused
  it, "no group has claimed", "the cause is under investigation", and denials;
- when: the time of day and the day the event happened ("started at about 4:40 a.m.").
Each claim carries the speaker the sentence names ("officials said", "according to ..."),
and an anchor when the sentence is about another, earlier event ("In August, ...").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from newsdesk.analyze.claims.anchors import event_anchor
from newsdesk.analyze.claims.blame import find_responsibility
from newsdesk.analyze.claims.context import Context
from newsdesk.analyze.claims.counts import find_counts
from newsdesk.analyze.claims.intl import extract_claims_intl, languages
from newsdesk.analyze.claims.patterns import (
    BACKREF,
    DIGIT,
    GATE_COUNTED,
    GATE_DAY,
    GATE_NUMBER,
    GATE_RESPONSIBILITY,
    GATE_SAY,
    SIGNS,
    TIME_HINT,
    WORD,
)
from newsdesk.analyze.claims.speakers import sentence_speaker
from newsdesk.analyze.claims.times import find_times
from newsdesk.model import Article, Claim, Sentence

# Bump when extraction changes: stored claims of an older version are re-extracted by the writer (ingest/migrate.py).
CLAIMS_VERSION = "2"  # 2: de/fr/es/zh claims (analyze/claims/intl.py)


def extract_claims(article: Article, sentences: Iterable[Sentence]) -> list[Claim]:
    """Every claim of an article's sentences, in text order, with exact offsets into `article.text`."""
    if article.language and article.language in languages():
        return extract_claims_intl(article, sentences, article.language)
    ctx = Context(article)
    out: list[Claim] = []
    for sentence in sentences:
        text = sentence.text
        if len(text) < 8 or len(text) > 700:
            ctx.previous = None
            continue
        words = frozenset(WORD.findall(text.lower()))
        found: list[Claim] = []
        speaker: str | None = None
        try:
            digit = DIGIT.search(text) is not None
            if (digit or words & GATE_NUMBER) and (words & GATE_COUNTED or ":" in text or SIGNS.search(text)):
                found += find_counts(sentence, words)
            if words & GATE_RESPONSIBILITY:
                speaker = sentence_speaker(text, ctx)
                found += find_responsibility(sentence, words, speaker, ctx)
            if (digit and TIME_HINT.search(text)) or words & GATE_DAY or "noon" in words or "midnight" in words:
                found += find_times(sentence)
            if found and speaker is None:
                speaker = sentence_speaker(text, ctx)
            elif not found and words & GATE_SAY:
                ctx.unread_say = [*ctx.unread_say[-3:], text]
            if found:
                anchor = event_anchor(text, article.published)
                if anchor is None and ctx.previous and BACKREF.search(text):
                    anchor = event_anchor(ctx.previous, article.published)
                found = [replace(c, speaker=c.speaker or (speaker if c.kind != "responsibility" else None),
                                 anchor=anchor) for c in found]
        except Exception:  # a rule that trips on odd text loses that sentence's claims, never the article
            found = []
        out += found
        ctx.previous = text
    return out
