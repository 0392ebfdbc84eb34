"""Relations: who did or said what to whom, with whose account it is (real parser, real articles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.analyze.lexicon import is_candidate
from newsdesk.analyze.relations import annotate
from newsdesk.model import AnalyzedArticle, Relation
from tests.test_actors import analyzed, read_folder


@pytest.fixture(scope="module")
def quetta(quetta_dir: Path) -> list[Relation]:
    return [r for item in read_folder(quetta_dir) for r in item.relations]


@pytest.fixture(scope="module")
def examples(examples_dir: Path) -> list[Relation]:
    return [r for item in read_folder(examples_dir) for r in item.relations]


def find(relations: list[Relation], source: str, action: str, target: str) -> list[Relation]:
    return [r for r in relations if (r.source, r.action, r.target) == (source, action, target)]


def relations_of(text: str) -> list[Relation]:
    return analyzed(text).relations


# --- the running example ------------------------------------------------------------------------------------


def test_islamic_state_claimed_the_quetta_attack_and_the_august_attack_on_lawyers(quetta: list[Relation]) -> None:
    claims = find(quetta, "Islamic State", "claim_responsibility", "Pakistan")
    assert {r.anchor for r in claims} == {None, "august"}, "the main attack and the August attack are two events"
    assert all(r.polarity <= -0.6 and not r.speaker for r in claims), "hostile, and reported as fact"
    assert {r.article_id for r in claims if r.anchor is None} == {r.article_id for r in quetta}, "both reports"
    august = next(r for r in claims if r.anchor == "august")
    assert august.target_part == "lawyers"
    assert {r.target_part for r in claims if r.anchor is None} <= {"police school", "police training center"}


def test_lashkar_e_jhangvi_is_linked_to_the_attack_only_as_the_officials_account(quetta: list[Relation]) -> None:
    linked = [r for r in find(quetta, "Lashkar-e-Jhangvi", "attack", "Pakistan") if r.anchor is None]
    assert len({r.article_id for r in linked}) == 2
    assert all(r.speaker == "Pakistan" for r in linked), "the officials' attribution, not a fact"
    assert {r.speaker_text for r in linked} == {"The military", "a senior security official"}
    accusations = find(quetta, "Pakistan", "accuse", "Lashkar-e-Jhangvi")
    assert accusations and all(r.speaker is None and r.mode == "statement" for r in accusations)


def test_pakistani_authorities_blaming_afghan_militants_is_pakistan_accusing(quetta: list[Relation]) -> None:
    blame = find(quetta, "Pakistan", "accuse", "Afghan militants")
    assert blame and blame[0].source_part == "authorities"
    assert not find(quetta, "Afghan militants", "accuse", "Pakistan"), "not the reverse"
    attributed = find(quetta, "Afghan militants", "attack", "Pakistan")
    assert attributed and all(r.speaker == "Pakistan" for r in attributed)


def test_a_past_attack_keeps_its_own_time(quetta: list[Relation]) -> None:
    taliban = find(quetta, "Taliban", "attack", "Pakistan")
    assert [r.anchor for r in taliban] == ["september 2015"]


def test_no_group_claiming_is_no_claim() -> None:
    rels = relations_of("Gunmen stormed a police academy in Quetta, Pakistan. No group has claimed responsibility "
                        "for the assault.")
    assert not [r for r in rels if r.action == "claim_responsibility"]


def test_relations_quote_their_sentence_and_trigger(quetta_dir: Path) -> None:
    for item in read_folder(quetta_dir):
        text = item.article.text
        for r in item.relations:
            sentence = item.sentences[r.sentence_index]
            assert (sentence.start, sentence.end) == (r.start, r.end)
            assert r.start <= r.trigger_start < r.trigger_end <= r.end
            assert text[r.trigger_start : r.trigger_end].strip()


# --- friendly relations, two phrasings each -------------------------------------------------------------------

FRIENDLY_A = """Kenya and Ethiopia pledge closer ties

Kenyan President William Ruto praised Ethiopia on Monday for its role in regional peace talks.
Ethiopia has also backed Kenya's bid to host the regional trade secretariat.
Kenya signed a defence cooperation agreement with Ethiopia in Nairobi.
Kenyan officials met with Ethiopian diplomats in Nairobi on Tuesday."""

FRIENDLY_B = """Sweden stands by Norway after floods

Norway was praised by Sweden for its flood relief effort.
Sweden expressed strong support for Norway during the crisis.
Sweden will cooperate with Norway on rebuilding the damaged railway.
Swedish ministers held a meeting with their Norwegian counterparts in Oslo."""


@pytest.mark.parametrize(("text", "a", "b"), [(FRIENDLY_A, "Kenya", "Ethiopia"), (FRIENDLY_B, "Sweden", "Norway")])
def test_praise_support_cooperation_and_meetings_are_friendly(text: str, a: str, b: str) -> None:
    rels = relations_of(text)
    got = {(r.source, r.action, r.target) for r in rels}
    assert (a, "praise", b) in got
    assert {(a, "support", b), (b, "support", a)} & got
    assert (a, "cooperate", b) in got
    assert (a, "meet", b) in got
    assert all(r.polarity > 0 for r in rels)


def test_aid_is_a_friendly_act() -> None:
    rels = relations_of("Japan sends relief\n\nJapan provided humanitarian assistance to the Philippines after "
                        "the typhoon.")
    assert [(r.source, r.action, r.target, r.mode) for r in rels] == [("Japan", "aid", "Philippines", "action")]


# --- denials and statements, two phrasings each ---------------------------------------------------------------


def test_denials_answer_the_accuser() -> None:
    first = relations_of("Russia rejected the accusations by Ukraine as baseless.")
    assert [(r.source, r.action, r.target) for r in first] == [("Russia", "deny", "Ukraine")]
    second = relations_of("Ukraine says Russian forces shelled the town of Kupiansk, which Moscow denies.")
    assert find(second, "Russia", "deny", "Ukraine")
    shelled = find(second, "Russia", "attack", "Ukraine")
    assert shelled and shelled[0].speaker == "Ukraine", "the shelling is Ukraine's account"


def test_someone_elses_account_is_attributed_and_is_an_accusation() -> None:
    for text, said_by in [
        ("Officials in Nairobi said al-Shabaab fighters attacked a police convoy near the border.", "Officials"),
        ("According to Kenyan police, al-Shabaab ambushed a bus in Lamu county.", "Kenyan police"),
    ]:
        rels = relations_of(text)
        attack = find(rels, "al-Shabaab", "attack", "Kenya")
        assert attack and attack[0].speaker == "Kenya" and said_by in (attack[0].speaker_text or ""), text
        assert find(rels, "Kenya", "accuse", "al-Shabaab"), text


def test_an_actors_own_words_are_not_attributed_to_others() -> None:
    rels = relations_of("Al-Shabaab said its fighters attacked a Kenyan army base.")
    attack = find(rels, "al-Shabaab", "attack", "Kenya")
    assert attack and attack[0].speaker is None
    assert not find(rels, "al-Shabaab", "accuse", "al-Shabaab")


def test_statements_of_condemnation_criticism_and_threat() -> None:
    rels = relations_of("Iran's foreign minister condemned the Israeli strikes. Germany criticized Hungary over "
                        "its stance on migration. North Korea threatened South Korea with retaliation.")
    got = {(r.source, r.action, r.target, r.mode) for r in rels}
    assert {("Iran", "condemn", "Israel", "statement"), ("Germany", "criticize", "Hungary", "statement"),
            ("North Korea", "threaten", "South Korea", "statement")} <= got


def test_a_negated_act_is_kept_but_marked() -> None:
    rels = relations_of("Ethiopia did not attack Eritrea, Ethiopian officials said.")
    assert [(r.source, r.target, r.negated) for r in rels if r.action == "attack"] == [("Ethiopia", "Eritrea", True)]


# --- the fictional examples -----------------------------------------------------------------------------------

UNION = "Chemical and Port Workers' Union"


def test_union_accuses_and_makes_demands_of_the_company(examples: list[Relation]) -> None:
    assert find(examples, UNION, "accuse", "Halvard Chemicals")
    assert find(examples, UNION, "demand", "Halvard Chemicals")


def test_company_denies_the_unions_account_in_two_reports(examples: list[Relation]) -> None:
    denials = find(examples, "Halvard Chemicals", "deny", UNION)
    assert len({r.article_id for r in denials}) == 2


def test_governor_demands_the_records_and_praises_the_firefighters(examples: list[Relation]) -> None:
    assert find(examples, "Ruth Amsel", "demand", "Halvard Chemicals")
    praise = find(examples, "Ruth Amsel", "praise", "firefighters")
    assert praise and praise[0].polarity > 0 and praise[0].mode == "statement"


def test_unrelated_articles_have_no_relations(examples_dir: Path) -> None:
    items = read_folder(examples_dir)
    honey = next(i for i in items if "honey" in i.article.title.lower())
    railway = next(i for i in items if "Tarrow" in i.article.title)
    assert honey.relations == [] and railway.relations == []


# --- cost ---------------------------------------------------------------------------------------------------


def test_only_sentences_with_a_relation_word_are_candidates_for_parsing() -> None:
    assert is_candidate("Pakistani authorities have blamed Afghan militants for attacks.")
    assert is_candidate("The CPWU called for an independent inquiry.")
    assert not is_candidate("The fire was still burning on Tuesday evening.")
    assert not is_candidate("In order to come back, he called his bank from the press room.")


def test_annotating_a_batch_fills_every_article() -> None:
    items = [analyzed("Kenya praised Ethiopia.", "a"), analyzed("Nothing happened today.", "b")]
    fresh = [AnalyzedArticle(i.article, i.sentences, [], None) for i in items]
    annotate(fresh)
    assert [len(i.relations) for i in fresh] == [1, 0]
    assert fresh[0].relations == items[0].relations, "a batch gives the same result as one by one"
