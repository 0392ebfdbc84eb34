"""Question analysis, done once per question: what kind of answer is wanted, and what it is about.

Retrieval (search.py) and answering (answer/) take the resulting `model.Question`; none of them reads
the question's text again for its language, words, names or time. The words it is read by (stance
phrasings, question words of each kind, words of "now", in five languages) are data:
`data/question_vocabulary.json`, compiled once at import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from newsdesk.analyze.actor_table import load_actor_table
from newsdesk.analyze.aliases import AliasTable, load_aliases, mention_pattern
from newsdesk.analyze.language import detect_language
from newsdesk.analyze.names import QUESTION_NAME
from newsdesk.analyze.sentences import split_sentences
from newsdesk.analyze.terms import QUESTION_WORDS, content_terms, stem
from newsdesk.model import Question, QuestionPart

VOCABULARY_FILE = "question_vocabulary.json"


@cache
def vocabulary() -> dict[str, Any]:
    """The question words of every language, from `data/question_vocabulary.json` ("_" keys are notes)."""
    path = resources.files("newsdesk.data") / VOCABULARY_FILE
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def _spelled(words: str | list[str]) -> str:
    """A pattern's text from the vocabulary, where a list is alternatives."""
    return words if isinstance(words, str) else "|".join(words)


def _rules(kinds: dict[str, str | list[str]]) -> list[tuple[str, re.Pattern[str]]]:
    """(kind, pattern) in the vocabulary's order: the first kind whose words match wins."""
    place_nouns = vocabulary()["place_nouns"]
    return [(kind, re.compile(_spelled(words).replace("{place_nouns}", place_nouns), re.I))
            for kind, words in kinds.items()]


# "What does X think of Y", "how does X view Y", "X's position on Y", "relations between X and Y", in English,
# German, French, Spanish and Chinese ("Was hält X von Y", "Que pense X de Y", "X如何看待Y"); Chinese has no
# letter case, so its patterns are compiled as written.
_STANCE_PATTERNS = [re.compile(_spelled(pattern), 0 if language == "zh" else re.I)
                    for language, patterns in vocabulary()["stance"].items() for pattern in patterns]
# The same with X as long as it can be: "Que pense la Corée du Nord du Japon ?" splits first at "du Nord", so when
# that X names no known actor and the longer X and its Y both do, the longer split is the question's.
_STANCE_LONGER_X = [re.compile(p.pattern.replace("(?P<x>.+?)", "(?P<x>.+)"), p.flags) for p in _STANCE_PATTERNS]
# The question words of each kind: English, then German, French, Spanish (at the start, "¿" allowed) and Chinese
# (question words sit anywhere in the sentence). The English "sequence" words hold all five languages'.
_TYPE_RULES = _rules(vocabulary()["kinds"]["en"])
_TYPE_RULES_OTHER = _rules(vocabulary()["kinds"]["other"])
# A question word inside the asking sentence, not opening it ("... flooding in which state?", "Approximately
# how many ...", "... will do what this week?"). English only; a bare embedded "who"/"when"/"where" is
# mostly a relative clause ("the man who ..."), so it does not count.
_EMBEDDED_RULES = _rules(vocabulary()["embedded_kinds"]["en"])
# A question about what is happening now: retrieval also searches the days before the reference date
# (search.py) and ranking prefers recent articles (answer/rank.py). English, German, French, Spanish, Chinese;
# a weekday names a day of the current week in news ("announced on Tuesday", "early Thursday").
_ABOUT_NOW = re.compile("|".join(_spelled(words) for words in vocabulary()["about_now"].values()), re.I)


def asks_about_now(text: str) -> bool:
    """True when the question is about recent events ("this week", "recently", "diese Woche", "最近")."""
    return _ABOUT_NOW.search(text) is not None


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:the|der|die|das|dem|den|le|la|les|el|los|las)\s+", "", name.strip(" \t\"'“”‘’?.!"), flags=re.I)
    return re.sub(r"^[ld]['’]\s*", "", name, flags=re.I)  # French elision: "l'Ukraine", "d'Israël"


def _named_things(text: str) -> list[str]:
    """Capitalised word runs and acronyms, skipping the sentence-initial question word."""
    found = []
    for match in QUESTION_NAME.finditer(text):
        phrase = match.group(0).rstrip(".'’")
        first = phrase.split()[0].lower()
        if match.start() == len(text) - len(text.lstrip()) and first in QUESTION_WORDS | {"is", "are", "did", "does"}:
            rest = phrase.split()[1:]
            if not rest:
                continue
            phrase = " ".join(rest)
        found.append(phrase)
    return found


def _actor_names(name: str, aliases: AliasTable) -> tuple[str, ...]:
    """The name as asked, its aliases, and the names of the actor it stands for ("Berlin": Germany too)."""
    names = aliases.names_for(name)
    known = load_actor_table().lookup(name)
    if known is None or known.name in names:
        return names
    return tuple(dict.fromkeys([*names, *aliases.names_for(known.name), *known.names]))


def analyze_question(text: str, aliases: AliasTable | None = None) -> Question:
    """The question's kind, language, content words, names (with aliases) and whether it asks about now."""
    aliases = aliases or load_aliases()
    text = " ".join(text.split())
    language = detect_language(text)
    terms = tuple(content_terms(text, language))
    names = tuple(aliases.names_for(n) for n in _named_things(text))
    about_now = asks_about_now(text)
    parts = question_parts(text) if language in (None, "en") else ()
    for pattern, longer in zip(_STANCE_PATTERNS, _STANCE_LONGER_X, strict=True):
        match = pattern.match(text)
        if match and not parts:
            x, y = _clean_name(match.group("x")), _clean_name(match.group("y"))
            if load_actor_table().lookup(x) is None and (other := longer.match(text)):
                long_x, long_y = _clean_name(other.group("x")), _clean_name(other.group("y"))
                if load_actor_table().lookup(long_x) is not None and load_actor_table().lookup(long_y) is not None:
                    x, y = long_x, long_y
            return Question(text, "stance", terms, _actor_names(x, aliases), _actor_names(y, aliases), names,
                            language, about_now=about_now)
    return Question(text, question_kind(text, language), terms, names=names, language=language,
                    answer_noun=answer_noun(text, language), about_now=about_now, parts=parts)


_PARTS = {key: re.compile(pattern, re.I) for key, pattern in vocabulary()["parts"].items() if key != "_"}


def question_parts(text: str) -> tuple[QuestionPart, ...]:
    """The parts of a comparison or conjunction question, each to be looked for and cited apart; () if none.

    "Did both A and B report that ...?" and "Did A and B both ...?": A and B, each with what is asked of it;
    "... reported by A in March and by B in May ...": A (March) and B (May), with the question minus that
    clause; "Was X announced before (or after) Y?" and "Which happened first, X or Y?": X and Y. Whether a part
    is an outlet or a thing is for retrieval to tell (answer/parts.py): the question's words alone cannot.
    """
    asking = _asking_sentence(text)
    for key in ("both", "both_names", "both_after"):
        match = _PARTS[key].match(asking)
        if match:
            rest = match.group("rest").strip()
            return (QuestionPart(_part_name(match.group("a")), rest), QuestionPart(_part_name(match.group("b")), rest))
    match = _PARTS["reported_by"].search(asking)
    if match:
        rest = re.sub(r"\s*,(?:\s*,)+", ",", " ".join((asking[: match.start()] + asking[match.end() :]).split()))
        rest = rest.replace(" ,", ",").strip(" ,?")
        return (QuestionPart(_part_name(match.group("a")), rest, match.group("ta")),
                QuestionPart(_part_name(match.group("b")), rest, match.group("tb")))
    match = _PARTS["order"].match(asking) or _PARTS["first"].match(asking)
    if match:
        a, b = _part_name(match.group("a")), _part_name(match.group("b"))
        return (QuestionPart(a), QuestionPart(_owner_completed(b, a)))
    return ()


def _part_name(text: str) -> str:
    return text.strip(" ,?.!\"'“”‘’")


_OWNER = re.compile(r"['’]s\s+(?P<thing>.+)$")


def _owner_completed(part: str, other: str) -> str:
    """"Joe Biden's Covid diagnosis before Jill Biden's": the second owner's thing is the first's, said once."""
    match = _OWNER.search(other)
    if match is None or not part.endswith(("'s", "’s")):
        return part
    return f"{part} {match.group('thing')}"


def question_kind(text: str, language: str | None) -> str:
    """The kind of answer wanted, read from the sentence that asks (a quiz often sets the scene first).

    "A wildfire forced thousands to evacuate. Near which national park?": the second sentence asks. A
    question word inside it ("... flooding in which state?", "Approximately how many ...") counts when
    none opens it.
    """
    asking = _asking_sentence(text)
    # Other languages' own question words ("was", "que") would otherwise claim a sequence question first.
    sequence = [rule for rule in _TYPE_RULES if rule[0] == "sequence"]
    rules = _TYPE_RULES if language in (None, "en") else [*sequence, *_TYPE_RULES_OTHER, *_TYPE_RULES]
    for name, rule in rules:
        if rule.search(asking):
            return name
    if language in (None, "en"):
        for name, rule in _EMBEDDED_RULES:
            if rule.search(asking):
                return name
    for name, rule in rules if asking != text else ():
        if rule.search(text):
            return name
    return "open"


def _asking_sentence(text: str) -> str:
    """The last sentence ending in a question mark (the whole text when there is none)."""
    asking = [s.text for s in split_sentences("", text) if s.text.rstrip(" \"'”’)").endswith(("?", "？"))]
    return asking[-1] if asking else text


# "Which show was green lit?": the noun a which/what question asks for, so that a quote naming the answer
# only by description ("the wildly popular South Korean show") can carry its lead-in (answer/context.py).
# Tags that may sit between "which"/"what" and the noun: "which wildly popular show", "which Ivy League
# school", "which two countries", "which embattled celebrity".
_MODIFIER_TAGS = frozenset({"JJ", "JJR", "JJS", "RB", "NNP", "NNPS", "CD", "HYPH", "VBN", "VBD", "NN", "NNS"})
_NOUN_TAGS = frozenset({"NN", "NNS"})
_ASKS_BY_NOUN = re.compile(r"\b(?:which|what)\s+[A-Za-z]", re.I)


def answer_noun(text: str, language: str | None) -> str | None:
    """The common noun an English which/what question asks for ("show", "company"), or None."""
    if language not in (None, "en") or not _ASKS_BY_NOUN.search(text):
        return None
    return _parsed_answer_noun(text)


@cache
def _parsed_answer_noun(text: str) -> str | None:
    from newsdesk.analyze.nlp import ModelError, parse

    try:
        doc = parse([text])[0]
    except ModelError:
        return None
    for i, token in enumerate(doc):
        if token.lower_ not in ("which", "what") or token.tag_ not in ("WDT", "WP"):
            continue
        for following in doc[i + 1: i + 7]:
            if following.tag_ not in _MODIFIER_TAGS or (following.tag_ == "VBD" and following.dep_ != "amod"):
                break
            if following.tag_ in _NOUN_TAGS and following.dep_ != "compound":
                return following.lower_
    return None


@dataclass(frozen=True)
class NameMatchers:
    """The question's names compiled once: ranking and the timeline test every sentence against them."""

    names: tuple[re.Pattern[str], ...]  # one per group of `Question.names`, any alias as a whole word
    name_words: tuple[frozenset[str], ...]  # the stems of each group's first name ("Pelosi" of a long name)
    actor: re.Pattern[str] | None  # stance: X, by any of its names
    target: re.Pattern[str] | None  # stance: Y


@lru_cache(maxsize=64)
def name_matchers(question: Question) -> NameMatchers:
    """The compiled name patterns of `question` (cached per question: a Question is frozen and hashable)."""
    return NameMatchers(
        tuple(mention_pattern(group) for group in question.names),
        tuple(frozenset(stem(t) for t in content_terms(group[0])) for group in question.names),
        mention_pattern(question.actor) if question.actor else None,
        mention_pattern(question.target) if question.target else None,
    )
