"""Relations read from a verb together with its object, with spaCy's DependencyMatcher.

Why a matcher and not the trigger rules of analyze.relations: whether "send" is aid or an attack
is said by its object ("send tanks to Ukraine" is aid, "sent gunmen into Israel" an attack), and
"fire" is an attack only with a weapon as object ("fired missiles over Japan", not "fired its
staff"). The verbs, objects and prepositions are data (`constructions` in
data/relations_lexicon_en.json); one pattern per construction and preposition.

The parser often hangs the target's phrase on a word below the verb ("fires a missile without
warning over Japan"): the preposition is looked for in the verb's phrase, but not inside another
clause.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsdesk.analyze.lexicon import EN, verb_forms

_CONSTRUCTIONS = EN["constructions"]
# Relations a preposition's phrase may hang by on its way up to the verb: not through another clause.
_PHRASE_DEPS = frozenset({"dobj", "pobj", "prep", "pcomp", "npadvmod", "amod", "nmod", "compound", "advmod", "dative"})


@dataclass(frozen=True)
class Construction:
    """A verb of the construction, what it does (aid, attack), and the phrase naming the target."""

    verb: Any
    obj: Any
    target: Any  # the preposition's object, or the receiver named before the object ("provides Taiwan weapons")
    action: str
    received: bool = False  # "X received a warning from Y": `target` names the giver, the verb's subject the receiver
    source: Any = None  # who acts, where the construction names it itself ("Iran-backed": Iran), else the subject


# Past forms the regular inflection misses ("send" -> "sent"); only the construction's own verbs get them.
_IRREGULAR_PAST = {"send": ("sent",), "give": ("gave", "given"), "get": ("got", "gotten")}


def _forms(words: str) -> list[str]:
    return sorted({f for w in words.split() for f in (*verb_forms(w), *_IRREGULAR_PAST.get(w, ()))})


Pattern = list[dict[str, Any]]


@cache
def _patterns() -> tuple[tuple[str, tuple[Pattern, ...]], ...]:
    """(match name, its DependencyMatcher patterns), built from the lexicon."""
    found: list[tuple[str, tuple[Pattern, ...]]] = []

    class _Collect:
        def add(self, name: str, patterns: list[Pattern]) -> None:
            found.append((name, tuple(patterns)))

    matcher = _Collect()
    for kind in ("transfer", "receive", "ties"):
        section = _CONSTRUCTIONS[kind]
        for action, objects in section["objects"].items():
            matcher.add(f"{kind}:{action}", [[
                {"RIGHT_ID": "verb",
                 "RIGHT_ATTRS": {"LOWER": {"IN": _forms(section["verbs"])}, "TAG": {"REGEX": "^VB"}}},
                {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj",
                 "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": objects.split()}}},
            ]])
    ties = _CONSTRUCTIONS["ties"]
    for action, objects in ties["objects"].items():  # "its downgrading of relations with Lithuania": the act as a noun
        matcher.add(f"ties:{action}", [[
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": _forms(ties["verbs"])}, "TAG": {"REGEX": "^NN"}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"DEP": "prep", "LOWER": "of"}},
            {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "obj",
             "RIGHT_ATTRS": {"DEP": "pobj", "LOWER": {"IN": objects.split()}}},
        ]])
    fire = _CONSTRUCTIONS["fire"]
    fire_verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": _forms(fire["verbs"])}, "TAG": {"REGEX": "^VB"}}}
    matcher.add("fire:attack", [[
        fire_verb,
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj",
         "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": fire["objects"].split()}}},
    ], [  # "fired a large batch of missiles": the weapon after the quantity's "of"
        fire_verb,
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj",
         "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": fire["quantity_nouns"].split()}}},
        {"LEFT_ID": "obj", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"DEP": "prep", "LOWER": "of"}},
        {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "weapon",
         "RIGHT_ATTRS": {"DEP": "pobj", "LOWER": {"IN": fire["objects"].split()}}},
    ]])
    backed = _CONSTRUCTIONS["backed"]
    matcher.add(f"backed:{backed['action']}", [[  # "the Iran-backed group": Iran backs the group
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": backed["verbs"].split()}, "TAG": "VBN",
                                             "DEP": {"IN": ["amod", "compound"]}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj",
         "RIGHT_ATTRS": {"DEP": {"IN": backed["backer_deps"]}, "TAG": {"IN": ["NNP", "NNPS", "JJ"]}}},
        {"LEFT_ID": "verb", "REL_OP": ";", "RIGHT_ID": "hyphen", "RIGHT_ATTRS": {"TAG": "HYPH"}},
    ]])
    membership = _CONSTRUCTIONS["membership"]
    matcher.add(f"membership:{membership['action']}", [[  # "ratify Finland's membership": support for Finland
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": _forms(membership["verbs"])}, "TAG": {"REGEX": "^VB"}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj",
         "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": membership["objects"].split()}}},
        {"LEFT_ID": "obj", "REL_OP": ">", "RIGHT_ID": "owner", "RIGHT_ATTRS": {"DEP": "poss"}},
    ]])
    for action, nouns in _CONSTRUCTIONS["tie"]["objects"].items():
        tie = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": nouns.split()}, "TAG": {"IN": ["NN", "NNS"]}}}
        owner_deps = ["poss", "compound"] if action in _CONSTRUCTIONS["tie"]["compound_owner"] else ["poss"]
        owner = {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "owner",
                 "RIGHT_ATTRS": {"DEP": {"IN": owner_deps}, "TAG": {"IN": ["NNP", "NNPS"]}}}
        matcher.add(f"tie:{action}", [
            [tie, {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj",  # "OpenAI's largest investor Microsoft"
                   "RIGHT_ATTRS": {"DEP": "appos", "TAG": {"IN": ["NNP", "NNPS"]}}}, owner],
            [tie, {"LEFT_ID": "verb", "REL_OP": "<", "RIGHT_ID": "obj",  # "Microsoft, OpenAI's biggest backer"
                   "RIGHT_ATTRS": {"TAG": {"IN": ["NNP", "NNPS"]}}}, owner],
        ])
    return tuple(found)


@cache
def _matcher() -> Any:
    from spacy.matcher import DependencyMatcher

    from newsdesk.analyze.nlp import english

    matcher = DependencyMatcher(english().vocab)
    for name, patterns in _patterns():
        matcher.add(name, list(patterns))
    return matcher


@cache
def _needed_words() -> tuple[tuple[frozenset[str], ...], ...]:
    """Per pattern, the word lists its nodes must match (`LOWER` in a list): a sentence that lacks a word of
    each list of every pattern cannot match, and the matcher (about 2 ms a sentence) need not run."""
    needs = []
    for _, patterns in _patterns():
        for pattern in patterns:
            lists = [frozenset(node["RIGHT_ATTRS"]["LOWER"]["IN"]) for node in pattern
                     if isinstance(node["RIGHT_ATTRS"].get("LOWER"), dict)]
            lists += [frozenset([node["RIGHT_ATTRS"]["LOWER"]]) for node in pattern
                      if isinstance(node["RIGHT_ATTRS"].get("LOWER"), str)]
            needs.append(tuple(lists))
    return tuple(needs)


def _may_match(doc: Any) -> bool:
    words = {tok.lower_ for tok in doc}
    return any(all(not words.isdisjoint(need) for need in pattern) for pattern in _needed_words())


def _within_phrase(tok: Any, verb: Any) -> bool:
    """Whether `tok` hangs on `verb` through phrase relations only (no clause in between)."""
    node = tok
    for _ in range(6):
        if node.head.i == verb.i:
            return True
        if node.dep_ not in _PHRASE_DEPS or node.head.i == node.i:
            return False
        node = node.head
    return False


def _target(verb: Any, obj: Any, preps: list[str]) -> Any | None:
    """The first object of one of `preps` in the verb's phrase, else a receiver named before the object."""
    for tok in verb.subtree:
        if tok.dep_ in ("prep", "dative") and tok.lower_ in preps and _within_phrase(tok, verb):
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    dative = next((c for c in verb.children if c.dep_ == "dative" and c.tag_.startswith("NNP")), None)
    if dative is not None:
        return dative
    # "provides Taiwan defensive weapons": the receiver parsed as a name modifying the object.
    return next((c for c in obj.children if c.dep_ in ("nmod", "compound") and c.tag_ == "NNP" and c.i < obj.i
                 and not any(g.dep_ in ("nummod",) for g in c.children)), None)


def constructions(doc: Any) -> Iterator[Construction]:
    """Every construction in a parsed sentence, with the token naming its target (or None)."""
    # The matcher costs about 2 ms a sentence even when nothing matches; most sentences lack the words.
    if not _may_match(doc):
        return
    seen: set[int] = set()
    for match_id, (verb_i, obj_i, *rest) in sorted(_matcher()(doc), key=lambda m: m[1]):
        if verb_i in seen:
            continue
        seen.add(verb_i)
        name = doc.vocab.strings[match_id]
        kind, action = name.split(":")
        if kind == "ties" and rest:  # the noun pattern: verb, "of", object
            obj_i = rest[0]
        verb, obj = doc[verb_i], doc[obj_i]
        if kind == "backed":  # the backer is the word before the hyphen, the backed the noun the participle modifies
            if rest and rest[0] == obj_i + 1 and verb_i == obj_i + 2:
                yield Construction(verb, verb.head, verb.head, action, source=obj)
            continue
        if kind == "tie":  # the named one is tied to the owner: "OpenAI's investor Microsoft" aids OpenAI
            if verb.dep_ == "appos" or obj.dep_ == "appos":
                yield Construction(verb, obj, doc[rest[0]], action, source=obj)
            continue
        if kind == "membership":
            yield Construction(verb, obj, doc[rest[0]], action)
            continue
        section = _CONSTRUCTIONS[kind]
        preps = section["target_prepositions"]
        wanted = preps[action] if isinstance(preps, dict) else preps
        if kind == "receive":  # only the giver named after "from", never a receiver before the object
            target = next((t for t in _phrase_objects(verb, wanted)), None)
        else:
            target = _target(verb, obj, wanted)
        yield Construction(verb, obj, target, action, received=kind == "receive")


def _phrase_objects(verb: Any, preps: list[str]) -> Iterator[Any]:
    for tok in verb.subtree:
        if tok.dep_ == "prep" and tok.lower_ in preps and _within_phrase(tok, verb):
            yield from (c for c in tok.children if c.dep_ == "pobj")
