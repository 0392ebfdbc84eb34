"""The claim lexicons: the words of every language's claim rules, read from `newsdesk/data`.

English rules are in `claims_lexicon_en.json`, the other languages' in `claims_lexicon.json`;
both map a language code to its words, in one format, read by `lexicon`.
"""

from __future__ import annotations

from typing import Any

from newsdesk.analyze.vocabulary import data_file

INTL_FILE = "claims_lexicon.json"
ENGLISH_FILE = "claims_lexicon_en.json"


def lexicon(file: str = INTL_FILE) -> dict[str, Any]:
    """Language code -> its words, from one lexicon file (keys starting with "_" are notes)."""
    return data_file(file)


def english() -> dict[str, Any]:
    """The English words."""
    return lexicon(ENGLISH_FILE)["en"]
