"""Sentence vectors for ranking: each distinct text embedded once per process, the same vectors as embedding."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from newsdesk.analyze.embedding import Embedder, VectorCache, blas_threads

SENTENCES = [
    "Officials said 52 people were killed in the blast at the Quetta hospital.",
    "The attack was claimed by a faction of the Pakistani Taliban.",
    "Rescue workers searched the rubble through the night.",
]


class Counted:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.asked: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.asked.extend(texts)
        return self.inner.embed_passages(texts)


def test_cached_vectors_are_the_embedders_vectors_row_for_row(embedder: Embedder) -> None:
    texts = [SENTENCES[1], SENTENCES[0], SENTENCES[1], SENTENCES[2]]
    got = VectorCache().embed(embedder, texts)
    direct = embedder.embed_passages(texts)
    assert got.shape == direct.shape == (4, embedder.dim)
    assert got.dtype == np.float32
    # Only the batch around a sentence differs, which moves a vector by rounding alone.
    np.testing.assert_allclose(got, direct, atol=1e-5)
    assert np.array_equal(got[0], got[2])


def test_a_sentence_is_embedded_once_per_process_however_often_it_is_asked_for(embedder: Embedder) -> None:
    counted = Counted(embedder)
    cache = VectorCache()
    cache.embed(counted, [SENTENCES[0], SENTENCES[1], SENTENCES[0]])
    cache.embed(counted, [SENTENCES[1], SENTENCES[2]])
    assert counted.asked == [SENTENCES[0], SENTENCES[1], SENTENCES[2]]
    assert (cache.hits, cache.misses) == (2, 3)


def test_the_least_recently_used_vector_goes_first_when_the_cache_is_full(embedder: Embedder) -> None:
    counted = Counted(embedder)
    cache = VectorCache(size=2)
    cache.embed(counted, [SENTENCES[0], SENTENCES[1]])
    cache.embed(counted, [SENTENCES[0]])  # now SENTENCES[1] is the least recently used
    cache.embed(counted, [SENTENCES[2]])  # ... and is dropped to make room
    cache.embed(counted, [SENTENCES[0], SENTENCES[1]])
    assert counted.asked == [SENTENCES[0], SENTENCES[1], SENTENCES[2], SENTENCES[1]]


def test_no_sentences_give_an_empty_matrix_without_embedding(embedder: Embedder) -> None:
    counted = Counted(embedder)
    assert VectorCache().embed(counted, []).shape == (0, embedder.dim)
    assert counted.asked == []


def test_blas_threads_default_to_one_and_a_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_BLAS_THREADS", raising=False)
    assert blas_threads() == 1
    monkeypatch.setenv("NEWSDESK_BLAS_THREADS", "2")
    assert blas_threads() == 2
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("NEWSDESK_BLAS_THREADS", bad)
        with pytest.raises(ValueError, match="NEWSDESK_BLAS_THREADS"):
            blas_threads()
