"""Expand what the user named (files, folders, `-`, URLs) into (origin, bytes) pairs.

Lazy, one input at a time, in a deterministic order, and never raising: a
missing, unreadable or oversized input becomes a ReadError so the batch goes on.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from newsdesk.model import ReadError
from newsdesk.net.fetch import FetchError, fetch
from newsdesk.net.policy import STRICT, HostPolicy

STDIN = "<stdin>"
FETCH_TIMEOUT = 20.0
_URL = re.compile(r"^https?://", re.IGNORECASE)


def iter_inputs(paths: Iterable[str], max_bytes: int = 50_000_000,
                policy: HostPolicy = STRICT) -> Iterator[tuple[str, bytes] | ReadError]:
    """Yield (origin, data) for every input, or a ReadError naming the input and the reason.

    URLs are fetched under `policy` (net/policy.py): by default no loopback or private host.
    """
    for path in paths:
        if path == "-":
            if sys.stdin is None:
                yield ReadError(STDIN, "no standard input")
            else:
                yield _read_stream(STDIN, sys.stdin.buffer, max_bytes)
        elif _URL.match(path):
            yield _fetch(path, max_bytes, policy)
        elif os.path.isdir(path):
            yield from _walk(path, max_bytes)
        else:
            yield _read_file(path, max_bytes)


def _walk(folder: str, max_bytes: int) -> Iterator[tuple[str, bytes] | ReadError]:
    """Every regular file under `folder`, sorted, skipping hidden files and folders (.git, .DS_Store)."""
    found = False
    errors: list[ReadError] = []
    for root, dirs, files in os.walk(folder, onerror=lambda exc: errors.append(_os_error(exc.filename, exc))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            full = os.path.join(root, name)
            if not os.path.isfile(full):  # sockets, FIFOs, broken links
                continue
            found = True
            yield _read_file(full, max_bytes)
        yield from errors
        errors.clear()
    if not found:
        yield ReadError(folder, "folder contains no files (hidden files and folders are skipped)")


def _read_file(path: str, max_bytes: int) -> tuple[str, bytes] | ReadError:
    try:
        if os.path.isfile(path) and (size := os.path.getsize(path)) > max_bytes:
            return ReadError(path, _too_big(size, max_bytes))
        with open(path, "rb") as handle:
            return _read_stream(path, handle, max_bytes)
    except OSError as exc:
        return _os_error(path, exc)


def _read_stream(origin: str, stream: BinaryIO, max_bytes: int) -> tuple[str, bytes] | ReadError:
    """Read at most max_bytes (+1 to notice more): also guards FIFOs and growing files."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        return _os_error(origin, exc)
    if len(data) > max_bytes:
        return ReadError(origin, f"over the size limit of {max_bytes:,} bytes")
    return origin, data


def _fetch(url: str, max_bytes: int, policy: HostPolicy) -> tuple[str, bytes] | ReadError:
    """GET a URL under the host policy; any failure is a ReadError with the reason."""
    try:
        return url, fetch(url, policy=policy, max_bytes=max_bytes, timeout=FETCH_TIMEOUT).body
    except FetchError as exc:
        return ReadError(url, exc.reason)


def _too_big(size: int, max_bytes: int) -> str:
    return f"file is {size:,} bytes, over the size limit of {max_bytes:,} bytes"


def _os_error(path: str, exc: OSError) -> ReadError:
    reason = {
        FileNotFoundError: "no such file or folder",
        PermissionError: "permission denied",
        IsADirectoryError: "is a folder",
    }.get(type(exc), exc.strerror or str(exc))
    return ReadError(path, reason)
