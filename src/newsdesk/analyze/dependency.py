"""Small readings of a dependency parse (spaCy tokens): a child by relation, a preposition's object, a subject.

Shared by the relation rules and the parsed speaker finder, which read the same tree the same way.
"""

from __future__ import annotations

from typing import Any

# Clauses through which a verb's subject is looked for higher up ("X said it would attack": X attacks).
_CLAUSE_UP = ("conj", "xcomp", "advcl", "pcomp", "ccomp")


def first(tok: Any | None, deps: tuple[str, ...]) -> Any | None:
    """The first child of `tok` in one of the relations `deps`, or None."""
    if tok is None:
        return None
    return next((c for c in tok.children if c.dep_ in deps), None)


def prep(tok: Any, preps: tuple[str, ...]) -> Any | None:
    """The child preposition of `tok` that is one of `preps`, or None."""
    return next((c for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ in preps), None)


def pobj(tok: Any, preps: tuple[str, ...]) -> Any | None:
    """The object of one of `preps` under `tok` ("attack on X": X), or None."""
    found = prep(tok, preps)
    if found is None:
        return None
    return next((c for c in found.children if c.dep_ in ("pobj", "pcomp")), None)


def subject(tok: Any) -> Any | None:
    """The grammatical subject of a verb, climbing through coordinated and controlled clauses."""
    node = tok
    for _ in range(5):
        deps = ("nsubj", "csubj") if node is tok else ("nsubj", "csubj", "nsubjpass")
        subjects = [c for c in node.children if c.dep_ in deps]
        if subjects:  # the one nearest the verb ("MARLOW BAY - The union ... accused": the union)
            return max(subjects, key=lambda c: (c.i < node.i, c.i if c.i < node.i else -c.i))
        if node.dep_ == "acl" and node.tag_ == "VBN":
            return None  # "a sergeant killed in the bombing": the noun a passive participle modifies is its object
        if node.dep_ in ("relcl", "acl") and node.head.i != node.i:
            return node.head
        if node.dep_ in _CLAUSE_UP and node.head.i != node.i:
            if node.dep_ == "xcomp":
                obj = first(node.head, ("dobj",))
                if obj is not None:
                    return obj  # "asked Halvard to hand over": Halvard is to act
            node = node.head
            continue
        break
    return None
