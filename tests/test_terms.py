"""Word helpers: the fast path for text without Chinese cuts words as the general one does; stems line up."""

from __future__ import annotations

from newsdesk.analyze.terms import content_terms, stem, stems, tokens, word_stems


def test_text_without_han_is_cut_into_the_same_words_as_with_a_han_word_beside_it() -> None:
    latin = "The U.S. envoy's talks with al-Qaeda's ex-leaders ended; 3,200 residents LEFT."
    assert tokens(latin) == ["the", "u.s", "envoy's", "talks", "with", "al-qaeda's", "ex-leaders", "ended",
                             "3", "200", "residents", "left"]
    assert tokens(latin + " 大坝")[: len(tokens(latin))] == tokens(latin)


def test_word_stems_are_the_stems_of_the_content_words_in_order() -> None:
    text = "Attacks killed dozens; the attackers were killing again after the attack."
    assert word_stems(text) == tuple(stem(w) for w in content_terms(text))
    assert stems(text) == frozenset(word_stems(text))
    # "attacks", "attackers" and "attack" are distinct words with one stem: counted once each (novelty, BM25).
    assert word_stems(text).count("attack") == 3
