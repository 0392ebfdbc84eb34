"""The words and shapes rank.py looks for in a sentence: answer-kind cues, places, continuations.

Vocabulary apart from the ranking logic (answer/rank.py), so the words can be read and extended on their own.
"""

from __future__ import annotations

import re

from newsdesk.analyze.months import MONTH_SHORT_OR_FULL

NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|"
    r"thousands?|millions?|billions?|dozens?|scores|a dozen|several"
)
# A figure or a number word: how-many answers hold one.
QUANTITY = re.compile(rf"\d|\b(?:{NUMBER_WORDS})\b", re.I)
HAN = re.compile(r"[\u4e00-\u9fff]")
# A day, a date, a year or a clock time: when answers hold one.
DATE = re.compile(
    rf"\b(?:{MONTH_SHORT_OR_FULL})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{MONTH_SHORT_OR_FULL})\b|\b(?:1[89]|20)\d\d\b|"
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|last\s+week|"
    r"\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?)\b",
    re.I,
)
LOCATIVE = re.compile(r"\b(?:in|at|near|outside|from)\s+(?:the\s+)?[A-Z][\w\-]+")
# A sentence that goes on about the actor of the one before ("The group said ...", "It ...").
CONTINUES = re.compile(r"^\W*(?:the\s+(?:group|militants?|organi[sz]ation|company|movement|faction)|it|its|they|"
                        r"their|he|she|his|her)\b", re.I)
