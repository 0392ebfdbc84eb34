"""Confidence and abstention: answer lines carry their probability; unsure ones are shown as evidence only."""

from __future__ import annotations

import numpy as np

from newsdesk.analyze.question import analyze_question
from newsdesk.answer.brief import compose_brief
from newsdesk.answer.rank import Candidate
from newsdesk.model import Article, Sentence
from newsdesk.render.jsonout import brief_dict
from newsdesk.render.terminal import render_terminal

TEXTS = [
    "The trade fair opens in Tarrow on Monday, organisers said.",
    "Ticket sales for the fair rose by a third this year.",
    "The city council approved a new tram line on Friday.",
]


def _ranked(confidences: list[float | None], scores: list[float] | None = None) -> tuple[list[Candidate], dict]:
    articles = {f"a{i}": Article(f"a{i}", text, f"Report {i}", language="en") for i, text in enumerate(TEXTS)}
    out = []
    for i, (text, confidence) in enumerate(zip(TEXTS, confidences, strict=True)):
        vector = np.zeros(len(TEXTS), dtype=np.float32)
        vector[i] = 1.0  # unrelated meanings: nothing is merged as a paraphrase
        score = scores[i] if scores is not None else confidence or 0.0  # hand scores, or the model's
        out.append(Candidate(Sentence(f"a{i}", 0, 0, len(text), text), score, 0.5, 0.5, 1.0, vector,
                             confidence=confidence, ordered_by_model=confidence is not None and scores is None))
    return out, articles


def test_each_answer_line_carries_its_probability_in_json_and_terminal() -> None:
    ranked, articles = _ranked([0.82, 0.4, 0.1])
    brief = compose_brief(analyze_question("Which city hosts the trade fair?"), ranked, articles, answer_size=1,
                          answer_confidence=0.3)
    assert [s.confidence for s in brief.answer] == [0.82]
    assert brief_dict(brief)["answer"][0]["confidence"] == 0.82
    assert "(82%) The trade fair opens in Tarrow" in render_terminal(brief)


def test_answer_lines_below_the_threshold_move_to_evidence() -> None:
    ranked, articles = _ranked([0.82, 0.2, 0.1])
    brief = compose_brief(analyze_question("Which city hosts the trade fair?"), ranked, articles, answer_size=2,
                          answer_confidence=0.3)
    assert [s.text for s in brief.answer] == [TEXTS[0]]
    assert brief.evidence[0].text == TEXTS[1] and brief.evidence[0].confidence == 0.2


def test_when_no_line_is_sure_enough_the_answer_is_empty_and_a_note_says_so() -> None:
    ranked, articles = _ranked([0.12, 0.05, 0.01])
    brief = compose_brief(analyze_question("Who won the 1987 curling championship in Ulaanbaatar?"), ranked,
                          articles, answer_confidence=0.3, searched=3)
    assert brief.answer == []
    assert any("answers this question directly" in note for note in brief.notes)
    assert [s.text for s in brief.evidence][:1] == [TEXTS[0]]  # the closest evidence is still shown


def test_the_hand_set_ranker_gives_no_confidence_and_never_abstains_by_it() -> None:
    ranked, articles = _ranked([None, None, None], [0.9, 0.5, 0.35])
    brief = compose_brief(analyze_question("Which city hosts the trade fair?"), ranked, articles,
                          answer_confidence=0.99)
    assert brief.answer and all(s.confidence is None for s in brief.answer)
    assert "confidence" not in brief_dict(brief)["answer"][0]


def test_hand_ordered_lines_keep_the_score_cut_and_move_to_evidence_by_confidence() -> None:
    ranked, articles = _ranked([0.1, 0.7, 0.9], [0.8, 0.5, 0.2])  # hand scores, with a model's confidences
    brief = compose_brief(analyze_question("Which city hosts the trade fair?"), ranked, articles,
                          answer_confidence=0.3)
    # the third line is under the hand-set score cut: not quoted at all, however sure the model is of it
    assert TEXTS[2] not in [s.text for s in [*brief.answer, *brief.evidence]]
    assert [s.text for s in brief.answer] == [TEXTS[1]]
    assert [s.text for s in brief.evidence] == [TEXTS[0]] and brief.evidence[0].confidence == 0.1
