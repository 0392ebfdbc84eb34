"""The analysis steps run on every article after sentences and passages, chosen by name in the configuration.

A step fills its own fields of `AnalyzedArticle`s (the store writes them with the article in `add_batch`)
and can swap its stored results for new ones (re-extraction after its version changed, ingest/migrate.py).
Its version is recorded in the store's meta under `meta_key`, so an index made by older rules is found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from newsdesk.analyze.claims import CLAIMS_VERSION, extract_claims
from newsdesk.analyze.relations import RELATIONS_VERSION
from newsdesk.analyze.relations import annotate as annotate_actors
from newsdesk.model import AnalyzedArticle, Claim, Mention, Relation


class AnalysisWriter(Protocol):
    """What re-extraction needs of a store: swapping one step's results for some articles in a transaction."""

    def replace_claims(self, by_article: Mapping[str, Sequence[Claim]]) -> None: ...

    def replace_actor_data(self, by_article: Mapping[str, tuple[Sequence[Mention], Sequence[Relation]]]) -> None: ...


@dataclass(frozen=True)
class AnalysisStep:
    name: str  # as named in the `analysis` setting
    version: str  # bumped when the step's output changes: stored results of another version are re-extracted
    meta_key: str  # the store meta key recording the version the stored results were made by
    annotate: Callable[[Sequence[AnalyzedArticle]], None]  # fills the step's fields of a batch, in place
    replace: Callable[[AnalysisWriter, Sequence[AnalyzedArticle]], None]  # stores them instead of the old ones


def _annotate_claims(items: Sequence[AnalyzedArticle]) -> None:
    for item in items:
        item.claims = extract_claims(item.article, item.sentences)


def _replace_claims(store: AnalysisWriter, items: Sequence[AnalyzedArticle]) -> None:
    store.replace_claims({item.article.id: item.claims for item in items})


def _replace_actors(store: AnalysisWriter, items: Sequence[AnalyzedArticle]) -> None:
    store.replace_actor_data({item.article.id: (item.mentions, item.relations) for item in items})


CLAIMS = AnalysisStep("claims", CLAIMS_VERSION, "claims_version", _annotate_claims, _replace_claims)
# Mentions and relations come from one parse of the batch (analyze/relations.py), so they are one step.
ACTORS = AnalysisStep("actors", RELATIONS_VERSION, "relations_version", annotate_actors, _replace_actors)

STEPS: dict[str, AnalysisStep] = {step.name: step for step in (CLAIMS, ACTORS)}
DEFAULT_ANALYSIS: tuple[str, ...] = tuple(STEPS)  # every step (config.Config.analysis names the same)


def steps_named(names: Iterable[str]) -> tuple[AnalysisStep, ...]:
    """The steps of the `analysis` setting, in its order; an unknown name is an error, not a silent skip."""
    chosen = []
    for name in names:
        if name not in STEPS:
            raise ValueError(f"unknown analysis step {name!r}; known: {', '.join(STEPS)}")
        if STEPS[name] not in chosen:
            chosen.append(STEPS[name])
    return tuple(chosen)


DEFAULT_STEPS = steps_named(DEFAULT_ANALYSIS)


def run_steps(items: Sequence[AnalyzedArticle], steps: Sequence[AnalysisStep] = DEFAULT_STEPS) -> None:
    """Fill every chosen step's fields of a batch of analysed articles."""
    for step in steps:
        step.annotate(items)
