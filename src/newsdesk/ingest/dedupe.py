"""Near-duplicates: syndicated copies of one wire story, found by MinHash over shingles and an LSH index.

Exact copies already share a content id; a wire story re-run with another first paragraph, a
different byline or a few edited words gets a new id but almost the same shingles. Such an
article is kept (it is still stored and citable) and linked to the first one seen: a copy group
that counts once wherever sources are counted. Signatures are stored, so a new batch is checked
against the whole index without recomputing anything; the LSH index is rebuilt from them in
memory the first time it is needed.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from datetime import date

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch 2 permutation scheme; stored values are uint32
WORDS_PER_SHINGLE = 5
CHARS_PER_SHINGLE = 4  # for text written without spaces (Chinese, Japanese)
# Estimated Jaccard similarity of shingle sets above which two articles are one text.
# Chosen on RealTime QA (bench/cluster_quality.py): pairs from 0.45 up were one article scraped twice or
# re-run with edits; between 0.35 and 0.45 were also articles written from one template on different events.
COPY_THRESHOLD = 0.45
# A copy runs within days of its original; two texts months apart that share most paragraphs are a
# follow-up reusing background (the same trial's verdict and sentencing), not a copy.
COPY_DAYS = 7

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def shingles(text: str) -> set[str]:
    """Overlapping word 5-grams of the lower-cased text, or character 4-grams where words have no spaces."""
    lowered = text.lower()
    if len(_CJK.findall(lowered)) > len(lowered) / 4:
        chars = "".join(ch for ch in lowered if not ch.isspace())
        k = CHARS_PER_SHINGLE
        return {chars[i : i + k] for i in range(max(1, len(chars) - k + 1))} if chars else set()
    words = _WORD.findall(lowered)
    k = WORDS_PER_SHINGLE
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


# Shingles are hashed with CRC-32: deterministic and fast (C); the affine32 scheme pre-mixes input hashes.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations  # drawn once, not per text


def signature(text: str) -> np.ndarray:
    """The MinHash of a text's shingles: NUM_PERM uint32 values (what is stored)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, permutations=_PERMUTATIONS, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles(text)])
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal hash values."""
    return float(np.count_nonzero(a == b)) / len(a)


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


class CopyIndex:
    """An in-memory LSH index over stored signatures: which earlier article is a text's original.

    `originals` maps a copy to the first article of its group, so a group is a star around its
    first member and a copy of a copy joins the same group.
    """

    def __init__(self, threshold: float = COPY_THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, np.ndarray] = {}
        self.order: dict[str, int] = {}
        self.originals: dict[str, str] = {}
        self.days: dict[str, int] = {}  # publication day (ordinal) of the dated articles

    def load(self, rows: Iterable[tuple[str, np.ndarray, str | None, str | None]]) -> None:
        """Add stored (article id, signature, original id or None, published) rows, in the order they were added."""
        with self.lsh.insertion_session() as session:
            for article_id, values, original, published in rows:
                self._remember(article_id, values, original, published)
                session.insert(article_id, _lean(values))

    def add(self, article_id: str, values: np.ndarray, published: str | None = None) -> tuple[str | None, float]:
        """Index a new article; returns (the original it copies, similarity) or (None, 0.0)."""
        best: tuple[float, int, str] | None = None
        day = _ordinal(published)
        if article_id not in self.signatures:
            for other in self.lsh.query(_lean(values)):
                if day is not None and other in self.days and abs(self.days[other] - day) > COPY_DAYS:
                    continue
                score = similarity(values, self.signatures[other])
                if score >= self.threshold and (best is None or (-score, self.order[other]) < (-best[0], best[1])):
                    best = (score, self.order[other], other)
        original = None
        if best is not None:
            original = self.originals.get(best[2], best[2])
        if article_id not in self.signatures:
            self._remember(article_id, values, original, published)
            self.lsh.insert(article_id, _lean(values))
        return (original, best[0]) if best is not None else (None, 0.0)

    def _remember(self, article_id: str, values: np.ndarray, original: str | None, published: str | None) -> None:
        self.signatures[article_id] = values
        self.order[article_id] = len(self.order)
        if original is not None:
            self.originals[article_id] = original
        day = _ordinal(published)
        if day is not None:
            self.days[article_id] = day


def _ordinal(published: str | None) -> int | None:
    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None
