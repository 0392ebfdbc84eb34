"""Decoding rules against charset-normalizer alone, on real dev articles damaged in the ways files are.

Per article with non-ASCII text (../shared/data/realtimeqa-dev gold files, first 40): UTF-8 with one
and with three stray bytes (right = the text back with only U+FFFD added), the windows-1252 encoding
(right = the text exactly), and 30 % random bytes (right = refused). Prints right/total per case for
`decode_bytes` and for charset-normalizer's best guess::

    PYTHONPATH=src .venv/bin/python bench/decode_choice.py
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from newsdesk.ingest.decode import decode_bytes

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "realtimeqa-dev"


def articles(limit: int = 40) -> list[str]:
    out = []
    for path in sorted(DATA.glob("*_gold.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for result in json.loads(line)["search_result"]:
                text = result.get("text") or ""
                if len(text) > 2000 and any(ord(ch) > 127 for ch in text):
                    out.append(text)
    return out[:limit]


def cases(text: str, rng: random.Random) -> Iterator[tuple[str, bytes, str | None]]:
    data = text.encode()
    at = rng.randrange(len(data))
    yield "utf8 + 1 bad byte", data[:at] + b"\xff" + data[at:], text
    damaged = bytearray(data)
    for _ in range(3):
        damaged.insert(rng.randrange(len(damaged)), 0xFF)
    yield "utf8 + 3 bad bytes", bytes(damaged), text
    try:
        yield "windows-1252", text.encode("cp1252"), text
    except UnicodeEncodeError:
        pass
    noisy = bytearray(data)
    for _ in range(len(noisy) // 3):
        noisy[rng.randrange(len(noisy))] = rng.randrange(256)
    yield "30 % random bytes", bytes(noisy), None


def charset_normalizer_best(data: bytes) -> str:
    best = from_bytes(data).best()
    if best is None:
        raise ValueError("no guess")
    return str(best)


def main() -> int:
    texts = articles()
    deciders: dict[str, Callable[[bytes], str]] = {
        "decode_bytes": lambda data: decode_bytes(data, "bench"), "charset-normalizer": charset_normalizer_best}
    for name, decide in deciders.items():
        rng = random.Random(7)
        score: dict[str, list[int]] = {}
        for text in texts:
            for kind, data, want in cases(text, rng):
                try:
                    got: str | None = decide(data)
                except ValueError:
                    got = None
                if want is None:
                    right = got is None
                elif kind.startswith("utf8"):
                    right = got is not None and got.replace("\ufffd", "") == want
                else:
                    right = got == want
                tally = score.setdefault(kind, [0, 0])
                tally[0] += right
                tally[1] += 1
        print(f"{name:>20}: " + ", ".join(f"{kind} {ok}/{total}" for kind, (ok, total) in score.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
