"""Sentence segmentation: hard cases from news prose, and the offset invariants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.analyze.sentences import MAX_SENTENCE_CHARS, split_sentences
from newsdesk.model import Sentence

QUETTA_003 = "003_bca246edd0604b27.txt"

_NEWLINE = "[\n\r\u2028\x85]"
_BLANK_LINE = re.compile(rf"{_NEWLINE}[^\S\n\r\u2028\x85]*{_NEWLINE}|\u2029")


def texts(text: str, language: str | None = None) -> list[str]:
    sentences = split_sentences("a1", text, language)
    check_invariants(text, sentences)
    return [s.text for s in sentences]


def check_invariants(text: str, sentences: list[Sentence]) -> None:
    previous_end = 0
    for i, s in enumerate(sentences):
        assert s.article_id == "a1"
        assert s.index == i
        assert 0 <= previous_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert not _BLANK_LINE.search(s.text.replace("\r\n", "\n")), "sentence spans a paragraph break"
        assert len(s.text) <= MAX_SENTENCE_CHARS
        previous_end = s.end
    # nothing is lost: every letter and digit of the text is inside some sentence
    covered = bytearray(len(text))
    for s in sentences:
        covered[s.start : s.end] = b"\x01" * (s.end - s.start)
    lost = [c for i, c in enumerate(text) if c.isalnum() and not covered[i]]
    assert not lost, f"characters outside every sentence: {lost[:10]}"


# --- abbreviations and numbers ----------------------------------------------------------------


def test_military_titles_do_not_end_a_sentence():
    text = (
        "Two officials, including Maj. Gen. Sher Afgan, the chief of Pakistan’s paramilitary forces, "
        "said the militants had crossed over. Nobody else spoke."
    )
    assert texts(text) == [
        "Two officials, including Maj. Gen. Sher Afgan, the chief of Pakistan’s paramilitary forces, "
        "said the militants had crossed over.",
        "Nobody else spoke.",
    ]


def test_other_titles_before_names_do_not_end_a_sentence():
    text = "Lt. Col. Smith, Sgt. Maj. Jones, Gov. Brown and Rep. Lee met Mr. Smith and Dr. Who. Then more."
    assert texts(text) == [
        "Lt. Col. Smith, Sgt. Maj. Jones, Gov. Brown and Rep. Lee met Mr. Smith and Dr. Who.",
        "Then more.",
    ]


def test_abbreviated_month_with_day_ends_only_after_the_day():
    text = "Gunmen stormed a police training center in Quetta, Pakistan, late on Oct. 24. Most were cadets."
    assert texts(text) == [
        "Gunmen stormed a police training center in Quetta, Pakistan, late on Oct. 24.",
        "Most were cadets.",
    ]


def test_dotted_acronym_at_sentence_start():
    text = "Sharif called for justice. U.S. State Department spokesman John Kirby also condemned the attack."
    assert texts(text) == [
        "Sharif called for justice.",
        "U.S. State Department spokesman John Kirby also condemned the attack.",
    ]


def test_dotted_acronym_at_sentence_end_before_an_opener():
    text = "He moved to the U.S. Then he left. It ended at 9 p.m. The police came."
    assert texts(text) == ["He moved to the U.S.", "Then he left.", "It ended at 9 p.m.", "The police came."]


def test_dotted_acronym_inside_a_sentence():
    text = "The U.N. Security Council met at 9:30 p.m. (local time) on Monday. It adjourned."
    assert texts(text) == [
        "The U.N. Security Council met at 9:30 p.m. (local time) on Monday.",
        "It adjourned.",
    ]


def test_number_sign_abbreviation():
    assert texts("He is No. 1 in the world. She is No. 2.") == ["He is No. 1 in the world.", "She is No. 2."]


def test_decimal_numbers_and_money():
    text = "Growth was 3.5 percent. The deal cost $1.2 billion, or €1.1 billion. Shares rose."
    assert texts(text) == [
        "Growth was 3.5 percent.",
        "The deal cost $1.2 billion, or €1.1 billion.",
        "Shares rose.",
    ]


def test_initials_in_names():
    assert texts("John F. Kennedy spoke. J.K. Rowling wrote.") == [
        "John F. Kennedy spoke.",
        "J.K. Rowling wrote.",
    ]


# --- quotes -------------------------------------------------------------------------------------


def test_quote_with_comma_then_attribution_is_one_sentence():
    text = "“We got to the roof,” he said. Then silence."
    assert texts(text) == ["“We got to the roof,” he said.", "Then silence."]


def test_sentence_ending_inside_closing_quote_splits_after_the_quote():
    assert texts("He said: “Go.” Then he left.") == ["He said: “Go.”", "Then he left."]


def test_question_and_exclamation_inside_quotes():
    assert texts("“Is it over?” she asked. “Yes!” he said.") == [
        "“Is it over?” she asked.",
        "“Yes!” he said.",
    ]


def test_straight_quotes():
    text = 'The cadet said "Then they stormed into the barracks." Police disagreed.'
    assert texts(text) == ['The cadet said "Then they stormed into the barracks."', "Police disagreed."]


# --- datelines, headlines, captions, lists --------------------------------------------------


def test_agency_dateline_stays_with_first_sentence():
    text = "QUETTA, Pakistan (AP) — Gunmen stormed a police academy. Dozens died."
    assert texts(text) == ["QUETTA, Pakistan (AP) — Gunmen stormed a police academy.", "Dozens died."]


def test_cnn_dateline_on_same_line():
    text = "New York CNN — Gunmen stormed a police academy. Dozens died."
    assert texts(text) == ["New York CNN — Gunmen stormed a police academy.", "Dozens died."]


def test_cnn_dateline_on_its_own_line_keeps_offsets():
    text = "New York\nCNN —\nGunmen stormed a police academy. Dozens died."
    result = texts(text)
    assert result[-1] == "Dozens died."
    assert "Gunmen stormed a police academy." in result[-2]


def test_headline_paragraph_without_final_punctuation_is_its_own_sentence():
    text = "Attack in Quetta kills 61\n\nGunmen stormed a police academy. Dozens died."
    assert texts(text) == ["Attack in Quetta kills 61", "Gunmen stormed a police academy.", "Dozens died."]


def test_headline_on_its_own_line_is_its_own_sentence():
    text = "Attack in Quetta kills 61\nGunmen stormed a police academy. Dozens died."
    assert texts(text) == ["Attack in Quetta kills 61", "Gunmen stormed a police academy.", "Dozens died."]


def test_caption_in_parentheses():
    text = "Troops enter the school in Quetta, Pakistan. (Arshad Butt/AP)\n\nBut an official said more."
    assert texts(text) == [
        "Troops enter the school in Quetta, Pakistan.",
        "(Arshad Butt/AP)",
        "But an official said more.",
    ]


def test_bullet_list_items_are_sentences_without_their_markers():
    text = "Key points:\n- Gunmen attacked a police school\n* 61 people died\n• IS claimed it\n\nMore later."
    assert texts(text) == [
        "Key points:",
        "Gunmen attacked a police school",
        "61 people died",
        "IS claimed it",
        "More later.",
    ]


def test_numbered_list_items_keep_their_numbers():
    text = "Steps:\n1. Close the gate\n2. Call the police"
    assert texts(text) == ["Steps:", "1. Close the gate", "2. Call the police"]


def test_hard_wrapped_prose_is_not_cut_at_line_breaks():
    text = (
        "This is hard wrapped text that goes on for a while and then the\n"
        "President said something about the matter in a way that was\n"
        "long enough to wrap twice. Next sentence."
    )
    result = texts(text)
    assert len(result) == 2
    assert result[0].startswith("This is") and result[0].endswith("wrap twice.")


def test_sentences_never_span_a_blank_line():
    text = "First paragraph without a stop\n \t\nSecond paragraph\r\n\r\nThird one."
    assert texts(text) == ["First paragraph without a stop", "Second paragraph", "Third one."]


# --- ellipses, long runs ------------------------------------------------------------------------


def test_ellipsis_before_lowercase_continues_the_sentence():
    assert texts("Wait... what happened? I don't know... He left.") == [
        "Wait... what happened?",
        "I don't know...",
        "He left.",
    ]


def test_unicode_ellipsis():
    result = texts("He paused… and went on. Done.")
    assert result[-1] == "Done."


def test_long_run_without_punctuation_is_cut_at_whitespace():
    text = " ".join(f"word{i}" for i in range(600))
    result = texts(text)
    assert len(result) > 1
    assert all(500 < len(s) <= 1000 for s in result[:-1])  # a run is cut before 1,000 characters, past half of it
    assert len(result[-1]) <= 1000
    assert " ".join(result) == text  # cut at spaces only: no word is broken


def test_long_run_without_whitespace_is_cut_hard():
    text = "x" * 2500
    result = texts(text)
    assert "".join(result) == text
    assert [len(s) for s in result] == [1000, 1000, 500]


# --- German --------------------------------------------------------------------------------------


def test_german_ordinal_dates_and_abbreviations():
    text = (
        "Der Anschlag am 3. Okt. 2016 wurde gemeldet. Er kam z. B. am 1. Januar. "
        "Das ist gut, d. h. sehr gut. Die Polizei nannte 3,5 Prozent."
    )
    assert texts(text, "de") == [
        "Der Anschlag am 3. Okt. 2016 wurde gemeldet.",
        "Er kam z. B. am 1. Januar.",
        "Das ist gut, d. h. sehr gut.",
        "Die Polizei nannte 3,5 Prozent.",
    ]


def test_german_quotes():
    text = "„Wir sind aufs Dach gestiegen“, sagte er. Dann kam die Polizei."
    assert texts(text, "de") == ["„Wir sind aufs Dach gestiegen“, sagte er.", "Dann kam die Polizei."]


# --- Chinese and Japanese ------------------------------------------------------------------------


def test_chinese_splits_after_full_stops_and_closing_quotes():
    text = "外交部发言人说：“我们强烈谴责这次袭击。”他说！真的吗？是的\n新的一行"
    assert texts(text, "zh") == [
        "外交部发言人说：“我们强烈谴责这次袭击。”",
        "他说！",
        "真的吗？",
        "是的",
        "新的一行",
    ]


def test_chinese_detected_without_language():
    text = "巴基斯坦奎达警察学校遭到袭击。至少61人死亡。"
    assert texts(text) == ["巴基斯坦奎达警察学校遭到袭击。", "至少61人死亡。"]


def test_japanese_with_brackets():
    text = "警察学校が襲撃された。「犯人は三人だった。」と当局は述べた。"
    assert texts(text, "ja") == ["警察学校が襲撃された。", "「犯人は三人だった。」", "と当局は述べた。"]


def test_english_paragraph_in_a_chinese_article_uses_the_prose_splitter():
    text = "袭击发生在周一。\n\nMr. Smith said so. He left."
    assert texts(text, "zh") == ["袭击发生在周一。", "Mr. Smith said so.", "He left."]


# --- empty and whitespace ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\r\n\t \u00a0", "\u2029"])
def test_empty_or_blank_text_has_no_sentences(text):
    assert split_sentences("a1", text) == []


def test_crlf_and_tabs_keep_offsets():
    text = "\tFirst line here.\r\nSecond line.\r\n\r\n\tThird.  "
    assert texts(text) == ["First line here.", "Second line.", "Third."]


# --- the real article --------------------------------------------------------------------------


def test_quetta_article_003(quetta_dir: Path):
    text = (quetta_dir / QUETTA_003).read_text(encoding="utf-8")
    result = texts(text, "en")
    assert (
        "Two officials, including Maj. Gen. Sher Afgan, the chief of Pakistan’s paramilitary forces, "
        "said the militants had either crossed over from Afghanistan or were in contact with handlers "
        "on the Afghan side of the border."
    ) in result
    assert (
        "Scores were killed when gunmen stormed a police training center in Quetta, Pakistan, "
        "late on Oct. 24."
    ) in result
    assert "U.S. State Department spokesman John Kirby also condemned the attack." in result
    assert "“After that, they attacked the Police Training College,” he said." in result
    assert "(Video: Reuters / Photo: AP)" in result
    assert 35 <= len(result) <= 45


def test_deterministic(quetta_dir: Path):
    text = (quetta_dir / QUETTA_003).read_text(encoding="utf-8")
    assert split_sentences("a1", text) == split_sentences("a1", text)


# --- properties --------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "word",
        "Word",
        "U.S.",
        "Maj.",
        "Gen.",
        "Oct.",
        "24",
        "3.5",
        "$1.2",
        ".",
        ". ",
        "!",
        "?",
        "...",
        "…",
        ",",
        ";",
        ":",
        "“",
        "”",
        '"',
        "'",
        "(",
        ")",
        "[",
        "—",
        "-",
        "- ",
        "* ",
        "• ",
        "1. ",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\r\n\r\n",
        "\r",
        "\u00a0",
        "\u2028",
        "\u2029",
        "\x85",
        "\u200b",
        "\x1c",
        "。",
        "！",
        "？",
        "」",
        "中文",
        "日本語",
        "ß",
        "é",
        "e\u0301",
        "😀",
        "z. B.",
    ]
)

_TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(_PIECES, max_size=80).map("".join),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS, language=st.sampled_from([None, "en", "de", "zh", "ja"]))
def test_offsets_are_exact_for_arbitrary_text(text, language):
    check_invariants(text, split_sentences("a1", text, language))


@settings(max_examples=30, deadline=None)
@given(words=st.lists(st.sampled_from(["a", "bb", "ccc", "\n", "x" * 40, "y" * 300]), max_size=200))
def test_long_runs_respect_the_limit(words):
    text = " ".join(words)
    check_invariants(text, split_sentences("a1", text))


def test_zero_width_marks_do_not_start_or_end_a_sentence():
    text = "\u200b\u200bFatima Goss Graves leads the centre.\u200b Prices rose.\ufeff"
    assert texts(text, "en") == ["Fatima Goss Graves leads the centre.", "Prices rose."]


def test_a_line_without_inner_terminal_is_one_sentence_even_with_brackets_inside():
    text = "Law enforcement employees per 100K: 373 (31st highest out of 634 cities)\n\nNext line here."
    assert texts(text, "en") == [
        "Law enforcement employees per 100K: 373 (31st highest out of 634 cities)", "Next line here."]


def test_datelines_and_semicolons_still_go_through_the_segmenter():
    text = "The president was vague; Republicans say the rules will choke industry. Then he left."
    assert texts(text, "en")[-1] == "Then he left."
