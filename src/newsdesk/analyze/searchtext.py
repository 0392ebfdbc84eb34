"""Text as the full-text index sees it: runs of Han characters split into words, the rest unchanged.

Why: FTS5's `unicode61` (and PostgreSQL's parsers) take a run of Chinese characters as one
token, so "大坝溃决" never matches a question about "大坝". Every backend puts
`searchable(text)` into its full-text index and builds its query terms from the same words
(`analyze.terms.tokens` calls `han_words`), so index and query are cut the same way. The
stored passages keep their offsets into the original article text; only the full-text
column holds this form.

The segmenter is jieba (its dictionary ships inside the package; no download). Its search
mode also emits the shorter words inside a long one ("一千二百名" -> "一千", "二百",
"一千二百名"), which measured better recall than whole words on RGB zh_refine.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

# Han ideographs (CJK unified, extension A, compatibility); kana and hangul are left to unicode61.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
                      r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*")

# Bump when the segmentation changes: an index whose full-text rows were cut otherwise is re-filled.
SEARCHABLE_VERSION = "jieba-0.42.1-search-1"


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


@lru_cache(maxsize=1)
def _segmenter() -> Any:  # a jieba.Tokenizer: jieba ships no types
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def han_words(run: str) -> list[str]:
    """The words of a Chinese run (search mode: long words and the words inside them), in order."""
    return [w for w in _segmenter().cut_for_search(run, HMM=True) if w.strip()]


def searchable(text: str) -> str:
    """`text` with every Han run replaced by its words separated by spaces (text without Han is returned as is)."""
    if not has_han(text):
        return text
    return _HAN_RUN.sub(lambda m: " " + " ".join(han_words(m.group(0))) + " ", text)
