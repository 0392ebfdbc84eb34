"""Bring a stored index up to date with the code: the writer's job (at ingest, or `newsdesk migrate`).

Two things fall behind when the code changes or a run is cut short: the results of an analysis step
made by an older version of its rules (the version is in the store's meta), and copies and stories of
articles not organised yet. Questions never do this work; they answer from what is stored and say
what is pending (`pending_work`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsdesk.analyze.steps import DEFAULT_STEPS, STEPS, AnalysisStep
from newsdesk.ingest.organize import refresh_stories
from newsdesk.model import AnalyzedArticle
from newsdesk.store.base import Store

ProgressHook = Callable[[str, int, int], None]  # (what: a step's name or "stories", articles done, articles to do)
CHUNK = 64  # articles re-extracted per transaction
NOT_RUN = ""  # recorded as the version of a step left out of an ingest: its results are missing, not current
MIGRATE_HINT = "run `newsdesk migrate` to bring it up to date"


@dataclass
class MigrationReport:
    redone: dict[str, int] = field(default_factory=dict)  # step name -> articles re-extracted
    organized: int = 0  # articles given their copies and stories


def stale_steps(store: Store, steps: Sequence[AnalysisStep] = DEFAULT_STEPS) -> list[AnalysisStep]:
    """The steps whose stored results were made by another version (an index never written to has none)."""
    return [step for step in steps if store.get_meta(step.meta_key) not in (step.version, None)]


def reextract_stale(store: Store, steps: Sequence[AnalysisStep] = DEFAULT_STEPS,
                    on_progress: ProgressHook | None = None) -> dict[str, int]:
    """Re-extract every stale step from the stored articles and sentences; returns articles redone per step."""
    redone: dict[str, int] = {}
    for step in stale_steps(store, steps):
        ids = store.article_ids()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            articles = store.articles(chunk)
            items = [AnalyzedArticle(articles[aid], store.sentences(aid), [], None) for aid in chunk if aid in articles]
            step.annotate(items)
            step.replace(store, items)
            if on_progress is not None:
                on_progress(step.name, start + len(chunk), len(ids))
        store.set_meta(step.meta_key, step.version)  # only once every article is redone: a cut run starts over
        redone[step.name] = len(ids)
    return redone


def bring_up_to_date(store: Store, steps: Sequence[AnalysisStep] = DEFAULT_STEPS,
                     on_progress: ProgressHook | None = None) -> MigrationReport:
    """Re-extract stale steps, then organise the articles not organised yet (stories use the mentions)."""
    redone = reextract_stale(store, steps, on_progress)
    organized = refresh_stories(store, None if on_progress is None else
                                lambda done, todo: on_progress("stories", done, todo))
    return MigrationReport(redone, organized)


def mark_steps_not_run(store: Store, steps: Sequence[AnalysisStep]) -> None:
    """After an ingest that left steps out, record that their results are missing (not current)."""
    for step in STEPS.values():
        if step not in steps:
            store.set_meta(step.meta_key, NOT_RUN)


def pending_work(store: Any, steps: Sequence[AnalysisStep] = DEFAULT_STEPS) -> list[str]:
    """What a reader finds out of date, one sentence each, without writing anything; empty when current."""
    notes = [f"The stored {step.name} were made by another version of newsdesk; answers use them as they are: "
             f"{MIGRATE_HINT}." for step in stale_steps(store, steps)]
    unorganized = store.unorganized_count()
    if unorganized:
        notes.append(f"{unorganized} article(s) are not yet grouped into copies and stories; {MIGRATE_HINT}.")
    return notes
