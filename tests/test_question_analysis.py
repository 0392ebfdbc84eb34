"""The question is analysed once: what search and ranking take from it, and the vocabulary it is read by."""

from __future__ import annotations

from newsdesk.analyze import question as question_module
from newsdesk.analyze.question import analyze_question, name_matchers
from newsdesk.search import term_query


def test_the_full_text_query_holds_the_names_the_question_uses_as_phrases() -> None:
    question = analyze_question("How many people died in the fire at the Halvard Chemicals plant in Marlow Bay?")
    terms = term_query(question).terms
    assert "Marlow Bay" in terms
    assert "halvard" in terms and "died" in terms


def test_a_stance_question_searches_for_the_names_of_both_sides() -> None:
    question = analyze_question("What does the Chemical and Port Workers' Union think of Halvard Chemicals?")
    assert question.kind == "stance"
    assert set(question.actor) | set(question.target) <= set(term_query(question).terms)


def test_the_name_patterns_are_compiled_once_per_question() -> None:
    question = analyze_question("What did Governor Ruth Amsel say about the fire at Halvard Chemicals?")
    matchers = name_matchers(question)
    assert matchers is name_matchers(analyze_question(question.text))
    assert len(matchers.names) == len(question.names)
    assert any(p.search("Halvard Chemicals said on Monday") for p in matchers.names)


def test_every_stance_phrasing_of_the_vocabulary_names_both_sides() -> None:
    patterns = question_module._STANCE_PATTERNS  # noqa: SLF001 - the compiled vocabulary
    assert len(patterns) == sum(len(p) for p in question_module.vocabulary()["stance"].values())
    assert all({"x", "y"} <= set(p.groupindex) for p in patterns)


def test_stance_asked_as_position_view_or_friendliness_is_read_as_a_stance_question() -> None:
    asked = {
        "What is Russia's stance toward Ukraine?": ("Russia", "Ukraine"),
        "How does Berlin view Kyiv?": ("Berlin", "Kyiv"),
        "What is Olaf Scholz's position on Ukraine?": ("Olaf Scholz", "Ukraine"),
        "Is Xi Jinping friendly to Putin?": ("Xi Jinping", "Putin"),
        "Is China an ally of Russia?": ("China", "Russia"),
        "Where does India stand on Russia?": ("India", "Russia"),
        "What is the position of Turkey on Sweden?": ("Turkey", "Sweden"),
        "Wie steht Russland zur Ukraine?": ("Russland", "Ukraine"),
        "Ist China freundlich gegenüber Russland?": ("China", "Russland"),
        "Quelle est la position de l'Allemagne envers l'Ukraine ?": ("Allemagne", "Ukraine"),
        "Comment la Chine voit-elle Taïwan ?": ("Chine", "Taïwan"),
        "¿Cuál es la postura de China hacia Taiwán?": ("China", "Taiwán"),
        "¿Cómo ve Alemania a Ucrania?": ("Alemania", "Ucrania"),
    }
    for text, (x, y) in asked.items():
        question = analyze_question(text)
        assert (question.kind, question.actor[0], question.target[0]) == ("stance", x, y), text


def test_a_capital_or_leader_in_a_stance_question_also_searches_for_the_state() -> None:
    question = analyze_question("How does Berlin view Kyiv?")
    assert "Germany" in question.actor and "Ukraine" in question.target
    assert "Russia" in analyze_question("Is Xi Jinping friendly to Putin?").target


def test_questions_that_only_look_like_stance_questions_are_not() -> None:
    assert analyze_question("Is the bridge open to traffic?").kind != "stance"
    assert analyze_question("What is the capital of France?").kind != "stance"
