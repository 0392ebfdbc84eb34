"""English claim words are data in the format of the other languages' lexicon."""

from newsdesk.analyze.claims import extract_claims
from newsdesk.analyze.claims.lexicon import english, lexicon
from newsdesk.model import Article, Sentence


def test_english_counts_map_attributes_to_predicates_as_the_other_languages_do() -> None:
    assert set(english()["counts"]["after"]) >= {"killed", "injured", "missing"}
    assert set(lexicon()["de"]["counts"]["after"]) >= {"killed", "injured", "missing"}
    assert "en" not in lexicon()  # English is not one of the small extractor's languages


def test_an_english_predicate_from_the_lexicon_makes_a_count() -> None:
    text = "At least 61 people were killed in the attack, officials said."
    article = Article(id="a", title="t", text=text, language="en")
    claims = extract_claims(article, [Sentence("a", 0, 0, len(text), text)])
    assert [(c.attribute, c.value, c.qualifier) for c in claims] == [("killed", "61", "lower")]
