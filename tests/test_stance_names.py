"""Capitals, institutions, leaders in office and names in other languages stand for the actor, with the part kept;
relations read from a verb with its object (aid sent, missiles fired) come out typed by that object."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.analyze.actor_table import load_actor_table
from newsdesk.model import Article
from tests.test_actors import analyzed


def relations_of(text: str, published: str | None = "2023-01-25") -> list[tuple[str, str | None, str, str]]:
    from newsdesk.analyze.relations import annotate
    from newsdesk.analyze.sentences import split_sentences
    from newsdesk.model import AnalyzedArticle

    article = Article("t", text, text[:40], published=published, language="en")
    item = AnalyzedArticle(article, split_sentences("t", text, "en"), [], None)
    annotate([item])
    return [(r.source, r.source_part, r.action, r.target) for r in item.relations]


def test_a_question_may_name_the_state_by_capital_institution_leader_or_translation() -> None:
    table = load_actor_table()
    assert {n: table.lookup(n).name for n in ("Berlin", "the Kremlin", "Putin", "Allemagne", "Russland", "German")} \
        == {"Berlin": "Germany", "the Kremlin": "Russia", "Putin": "Russia", "Allemagne": "Germany",
            "Russland": "Russia", "German": "Germany"}
    assert table.get("Putin") is None, "a leader is not one of the state's own names"


def test_a_leader_in_office_acts_for_the_state_with_the_name_kept_as_the_part() -> None:
    found = relations_of("Putin threatened Ukraine on Tuesday.", "2022-03-01")
    assert found == [("Russia", "Putin", "threaten", "Ukraine")]


def test_a_leader_out_of_office_is_not_the_state() -> None:
    assert load_actor_table().in_office("Biden", "United States", "2022-06-01")
    assert not load_actor_table().in_office("Biden", "United States", "2019-06-01")
    assert not any(r[0] == "United States" for r in relations_of("Biden criticized Iran.", "2019-06-01"))


def test_a_relative_sharing_the_leaders_surname_is_not_the_state() -> None:
    mentions = analyzed("Reporters asked about Hunter Biden on Monday.").mentions
    assert not any(m.actor == "United States" for m in mentions)


def test_the_kremlin_speaks_for_russia_with_the_institution_kept() -> None:
    assert relations_of("The Kremlin condemned Poland.") == [("Russia", "Kremlin", "condemn", "Poland")]


def test_sending_weapons_is_aid_and_sending_gunmen_is_an_attack() -> None:
    assert ("Germany", None, "aid", "Ukraine") in relations_of(
        "Germany has approved plans to send Leopard 2 tanks to Ukraine.")
    assert ("Hamas", None, "attack", "Israel") in relations_of("Hamas sent about 1,000 gunmen from Gaza to Israel.")


def test_firing_a_missile_over_a_country_is_an_attack_on_it_but_firing_staff_is_not() -> None:
    assert relations_of("North Korea fires a ballistic missile without warning over Japan.") == [
        ("North Korea", None, "attack", "Japan")]
    assert relations_of("Twitter fired its staff in Japan.") == []


def test_a_receiver_named_before_the_object_gets_the_aid() -> None:
    assert relations_of("Washington provides Taiwan defensive weapons.") == [
        ("United States", None, "aid", "Taiwan")]


def test_a_lawsuit_filed_against_someone_is_a_hostile_act() -> None:
    assert relations_of("Twitter filed a lawsuit against Elon Musk.") == [("Twitter", None, "sue", "Elon Musk")]


def test_the_users_file_adds_names_and_a_bad_line_names_the_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "names.tsv"
    extra.write_text("Foggy Bottom\tUnited States\tinstitution\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_ACTOR_NAMES", str(extra))
    load_actor_table.cache_clear()
    try:
        assert load_actor_table().lookup("Foggy Bottom").name == "United States"
        extra.write_text("Foggy Bottom\tUnited States\tbuilding\n", encoding="utf-8")
        load_actor_table.cache_clear()
        with pytest.raises(ValueError, match=r"names\.tsv.*Foggy Bottom.*institution"):
            load_actor_table()
    finally:
        monkeypatch.delenv("NEWSDESK_ACTOR_NAMES")
        load_actor_table.cache_clear()




def test_conditional_possible_requested_or_imagined_acts_are_no_relations() -> None:
    for text in ("Biden warned of severe costs for the Russian economy if Putin invades Ukraine.",
                 "Analysts said Russia could begin a military offensive in Ukraine in early 2022.",
                 "The thought of China invading Taiwan worries the island.",
                 "He tried to convince the Chinese leader not to support Russia."):
        assert relations_of(text, "2022-01-10") == [], text
    asked = relations_of("Zelensky urged the US to ban Russian oil imports.", "2022-03-10")
    assert asked == [("Ukraine", "Zelensky", "demand", "United States")], "the request, not the ban"


def test_a_congressman_named_jordan_is_not_the_country() -> None:
    mentions = analyzed("Gaetz answered comments by Rep. Jim Jordan, who defended McCarthy.").mentions
    assert not any(m.actor == "Jordan" for m in mentions)


def test_a_third_partys_report_of_an_attack_is_no_accusation_by_it() -> None:
    found = relations_of("Ukrainian forces have struck Russian logistics, a senior US defense official said.")
    assert not any(source == "United States" and action == "accuse" for source, _, action, _ in found)


def test_an_invasion_of_or_a_war_on_a_country_is_an_attack_on_it() -> None:
    assert relations_of("Russia’s invasion of Ukraine raised prices.") == [("Russia", None, "attack", "Ukraine")]
    assert relations_of("Russia is continuing to wage war with Ukraine.") == [("Russia", None, "attack", "Ukraine")]
    assert relations_of("The war in Ukraine has raised prices.") == [], "a war with no side named is no relation"


def test_a_refusal_or_failure_to_condemn_is_kept_as_an_act_not_done() -> None:
    from newsdesk.analyze.relations import annotate
    from newsdesk.analyze.sentences import split_sentences
    from newsdesk.model import AnalyzedArticle

    for text in ("China is refusing to condemn Russia.", "Morrison criticized Beijing’s failure to condemn Russia."):
        article = Article("t", text, text, published="2022-03-01", language="en")
        item = AnalyzedArticle(article, split_sentences("t", text, "en"), [], None)
        annotate([item])
        condemned = [r for r in item.relations if r.action == "condemn"]
        assert condemned and all(r.negated for r in condemned), text


def test_retaliating_against_a_barrage_is_an_attack_on_whoever_fired_it() -> None:
    assert ("South Korea", None, "attack", "North Korea") in relations_of(
        "The military said Seoul retaliated to Pyongyang’s latest barrage of weapons tests.")


def test_a_ruling_a_business_rivalry_and_a_weapons_origin_are_no_attacks() -> None:
    assert relations_of("The Supreme Court struck down President Joe Biden’s plan to forgive student debt.") == []
    assert relations_of("Amazon and Microsoft wage war over a contract with the Pentagon.") == []
    assert not any(source == "Russia" for source, *_ in relations_of(
        "Poland said a Russian-made missile landed in its territory, killing two Polish citizens."))


def test_rockets_fired_are_an_attack_and_sanctions_asked_for_are_none() -> None:
    assert relations_of("Hamas militants fired long range rockets at Jerusalem in response to Israeli police "
                        "tactics.") == [("Hamas", "militants", "attack", "Israel")]
    assert relations_of("The Ukrainian president asked for more U.S. sanctions against the Kremlin.") == []


def test_a_warning_received_from_someone_is_their_threat_to_the_receiver() -> None:
    assert relations_of("Musk has received a warning from EU Commissioner Thierry Breton that Twitter must comply.") \
        == [("European Union", None, "threaten", "Elon Musk")]
    assert relations_of("Ukraine received weapons from Poland.") == [("Poland", None, "aid", "Ukraine")]
