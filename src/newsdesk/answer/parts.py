"""Questions with parts: each source, thing or time a comparison or conjunction names is looked for apart.

"Did both A and B report that ...?", "Which company, reported by A in March and by B in May, ...?",
"Was X announced before Y?" (analyze/question.py `question_parts`). One search for the whole question
finds what the parts share and can miss a part altogether; so each part gets its own search (restricted
to the outlet when the part names one the index holds), its best sentence that is about the part is
cited in the answer (a sentence the brief already quotes is reused), and a note says for each part where
its evidence is, or that nothing was found for it. Every line stays a verbatim span of its article.
"""

from __future__ import annotations

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
PREFIX = 4  # words compared by their first letters: "vote" meets "voted", "collapse" meets "collapsed"
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’\-]*")  # a capitalised word not opening the sentence

# text to search, outlet to restrict to (or None) -> ranked candidates and their articles
Finder = Callable[[str, str | None], tuple[list[Candidate], Mapping[str, Article]]]


@dataclass(frozen=True)
class PartFound:
    part: QuestionPart
    outlet: str | None  # the stored outlet the part names, when it names one
    source: int | None  # the brief's source number cited for it; None when nothing was found


def cite_parts(brief: Brief, parts: tuple[QuestionPart, ...], find: Finder, outlet_named: Callable[[str], str | None],
               articles: dict[str, Article], searched: int) -> list[PartFound]:
    """Cite evidence for every part of the question in `brief.answer`, and say in `notes` which part found nothing."""
    found = []
    for part in parts:
        outlet = outlet_named(part.name)
        if outlet is not None:
            query = part.rest or part.name
            wanted = _words(" ".join(_NAME.findall(part.rest)))  # within its outlet, the names asked about
        else:
            query = f"{part.name} {part.rest}".strip()
            wanted = _words(part.name)
        ranked, more = find(query, outlet)
        articles.update(more)
        names = _words(" ".join(_NAME.findall(part.rest if outlet is not None else part.name)))
        hit = _best(ranked, articles, wanted, names, outlet, part.time)
        source = _cite(brief, hit, articles) if hit is not None else None
        found.append(PartFound(part, outlet, source))
        brief.notes.append(_note(part, outlet, source, brief, searched))
    return found


def _words(text: str) -> list[str]:
    """The content words of a text, stemmed as `_about` compares them."""
    return sorted(stems(text))


def _best(ranked: list[Candidate], articles: Mapping[str, Article], wanted: list[str], names: list[str],
          outlet: str | None, time: str | None) -> Candidate | None:
    for cand in ranked:
        if cand.score < MIN_PART_SCORE and cand.confidence is None:
            break
        art = articles[cand.sentence.article_id]
        if outlet is not None and (art.outlet or "").lower() != outlet.lower():
            continue
        if not _in_time(art, time) or not _about(art, cand.sentence.text, wanted, names):
            continue
        return cand
    return None


def _about(article: Article, sentence: str, wanted: list[str], names: list[str]) -> bool:
    """The sentence or the headline names every name of the part; the article holds most of its other words.

    Names are matched whole ("Carrow" is not "carry"), other words by their start ("collapse" meets
    "collapsed"): a round-up that mentions a name in passing elsewhere is not about the part.
    """
    near = stems(f"{article.title}\n{sentence}")
    if any(n not in near for n in names):
        return False
    if not wanted:
        return True
    have = stems(f"{article.title}\n{article.text}")
    starts = {w[:PREFIX] for w in have}
    hits = sum(1 for w in wanted if w in have or (w not in names and _start(w) in starts))
    return hits >= math.ceil(TERM_SHARE * len(wanted))


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
