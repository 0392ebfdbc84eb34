"""Numbers as news writes them, turned into intervals: "61", "1,200", "1.2 million", "dozens", "50-60".

A reported figure is rarely a point: "at least 61" is [61, ∞), "about 700" is roughly
[630, 770], "1.2 million" is rounded to its last digit, "dozens" is vague. Intervals let
the conflict detector tell "at least 61" vs "61" (compatible) from "60" vs "61" (different).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Every number written as one word, for comparing "Four years after" with the figure "4".
SPELLED_NUMBERS: dict[str, int] = {**_UNITS, **_TENS}
_SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
                "trillion": 1_000_000_000_000}
_SCALE_SHORT = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
                "b": 1_000_000_000, "tn": 1_000_000_000_000}
# Vague quantities as intervals (low, high).
VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (24, 144), "scores": (40, 200), "hundreds": (200, 1_000), "thousands": (2_000, 1_000_000),
    "tens of thousands": (20_000, 100_000), "hundreds of thousands": (200_000, 1_000_000),
    "millions": (2_000_000, 1e9), "several": (3, 9), "a few": (2, 5), "a handful": (2, 6),
    "several dozen": (24, 120), "several hundred": (200, 900), "several thousand": (2_000, 9_000),
    "a dozen": (11, 13), "a couple of": (2, 3),
}

_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_SPELLED = (
    rf"(?:(?:a|an|one|{_NUMBER_WORD})(?:[\s\-]+(?:and\s+)?(?:{_NUMBER_WORD}|hundred|thousand|million|billion))*"
    r"(?:\s+dozen)?)"
)
_VAGUE_RE = (
    r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|several\s+(?:dozen|hundred|thousand)|"
    r"dozens|scores|hundreds|thousands|millions|several|a\s+few|a\s+handful|a\s+dozen|a\s+couple\s+of)"
)
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,200 / 1,200.5
    r"|\d{1,3}(?:\.\d{3})+(?![\d,]|\s*(?:million|billion|trillion|mn|bn|m|k)\b)"  # 1.200 (European thousands)
    r"|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?!\d)"  # 1 200
    r"|\d+(?:\.\d+)?)"
)
_SCALE = r"(?:\s*(?:million|billion|trillion|thousand|mln|mn|bn|tn|m|k)\b)"
# One number: digits with an optional scale, or words. Used inside larger patterns.
NUMBER = rf"(?:{_DIGITS}(?![.,]?\d){_SCALE}?|{_VAGUE_RE}|{_SPELLED})"
RANGE = (
    rf"(?:between\s+{NUMBER}\s+and\s+{NUMBER}|from\s+{NUMBER}\s+to\s+{NUMBER}|"
    rf"{_DIGITS}{_SCALE}?\s*(?:-|–|—|to)\s*{_DIGITS}{_SCALE}?|{_SPELLED}\s+(?:to|or)\s+{_SPELLED})"
)
LOWER = (
    r"(?:at\s+least|more\s+than|over|upwards\s+of|in\s+excess\s+of|no\s+(?:fewer|less)\s+than|not\s+less\s+than|"
    r"a\s+minimum\s+of|above|exceeding|just\s+over|well\s+over|well\s+above)"
)
UPPER = (
    r"(?:up\s+to|at\s+most|less\s+than|fewer\s+than|under|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of|"
    r"below|as\s+many\s+as|just\s+under)"
)
APPROX = (
    r"(?:about|around|some|roughly|approximately|approx\.|nearly|almost|close\s+to|an\s+estimated|estimated|"
    r"circa|ca\.|~)"
)
# A number with its qualifier: what the count patterns match as a whole.
QUANTITY = (
    rf"(?:(?:(?P<q>{LOWER}|{UPPER}|{APPROX})\s+)?(?P<n>{RANGE}|{NUMBER})"
    r"(?P<suffix>\s*\+|\s+or\s+more|\s+or\s+so|-plus)?)"
)


QUANTITY_RE = re.compile(QUANTITY, re.IGNORECASE)
_LOWER_RE = re.compile(LOWER, re.IGNORECASE)
_UPPER_RE = re.compile(UPPER, re.IGNORECASE)
_APPROX_RE = re.compile(APPROX, re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A parsed figure: the point value if there is one, its interval, and how it was qualified."""

    value: float | None
    low: float
    high: float
    qualifier: str  # exact, lower, upper, approximate, range, vague

    def label(self) -> str:
        """A short normalised value ("61", "1200000", "24-144")."""
        if self.value is not None:
            return _fmt(self.value)
        return f"{_fmt(self.low)}-{_fmt(self.high) if math.isfinite(self.high) else '∞'}"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def parse_number(text: str) -> tuple[float, float, float] | None:
    """(value, low, high) of one number as written; a rounded figure widens to its precision."""
    t = " ".join(text.lower().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").split())
    if t in VAGUE:
        low, high = VAGUE[t]
        return (12.0, low, high) if t == "a dozen" else (math.nan, low, high)
    m = re.fullmatch(r"([\d][\d,. ]*)\s*([a-z]+)?", t)
    if m:
        digits, scale_word = m.group(1).strip(), m.group(2)
        scale = 1.0
        if scale_word:
            scale = _SCALE_WORDS.get(scale_word) or _SCALE_SHORT.get(scale_word) or 0
            if not scale:
                return None
        value, decimals = _parse_digits(digits, scaled=bool(scale_word))
        if value is None:
            return None
        if scale_word and scale >= 1000:
            # "1.2 million" is rounded to its last written digit.
            half = 0.5 * scale * (10 ** -decimals if decimals else 1)
            return value * scale, value * scale - half, value * scale + half
        return value * scale, value * scale, value * scale
    words = parse_words(t)
    if words is None:
        return None
    return words, words, words


def _parse_digits(digits: str, *, scaled: bool) -> tuple[float | None, int]:
    """'1,200' -> 1200; '1.200' -> 1200 (thousands) unless a scale follows ('1.2 million'); '2.5' -> 2.5."""
    d = digits.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", d):
        d = d.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", d) and not scaled:
        d = d.replace(".", "")
    elif "," in d:
        return None, 0
    try:
        value = float(d)
    except ValueError:
        return None, 0
    decimals = len(d.split(".")[1]) if "." in d else 0
    return value, decimals


def parse_words(text: str) -> float | None:
    """'twenty-one' -> 21, 'one hundred and twenty' -> 120, 'two dozen' -> 24, 'a hundred' -> 100."""
    tokens = [w for w in re.split(r"[\s\-]+", text.lower()) if w and w != "and"]
    if not tokens:
        return None
    total, current, seen = 0.0, 0.0, False
    for i, word in enumerate(tokens):
        if word in ("a", "an"):
            if i != 0:
                return None
            current = 1
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "dozen":
            current = (current or 1) * 12
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in _SCALE_WORDS:
            total += (current or 1) * _SCALE_WORDS[word]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def quantity(match: re.Match[str]) -> Quantity | None:
    """The interval a QUANTITY match stands for."""
    raw = match.group("n")
    qual = (match.group("q") or "").lower()
    suffix = (match.group("suffix") or "").strip().lower()
    parts = _range_parts(raw)
    if parts is not None:
        a, b = (parse_number(p) for p in parts)
        if a is None or b is None:
            return None
        low, high = min(a[1], b[1]), max(a[2], b[2])
        if low == high:
            return Quantity(low, low, high, "exact")
        return Quantity(None, low, high, "range")
    parsed = parse_number(raw)
    if parsed is None:
        return None
    value, low, high = parsed
    if math.isnan(value):
        return Quantity(None, low, high, "vague")
    qualifier = "exact" if low == high else "approximate"
    step = 1.0 if float(value).is_integer() else abs(value) * 1e-9
    if _LOWER_RE.fullmatch(qual) or suffix in ("+", "or more", "-plus"):
        exclusive = qual.startswith(("more", "over", "upwards", "in excess", "above", "exceeding", "just over",
                                     "well"))
        return Quantity(value, value + step if exclusive else value, math.inf, "lower")
    if _UPPER_RE.fullmatch(qual):
        if qual == "as many as":
            return Quantity(value, 0.0, value, "upper")
        exclusive = qual.startswith(("less", "fewer", "under", "below", "just under"))
        return Quantity(value, 0.0, value - step if exclusive else value, "upper")
    if _APPROX_RE.fullmatch(qual) or suffix == "or so":
        if qual in ("nearly", "almost", "close to"):
            return Quantity(value, value * 0.85, value, "approximate")
        spread = max(1.0, abs(value) * 0.1) if float(value).is_integer() else abs(value) * 0.1
        return Quantity(value, max(0.0, min(low, value - spread)), max(high, value + spread), "approximate")
    return Quantity(value, low, high, qualifier)


def _range_parts(raw: str) -> tuple[str, str] | None:
    t = " ".join(raw.split())
    m = re.fullmatch(r"(?i)between\s+(.+?)\s+and\s+(.+)|from\s+(.+?)\s+to\s+(.+)", t)
    if m:
        groups = [g for g in m.groups() if g is not None]
        return groups[0], groups[1]
    m = re.fullmatch(r"(?i)(.+?)\s*(?:-|–|—|\bto\b|\bor\b)\s*(.+)", t)
    if m and not re.fullmatch(r"[a-z]+-[a-z]+", t.lower()):  # "twenty-one" is one number
        left, right = m.group(1), m.group(2)
        # "1.2 million-1.5 million" / "80 million to 120 million" / "two to three"
        if parse_number(left) is not None and parse_number(right) is not None:
            scale = re.search(r"\s*(million|billion|trillion|thousand|mln|mn|bn|tn|m|k)$", right.lower())
            if scale and not re.search(r"[a-z]$", left.lower()) and re.fullmatch(r"[\d.,]+", left):
                left += scale.group(0)  # "80 to 120 million": both are millions
            return left, right
    return None
