"""When a feed is polled next: its interval when it worked, an exponential backoff when it failed."""

from __future__ import annotations

import re

DEFAULT_EVERY = 15 * 60
LONGEST_BACKOFF = 24 * 3600
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """"15m", "2h", "1d", "90s" or plain seconds -> seconds; ValueError naming the value otherwise."""
    match = _INTERVAL.match(text.lower())
    if not match or int(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not an interval: write a positive number with s, m, h or d (e.g. 15m)")
    return int(match.group(1)) * _UNIT[match.group(2)]


def format_interval(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def backoff(every: int, failures: int) -> int:
    """Seconds until the next poll after `failures` failed polls in a row: every x 2^failures, at most a day
    (or the interval itself, when that is longer)."""
    if failures <= 0:
        return every
    return min(every * 2 ** min(failures, 30), max(LONGEST_BACKOFF, every))
