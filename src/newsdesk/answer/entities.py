"""One name, several entities: two towns called Springfield, two people named John Smith.

When the question names something and the articles that answer it describe that name in ways that
cannot be one thing ("Springfield, Illinois" and "Springfield, Missouri"; "John Smith, the chief
executive of Hallam Foods" and "John Smith, the Bradford Rovers striker"), the brief answers for each
entity apart, each answer line labelled by its article's own words for it. The label is read from the
article where it first names the entity: a place after a comma, an apposition ("X, the ..."), or a
parenthesis ("X (...)"). Two descriptions are of one entity when they share a name or their last word
("Hallam Foods' boss" and "the chief executive of Hallam Foods"); a description without a capitalised
word (a role such as "the president") tells nothing apart and is never used to split. Only a question
about one named thing is read so, and only the first mention of the name in each article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsdesk.analyze.months import MONTHS, WEEKDAYS
from newsdesk.model import Article, Question

_CALENDAR = frozenset(w.lower() for w in [*MONTHS, *WEEKDAYS])
_CAP = r"[A-Z][\w.'’\-]*"
_WORD = re.compile(r"[\w’'\-]+")


@dataclass(frozen=True)
class Description:
    """How an article first tells which `name` it means: `label` is its text[start:end], verbatim."""

    name: str
    label: str
    start: int
    end: int
    kind: str = "apposition"  # place, apposition, parenthesis: only descriptions of one kind are compared

    def names(self) -> frozenset[str]:
        """The capitalised words of the description (not of the name), possessives dropped."""
        rest = self.label[len(self.name):]
        return frozenset(re.sub(r"(?:'s|’s|'|’)$", "", w).lower() for w in re.findall(_CAP, rest))

    def head(self) -> str:
        words = _WORD.findall(self.label[len(self.name):])
        return words[-1].lower() if words else ""


def describe(article: Article, name: str) -> Description | None:
    """How the article says which `name` it means where it first names it, or None if it does not say there.

    Only the first mention counts: news names an entity in full once ("Springfield, Illinois,"; "John Smith,
    the chief executive of Hallam Foods,"), and a name in a list further on ("NASA, Webb and ...") is no
    description.
    """
    first = re.search(rf"\b{re.escape(name)}\b", article.text)
    if first is None:
        return None
    at = first.start()
    for kind, pattern in _PATTERNS:
        m = re.compile(pattern.format(name=re.escape(name))).match(article.text, at)
        if m is not None and re.search(_CAP, m.group("q")):  # "the president" names no one in particular
            return Description(name, article.text[m.start() : m.end("q")], m.start(), m.end("q"), kind)
    return None


# How a first mention says which one it is, by kind: a place after a comma, closed by a comma or full stop
# ("Springfield, Illinois,"), an apposition ("John Smith, the Bradford Rovers striker,"), a parenthesis.
_PATTERNS = (
    ("place", rf"{{name}},\s+(?P<q>{_CAP}(?:\s+{_CAP}){{{{0,2}}}})(?=\s*[,.])"),
    ("apposition", r"{name},\s+(?P<q>(?:the|a|an)\s+[^,;.()\n]{{3,80}}?)(?=,)"),
    ("parenthesis", r"{name}\s+\((?P<q>[^)\n]{{2,60}})\)"),
)


def same_entity(a: Description, b: Description) -> bool:
    """Descriptions of different kinds say nothing against each other; of one kind, a shared name or head agrees."""
    if a.kind != b.kind:
        return True
    return bool(a.names() & b.names()) or (a.head() != "" and a.head() == b.head())


def entities_of(question: Question, article_ids: Sequence[str], articles: Mapping[str, Article]
                ) -> dict[str, Description]:
    """Article id -> the description of the entity it reports, when the question's name covers several.

    Empty when every article that describes the name describes one entity (or when none does).
    """
    named = [group[0] for group in question.names if group[0].lower() not in _CALENDAR and len(group[0]) >= 3]
    if len(named) != 1:
        return {}  # a question about several named things is not about one name's several bearers
    for name in named:
        found = {aid: d for aid in dict.fromkeys(article_ids) if (d := describe(articles[aid], name)) is not None}
        distinct: list[Description] = []
        for d in found.values():
            if not any(same_entity(d, other) for other in distinct):
                distinct.append(d)
        if len(distinct) >= 2:
            return found
    return {}


def clusters(found: Mapping[str, Description]) -> list[list[str]]:
    """The article ids of each entity, in the order the entities were first found."""
    out: list[tuple[Description, list[str]]] = []
    for aid, d in found.items():
        for first, members in out:
            if same_entity(d, first):
                members.append(aid)
                break
        else:
            out.append((d, [aid]))
    return [members for _, members in out]
