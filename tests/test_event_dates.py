"""Date expressions found per language and resolved against the publication date (analyze/event_dates.py)."""

from __future__ import annotations

import pytest

from newsdesk.analyze.event_dates import find_dates

# Wednesday 2022-03-09: "Tuesday" is 2022-03-08, "yesterday" too, "two days ago" 2022-03-07.
PUBLISHED = "2022-03-09"


def resolved(text: str, language: str, published: str | None = PUBLISHED) -> list[tuple[str, str | None, str | None]]:
    return [(d.text, d.low, d.high) for d in find_dates(text, language, published)]


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "The bridge collapsed on March 3, 2022, officials said.", ("March 3, 2022", "2022-03-03")),
    ("en", "The bridge collapsed on 3 March.", ("3 March", "2022-03-03")),
    ("de", "Die Brücke stürzte am 3. März 2022 ein.", ("3. März 2022", "2022-03-03")),
    ("fr", "Le pont s'est effondré le 3 mars 2022.", ("3 mars 2022", "2022-03-03")),
    ("fr", "Le pont s'est effondré le 1er mars.", ("1er mars", "2022-03-01")),
    ("es", "El puente se derrumbó el 3 de marzo de 2022.", ("3 de marzo de 2022", "2022-03-03")),
    ("zh", "大桥于2022年3月3日倒塌。", ("2022年3月3日", "2022-03-03")),
    ("en", "The report was filed on 2022-02-27.", ("2022-02-27", "2022-02-27")),
    ("de", "Der Bericht kam am 27.02.2022.", ("27.02.2022", "2022-02-27")),
])
def test_absolute_dates_in_each_language(language: str, text: str, expected: tuple[str, str]) -> None:
    words, day = expected
    assert resolved(text, language) == [(words, day, day)]


@pytest.mark.parametrize(("language", "text", "words", "day"), [
    ("en", "Police arrested two men on Tuesday.", "Tuesday", "2022-03-08"),
    ("en", "Police arrested two men yesterday.", "yesterday", "2022-03-08"),
    ("en", "Police arrested two men two days ago.", "two days ago", "2022-03-07"),
    ("de", "Die Polizei nahm gestern zwei Männer fest.", "gestern", "2022-03-08"),
    ("de", "Die Polizei nahm am Dienstag zwei Männer fest.", "Dienstag", "2022-03-08"),
    ("de", "Die Polizei nahm vor zwei Tagen zwei Männer fest.", "vor zwei Tagen", "2022-03-07"),
    ("fr", "La police a arrêté deux hommes hier.", "hier", "2022-03-08"),
    ("fr", "La police a arrêté deux hommes il y a deux jours.", "il y a deux jours", "2022-03-07"),
    ("es", "La policía detuvo ayer a dos hombres.", "ayer", "2022-03-08"),
    ("es", "La policía detuvo a dos hombres el martes.", "martes", "2022-03-08"),
    ("zh", "警方昨天逮捕了两名男子。", "昨天", "2022-03-08"),
    ("zh", "警方两天前逮捕了两名男子。", "两天前", "2022-03-07"),
    ("zh", "警方周二逮捕了两名男子。", "周二", "2022-03-08"),
])
def test_relative_dates_resolve_against_the_publication_date(language: str, text: str, words: str,
                                                             day: str) -> None:
    assert resolved(text, language) == [(words, day, day)]


def test_a_weekday_on_the_day_of_publication_is_that_day() -> None:
    assert resolved("The vote took place on Wednesday.", "en") == [("Wednesday", PUBLISHED, PUBLISHED)]


def test_the_weekday_after_the_publication_day_is_the_next_day_not_six_days_back() -> None:
    # Dated Wednesday in one time zone, reporting Thursday in another (or a plan for tomorrow).
    assert resolved("The minister resigned on Thursday.", "en") == [("Thursday", "2022-03-10", "2022-03-10")]
    assert resolved("The minister resigned on Thursday.", "en", "2022-03-11") == [
        ("Thursday", "2022-03-10", "2022-03-10")]


def test_a_span_of_years_is_no_future_date() -> None:
    assert resolved("It is the biggest shift in 70 years.", "en") == []


def test_last_week_runs_from_the_monday_of_the_week_before_to_the_day_before_the_report() -> None:
    assert resolved("The talks collapsed last week.", "en") == [("last week", "2022-02-28", "2022-03-08")]
    assert resolved("Die Gespräche scheiterten letzte Woche.", "de") == [("letzte Woche", "2022-02-28", "2022-03-08")]
    # A Sunday paper's "last week" holds the Tuesday just gone (weeks starting on Sunday).
    assert resolved("The shooting last week shocked the town.", "en", "2022-05-29") == [
        ("last week", "2022-05-16", "2022-05-28")]


def test_a_month_and_year_is_the_whole_month() -> None:
    assert resolved("Prices rose in May 2021.", "en") == [("May 2021", "2021-05-01", "2021-05-31")]


def test_a_day_without_a_year_takes_the_year_nearest_the_report() -> None:
    assert resolved("The storm hit on December 30.", "en", "2023-01-02") == [
        ("December 30", "2022-12-30", "2022-12-30")]


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Police arrested two men on Tuesday."),
    ("en", "Police arrested two men yesterday."),
    ("en", "The bridge collapsed on 3 March."),
    ("de", "Die Polizei nahm gestern zwei Männer fest."),
    ("fr", "La police a arrêté deux hommes hier."),
    ("es", "La policía detuvo ayer a dos hombres."),
    ("zh", "警方昨天逮捕了两名男子。"),
])
def test_in_an_undated_article_relative_dates_stay_unresolved_and_say_why(language: str, text: str) -> None:
    (found,) = find_dates(text, language, None)
    assert not found.resolved and found.low is None and found.high is None
    assert "undated" in (found.note or "")


def test_a_full_date_needs_no_publication_date() -> None:
    (found,) = find_dates("The bridge collapsed on March 3, 2022.", "en", None)
    assert (found.low, found.relative, found.note) == ("2022-03-03", False, None)


def test_a_weekday_beside_a_full_date_is_not_a_second_date() -> None:
    assert resolved("Smoke rose on Tuesday, Sept. 16, 2025, over the bay.", "en") == [
        ("Sept. 16, 2025", "2025-09-16", "2025-09-16")]


@pytest.mark.parametrize("text", [
    "It may rain, and the march went ahead.",  # "may" and "march" are no months in English prose
    "Prices rose 3 percent in 2021.",
    "The ship Sunday Star docked at gate 12/4.",
    "Er kam hier an.",  # "hier" is French for yesterday, not German
])
def test_words_that_only_look_like_dates_are_not_dates(text: str) -> None:
    language = "de" if text.startswith("Er ") else "en"
    assert [d.text for d in find_dates(text, language, PUBLISHED) if d.text.lower() != "sunday"] == []


def test_offsets_index_the_text_scanned() -> None:
    text = "Officials said on Monday that the dam broke on 3 March 2022."
    for found in find_dates(text, "en", PUBLISHED):
        assert text[found.start:found.end] == found.text


def test_an_unknown_language_falls_back_to_english_names() -> None:
    assert resolved("The dam broke on Monday.", "xx") == [("Monday", "2022-03-07", "2022-03-07")]
