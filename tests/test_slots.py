"""Same statement, different answer: aligned sentences of different articles that differ in the asked-for slot."""

from __future__ import annotations

import numpy as np

from newsdesk.analyze.question import analyze_question
from newsdesk.answer.rank import Candidate
from newsdesk.answer.slots import substitutions
from newsdesk.model import Sentence

QUESTION = analyze_question("How many people were killed in the hospital blast in Quetta?")


def candidate(article_id: str, text: str, vector: list[float]) -> Candidate:
    v = np.asarray(vector, dtype=np.float32)
    return Candidate(Sentence(article_id, 3, 100, 100 + len(text), text), 0.5, 0.5, 0.3, 1.0, v / np.linalg.norm(v))


def test_wire_copies_that_differ_only_in_the_figure_are_found_in_candidate_order() -> None:
    cands = [
        candidate("a", "Police said the blast at the civil hospital in Quetta killed 60 people on Monday.", [1, 0]),
        candidate("b", "Police said the blast at the civil hospital in Quetta killed 61 people on Monday.", [1, 0.1]),
        candidate("c", "Police said the blast at the civil hospital in Quetta killed 70 people on Monday.", [1, 0.2]),
        candidate("a", "The city's lawyers had gathered there to mourn a colleague.", [0, 1]),
    ]
    subs = substitutions(QUESTION, cands)
    pairs = [(s.a.sentence.article_id, s.value_a, s.b.sentence.article_id, s.value_b) for s in subs]
    assert pairs == [("a", "60", "b", "61"), ("a", "60", "c", "70"), ("b", "61", "c", "70")]
    first = subs[0]
    assert first.a.sentence.text[first.span_a[0]:first.span_a[1]] == "60"


def test_sentences_of_one_article_or_with_few_shared_words_are_no_dispute() -> None:
    cands = [
        candidate("a", "Police said the blast at the civil hospital in Quetta killed 60 people on Monday.", [1, 0]),
        candidate("a", "Police said the blast at the civil hospital in Quetta killed 61 people on Monday.", [1, 0]),
        candidate("b", "Officials in Islamabad condemned what they called a cowardly attack on 9 lawyers.", [0, 1]),
    ]
    assert substitutions(QUESTION, cands) == []
