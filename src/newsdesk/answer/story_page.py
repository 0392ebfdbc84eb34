"""One story as a page: its articles in time order, the facts its sources dispute, and its actors' relations.

Built from what ingest stored (stories, claims, relations); nothing is recomputed but the disputes
among the story's own articles, so the page reads what each outlet reported and when.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.answer.disputes import Disputes, collection_disputes
from newsdesk.answer.stance import relations_report
from newsdesk.model import RelationEvent, Source, Story
from newsdesk.store.base import Store

MAX_ACTORS = 6


@dataclass
class StoryActor:
    """An actor of the story and the events the story's articles report about it (who said so is the citation)."""

    actor: str
    events: list[RelationEvent]


@dataclass
class StoryPage:
    """GET /api/stories/{id}: `articles` in time order (n is its position), `disputes` among them, `actors`."""

    story: Story
    articles: list[Source]
    disputes: Disputes
    actors: list[StoryActor]


def story_page(store: Store, story_id: int) -> StoryPage | None:
    """The page of story `story_id`, or None when there is no such story."""
    found = store.stories([story_id])
    if not found:
        return None
    story = found[0]
    members = store.articles(story.article_ids)
    ordered = sorted(members.values(), key=lambda a: (a.published or "9999", a.outlet or "", a.title))
    articles = [Source(n, a.id, a.title, a.outlet, a.published, a.url, a.path, a.language)
                for n, a in enumerate(ordered, start=1)]
    inside = set(story.article_ids)
    actors: list[StoryActor] = []
    for name in story.actors[:MAX_ACTORS]:
        events = [e for e in relations_report(store, [name]).events
                  if any(c.article_id in inside for c in e.citations)]
        actors.append(StoryActor(name, events))
    return StoryPage(story, articles, collection_disputes(store, story.article_ids), actors)
