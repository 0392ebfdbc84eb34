"""Passages: windows of neighbouring sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.analyze.passages import make_passages
from newsdesk.analyze.sentences import split_sentences
from newsdesk.model import Passage, Sentence

QUETTA_003 = "003_bca246edd0604b27.txt"


def build(lengths: list[int], gap: str = " ") -> tuple[str, list[Sentence]]:
    """A text of sentences of the given lengths, separated by `gap`."""
    parts, sentences, pos = [], [], 0
    for i, n in enumerate(lengths):
        if i:
            parts.append(gap)
            pos += len(gap)
        body = chr(ord("a") + i % 26) * n
        parts.append(body)
        sentences.append(Sentence("a1", i, pos, pos + n, body))
        pos += n
    return "".join(parts), sentences


def check(text: str, sentences: list[Sentence], passages: list[Passage], max_sentences: int, max_chars: int):
    by_index = {s.index: s for s in sentences}
    covered: set[int] = set()
    for i, p in enumerate(passages):
        assert p.index == i
        assert p.article_id == "a1"
        assert p.first_sentence <= p.last_sentence
        first, last = by_index[p.first_sentence], by_index[p.last_sentence]
        assert (p.start, p.end) == (first.start, last.end)
        assert p.text == text[p.start : p.end]
        count = p.last_sentence - p.first_sentence + 1
        assert count <= max_sentences
        assert p.end - p.start <= max_chars or count == 1
        covered.update(range(p.first_sentence, p.last_sentence + 1))
        if i:
            assert p.first_sentence > passages[i - 1].first_sentence
            assert p.last_sentence > passages[i - 1].last_sentence
    assert covered == set(by_index)


def test_no_sentences_no_passages():
    assert make_passages("a1", "", []) == []
    assert make_passages("a1", "   ", []) == []


def test_single_sentence_is_one_passage():
    text, sentences = build([10])
    assert make_passages("a1", text, sentences) == [Passage("a1", 0, 0, 0, 0, 10, "a" * 10)]


def test_default_windows_overlap_by_one_sentence():
    text, sentences = build([10] * 7)
    passages = make_passages("a1", text, sentences)
    assert [(p.first_sentence, p.last_sentence) for p in passages] == [(0, 2), (2, 4), (4, 6)]
    check(text, sentences, passages, 3, 600)


def test_last_window_may_be_shorter():
    text, sentences = build([10] * 6)
    passages = make_passages("a1", text, sentences)
    assert [(p.first_sentence, p.last_sentence) for p in passages] == [(0, 2), (2, 4), (4, 5)]


def test_max_chars_shortens_windows_but_keeps_overlap():
    text, sentences = build([250, 250, 250, 250])
    passages = make_passages("a1", text, sentences, max_chars=600)
    assert [(p.first_sentence, p.last_sentence) for p in passages] == [(0, 1), (1, 2), (2, 3)]
    check(text, sentences, passages, 3, 600)


def test_sentence_longer_than_max_chars_is_a_passage_of_its_own():
    text, sentences = build([50, 900, 50])
    passages = make_passages("a1", text, sentences, max_chars=600)
    assert [(p.first_sentence, p.last_sentence) for p in passages] == [(0, 0), (1, 1), (2, 2)]
    check(text, sentences, passages, 3, 600)


def test_stride_equal_to_window_gives_no_overlap():
    text, sentences = build([10] * 6)
    passages = make_passages("a1", text, sentences, stride=3)
    assert [(p.first_sentence, p.last_sentence) for p in passages] == [(0, 2), (3, 5)]


def test_stride_larger_than_window_still_covers_every_sentence():
    text, sentences = build([10] * 7)
    passages = make_passages("a1", text, sentences, max_sentences=2, stride=5)
    check(text, sentences, passages, 2, 600)


def test_one_sentence_windows():
    text, sentences = build([10] * 4)
    passages = make_passages("a1", text, sentences, max_sentences=1)
    assert [(p.first_sentence, p.last_sentence) for p in passages] == [(0, 0), (1, 1), (2, 2), (3, 3)]


def test_passages_may_cross_paragraph_breaks_and_keep_the_text_between():
    text = "First one.\n\nSecond one. Third one."
    sentences = split_sentences("a1", text)
    passages = make_passages("a1", text, sentences)
    assert [p.text for p in passages] == [text]


@pytest.mark.parametrize("kwargs", [{"max_sentences": 0}, {"max_chars": 0}, {"stride": 0}])
def test_bad_parameters_are_rejected(kwargs):
    text, sentences = build([10] * 3)
    with pytest.raises(ValueError):
        make_passages("a1", text, sentences, **kwargs)


def test_quetta_article_passages(quetta_dir: Path):
    text = (quetta_dir / QUETTA_003).read_text(encoding="utf-8")
    sentences = split_sentences("a1", text)
    passages = make_passages("a1", text, sentences)
    check(text, sentences, passages, 3, 600)
    assert passages == make_passages("a1", text, sentences)  # deterministic
    assert any("Maj. Gen. Sher Afgan" in p.text for p in passages)


@settings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 700), max_size=30),
    gap=st.sampled_from([" ", "\n\n", "  \r\n"]),
    max_sentences=st.integers(1, 5),
    max_chars=st.integers(1, 1500),
    stride=st.one_of(st.none(), st.integers(1, 6)),
)
def test_passage_invariants(lengths, gap, max_sentences, max_chars, stride):
    text, sentences = build(lengths, gap)
    passages = make_passages("a1", text, sentences, max_sentences, max_chars, stride)
    check(text, sentences, passages, max_sentences, max_chars)
    assert passages == make_passages("a1", text, sentences, max_sentences, max_chars, stride)
