"""Question analysis, done once per question: what kind of answer is wanted, and what it is about.

Retrieval (search.py) and answering (answer/) take the resulting `model.Question`; none of them reads
the question's text again for its language, words, names or time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from newsdesk.analyze.aliases import AliasTable, load_aliases, mention_pattern
from newsdesk.analyze.language import detect_language
from newsdesk.analyze.names import QUESTION_NAME
from newsdesk.analyze.sentences import split_sentences
from newsdesk.analyze.terms import QUESTION_WORDS, content_terms, stem
from newsdesk.model import Question

# "What does X think of Y", "how does X view Y", "X's position on Y", "relations between X and Y".
_STANCE_PATTERNS = [
    re.compile(
        r"^\s*what\s+(?:does|did|do|is|are|was|were)\s+(?P<x>.+?)\s+"
        r"(?:think|thinks|feel|feels|say|says|said|believe|want|wants)\s+(?:of|about|on|from|regarding|towards?)\s+"
        r"(?P<y>.+?)\s*\??\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^\s*how\s+(?:does|did|do)\s+(?P<x>.+?)\s+(?:view|see|regard|treat|feel about)\s+(?P<y>.+?)\s*\??\s*$",
               re.IGNORECASE),
    re.compile(r"^\s*what\s+is\s+(?P<x>.+?)(?:'s|’s)\s+(?:position|stance|view|attitude)\s+(?:on|of|towards?)\s+"
               r"(?P<y>.+?)\s*\??\s*$", re.IGNORECASE),
    re.compile(r"^\s*(?:what\s+are\s+(?:the\s+)?)?relations?\s+between\s+(?P<x>.+?)\s+and\s+(?P<y>.+?)\s*\??\s*$",
               re.IGNORECASE),
]

# The same in German, French, Spanish and Chinese ("Was hält X von Y", "Que pense X de Y", "X如何看待Y").
_STANCE_PATTERNS += [
    re.compile(r"^\s*(?:was|wie)\s+(?:hält|halten|denkt|denken|sieht|sehen)\s+(?P<x>.+?)\s+(?:von|über|zu)\s+"
               r"(?P<y>.+?)\s*\??\s*$", re.I),
    re.compile(r"^\s*(?:que|qu['’])\s*(?:pense|pensent|dit|disent)\s+(?P<x>.+?)\s+(?:de|du|des|sur)\s+"
               r"(?P<y>.+?)\s*\??\s*$", re.I),
    re.compile(r"^\s*¿?\s*qu[ée]\s+(?:piensa|piensan|opina|opinan|dice|dicen)\s+(?P<x>.+?)\s+(?:de|del|sobre)\s+"
               r"(?P<y>.+?)\s*\??\s*$", re.I),
    re.compile(r"^\s*(?P<x>.+?)\s*(?:如何|怎样|怎么)(?:看待|评价|看)\s*(?P<y>.+?)\s*[？?]?\s*$"),
    re.compile(r"^\s*(?P<x>.+?)\s*对\s*(?P<y>.+?)\s*(?:的)?(?:看法|态度|立场)(?:是什么|如何)?\s*[？?]?\s*$"),
]

_TYPE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("how_many", re.compile(r"^\s*(how\s+(many|much)|what\s+(number|percentage|share|amount))\b", re.I)),
    # A sequence of events (en, de, fr, es, zh): the brief gains a timeline (answer/timeline.py). A question
    # ending in "... after what happened?" asks to fill in one event, not for a sequence.
    ("sequence", re.compile(
        r"\bwhat\s+(?:has\s+|had\s+)?happen(?:ed|s)\b(?!\s*\?)|\bhow\s+(?:did|has|have|do|does)\b.*\b(?:unfold|develop|"
        r"evolve|progress|escalate)|\btime\s*line\b|\bchronolog|\bsequence\s+of\s+events\b|\bwhat\s+led\s+"
        r"(?:up\s+)?to\b|\bevents\s+(?:since|leading)\b|\bwhat\s+(?:has\s+)?happened\s+since\b"
        r"|\bwas\s+geschah\b|\bwas\s+(?:ist|war)\b.{0,60}\b(?:passiert|geschehen)\b|\bwie\s+kam\s+es\s+zu[mr]?\b"
        r"|\bablauf\b|\bhergang\b"
        r"|\bzeitleiste\b|\bzeitstrahl\b"
        r"|\bqu(?:e|')\s*(?:s'est|est-ce\s+qui\s+s'est)[-\s]+(?:il\s+)?pass[ée]|\bd[ée]roul[ée]|\bfrise\s+"
        r"chronologique"
        r"|\bqu[ée]\s+(?:pas[óo]|ha\s+pasado|ocurri[óo]|sucedi[óo])|\bc[óo]mo\s+se\s+desarroll|\bl[íi]nea\s+de"
        r"\s+tiempo|\bcronolog[íi]a"
        r"|发生了什么|经过|时间线|来龙去脉|始末|怎么回事", re.I)),
    ("when", re.compile(r"^\s*(when|what\s+(time|date|day|year|month))\b|\bwhat\s+(day|date|year)\b", re.I)),
    ("where", re.compile(r"^\s*(where|in\s+which\s+(city|country|town|place|region))\b", re.I)),
    ("who", re.compile(r"^\s*(who|whom|whose|which\s+(group|person|company|country|organi[sz]ation|team|man|woman))\b",
                       re.I)),
    ("why", re.compile(r"^\s*(why|what\s+(caused|led\s+to|was\s+the\s+(cause|reason|motive)))\b", re.I)),
    ("yes_no", re.compile(r"^\s*(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", re.I)),
    ("what", re.compile(r"^\s*(what|which)\b", re.I)),
]
# German, French, Spanish (at the start, "¿" allowed) and Chinese (question words sit anywhere in the sentence).
_TYPE_RULES_OTHER: list[tuple[str, re.Pattern[str]]] = [
    ("how_many", re.compile(
        r"^\s*¿?\s*(wie\s*viele?|wie\s+hoch|combien|cu[áa]nt[oa]s?)\b|多少|几(?:个|名|人|位|座|次)"
        r"|(?:人数|数量|数字)\s*[？?]?\s*$", re.I)),
    ("when", re.compile(
        r"^\s*¿?\s*(wann|an\s+welchem\s+tag|quand|[àa]\s+quelle\s+date|cu[áa]ndo|en\s+qu[ée]\s+"
        r"(?:fecha|a[ñn]o|d[íi]a))\b|什么时候|何时|哪一?天|哪一?年|几月|几号|(?:时间|日期)\s*[？?]?\s*$", re.I)),
    ("where", re.compile(
        r"^\s*¿?\s*(wo|wohin|woher|o[ùu]|d[óo]nde|ad[óo]nde)\b|哪里|哪儿|在哪|何地|(?:地点|地方)\s*[？?]?\s*$", re.I)),
    ("who", re.compile(
        r"^\s*¿?\s*(wer|wen|wem|wessen|qui|qui\s+est|qui[ée]n(?:es)?|welche[rsn]?\s+(?:gruppe|organisation|"
        r"firma)|quel(?:le)?\s+(?:groupe|organisation|entreprise))\b|谁|哪个(?:组织|人|国家|公司)", re.I)),
    ("why", re.compile(r"^\s*¿?\s*(warum|wieso|weshalb|pourquoi|por\s+qu[ée])\b|为什么|为何|原因", re.I)),
    ("yes_no", re.compile(
        r"^\s*(ist|sind|war|waren|hat|haben|hatte|gibt\s+es|kann|wird|est-ce\s+que|¿\s*(?:es|son|fue|"
        r"hay|ha|han))\b|[吗吧]\s*[？?]?\s*$|是否", re.I)),
    ("what", re.compile(r"^\s*¿?\s*(was|welche[rsn]?|que|qu['’]|quel(?:le)?s?|qu[ée]|cu[áa]l(?:es)?)\b|什么|哪", re.I)),
]


# A question word inside the asking sentence, not opening it ("... flooding in which state?", "Approximately
# how many ...", "... will do what this week?"). English only; a bare embedded "who"/"when"/"where" is
# mostly a relative clause ("the man who ..."), so it does not count.
_PLACE_NOUNS = r"city|country|state|town|place|region|area|park|province|county|island|nation|continent|district"
_EMBEDDED_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("how_many", re.compile(r"\bhow\s+(?:many|much|old|long|far|tall|big|large|high)\b|\bwhat\s+(?:number|"
                            r"percentage|share|amount|magnitude|age|sum)\b", re.I)),
    ("when", re.compile(r"\bhow\s+soon\b|\b(?:which|what)\s+(?:date|day|year|month)\b", re.I)),
    ("where", re.compile(rf"\b(?:in|at|near|to|from|into|across)\s+which\s+(?:[\w-]+\s+){{0,2}}(?:{_PLACE_NOUNS})\b",
                         re.I)),
    ("who", re.compile(r"\b(?:whom|whose|which\s+(?:group|person|company|organi[sz]ation|team|man|woman))\b", re.I)),
    ("what", re.compile(r"\b(?:which|what)\b", re.I)),
]


# A question about what is happening now: retrieval also searches the days before the reference date
# (search.py) and ranking prefers recent articles (answer/rank.py). English, German, French, Spanish, Chinese.
_ABOUT_NOW = re.compile(
    r"\b(this|last|past)\s+(week|weekend|month)|\bthis\s+(year|morning|afternoon|evening)\b"
    r"|\b(last|past)\s+(few|several|\d{1,2}|two|three|four|five|six|seven|ten|twelve)\s+(days|weeks|months)\b"
    r"|\b(recent|recently|latest|new|newly|now|today|yesterday|currently|just|soon|upcoming)\b"
    # A weekday names a day of the current week in news ("announced on Tuesday", "early Thursday").
    r"|\b(?:on|early|late|last|this|since|by|until)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?:am|seit|letzten)\s+(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b"
    r"|\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
    r"|\bel\s+(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\b|周[一二三四五六日]|星期[一二三四五六日天]"
    r"|\b(diese|letzte|vergangene)n?\s+woche|\bdieses\s+jahr|\b(kürzlich|neulich|aktuell|heute|gestern|jetzt)\b"
    r"|\bcette\s+(semaine|ann[ée]e)|\bla\s+semaine\s+derni[èe]re|\b(r[ée]cemment|aujourd['’]hui|hier|actuellement)\b"
    r"|\best[ae]\s+(semana|a[ñn]o)\b|\bla\s+semana\s+pasada|\b(recientemente|hoy|ayer|actualmente)\b"
    r"|本周|这周|上周|最近|近日|今天|昨天|目前|今年", re.I)


def asks_about_now(text: str) -> bool:
    """True when the question is about recent events ("this week", "recently", "diese Woche", "最近")."""
    return _ABOUT_NOW.search(text) is not None


def _clean_name(name: str) -> str:
    return re.sub(r"^(the|der|die|das|le|la|les|el|los|las)\s+", "", name.strip(" \t\"'“”‘’?.!"), flags=re.I)


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


def analyze_question(text: str, aliases: AliasTable | None = None) -> Question:
    """The question's kind, language, content words, names (with aliases) and whether it asks about now."""
    aliases = aliases or load_aliases()
    text = " ".join(text.split())
    language = detect_language(text)
    terms = tuple(content_terms(text, language))
    names = tuple(aliases.names_for(n) for n in _named_things(text))
    about_now = asks_about_now(text)
    for pattern in _STANCE_PATTERNS:
        match = pattern.match(text)
        if match:
            x, y = _clean_name(match.group("x")), _clean_name(match.group("y"))
            return Question(text, "stance", terms, aliases.names_for(x), aliases.names_for(y), names, language,
                            about_now=about_now)
    return Question(text, question_kind(text, language), terms, names=names, language=language,
                    answer_noun=answer_noun(text, language), about_now=about_now)


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
