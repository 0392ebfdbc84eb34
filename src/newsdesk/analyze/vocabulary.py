"""The rules' words, read once from the JSON files of `newsdesk/data`.

Rule modules spell only the structure of their patterns; the words they are made of (trigger
verbs, titles, event nouns, ...) are data, so a reader sees every word list in one place and a
new language is a new file, not new code. Each file maps a language code to its words; keys
starting with "_" are notes.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

# Words of the answer and ingest rules (event kinds, event nouns, abbreviations, ...).
COMMON_WORDS_FILE = "common_words_en.json"


@cache
def data_file(file: str) -> dict[str, Any]:
    """Language code -> its words, from one file of `newsdesk/data`."""
    path = resources.files("newsdesk.data") / file
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def word_set(words: str) -> frozenset[str]:
    """A space-separated word list as a set."""
    return frozenset(words.split())
