"""Actors: names, acronyms, demonyms, institutions and references resolved to one actor each (real spaCy model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.analyze.actor_table import load_actor_table
from newsdesk.analyze.nlp import ModelError, check_meta, english
from newsdesk.analyze.relations import annotate
from newsdesk.analyze.sentences import split_sentences
from newsdesk.ingest.normalize import normalize
from newsdesk.ingest.readers import read_document
from newsdesk.model import AnalyzedArticle, Article, Mention


def analyzed(text: str, article_id: str = "t") -> AnalyzedArticle:
    article = Article(article_id, text, text.split("\n", 1)[0], language="en")
    item = AnalyzedArticle(article, split_sentences(article_id, text, "en"), [], None)
    annotate([item])
    return item


def read_folder(folder: Path) -> list[AnalyzedArticle]:
    items = []
    for path in sorted(folder.iterdir()):
        for doc in read_document(str(path), path.read_bytes()):
            article = normalize(doc)
            items.append(AnalyzedArticle(article, split_sentences(article.id, article.text, article.language), [],
                                         None))
    annotate(items)
    return items


@pytest.fixture(scope="module")
def quetta(quetta_dir: Path) -> list[AnalyzedArticle]:
    return read_folder(quetta_dir)


@pytest.fixture(scope="module")
def examples(examples_dir: Path) -> list[AnalyzedArticle]:
    return read_folder(examples_dir)


def mentions_of(items: list[AnalyzedArticle], actor: str) -> list[Mention]:
    return [m for item in items for m in item.mentions if m.actor == actor]


def test_every_name_of_the_islamic_state_is_one_actor(quetta: list[AnalyzedArticle]) -> None:
    written = {m.text for m in mentions_of(quetta, "Islamic State")}
    assert {"Islamic State", "IS"} <= written
    assert any(m.how == "reference" and "group" in m.text for m in mentions_of(quetta, "Islamic State")), \
        "'the group's ... faction' refers back to the Islamic State"
    table = load_actor_table()
    assert table.canonical("ISIS") == table.canonical("Daesh") == table.canonical("ISIL") == "Islamic State"


def test_affiliates_are_parts_of_the_islamic_state(quetta: list[AnalyzedArticle]) -> None:
    family = load_actor_table().family("ISIS")
    assert {"Amaq", "Islamic State Khorasan Province"} <= family
    assert mentions_of(quetta, "Amaq"), "the Amaq agency is found"
    assert any("Khorasan Province" in m.text for m in mentions_of(quetta, "Islamic State Khorasan Province"))


def test_demonyms_and_institutions_stand_for_the_state(quetta: list[AnalyzedArticle]) -> None:
    parts = {m.part for m in mentions_of(quetta, "Pakistan") if m.part}
    assert {"authorities", "troops"} <= parts
    assert any("paramilitary forces" in p for p in parts), parts
    assert all(m.kind == "state" for m in mentions_of(quetta, "Pakistan"))


def test_a_demonym_before_militants_names_a_group_not_the_state(quetta: list[AnalyzedArticle]) -> None:
    groups = mentions_of(quetta, "Afghan militants")
    assert groups and all(m.kind == "armed_group" for m in groups)
    assert not any(m.text.startswith("Afghan militants") for m in mentions_of(quetta, "Afghanistan"))


def test_titled_officials_speak_for_what_they_serve(quetta: list[AnalyzedArticle]) -> None:
    by_text = {m.text: m for item in quetta for m in item.mentions}
    assert by_text["Nawaz Sharif"].actor == "Pakistan"
    assert by_text["Nawaz Sharif"].part == "Prime Minister Nawaz Sharif"
    assert by_text["John Kirby"].actor == "US State Department"
    assert "United States" in load_actor_table().family("U.S.")


def test_parenthetical_acronym_and_references_name_the_union_and_the_company(
        examples: list[AnalyzedArticle]) -> None:
    union = "Chemical and Port Workers' Union"
    written = {m.text for m in mentions_of(examples, union)}
    assert {"CPWU", union} <= written
    assert any(m.how == "reference" and m.text.lower().startswith("the union") for m in mentions_of(examples, union))
    company = mentions_of(examples, "Halvard Chemicals")
    assert any(m.how == "reference" and "company" in m.text for m in company)
    assert any(m.text == "Halvard" for m in company), "the short form names the company too"


def test_a_surname_alone_is_the_person_named_in_full_before(examples: list[AnalyzedArticle]) -> None:
    amsel = mentions_of(examples, "Ruth Amsel")
    assert amsel and {m.kind for m in amsel} == {"person"}
    assert any(m.text.lower() == "the governor" for m in amsel), "'the governor' is the titled person"


def test_an_organisations_spokesperson_speaks_for_it() -> None:
    item = analyzed("Harbour Logistics said the strike was illegal. Harbour Logistics spokesman Tom Reyes said "
                    "the Dockworkers Union had broken the agreement.")
    reyes = next(m for m in item.mentions if m.text == "Tom Reyes")
    assert reyes.actor == "Harbour Logistics" and reyes.part == "spokesman Tom Reyes"


def test_ordinary_words_are_not_acronyms() -> None:
    hits = load_actor_table().scan("This is what it means to us. The US and IS are named here.")
    assert [h.actor for h in hits] == ["United States", "Islamic State"]


def test_user_alias_file_adds_an_actor_with_its_kind_and_affiliation(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("# my actors\nNorthern Front\tNF\tkind=armed_group\tpart_of=Islamic State\n",
                       encoding="utf-8")
    table = load_actor_table(str(aliases))
    assert table.get("NF").kind == "armed_group"
    assert "Northern Front" in table.family("ISIS")
    assert table.get("Pakistan").kind == "state", "the bundled tables are still there"


def test_question_aliases_ignore_the_attribute_cells(tmp_path: Path) -> None:
    from newsdesk.analyze.aliases import load_aliases

    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("Northern Front\tNF\tkind=armed_group\n", encoding="utf-8")
    assert load_aliases(str(aliases)).names_for("NF") == ("NF", "Northern Front")


def test_the_model_is_the_pinned_one_and_a_different_one_is_refused() -> None:
    nlp = english()
    assert nlp.meta["version"] == "3.8.0"
    assert {"tagger", "parser", "ner"} <= set(nlp.pipe_names)
    good = dict(nlp.meta)
    check_meta(good)
    with pytest.raises(ModelError, match="expected en_core_web_sm 3.8.0"):
        check_meta({**good, "version": "999.9.9"})
    with pytest.raises(ModelError, match="expected en_core_web_sm"):
        check_meta({**good, "name": "core_news_md", "lang": "de"})
    with pytest.raises(ModelError, match="lacks"):
        check_meta({**good, "pipeline": ["tok2vec", "tagger"]})


def test_other_languages_get_no_actors() -> None:
    article = Article("de", "Die Polizei hat die Gruppe angegriffen.", "Titel", language="de")
    item = AnalyzedArticle(article, split_sentences("de", article.text, "de"), [], None)
    annotate([item])
    assert item.mentions == [] and item.relations == []
