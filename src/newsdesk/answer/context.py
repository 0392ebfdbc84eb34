"""Quotes that name the answer only by description carry the sentence before them.

"Which show was green lit?" is often answered by "Netflix announced that the wildly popular South
Korean show is green lit for a second season.", the show's name being in the sentence before it. A
reader shown that sentence alone learns nothing; shown with the one before, the name is there. The
quote stays one verbatim span of the article (from the earlier sentence's start to the later one's
end), so it is cited like any other. The noun asked for is read with the question (`Question.answer_noun`,
analyze/question.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsdesk.analyze.terms import stem
from newsdesk.model import Sentence

_DETERMINER = frozenset({"the", "this", "these", "those"})  # not "that": mostly "a deal that would create ...
_WORD = re.compile(r"[\w’'\-]+")
DESCRIPTION_SPAN = 5  # words allowed between the determiner and the noun ("the wildly popular South Korean show")
MAX_CONTEXT_CHARS = 300  # a longer sentence before is not a lead-in but another paragraph's matter
MIN_CONTEXT_WORDS = 4  # "New York CNN —" is a dateline, not the sentence that names the thing


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
