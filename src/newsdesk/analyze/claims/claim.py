"""A claim with offsets made absolute: the one constructor every English rule uses."""

from __future__ import annotations

from newsdesk.analyze.numbers import Quantity
from newsdesk.model import Claim, Sentence


def make_claim(sentence: Sentence, kind: str, attribute: str, value: str, q: Quantity | None, start: int, end: int,
           **extra: object) -> Claim:
    """A claim with offsets made absolute (the sentence's position in the article)."""
    qualifier = extra.pop("qualifier", None) or (q.qualifier if q else "exact")
    return Claim(
        article_id=sentence.article_id, sentence_index=sentence.index, start=sentence.start, end=sentence.end,
        kind=kind, attribute=attribute, value=value, qualifier=str(qualifier),
        low=q.low if q else None, high=q.high if q else None,
        value_start=sentence.start + start, value_end=sentence.start + end, **extra,  # type: ignore[arg-type]
    )
