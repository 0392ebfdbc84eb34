"""Event dates: the date expressions of a sentence, resolved against the article's publication date.

Why not `dateparser.search` over the text: it tries every language rule on every token and costs
tens of milliseconds per sentence. Here the vocabulary (month and weekday names, "yesterday",
"vor 2 Tagen", "hace dos días", "昨天") comes from dateparser's own per-language data, compiled once
per language into a few patterns; a sentence is scanned by those patterns and each match is turned
into a date by arithmetic on the publication date. Nothing is guessed: an expression that needs a
reference date ("on Tuesday", "yesterday", "March 3" without a year) stays unresolved in an undated
article, and says why.
"""

from __future__ import annotations

import calendar
import importlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from newsdesk.analyze.months import MONTHS, WEEKDAYS
from newsdesk.analyze.numbers import _TENS, parse_words
from newsdesk.analyze.numbers import _UNITS as _NUMBER_UNITS

ENGLISH_NUMBER_WORDS = (*_NUMBER_UNITS, *_TENS)

_MONTH_KEYS = MONTHS  # dateparser's keys are the English names
_WEEKDAY_KEYS = WEEKDAYS
_UNITS = ("day", "week", "month", "year")
# Languages whose month and weekday names are capitalised nouns: "may", "march", "sunday" in lower case are
# other words there, so only the capitalised form counts.
_CAPITALISED = frozenset({"en", "de", "nl", "lb"})
_YEAR = r"(?P<year>(?:1[6-9]|20)\d\d)(?!\d)"
_DAY = r"(?P<day>(?:[12]\d|3[01]|0?[1-9]))(?:st|nd|rd|th|er|\.|º|°|ª)?"
_DAY_AFTER_MONTH = r"(?P<day>(?:[12]\d|3[01]|0?[1-9]))(?:st|nd|rd|th)?"  # "Oct. 24." ends a sentence


@dataclass(frozen=True)
class DateExpression:
    """A date expression of a text and what it means, offsets relative to the text scanned.

    `low`/`high` are ISO days bounding when it was (equal for a day); None when it cannot be resolved,
    and then `note` says why. `relative` marks expressions read against the publication date.
    """

    start: int
    end: int
    text: str
    precision: str  # day, week, month
    relative: bool
    low: str | None = None
    high: str | None = None
    note: str | None = None

    @property
    def resolved(self) -> bool:
        return self.low is not None

    def overlaps(self, other: DateExpression) -> bool:
        """Whether both are resolved and share a day: "last week" holds "on Tuesday"."""
        if self.low is None or self.high is None or other.low is None or other.high is None:
            return False
        return self.low <= other.high and other.low <= self.high


@dataclass(frozen=True)
class _Language:
    code: str
    cjk: bool
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, tuple[int, str]]  # phrase -> (signed offset in units, unit); past is negative
    numbers: dict[str, int]
    date_order: str
    # (kind, pattern, gate): a pattern is tried only on text with a digit ("digit"), or with one of the gate's
    # words (a month, a weekday, "yesterday", "ago"...), or always (None: CJK text has no word boundaries).
    patterns: tuple[tuple[str, re.Pattern[str], str | frozenset[str] | None], ...]
    ago: tuple[str, ...]  # the meaning ("-day", "+week") of each alternative of the "ago" pattern


def _data(code: str) -> dict | None:
    try:
        module = importlib.import_module(f"dateparser.data.date_translation_data.{code}")
    except ImportError:
        return None
    return getattr(module, "info", None)


def _names(values: list[str], cjk: bool, minimum: int) -> list[str]:
    """Usable names: abbreviations of one or two letters ("mo", "ma") are ordinary words in prose."""
    return [v.lower() for v in values if cjk or len(v.rstrip(".")) >= minimum]


def _alternation(names: list[str], capitalised: bool, dots: bool = True) -> str:
    """One regex alternative per name, longest first; abbreviations take their dot before a number ("Sept. 16")."""
    parts = []
    for name in sorted(set(names), key=len, reverse=True):
        escaped = re.escape(name)
        if capitalised and name[:1].isalpha():
            escaped = f"(?-i:{re.escape(name[0].upper())}){re.escape(name[1:])}"
        if dots and len(name) <= 4 and name[-1:].isalpha():
            escaped += r"(?:\.(?=\s*\d))?"
        parts.append(escaped)
    return "|".join(parts)


def _relative_phrases(info: dict) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for meaning, phrases in (info.get("relative-type") or {}).items():
        m = re.fullmatch(r"(?:(in) )?(\d+) (\w+)(?: ago)?", meaning)
        if not m or m.group(3) not in _UNITS:
            continue
        n = int(m.group(2)) * (1 if m.group(1) else -1)
        for phrase in phrases:
            if "/" not in phrase and len(phrase) >= 2:
                out[phrase.lower()] = (n, m.group(3))
    return out


_NUMBER_SLOT = r"(\d++[.,]?\d*+)"


def _relative_regexes(info: dict, word: str) -> tuple[tuple[str, ...], str]:
    """dateparser's "N units ago" patterns as one regex, the number widened to spelled numbers.

    Alternatives are grouped by the words before the number ("vor", "il y a", none), so that the number is
    read once per place: `(?P<n0>N)(?:(?P<a0> days ago)|(?P<a1> weeks ago)...)`; group `a<i>` names meaning i.
    """
    meanings: list[str] = []
    by_prefix: dict[str, list[str]] = {}
    for meaning, patterns in (info.get("relative-type-regex") or {}).items():
        m = re.fullmatch(r"(in )?\\1 (\w+)(?: ago)?", meaning)
        # Only the past: "in 70 years" is mostly a span ("the biggest shift in 70 years"), not a future date.
        if not m or m.group(2) not in _UNITS or m.group(1):
            continue
        for pattern in patterns:
            if pattern.count(_NUMBER_SLOT) != 1:
                continue
            prefix, rest = pattern.split(_NUMBER_SLOT)
            by_prefix.setdefault(prefix, []).append(f"(?P<a{len(meanings)}>{rest})")
            meanings.append(f"-{m.group(2)}")
    body = "|".join(f"{prefix}(?P<n{i}>\\d{{1,3}}|{word})(?:{'|'.join(rests)})"
                    for i, (prefix, rests) in enumerate(sorted(by_prefix.items())))
    return tuple(meanings), body


@cache
def language(code: str | None) -> _Language:
    """The compiled patterns of one language (English when the language is unknown to dateparser)."""
    code = (code or "en").lower().split("-")[0]
    info = _data(code)
    if info is None or not info.get("january"):
        code, info = "en", _data("en")
    assert info is not None
    cjk = any("\u3040" <= ch <= "\u9fff" for ch in "".join(info.get("january", [])))
    months = {n: i for i, key in enumerate(_MONTH_KEYS, 1) for n in _names(info.get(key, []), cjk, 3)}
    weekdays = {n: i for i, key in enumerate(_WEEKDAY_KEYS) for n in _names(info.get(key, []), cjk, 4)}
    numbers = {}
    for item in info.get("simplifications") or []:
        for key, value in item.items():
            if re.fullmatch(r"[^\W\d]+(?:'[^\W\d]+)?", key) and str(value).isdigit():
                numbers[key.lower()] = int(value)
    relative = _relative_phrases(info)
    capitalised = code in _CAPITALISED
    month = rf"(?P<month>{_alternation(list(months), capitalised)})"
    before, after = ("", "") if cjk else (r"(?<![\w.])", r"(?![\w])")
    # A spelled number ("two", "zwei", "两") where dateparser's patterns have digits: the language's number
    # words from dateparser (English ones from analyze.numbers), not any word (which is many times slower).
    spelled: list[str] = []
    if cjk:
        word = f"[{_cjk_numerals()}]{{1,3}}"
    else:
        spelled = sorted(set(numbers) | (set(ENGLISH_NUMBER_WORDS) if code == "en" else set()), key=len, reverse=True)
        word = "(?:" + "|".join(re.escape(w) for w in spelled) + ")" if spelled else "(?!)"
    digit = None if cjk else "digit"
    patterns: list[tuple[str, str, str | frozenset[str] | None]] = [
        ("iso", r"(?<![\d\-])(?P<year>(?:1[6-9]|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<day>[0-3]\d)(?![\d\-])", digit),
        ("numeric", r"(?<![\d./])(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<year>(?:1[6-9]|20)\d\d)(?![\d/]|\.\d)",
         digit),
    ]
    if cjk:
        patterns.append(("cjk", r"(?:(?P<year>\d{4})\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月"
                                r"(?:\s*(?P<day>[12]\d|3[01]|0?[1-9])\s*[日号])?", None))
    else:
        connector = r"(?:\s*,?\s*|\s+de\s+|\s+del\s+)"
        month_words = _gate_words(months)
        patterns += [
            ("dmy", rf"{before}{_DAY}\s*(?:de\s+)?{month}(?:{connector}{_YEAR})?{after}", month_words),
            ("mdy", rf"{before}{month}\s+{_DAY_AFTER_MONTH}(?:\s*,?\s*{_YEAR})?{after}", month_words),
            ("my", rf"{before}{month}{connector}{_YEAR}{after}", month_words),
        ]
    if weekdays:
        patterns.append(("weekday", rf"{before}(?P<weekday>{_alternation(list(weekdays), capitalised)}){after}",
                         None if cjk else _gate_words(weekdays)))
    if relative:
        patterns.append(("relative", rf"{before}(?P<phrase>{_alternation(list(relative), False, dots=False)}){after}",
                         None if cjk else _gate_words(relative)))
    ago, body = _relative_regexes(info, word)
    if ago:
        gate = None if cjk else _gate_words(re.sub(r"\(\?P<n\d+>(?:[^()]|\([^()]*\))*\)|\(\?P<a\d+>|\\[a-z]", " ",
                                                   body).split("|"))
        patterns.append(("ago", rf"{before}(?:{body}){after}", gate))
    compiled = tuple((kind, re.compile(p, re.IGNORECASE), gate) for kind, p, gate in patterns)
    return _Language(code, cjk, months, weekdays, relative, numbers, info.get("date_order", "DMY"), compiled, ago)


def _gate_words(phrases: Iterable[object]) -> frozenset[str]:
    """The words (of three letters or more) of names or phrases: a text without any cannot hold them."""
    return frozenset(w for phrase in phrases for w in _TOKEN.findall(str(phrase).lower()) if len(w) >= 3)


_TOKEN = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _nearest_year(month: int, day: int, published: date) -> date | None:
    """"March 3" in an article of 2022-12-30 is the March 3 nearest to it (of 2021, 2022 or 2023)."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: (abs((d - published).days), d)) if options else None


def _number(raw: str, lang: _Language) -> int | None:
    if raw.isdigit():
        return int(raw)
    value = lang.numbers.get(raw.lower())
    if value is None and all(ch in _cjk_numerals() for ch in raw):
        value = _cjk_number(raw)
    if value is None and lang.code == "en":
        parsed = parse_words(raw.lower())
        value = int(parsed) if parsed is not None and parsed == int(parsed) else None
    return value


_LIANG = "两兩"  # "two" before a counter word; Unicode gives it no numeric value


@cache
def _cjk_numerals() -> str:
    """The CJK ideographs Unicode gives a small whole value (一 二 … 十 百), and 两."""
    chars = [chr(c) for c in range(0x4E00, 0xA000) if unicodedata.numeric(chr(c), -1) in range(0, 101)]
    return "".join(chars) + _LIANG


def _cjk_value(ch: str) -> int:
    return 2 if ch in _LIANG else int(unicodedata.numeric(ch))


def _cjk_number(raw: str) -> int | None:
    """一 to 九十九 written out: 三, 十二, 二十, 二十五."""
    values = [_cjk_value(ch) for ch in raw]
    if len(values) == 1:
        return values[0]
    if len(values) == 2 and values[0] == 10:
        return 10 + values[1]
    if len(values) == 2 and values[1] == 10:
        return values[0] * 10
    if len(values) == 3 and values[1] == 10:
        return values[0] * 10 + values[2]
    return None
_NO_REFERENCE = "relative to the publication date, and the article is undated"


def _resolve(kind: str, m: re.Match[str], lang: _Language, published: date | None) -> DateExpression | None:
    text = m.group(0)
    groups = m.groupdict()

    def made(precision: str, relative: bool, low: date | None, high: date | None = None,
             note: str | None = None) -> DateExpression:
        return DateExpression(m.start(), m.end(), text, precision, relative,
                              low.isoformat() if low else None, (high or low).isoformat() if low else None,
                              None if low else note)

    if kind in ("iso", "numeric", "cjk", "dmy", "mdy", "my"):
        if kind == "numeric":
            a, b = int(groups["a"]), int(groups["b"])
            month, day = (a, b) if lang.date_order.startswith("M") else (b, a)
        else:
            month = int(groups["m"]) if groups.get("m") else lang.months.get(groups["month"].lower().rstrip("."), 0)
            day = int(groups["day"]) if groups.get("day") else 0
        year = int(groups["year"]) if groups.get("year") else None
        if not 1 <= month <= 12:
            return None
        if not day:
            if year is None:
                return None if kind != "cjk" else made("month", True, None, note=_NO_REFERENCE)
            low, high = _month_span(year, month)
            return made("month", False, low, high)
        if year is not None:
            try:
                return made("day", False, date(year, month, day))
            except ValueError:
                return None
        if published is None:
            return made("day", True, None, note="no year is given, and the article is undated")
        return made("day", True, _nearest_year(month, day, published))
    if kind == "weekday":
        weekday = lang.weekdays[groups["weekday"].lower().rstrip(".")]
        if published is None:
            return made("day", True, None, note=_NO_REFERENCE)
        # News speaks of the past week: "on Tuesday" is the last Tuesday up to the day of publication, except
        # the day after it (an article dated in New York on the 7th reports Friday the 8th in Tokyo; a plan
        # for tomorrow): six days back would be "last Friday" or a date.
        back = (published.weekday() - weekday) % 7
        return made("day", True, published + timedelta(days=1) if back == 6 else published - timedelta(days=back))
    if kind == "relative":
        n, unit = lang.relative[groups["phrase"].lower()]
    else:
        raw = next(v for k, v in groups.items() if v is not None and k[:1] == "n" and k[1:].isdigit())
        meaning = lang.ago[int(next(k for k, v in groups.items() if v is not None and k[:1] == "a")[1:])]
        number = _number(raw, lang)
        if number is None or number > 400:
            return None
        unit = meaning[1:]
        n = number if meaning[0] == "+" else -number
    if published is None:
        return made("day" if unit == "day" else unit, True, None, note=_NO_REFERENCE)
    if unit == "day":
        return made("day", True, published + timedelta(days=n))
    if unit == "week":
        low = published + timedelta(weeks=n) - timedelta(days=published.weekday())
        high = low + timedelta(days=6)
        if n == -1:  # weeks start on Monday or on Sunday: "last week" in a Sunday paper is the past six days
            high = published - timedelta(days=1)
    elif unit == "month":
        first = _shift_month(published, n)
        low, high = _month_span(first.year, first.month)
    else:
        low, high = date(published.year + n, 1, 1), date(published.year + n, 12, 31)
    # "this week", "this year": what is reported happened by the day of the report.
    return made(unit, True, low, min(high, published) if n == 0 else high)


_ABSOLUTE_FIRST = {"iso": 0, "numeric": 0, "cjk": 0, "dmy": 0, "mdy": 0, "my": 1}


def find_dates(text: str, language_code: str | None, published: str | None) -> list[DateExpression]:
    """The date expressions of `text` in text order, each resolved against `published` (ISO) when it can be.

    Overlaps keep the longest expression; a weekday next to a full date ("Tuesday, March 3") is dropped
    in favour of the date.
    """
    lang = language(language_code)
    reference = _day(published)
    found: list[tuple[int, int, int, str, re.Match[str]]] = []
    digit = _DIGIT.search(text) is not None
    words = frozenset(_TOKEN.findall(text.lower())) if not lang.cjk else frozenset()
    for kind, pattern, gate in lang.patterns:
        if (gate == "digit" and not digit) or (isinstance(gate, frozenset) and not gate & words):
            continue
        if kind in ("dmy", "mdy", "my") and not digit:
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), _ABSOLUTE_FIRST.get(kind, 2), kind, m))
    found.sort(key=lambda f: f[:3])
    taken: list[tuple[str, re.Match[str]]] = []
    end = -1
    for start, _, _, kind, m in found:
        if start < end:
            continue
        taken.append((kind, m))
        end = m.end()
    out = []
    for i, (kind, m) in enumerate(taken):
        if kind == "weekday" and any(
            k in _ABSOLUTE_FIRST and abs((o.start() - m.end()) if o.start() >= m.end() else (m.start() - o.end())) <= 3
            for j, (k, o) in enumerate(taken) if j != i
        ):
            continue
        expression = _resolve(kind, m, lang, reference)
        if expression is not None:
            out.append(expression)
    return out
