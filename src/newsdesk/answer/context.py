"""Quotes that name the answer only by description carry the sentence before them.

"Which show was green lit?" is often answered by "Netflix announced that the wildly popular South
Korean show is green lit for a second season.", the show's name being in the sentence before it. A
reader shown that sentence alone learns nothing; shown with the one before, the name is there. The
quote stays one verbatim span of the article (from the earlier sentence's start to the later one's
end), so it is cited like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from newsdesk.analyze.terms import stem
from newsdesk.model import Sentence

# Tags that may sit between "which"/"what" and the noun it asks for: "which wildly popular show",
# "which Ivy League school", "which two countries", "which embattled celebrity".
_MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "RB", "NNP", "NNPS", "CD", "HYPH", "VBN", "VBD", "NN", "NNS"})
_NOUN_TAGS = frozenset({"NN", "NNS"})
_ASKS_BY_NOUN = re.compile(r"\b(?:which|what)\s+[A-Za-z]", re.I)
_DETERMINER = frozenset({"the", "this", "these", "those"})  # not "that": mostly "a deal that would create ...
_WORD = re.compile(r"[\w’'\-]+")
DESCRIPTION_SPAN = 5  # words allowed between the determiner and the noun ("the wildly popular South Korean show")
MAX_CONTEXT_CHARS = 300  # a longer sentence before is not a lead-in but another paragraph's matter
MIN_CONTEXT_WORDS = 4  # "New York CNN —" is a dateline, not the sentence that names the thing


def answer_noun(text: str, language: str | None) -> str | None:
    """The common noun an English which/what question asks for ("show", "company"), or None."""
    if language not in (None, "en") or not _ASKS_BY_NOUN.search(text):
        return None
    return _parsed_answer_noun(text)


@cache
def _parsed_answer_noun(text: str) -> str | None:
    from newsdesk.analyze.nlp import ModelError, parse

    try:
        doc = parse([text])[0]
    except ModelError:
        return None
    for i, token in enumerate(doc):
        if token.lower_ not in ("which", "what") or token.tag_ not in ("WDT", "WP"):
            continue
        for following in doc[i + 1: i + 7]:
            if following.tag_ not in _MODIFIER_TAGS or (following.tag_ == "VBD" and following.dep_ != "amod"):
                break
            if following.tag_ in _NOUN_TAGS and following.dep_ != "compound":
                return following.lower_
    return None


def refers_by_description(text: str, noun: str) -> bool:
    """Whether `text` speaks of "the ... <noun>" (the thing asked for, by description rather than by name)."""
    wanted = stem(noun)
    words = [w.lower() for w in _WORD.findall(text)]
    for i, word in enumerate(words):
        if stem(word) == wanted and any(w in _DETERMINER for w in words[max(0, i - DESCRIPTION_SPAN): i]):
            return True
    return False


def lead_in(sentence: Sentence, preceding: Callable[[Sentence], Sentence | None]) -> Sentence | None:
    """The sentence before `sentence` when it can serve as its lead-in (a full sentence, not too long)."""
    before = preceding(sentence)
    if before is None or len(before.text) > MAX_CONTEXT_CHARS or len(_WORD.findall(before.text)) < MIN_CONTEXT_WORDS:
        return None
    return before
