"""What a sentence shares with the question: a long name named in part still counts, in proportion."""

from __future__ import annotations

import pytest

from newsdesk.analyze.question import analyze_question
from newsdesk.answer.rank import _question_units


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
    # A part of a name is worth 0.8 of the whole, shared by its words: 1 of 4 words is 0.8 * 1/4, 3 of 4 is 0.8 * 3/4.
    assert name_unit("Pelosi landed in Taipei on Tuesday.") == pytest.approx(0.2)
    assert name_unit("Speaker Nancy Pelosi landed in Taipei.") == pytest.approx(0.6)
    assert name_unit("Nancy Pelosi landed in Taipei.") == pytest.approx(0.4)


def test_a_sentence_without_the_name_gets_nothing_for_it(name_unit) -> None:
    assert name_unit("The delegation landed in Taipei on Tuesday.") == 0.0


def test_a_question_word_counts_whole_when_the_sentence_holds_its_stem() -> None:
    units = _question_units(analyze_question("How many people were killed in the floods?"))
    killed = units["word:kill"]
    assert killed("Floods killing dozens swept the valley.") == 1.0
    assert killed("Floods swept the valley.") == 0.0
    # The caller may pass the sentence's stems worked out once: the same answer.
    assert killed("Floods killing dozens swept the valley.", frozenset({"flood", "kill"})) == 1.0
