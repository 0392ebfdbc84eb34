"""Multiple-choice scoring in `newsdesk eval realtimeqa --choices`: support comes from what the brief shows."""

from __future__ import annotations

from newsdesk.eval.realtimeqa import score_choices
from newsdesk.model import Brief, Citation, Source, Statement


def _brief(sentences: list[str], titles: list[str]) -> Brief:
    sources = [Source(n, f"a{n}", title, None, None, None, None, "en") for n, title in enumerate(titles, 1)]
    answer = [Statement(text, [Citation(1, "a1", 0, len(text))]) for text in sentences]
    return Brief("q?", answer, [], sources)


def test_a_cited_sources_headline_names_what_its_sentences_only_call_the_show() -> None:
    brief = _brief(["The wildly popular show is green lit for a second season."],
                   ["Netflix renews 'Harbor Lights' for a second season", "Streaming prices rise again"])
    scores = score_choices(["Bright Meadows", "Harbor Lights", "Cold River", "Iron Coast"], brief)
    assert scores.index(max(scores)) == 1 and max(scores) > 0


def test_a_sentence_naming_a_choice_outweighs_a_headline_naming_another() -> None:
    brief = _brief(["Officials in Peru confirmed the outbreak on Monday."],
                   ["Outbreak spreads across Chile's north"])
    scores = score_choices(["Chile", "Peru"], brief)
    assert scores[1] > scores[0] > 0


def test_no_choice_is_supported_when_neither_sentences_nor_headlines_name_one() -> None:
    brief = _brief(["The ministry said the figures would be published later."], ["Ministry delays report"])
    assert score_choices(["Norway", "Kenya"], brief) == [0.0, 0.0]
