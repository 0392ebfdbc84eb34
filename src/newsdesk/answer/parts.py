"""Questions with parts: each source, thing or time a comparison or conjunction names is looked for apart.

"Did both A and B report that ...?", "Which company, reported by A in March and by B in May, ...?",
"Was X announced before Y?" (analyze/question.py `question_parts`). One search for the whole question
finds what the parts share and can miss a part altogether; so each part gets its own search (restricted
to the outlet when the part names one the index holds, and to its month when it gives one: a search over
every month lets the other months' articles fill the short list), its best sentence that is about the
part (its names, and some of what is asked of it) is cited in the answer (a sentence the brief already
quotes is reused), and a note says for each part where its evidence is, or that nothing was found for it.
Every line stays a verbatim span of its article.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from newsdesk.analyze.months import MONTHS
from newsdesk.analyze.terms import stems
from newsdesk.answer.rank import Candidate
from newsdesk.model import Article, Brief, Citation, QuestionPart, Source, Statement

MIN_PART_SCORE = 0.30  # the brief's own bar for a sentence to answer at all (answer.brief.MIN_ANSWER_SCORE)
TERM_SHARE = 2 / 3  # of a part's words its article must hold to be about it
ASKED_SHARE = 1 / 3  # of the words of what is asked of a named part ("cut prices this summer"): news says it otherwise
PREFIX = 4  # words compared by their first letters: "vote" meets "voted", "collapse" meets "collapsed"
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’\-]*")  # a capitalised word not opening the sentence
_NAME_WORD = re.compile(r"\b[A-Z][\w'’\-]*")  # in a part's name, which opens no sentence: "Adele" is a name

# text to search, outlet to restrict to (or None), (first, last) ISO dates to restrict to (or None)
# -> ranked candidates and their articles
Finder = Callable[[str, str | None, tuple[str, str] | None], tuple[list[Candidate], Mapping[str, Article]]]


@dataclass(frozen=True)
class PartFound:
    part: QuestionPart
    outlet: str | None  # the stored outlet the part names, when it names one
    source: int | None  # the brief's source number cited for it; None when nothing was found


def cite_parts(brief: Brief, parts: tuple[QuestionPart, ...], find: Finder, outlet_named: Callable[[str], str | None],
               articles: dict[str, Article], searched: int, reference: str | None = None) -> list[PartFound]:
    """Cite evidence for every part of the question in `brief.answer`, and say in `notes` which part found nothing.

    `reference` is the question's "now" (ISO date): "in July" is the last July up to it.
    """
    found = []
    for part in parts:
        outlet = outlet_named(part.name)
        if outlet is not None:
            query = part.rest or part.name
            wanted = _words(" ".join(_NAME.findall(part.rest)))  # within its outlet, the names asked about
        else:
            query = f"{part.name} {part.rest}".strip()
            wanted = _words(part.name)
        # "Disney" asked to "announce cheaper plans with ads" is not any article about Disney
        asked = [w for w in _words(part.rest) if w not in wanted] if outlet is None else []
        ranked, more = find(query, outlet, month_span(part.time, reference))
        articles.update(more)
        names = _words(" ".join(_NAME.findall(part.rest) if outlet is not None else _NAME_WORD.findall(part.name)))
        hit = _best(ranked, articles, (wanted, asked), names, outlet, part.time)
        source = _cite(brief, hit, articles) if hit is not None else None
        found.append(PartFound(part, outlet, source))
        brief.notes.append(_note(part, outlet, source, brief, searched))
    return found


def _words(text: str) -> list[str]:
    """The content words of a text, stemmed as `_about` compares them."""
    return sorted(stems(text))


def _best(ranked: list[Candidate], articles: Mapping[str, Article], words: tuple[list[str], list[str]],
          names: list[str], outlet: str | None, time: str | None) -> Candidate | None:
    for cand in ranked:
        if cand.score < MIN_PART_SCORE and cand.confidence is None:
            break
        art = articles[cand.sentence.article_id]
        if outlet is not None and (art.outlet or "").lower() != outlet.lower():
            continue
        if not _in_time(art, time) or not _about(art, cand.sentence.text, *words, names):
            continue
        return cand
    return None


def _about(article: Article, sentence: str, wanted: list[str], asked: list[str], names: list[str]) -> bool:
    """The sentence or the headline names every name of the part; the article holds most of its other words
    and some of the words of what is asked of it.

    Names are matched whole ("Carrow" is not "carry"), other words by their start ("collapse" meets
    "collapsed"): a round-up that mentions a name in passing elsewhere is not about the part.
    """
    near = _with_pieces(stems(f"{article.title}\n{sentence}"))
    if any(n not in near for n in names):
        return False
    have = _with_pieces(stems(f"{article.title}\n{article.text}"))
    starts = {w[:PREFIX] for w in have}

    def held(words: list[str]) -> int:
        return sum(1 for w in words if w in have or (w not in names and _start(w) in starts))

    return (held(wanted) >= math.ceil(TERM_SHARE * len(wanted))
            and held(asked) >= math.ceil(ASKED_SHARE * len(asked)))


def month_span(time: str | None, reference: str | None) -> tuple[str, str] | None:
    """The first and last day of the month a part names ("July", "July 2022"): with no year, the last such month
    up to `reference` (ISO date); None when the time is no month or there is no year to place it in."""
    words = (time or "").strip().lower().split()
    if not words or words[0] not in MONTHS:
        return None
    month = MONTHS.index(words[0]) + 1
    if len(words) > 1 and re.fullmatch(r"\d{4}", words[1]):
        year = int(words[1])
    elif reference and re.match(r"\d{4}-\d{2}", reference):
        year = int(reference[:4]) - (1 if month > int(reference[5:7]) else 0)
    else:
        return None
    last = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def _with_pieces(words: frozenset[str]) -> set[str]:
    """The words and the pieces of their hyphenated ones: the name "Covid" is met by "Covid-19"."""
    return {*words, *(piece for w in words if "-" in w for piece in w.split("-") if piece)}


def _start(word: str) -> str:
    return word[: max(PREFIX, len(word) - 2)][:PREFIX]


def _in_time(article: Article, time: str | None) -> bool:
    """A part given a month ("by B in May") is met only by an article of that month (any when undated)."""
    if not time or not article.published:
        return True
    months = [m.lower() for m in MONTHS]
    word = time.strip().split()[0].lower()
    if word not in months:
        return True
    month = months.index(word) % 12 + 1
    return len(article.published) >= 7 and article.published[5:7] == f"{month:02d}"


def _cite(brief: Brief, cand: Candidate, articles: Mapping[str, Article]) -> int:
    """The source number of the part's sentence, quoting it in the answer unless the brief already does."""
    s = cand.sentence
    for statement in [*brief.answer, *brief.evidence]:
        for q in [statement, *statement.also]:
            for c in q.citations:
                if (c.article_id, c.start) == (s.article_id, s.start):
                    return c.source
    art = articles[s.article_id]
    if art.text[s.start : s.end] != s.text:  # the brief's invariant
        raise AssertionError(f"citation {s.article_id}[{s.start}:{s.end}] does not match its quoted text")
    n = _source_number(brief, art)
    brief.answer.append(Statement(s.text, [Citation(n, s.article_id, s.start, s.end)], round(cand.score, 4),
                                  confidence=round(cand.confidence, 4) if cand.confidence is not None else None))
    return n


def _source_number(brief: Brief, art: Article) -> int:
    for source in brief.sources:
        if source.article_id == art.id or any(c.get("article_id") == art.id for c in source.copies):
            return source.n
    n = len(brief.sources) + 1
    url = art.url or next((loc.url for loc in art.locations if loc.url), None)
    path = art.path or next((loc.path for loc in art.locations if loc.path), None)
    brief.sources.append(Source(n, art.id, art.title, art.outlet, art.published, url, path, art.language))
    return n


def _note(part: QuestionPart, outlet: str | None, source: int | None, brief: Brief, searched: int) -> str:
    what = f'"{part.name}"' + (f" ({part.time})" if part.time else "")
    if source is None:
        where = f" in the articles of {outlet}" if outlet else ""
        return f"Part {what}: found nothing{where} among the {searched} articles searched."
    cited = next(s for s in brief.sources if s.n == source)
    when = f", published {cited.published[:10]}" if cited.published else ""
    return f"Part {what}: [{source}] ({cited.outlet or cited.title}{when})."
