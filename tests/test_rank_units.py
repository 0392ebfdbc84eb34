"""What a sentence shares with the question: a long name named in part still counts, in proportion."""

from __future__ import annotations

import pytest

from newsdesk.answer.question import analyze_question
from newsdesk.answer.rank import PART_OF_NAME, _question_units


@pytest.fixture(scope="module")
def name_unit():
    question = analyze_question("Where did House Speaker Nancy Pelosi travel this week?")
    units = _question_units(question)
    keys = [k for k in units if k.startswith("name:")]
    assert keys == ["name:House Speaker Nancy Pelosi"], keys
    return units[keys[0]]


def test_a_name_named_whole_counts_whole(name_unit) -> None:
    assert name_unit("House Speaker Nancy Pelosi landed in Taipei on Tuesday.") == 1.0


def test_a_name_named_in_part_counts_by_the_share_of_its_words(name_unit) -> None:
    assert name_unit("Pelosi landed in Taipei on Tuesday.") == pytest.approx(PART_OF_NAME / 4)
    assert name_unit("Speaker Nancy Pelosi landed in Taipei.") == pytest.approx(PART_OF_NAME * 3 / 4)


def test_a_sentence_without_the_name_gets_nothing_for_it(name_unit) -> None:
    assert name_unit("The delegation landed in Taipei on Tuesday.") == 0.0
