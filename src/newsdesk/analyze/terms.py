"""Word-level helpers shared by retrieval and answer selection: tokens, stopwords, light stems."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from newsdesk.analyze.searchtext import han_words, has_han

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
    """Words of `text` in order, lower-cased (apostrophes and inner dots kept: "U.S.", "al-Qaeda").

    A Chinese run is cut into words exactly as the full-text index cuts it (`analyze.searchtext`).
    """
    if not has_han(text):  # the common case: no word needs cutting
        return [w.lower() for w in _WORD.findall(text)]
    out: list[str] = []
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        if has_han(word):
            out.extend(w.lower() for w in han_words(word))
        else:
            out.append(word)
    return out


@lru_cache(maxsize=16)
def stopwords(language: str | None = None) -> frozenset[str]:
    """Function words for `language` (ISO 639-1): ours, plus spaCy's list for that language when it has one.

    English (and an unknown language) keeps our own short list: longer lists of other languages
    hold English topic words ("war", "main", "son"), so they apply only to text in that language.
    """
    if not language or language == "en" or not re.fullmatch(r"[a-z]{2,3}", language):
        return STOPWORDS
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return STOPWORDS
    return STOPWORDS | frozenset(w.lower() for w in module.STOP_WORDS)


def content_terms(text: str, language: str | None = None) -> list[str]:
    """Tokens that carry topic: no stopwords, no single characters (except digits), no duplicates."""
    stops = stopwords(language)
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token in stops or (len(token) < 2 and not token.isdigit()):
            continue
        seen.setdefault(token, None)
    return list(seen)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s", "ly")


@lru_cache(maxsize=16384)  # a few MB; a stream of questions meets the same words again and again
def stem(word: str) -> str:
    """A light, language-neutral stem so "killed"/"kills"/"killing" and "attacks"/"attack" meet."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=8192)
def word_stems(text: str) -> tuple[str, ...]:
    """The stem of each content word of a text, in order (one per distinct word, so stems may repeat).

    Cached: ranking measures each candidate sentence several ways (its words, its novelty, its BM25), and
    this is the costly part of each. Meant for sentences (the cache keeps a tuple per text).
    """
    return tuple(stem(t) for t in content_terms(text))


@lru_cache(maxsize=8192)
def stems(text: str) -> frozenset[str]:
    """The stems of a text's content words; cached, as ranking tests every question word against each sentence.

    Not built from `word_stems`: this one also sees whole articles, whose stem tuples need not be kept.
    """
    return frozenset(stem(t) for t in content_terms(text))
