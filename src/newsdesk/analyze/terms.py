"""Word-level helpers shared by retrieval and answer selection: tokens, stopwords, light stems."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)

# Function words of the languages newsdesk segments; they carry no topic.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    say says said tell told think thinks thought feel feels know known many much whose did does according
    le la les un une des du de et est en que qui dans pour sur au aux pas par ce cette ces son sa ses il elle
    der die das ein eine und ist im in den dem des zu mit von auf für nicht sich es als auch wie wer was wann
    el los las y es en que un una por con para del al se lo como más
    """.split()
)

QUESTION_WORDS = frozenset("who whom whose what which when where why how".split())


def tokens(text: str) -> list[str]:
    """Words of `text` in order, lower-cased (apostrophes and inner dots kept: "U.S.", "al-Qaeda")."""
    return [m.group(0).lower() for m in _WORD.finditer(text)]


def content_terms(text: str) -> list[str]:
    """Tokens that carry topic: no stopwords, no single characters (except digits), no duplicates."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            continue
        seen.setdefault(token, None)
    return list(seen)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A light, language-neutral stem so "killed"/"kills"/"killing" and "attacks"/"attack" meet."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    return {stem(t) for t in content_terms(text)}
