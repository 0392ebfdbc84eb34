"""Claims in German, French, Spanish and Chinese: counts, who claimed a deed, who denied it.

Why a second, smaller extractor: the English rules (`analyze.claims`) are tuned to English word
order; these languages get the core only, driven by per-language lexicons in
`data/claims_lexicon.json` (predicates, qualifiers, number words, claim and denial verbs), so a
language is added by editing data. A count is a figure with a predicate within a few words
after it ("mindestens elf Menschen ums Leben gekommen", "11人死亡") or before it
("疏散了约3200名居民"); the figure keeps its qualifier as an interval, as English counts do,
so the conflict detector compares claims across languages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsdesk.analyze.claims.lexicon import lexicon
from newsdesk.analyze.names import CAPITALISED_WORD_INTL
from newsdesk.model import Article, Claim, Sentence

_F = re.IGNORECASE
# Digits as these languages write them: 1.200 (de, es), 1 200 / 1 200 (fr), 1,5 / 12.6 decimals.
_DIGITS = r"\d{1,3}(?:[.\u00a0\u202f\u2009 ]\d{3})+(?![\d])|\d+(?:[.,]\d+)?"
_ZH_DIGITS = r"[零〇一二两三四五六七八九十百千万亿]+"
_ZH_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")


def languages() -> frozenset[str]:
    """The languages this extractor covers."""
    return frozenset(lexicon())


@dataclass(frozen=True)
class _Rules:
    language: str
    counts_after: re.Pattern[str]
    counts_before: re.Pattern[str]
    after_labels: list[tuple[re.Pattern[str], str]]
    before_labels: list[tuple[re.Pattern[str], str]]
    claimed: re.Pattern[str]
    denied: re.Pattern[str]
    according: re.Pattern[str]
    lex: dict[str, Any]


def _alternatives(table: dict[str, str]) -> str:
    return "|".join(f"(?:{v})" for v in table.values())


@cache
def _rules(language: str) -> _Rules:
    lex = lexicon()[language]
    after, before = lex["counts"]["after"], lex["counts"]["before"]
    qual = f"(?P<q>{lex['lower']}|{lex['upper']}|{lex['approximate']})"
    if language == "zh":
        number = rf"(?P<n>(?:{_DIGITS})(?:[万亿千百])?|{_ZH_DIGITS})(?P<more>{lex['lower_suffix']})?"
        figure = rf"(?:{qual}\s*)?{number}"
        gap = rf"(?:{lex['counted']})?[\u4e00-\u9fff]{{0,{lex['gap']}}}?"
        counts_after = re.compile(rf"{figure}{gap}(?P<pred>{_alternatives(after)})")
        counts_before = re.compile(rf"(?P<pred>{_alternatives(before)})\s*{figure}(?:{lex['counted']})")
    else:
        words = "|".join(sorted(lex["numbers"], key=len, reverse=True))
        scales = "|".join(sorted(lex["scales"], key=len, reverse=True))
        # Number words, also joined by hyphens ("vingt-deux", "trente-et-un"), never a part of a longer word.
        number = rf"(?P<n>(?:{_DIGITS})(?:\s+(?P<scale>{scales}))?|(?<![\w-])(?:{words})(?:-(?:{words}|et))*(?![\w-]))"
        figure = rf"(?:\b{qual}\s+)?{number}"
        gap = rf"(?:\s+(?!\d)[^\W\d]+[\w'’\-]*){{0,{lex['gap']}}}?"
        counts_after = re.compile(rf"{figure}{gap}\s+(?P<pred>\b(?:{_alternatives(after)})\b)", _F)
        counts_before = re.compile(rf"(?P<pred>\b(?:{_alternatives(before)})\b)\s+{figure}", _F)
    return _Rules(
        language,
        counts_after,
        counts_before,
        [(re.compile(rf"^(?:{v})$", _F), k) for k, v in after.items()],
        [(re.compile(rf"^(?:{v})$", _F), k) for k, v in before.items()],
        re.compile(lex["claimed"], _F),
        re.compile(lex["denied"], _F),
        re.compile(rf"(?:^|[\s,(])(?:{lex['according']})\s*(?P<s>[^,.;:，。；：\"“”()]{{2,60}})", _F),
        lex,
    )


def extract_claims_intl(article: Article, sentences: Iterable[Sentence], language: str) -> list[Claim]:
    """Claims of an article in `language` (one of `languages()`), in text order, offsets into `article.text`."""
    rules = _rules(language)
    out: list[Claim] = []
    for sentence in sentences:
        if len(sentence.text) < 4 or len(sentence.text) > 700:
            continue
        try:
            speaker = _speaker(sentence.text, rules)
            found = _counts(sentence, rules) + _responsibility(sentence, rules)
        except Exception:  # a rule that trips on odd text loses that sentence's claims, never the article
            continue
        out += [c if c.speaker or c.kind != "count" else _with_speaker(c, speaker) for c in found]
    return out


def _with_speaker(claim: Claim, speaker: str | None) -> Claim:
    from dataclasses import replace

    return replace(claim, speaker=speaker)


# --- counts ---------------------------------------------------------------------------------


def _counts(sentence: Sentence, rules: _Rules) -> list[Claim]:
    text = sentence.text
    claims: dict[int, Claim] = {}
    for pattern, labels in ((rules.counts_after, rules.after_labels), (rules.counts_before, rules.before_labels)):
        for m in pattern.finditer(text):
            start = m.start("q") if m.group("q") else m.start("n")
            if start in claims or m.start("n") in {c.value_start - sentence.start for c in claims.values()}:
                continue
            value = _number(m.group("n"), m.groupdict().get("scale"), rules)
            if value is None or value < 0 or _YEAR.match(m.group("n").strip()) and not m.group("q"):
                continue
            qualifier = _qualifier(m.group("q"), m.groupdict().get("more"), rules)
            low, high = _interval(value, qualifier)
            attribute = next((a for p, a in labels if p.match(m.group("pred").strip())), None)
            if attribute is None:
                continue
            end = m.end("more") if m.groupdict().get("more") else m.end("n")
            label = str(int(value)) if float(value).is_integer() else f"{value:g}"
            claims[start] = Claim(
                article_id=sentence.article_id, sentence_index=sentence.index, start=sentence.start,
                end=sentence.end, kind="count", attribute=attribute, value=label, qualifier=qualifier,
                low=low, high=high, value_start=sentence.start + start, value_end=sentence.start + end,
            )
    return [claims[k] for k in sorted(claims)]


def _qualifier(q: str | None, more: str | None, rules: _Rules) -> str:
    lex = rules.lex
    if more:
        return "lower"
    if not q:
        return "exact"
    for name in ("lower", "upper", "approximate"):
        if re.fullmatch(lex[name], q.strip(), _F):
            return name
    return "exact"


def _interval(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier == "lower":
        return value, math.inf
    if qualifier == "upper":
        return 0.0, value
    if qualifier == "approximate":
        spread = max(1.0, value * 0.1)
        return max(0.0, value - spread), value + spread
    return value, value


def _number(raw: str, scale: str | None, rules: _Rules) -> float | None:
    """'3.200' / '3 200' -> 3200, '1,5 Millionen' -> 1500000, 'elf' -> 11, '三千二百' -> 3200, '12.6万' -> 126000."""
    raw = raw.strip()
    lex = rules.lex
    if rules.language == "zh":
        if re.fullmatch(r"[\d.]+[万亿千百]", raw):
            unit = {"万": 10_000, "亿": 100_000_000, "千": 1000, "百": 100}[raw[-1]]
            return float(raw[:-1]) * unit
        if re.fullmatch(_ZH_DIGITS, raw):
            return _chinese_numeral(raw)
    spelled = _spelled(raw, lex.get("numbers", {}))
    if spelled is not None:
        return spelled
    digits = re.sub(r"[\u00a0\u202f\u2009 ]", "", raw)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits) and not scale:
        digits = digits.replace(".", "")
    digits = digits.replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    if scale:
        factor = next((v for k, v in lex["scales"].items() if re.fullmatch(k, scale.strip(), _F)), 1)
        value *= factor
    return value


def _spelled(raw: str, numbers: dict[str, int]) -> float | None:
    """'onze' -> 11, 'vingt-deux' -> 22, 'deux-cents' -> 200 (parts joined by hyphens, 'et' skipped)."""
    total = 0.0
    parts = [p for p in raw.lower().split("-") if p != "et"]
    for part in parts:
        value = next((v for k, v in numbers.items() if re.fullmatch(k, part, _F)), None)
        if value is None:
            return None
        total = max(total, 1.0) * value if value in (100, 1000) and len(parts) > 1 else total + value
    return total if parts else None


def _chinese_numeral(text: str) -> float | None:
    """'七' -> 7, '十一' -> 11, '两百' -> 200, '三千二百' -> 3200, '一万二千' -> 12000."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _ZH_VALUES:
            digit = _ZH_VALUES[ch]
        elif ch in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit = None
        elif ch in _ZH_BIG:
            total += (section + (digit or 0)) * _ZH_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


# --- responsibility -------------------------------------------------------------------------


def _responsibility(sentence: Sentence, rules: _Rules) -> list[Claim]:
    text = sentence.text
    out: list[Claim] = []
    for pattern, polarity, detail in ((rules.claimed, "affirmed", "claimed"), (rules.denied, "denied", "denied")):
        for m in pattern.finditer(text):
            actor = _actor(text, m.start(), m.end(), rules)
            if actor is None:
                continue
            name, start, end = actor
            out.append(Claim(
                article_id=sentence.article_id, sentence_index=sentence.index, start=sentence.start,
                end=sentence.end, kind="responsibility", attribute="responsibility", value=name,
                value_start=sentence.start + start, value_end=sentence.start + end, polarity=polarity,
                speaker=name, detail=detail,
            ))
    return sorted(out, key=lambda c: c.value_start)


def _actor(text: str, lo: int, hi: int, rules: _Rules) -> tuple[str, int, int] | None:
    """Who did it: the nearest name before the verb in its clause, else (German inversion) right after it."""
    lex = rules.lex
    if rules.language == "zh":
        char = rf"[^\W\d_{lex['name_breaks']}]"  # a name holds no particle ("涉事的安达矿业公司")
        names = list(re.finditer(rf"{char}{{2,6}}?(?:{lex['org_suffixes']})", text[:lo]))
        if not names:
            return None
        m = names[-1]
        # "极端组织伊斯兰国声称": a descriptor ending in a suffix, then the name itself right before the verb.
        rest = text[m.end():lo]
        if 2 <= len(rest) <= 8 and re.fullmatch(rf"{char}+", rest):
            return rest, m.end(), lo
        return m.group(0), m.start(), m.end()
    clause_start = max(text.rfind(p, 0, lo) for p in (",", ";", ":", "–", "—", "\"", "«", "»")) + 1
    before = _names(text, clause_start, lo, rules)
    if before:
        return before[-1]
    head = re.search(rf"(?:^|\s)(?:{lex['articles']})\s*(?P<noun>[^\W\d_]{{3,}})(?:\s+(?:a|ont|ha|han|hat|haben))?\s*$",
                     text[clause_start:lo], _F) if lex.get("articles") else None
    if head:
        return head.group("noun"), clause_start + head.start("noun"), clause_start + head.end("noun")
    after = _names(text, hi, min(len(text), hi + 60), rules)
    return after[0] if after else None


def _names(text: str, lo: int, hi: int, rules: _Rules) -> list[tuple[str, int, int]]:
    """Capitalised runs in text[lo:hi] with leading articles and generic nouns ("Die Gruppe") dropped."""
    lex = rules.lex
    word = CAPITALISED_WORD_INTL
    run = re.compile(rf"{word}(?:\s+(?:(?:{lex['connectors']})\s+)?{word})*")
    generic = re.compile(rf"^(?:(?:{lex['generic']})(?:\s+|$))+", _F)
    found = []
    for m in run.finditer(text, lo, hi):
        phrase = m.group(0)
        stripped = generic.sub("", phrase)
        if not stripped or not stripped[0].isupper():
            continue
        start = m.start() + len(phrase) - len(stripped)
        found.append((stripped, start, m.end()))
    return found


def _speaker(text: str, rules: _Rules) -> str | None:
    m = rules.according.search(text)
    return " ".join(m.group("s").split()) if m else None
