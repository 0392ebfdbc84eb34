"""One event-time value spells both stored anchor forms: the claims' key and the relations' words."""

from newsdesk.analyze.claims.anchors import event_anchor
from newsdesk.analyze.event_time import EventTime
from newsdesk.analyze.lexicon import anchor_of


def test_a_month_of_a_year_is_a_sortable_key_for_claims_and_words_for_relations() -> None:
    when = EventTime(2015, 8)
    assert (when.key(), when.words()) == ("2015-08", "august 2015")


def test_a_month_without_a_year_and_a_bare_year() -> None:
    assert (EventTime(month=3).key(), EventTime(month=3).words()) == ("03", "march")
    assert (EventTime(2006).key(), EventTime(2006).words()) == ("2006", "2006")


def test_a_relative_phrase_is_kept_lower_case_and_single_spaced() -> None:
    assert EventTime.relative("In  recent Years").key() == "in recent years"


def test_claims_and_relations_mark_the_same_sentence_in_their_own_form() -> None:
    text = "In Sept. 2015, gunmen stormed the base."
    assert event_anchor(text, "2016-02-01") == "2015-09"
    assert anchor_of(text) == "september 2015"
