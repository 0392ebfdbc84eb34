"""Who says a sentence's words: the two speaker finders, side by side.

newsdesk finds speakers twice, on purpose; they answer different questions from different input:

- `sentence_speaker` (analyze.claims.speakers, regular expressions) answers "whom does this
  sentence quote?" for a claim. It reads the raw text of every English sentence with a claim
  ("according to X", "X said", "said X") at ingest, where no parse exists (claims must stay at a
  few milliseconds an article, and most sentences are never parsed); it returns the phrase as
  written ("Police Chief Ann Lowe", "officials"), and a bare "he said" takes the last speaker
  named in an earlier sentence (it keeps state across the article's sentences).
- `parsed_speaker` (here, dependency parse) answers "whose account is this one relation word
  in?". It climbs from the trigger word to a reporting verb whose clause holds it, so one
  sentence can have several: in "Officials said X attacked Y, which X denies" the attack is the
  officials' account and the denial the writer's; it returns the subject token, which the
  relation rules resolve to an actor. It looks at no other sentence.

Sharing one function would change output either way: claims would need a parse of sentences that
relations never parse (and lose the carried-over "he said"), relations would give every trigger
of a sentence the same speaker (and lose the writer's asides). What they do share is the words:
reporting verbs and speaker patterns are data (data/*.json).
"""

from __future__ import annotations

from typing import Any

from newsdesk.analyze.claims.speakers import sentence_speaker
from newsdesk.analyze.dependency import pobj, subject
from newsdesk.analyze.lexicon import REPORT_VERBS

__all__ = ["parsed_speaker", "sentence_speaker"]


def parsed_speaker(doc: Any, tok: Any) -> Any | None:
    """The token of who says the clause holding `tok`: the subject of a reporting verb above it, or "according
    to X" (when `tok` is not inside X); None for the writer's own words."""
    node = tok
    for _ in range(12):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in ("relcl", "advcl", "acl") and any(c.tag_ in ("WDT", "WP") for c in node.children):
            return None  # "..., which the company denies": the writer's aside, not the speaker's words
        if node.dep_ in ("ccomp", "parataxis") and head.lower_ in REPORT_VERBS:
            return subject(head)
        node = head
    for t in doc:
        if t.lower_ == "according" and t.dep_ == "prep":
            obj = pobj(t, ("to",))
            if obj is not None and not (obj.left_edge.i <= tok.i <= obj.right_edge.i):
                return obj
    return None
