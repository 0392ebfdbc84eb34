"""Analysing articles in one batch stores exactly what analysing them one by one would.

Ingest parses a chunk's candidate sentences in one spaCy `pipe` call and, with workers, chunks
differ from run to run of the setting; the stored claims, mentions and relations must not depend
on which articles shared a batch. Pinned on real RealTime QA articles, not made-up sentences.
"""

from __future__ import annotations

from itertools import islice

from newsdesk.analyze.passages import make_passages
from newsdesk.analyze.sentences import split_sentences
from newsdesk.analyze.steps import DEFAULT_STEPS, run_steps
from newsdesk.eval.realtimeqa import iter_raw_articles
from newsdesk.ingest.normalize import normalize
from newsdesk.model import AnalyzedArticle
from tests.conftest import shared_path

ARTICLES = 40


def _fresh(articles: list) -> list[AnalyzedArticle]:
    out = []
    for article in articles:
        sentences = split_sentences(article.id, article.text, article.language)
        out.append(AnalyzedArticle(article, sentences, make_passages(article.id, article.text, sentences), None))
    return out


def test_a_batch_of_real_articles_gets_the_analysis_each_gets_alone() -> None:
    docs = islice(iter_raw_articles(shared_path("data", "realtimeqa-dev"), ["20220617"]), ARTICLES)
    articles = list({a.id: a for a in (normalize(d) for d in docs)}.values())
    batched = _fresh(articles)
    run_steps(batched, DEFAULT_STEPS)
    alone = _fresh(articles)
    for item in alone:
        run_steps([item], DEFAULT_STEPS)
    assert sum(len(item.relations) for item in batched) > 0  # the comparison covers relations, not only empties
    assert sum(len(item.mentions) for item in batched) > 0
    for one, other in zip(batched, alone, strict=True):
        assert one.claims == other.claims, one.article.id
        assert one.mentions == other.mentions, one.article.id
        assert one.relations == other.relations, one.article.id


def test_the_parser_multiplies_with_numpy_in_every_layer() -> None:
    # blis gave the same parse for about 1.5 times the CPU (analyze/nlp.py); a layer left on it
    # would quietly cost that again.
    from newsdesk.analyze.nlp import english

    layers = [node for _, component in english().pipeline if hasattr(component, "model")
              for node in component.model.walk()]
    assert layers
    assert all(getattr(node.ops, "use_blis", None) is False for node in layers)
