"""Same statement, different answer: sentences of different sources that say the same thing in the same
words except for the name, place, date or figure that answers the question.

Claims (analyze.claims) cover counts and responsibility; this covers everything else a
question can ask ("who acquired Instagram", "where was the final played") at question
time, over the few dozen sentences that were ranked for it. Two sentences are aligned word
by word; a disagreement is a slot where both carry a value (a capitalised name, a number,
a date) that the other sentence does not contain anywhere, with enough shared words around
it that the sentences are clearly one statement. Updated wire copies ("killed 60" in one,
"killed 61" in the next) and reports that swapped a name are what it finds; paraphrases
that share few words are left to the claim rules.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from newsdesk.analyze.months import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS
from newsdesk.analyze.vocabulary import COMMON_WORDS_FILE, data_file, word_set
from newsdesk.answer.conflicts import Conflict, Version
from newsdesk.answer.rank import Candidate
from newsdesk.model import Article, Claim, Question

MIN_COSINE = 0.60  # candidate pairs: alike in meaning (a swapped city can cost a sentence encoder 0.3)
MIN_SHARED_WORDS = 0.5  # ... or in their words
MIN_RATIO = 0.60  # and in words
MIN_CONTEXT = 4  # words shared around the slot
MAX_SLOT = 6  # words a slot may span on either side

_TOKEN = re.compile(r"\w+(?:[.'’\-]\w+)*\.?|[^\w\s]")
_STOP_CAPS = word_set(data_file(COMMON_WORDS_FILE)["en"]["not_names_in_slots"])
_WEEKDAYS = frozenset(WEEKDAYS)
_DATE_WORDS = frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS) | _WEEKDAYS
# "Feb 7, 2021 ... " at the start of a snippet is when it was published, not what it says.
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})\s*(?:\.\.\.|…|—|-)\s*")


@dataclass(frozen=True)
class _Tok:
    norm: str
    start: int
    end: int
    raw: str
    initial: bool = False  # first word of the sentence (or after a colon or full stop): capitalised anyway


@dataclass(frozen=True)
class Substitution:
    """Sentence `a` says `value_a` where sentence `b` says `value_b`, in otherwise the same words."""

    a: Candidate
    value_a: str
    span_a: tuple[int, int]  # offsets in a's sentence text
    b: Candidate
    value_b: str
    span_b: tuple[int, int]


@lru_cache(maxsize=2048)  # about 12 MB: the 40 best sentences of the last 50 questions
def _tokens(text: str) -> tuple[_Tok, ...]:
    """A sentence's words (cached: the questions of one process meet the same sentences again)."""
    skip = _DATELINE.match(text)
    offset = skip.end() if skip else 0
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text, offset):
        norm = m.group(0).lower().replace("–", "-").replace("—", "-").rstrip(".") or m.group(0)
        initial = not out or out[-1].raw in (".", ":", "!", "?", '"', "“", "...", "…") or out[-1].raw.endswith(".")
        out.append(_Tok(norm, m.start(), m.end(), m.group(0), initial))
    return tuple(out)


def _value_kind(tokens: Sequence[_Tok]) -> set[str]:
    """What a slot holds: "name" (capitalised words), "number", "date"."""
    kinds = set()
    for t in tokens:
        if any(ch.isdigit() for ch in t.raw):
            kinds.add("number")
        elif t.norm in _DATE_WORDS:
            kinds.add("date")
        elif t.raw[:1].isupper() and t.norm not in _STOP_CAPS and not t.initial:
            kinds.add("name")
    return kinds


def _wanted(question: Question) -> set[str]:
    return {
        "who": {"name"}, "where": {"name"}, "how_many": {"number"}, "when": {"date", "number"},
    }.get(question.kind, {"name", "number", "date"})


def substitutions(question: Question, candidates: list[Candidate]) -> list[Substitution]:
    """Every aligned pair of sentences from different articles that differ only in an answer-like slot.

    Pairs are found in the order (i, j) of the candidates. The matcher keeps its analysis of the second
    sentence across the first ones it is compared with, and the cheap upper bounds of the ratio
    (`real_quick_ratio`, `quick_ratio`) turn away most pairs before the alignment is worked out.
    """
    wanted = _wanted(question)
    asked = {t for t in re.findall(r"\w+", question.text.lower())}
    toks = [_tokens(c.sentence.text) for c in candidates]
    norms = [[t.norm for t in ts] for ts in toks]
    words = [set(ns) for ns in norms]
    found: list[tuple[int, int, Substitution]] = []
    vectors = np.stack([c.vector for c in candidates]) if candidates else np.zeros((0, 0))
    sims = vectors @ vectors.T if len(candidates) else vectors
    matcher = SequenceMatcher(None, autojunk=False)
    for j, b in enumerate(candidates):
        matcher.set_seq2(norms[j])
        for i in range(j):
            a = candidates[i]
            if a.sentence.article_id == b.sentence.article_id or a.sentence.text == b.sentence.text:
                continue
            ta, tb = toks[i], toks[j]
            if sims[i, j] < MIN_COSINE and _jaccard(words[i], words[j]) < MIN_SHARED_WORDS:
                continue
            matcher.set_seq1(norms[i])
            if matcher.real_quick_ratio() < MIN_RATIO or matcher.quick_ratio() < MIN_RATIO:
                continue  # each bounds ratio() from above
            if matcher.ratio() < MIN_RATIO:
                continue
            shared = sum(block.size for block in matcher.get_matching_blocks())
            if shared < MIN_CONTEXT:
                continue
            for i1, i2, j1, j2 in _slots(matcher.get_opcodes(), ta, tb):
                left, right = ta[i1:i2], tb[j1:j2]
                if not left or not right or len(left) > MAX_SLOT or len(right) > MAX_SLOT:
                    continue
                kinds_a, kinds_b = _value_kind(left), _value_kind(right)
                if not (kinds_a & kinds_b & wanted):
                    continue
                value_a = a.sentence.text[left[0].start : left[-1].end]
                value_b = b.sentence.text[right[0].start : right[-1].end]
                if _core(left) in _compact(b.sentence.text) or _core(right) in _compact(a.sentence.text):
                    continue  # the other sentence names it too ("Nov." / "November", "#NobelPrize"): no dispute
                if _spelling_variants(_core(left), _core(right)) or _weekday_and_date(left, right):
                    continue  # "Morrisette" / "Morrissette"; "Thursday" / "June 16" may be the same day
                if {t.norm for t in left} <= asked or {t.norm for t in right} <= asked:
                    continue
                found.append((i, j, Substitution(a, value_a, (left[0].start, left[-1].end),
                                                 b, value_b, (right[0].start, right[-1].end))))
    found.sort(key=lambda f: (f[0], f[1]))  # stable: a pair's slots keep their order
    return [sub for _, _, sub in found]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _slots(opcodes: Sequence[tuple[str, int, int, int, int]], ta: Sequence[_Tok], tb: Sequence[_Tok]
           ) -> list[tuple[int, int, int, int]]:
    """Replaced runs, joined across a lone punctuation mark ("Tampa, Florida" / "Glendale, Arizona")."""
    runs: list[list[int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "replace":
            if runs and _only_punctuation(ta[runs[-1][1] : i1]) and runs[-1][1] + 1 >= i1:
                runs[-1][1], runs[-1][3] = i2, j2
            else:
                runs.append([i1, i2, j1, j2])
    return [(r[0], r[1], r[2], r[3]) for r in runs]


def _core(tokens: Sequence[_Tok]) -> str:
    """The value words of a slot (names, numbers, dates), run together: "Nobel Prize for" -> "nobelprize"."""
    kept = [t.norm for t in tokens if _value_kind([t])] or [t.norm for t in tokens]
    return _compact(" ".join(kept))


def _weekday_and_date(left: Sequence[_Tok], right: Sequence[_Tok]) -> bool:
    def weekday(tokens: Sequence[_Tok]) -> bool:
        return any(t.norm in _WEEKDAYS for t in tokens)

    return weekday(left) != weekday(right)


def _spelling_variants(a: str, b: str) -> bool:
    return not any(ch.isdigit() for ch in a + b) and SequenceMatcher(None, a, b).ratio() >= 0.8


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _only_punctuation(tokens: Sequence[_Tok]) -> bool:
    return all(not t.norm[:1].isalnum() for t in tokens)


def slot_conflicts(question: Question, candidates: list[Candidate], articles: dict[str, Article],
                   label: str) -> list[Conflict]:
    """The substitutions found, as conflicts: one per set of values that stand in for each other."""
    subs = substitutions(question, candidates)
    if not subs:
        return []
    # Values that replace each other are one disputed slot (connected components over value keys).
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for sub in subs:
        parent[find(_key(sub.value_a))] = find(_key(sub.value_b))
    members: dict[str, dict[str, list[tuple[Candidate, tuple[int, int], str]]]] = defaultdict(lambda: defaultdict(list))
    for sub in subs:
        for cand, span, value in ((sub.a, sub.span_a, sub.value_a), (sub.b, sub.span_b, sub.value_b)):
            members[find(_key(value))][_key(value)].append((cand, span, value))
    out = []
    for values in members.values():
        versions = []
        for entries in values.values():
            seen: dict[str, Version] = {}
            for cand, span, value in sorted(entries, key=lambda e: -e[0].score):
                s = cand.sentence
                if s.text in seen:  # the very same sentence in another article: one version, more citations
                    version = seen[s.text]
                    if all(aid != s.article_id for aid, _, _ in version.spans):
                        version.spans.append((s.article_id, s.start, s.end))
                    continue
                if len(seen) >= 3:
                    continue
                art = articles.get(s.article_id)
                claim = Claim(s.article_id, s.index, s.start, s.end, "answer", label, value,
                              value_start=s.start + span[0], value_end=s.start + span[1])
                version = Version(value, "exact", "affirmed", s.text, [(s.article_id, s.start, s.end)], value,
                                  None, None, claim, art.outlet if art else None, art.published if art else None)
                seen[s.text] = version
                versions.append(version)
        if len({_key(v.value) for v in versions}) >= 2:
            out.append(Conflict(label, _event(question), "differ", versions,
                                articles={aid for v in versions for aid, _, _ in v.spans}))
    out.sort(key=lambda c: -len(c.versions))
    return out


def _key(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.lower()))


def _event(question: Question) -> str:
    names = [group[0] for group in question.names
             if group[0].lower().strip("’'s") not in _STOP_CAPS and len(group[0]) > 2][:3]
    return ", ".join(names) if names else " ".join(question.terms[:5])
