"""Passages: windows of neighbouring sentences, the unit of retrieval.

A passage covers sentences `first_sentence..last_sentence` of one article and
its text is `text[start:end]`, from the start of its first sentence to the end
of its last (so it may cross paragraph breaks and keeps the whitespace between
sentences as it is in the article).

Windows hold at most `max_sentences` sentences and, unless a single sentence is
longer, at most `max_chars` characters. Consecutive windows start `stride`
sentences apart (default `max_sentences - 1`, i.e. neighbouring windows share
one sentence). When `max_chars` makes a window shorter, the next one starts
early enough to keep the same overlap (but never so early that it would lie
inside the previous window), so every sentence is in at least one passage
whatever the parameters.
"""

from __future__ import annotations

from newsdesk.model import Passage, Sentence

__all__ = ["make_passages"]


def make_passages(
    article_id: str,
    text: str,
    sentences: list[Sentence],
    max_sentences: int = 3,
    max_chars: int = 600,
    stride: int | None = None,
) -> list[Passage]:
    """Group `sentences` (in text order, as `split_sentences` returns them) into passages."""
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, not {max_sentences}")
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    if stride is None:
        stride = max(1, max_sentences - 1)
    if stride < 1:
        raise ValueError(f"stride must be at least 1, not {stride}")
    overlap = max(0, max_sentences - stride)

    n = len(sentences)

    def window_end(first: int) -> int:
        start = sentences[first].start
        last = first
        while (
            last + 1 < n and last + 1 - first < max_sentences and sentences[last + 1].end - start <= max_chars
        ):
            last += 1
        return last

    passages: list[Passage] = []
    first, previous_last = 0, -1
    while first < n:
        last = window_end(first)
        if last <= previous_last:  # the overlap would give a window inside the previous one
            first = previous_last + 1
            last = window_end(first)
        start, end = sentences[first].start, sentences[last].end
        passages.append(
            Passage(
                article_id=article_id,
                index=len(passages),
                first_sentence=sentences[first].index,
                last_sentence=sentences[last].index,
                start=start,
                end=end,
                text=text[start:end],
            )
        )
        if last == n - 1:
            break
        previous_last = last
        first = max(first + 1, min(first + stride, last + 1 - overlap))
    return passages
