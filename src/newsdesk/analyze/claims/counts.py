"""Counts: a figure, its qualifier and what it counts (killed, injured, arrested, amounts of money)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from newsdesk.analyze.claims.claim import make_claim
from newsdesk.analyze.claims.patterns import (
    AFTER,
    AMOUNT_TOPICS,
    ATTACKERS,
    BEFORE,
    CURRENCY_SIGN,
    DEATH_HEAD,
    DENIAL_BEFORE,
    EARLIER,
    EARLIER_AFTER,
    GATE_LEFT,
    GATE_MONEY,
    GATE_PERP,
    GATE_PRED,
    GATE_TOLL,
    GATE_VFIRST,
    GATE_ZERO,
    INCREMENT,
    INJURY_HEAD,
    INJURY_PREDICATE,
    LABEL,
    LABEL_MORE,
    LABELS,
    LEFT,
    MONEY_SIGN,
    MONEY_WORD,
    NOT_COUNT_AFTER,
    NOT_COUNT_BEFORE,
    PEOPLE,
    PEOPLE_AFTER_YEAR,
    PERPETRATORS,
    PREDICATES,
    RISEN,
    SIGNS,
    STREET_AFTER,
    SUBSET_AFTER,
    TOLL,
    VERB_FIRST,
    YEAR,
    ZERO,
    F,
)
from newsdesk.analyze.numbers import QUANTITY_RE, Quantity, quantity
from newsdesk.model import Claim, Sentence


def find_counts(sentence: Sentence, words: frozenset[str]) -> list[Claim]:
    """Figures with what they count; the speaker is filled in by the caller (labels carry their own)."""
    text = sentence.text
    claims: dict[int, Claim] = {}  # by the start of the figure: one claim per figure

    def add(match: re.Match[str], group: str, attribute: str, *, noun: str | None = None, adv: str | None = None,
            detail: str | None = None, who: str | None = None) -> None:
        start, end = match.span(group)
        if start in claims or not _is_count(text, match, group):
            return
        q = quantity(_subgroup(match, group))
        if q is None or q.high < 0:
            return
        group_name, attribute = _counted_group(noun, attribute)
        if attribute == "attackers" and q.low > 100:
            return
        before = text[:start]
        polarity = "denied" if DENIAL_BEFORE.search(before) else "affirmed"
        earlier = bool(EARLIER.search(before[-60:])) or bool(EARLIER_AFTER.search(text[end:]))
        if INCREMENT.match(text[end:]) and not any(c.attribute != attribute for c in claims.values()):
            detail = "new"  # "three more dead", "36 more people were hospitalized": an increase, not a total
        claims[start] = make_claim(sentence, "count", attribute, q.label(), q, start, end, polarity=polarity,
                               speaker=who, detail=detail or (adv.lower() if adv else None),
                               group=group_name, earlier=earlier)

    if ":" in text:
        for m in LABEL.finditer(text):
            attribute = _lookup(LABELS, m.group("label"))
            add(m, "qty", attribute, who=m.group("spk"))
            pos = m.end()
            while (more := LABEL_MORE.match(text, pos)) is not None:
                add(more, "qty", attribute, who=more.group("spk"))
                pos = more.end()
    if words & GATE_TOLL:
        for m in TOLL.finditer(text):
            head = m.group("head").lower()
            attribute = "injured" if INJURY_HEAD.search(head) else _lookup(LABELS, head.split()[-1], "killed")
            if DEATH_HEAD.search(head):
                attribute = "injured" if "injur" in head else "killed"
            risen = RISEN.search(m.group("link").lower())
            add(m, "qty", attribute, detail="risen" if risen else None)
    if words & GATE_PRED:
        for m in AFTER.finditer(text):
            add(m, "qty", _lookup(PREDICATES, m.group("pred")), noun=m.group("noun"), adv=m.group("adv"))
    if words & GATE_VFIRST:
        for m in BEFORE.finditer(text):
            add(m, "qty", _lookup(VERB_FIRST, m.group("verb")), noun=m.group("noun"))
    if words & GATE_LEFT:
        for m in LEFT.finditer(text):
            pred = m.group("pred").lower()
            attribute = {"dead": "killed", "homeless": "evacuated"}.get(pred, _lookup(PREDICATES, pred))
            add(m, "qty", attribute, noun=m.group("noun"))
    if words & GATE_PERP:
        for m in ATTACKERS.finditer(text):
            add(m, "qty", "attackers", noun=m.group("noun"))
    money = [*(MONEY_SIGN.finditer(text) if SIGNS.search(text) else ()),
             *(MONEY_WORD.finditer(text) if words & GATE_MONEY else ())]
    for m in money:
        topic = _amount_topic(text, m.start(), m.end())
        if topic is None or m.start("qty") in claims:
            continue
        sign = m.groupdict().get("sign")
        unit = CURRENCY_SIGN.get(sign.lower(), sign) if sign else m.group("word").lower().split()[0]
        add(m, "qty", f"amount:{topic}")
        if m.start("qty") in claims:
            claims[m.start("qty")] = replace(claims[m.start("qty")], group=unit)
    if words & GATE_ZERO:
        for m in ZERO.finditer(text):
            pred = (m.group("pred") or m.group("noun") or "killed").lower()
            attribute = ("injured" if INJURY_PREDICATE.match(pred) else
                         "missing" if pred == "missing" else "killed")
            if re.search(r"\breports?\s+of\s*$", text[: m.start()]):
                continue
            claims.setdefault(m.start(), make_claim(sentence, "count", attribute, "0", Quantity(0.0, 0.0, 0.0, "exact"),
                                                m.start(), m.end()))
    return [claims[k] for k in sorted(claims)]


def _subgroup(match: re.Match[str], group: str) -> re.Match[str]:
    """The QUANTITY sub-match of `group` (its named parts q, n, suffix), re-matched on its own text."""
    inner = QUANTITY_RE.fullmatch(match.group(group))
    assert inner is not None
    return inner


def _is_count(text: str, match: re.Match[str], group: str) -> bool:
    """False for years, times, ages, addresses, distances, durations, parts of a whole ("two of the")."""
    start, end = match.span(group)
    figure = match.group(group)
    after, before = text[end:], text[:start]
    if NOT_COUNT_AFTER.match(after) or SUBSET_AFTER.match(after):
        return False
    if NOT_COUNT_BEFORE.search(before[-24:]):
        return False
    digits = re.sub(r"^\D+", "", figure)
    if YEAR.fullmatch(digits.strip()) and not PEOPLE_AFTER_YEAR.match(after):
        return False
    if re.search(r"[A-Za-z]\s*,\s*(?:also\s+|aged\s+|age\s+)?$", before) and re.match(r"^\s*,", after):
        return False  # an age in apposition: "Billy Lincks, 75, who died"
    if STREET_AFTER.match(after):
        return False
    return not re.search(r"\d[\-/]$", before) and not re.match(r"^[\-/]\d", after)


def _counted_group(noun: str | None, attribute: str) -> tuple[str | None, str]:
    """The counted group ("workers") and attribute; perpetrators are a count of their own, never the toll."""
    if not noun:
        return None, attribute
    noun = " ".join(noun.lower().split())
    if re.fullmatch(PERPETRATORS, noun, F):
        if attribute in ("killed", "attackers"):
            return None, "attackers"
        return noun, attribute
    if re.fullmatch(PEOPLE, noun, F) or (attribute == "evacuated" and re.fullmatch(
            r"(?:residents|inhabitants|villagers|families|households|locals)", noun)):
        return None, attribute
    return noun, attribute


def _amount_topic(text: str, start: int, end: int) -> str | None:
    """The nearest topic word before an amount (or just after it): what the money is."""
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 70) : start])
    for word in reversed(before):
        if word.lower() in AMOUNT_TOPICS:
            return AMOUNT_TOPICS[word.lower()]
    for word in re.findall(r"[A-Za-z]+", text[end : end + 30])[:4]:
        if word.lower() in AMOUNT_TOPICS:
            return AMOUNT_TOPICS[word.lower()]
    return None


def _lookup(table: dict[str, str], word: str, default: str = "") -> str:
    for pattern, attribute in _compiled(tuple(table.items())):
        if pattern.fullmatch(word):
            return attribute
    return default


@cache
def _compiled(table: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, F), attribute) for pattern, attribute in table]
