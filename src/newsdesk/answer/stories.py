"""Stories and copy groups at question time: which stories a brief's sources belong to, and listings.

Copies and stories are made at ingest (ingest.dedupe, ingest.stories); this module only reads them.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence

from newsdesk.model import NO_FILTERS, Article, Brief, Filters, Story, StoryEntry
from newsdesk.store.base import Store, StoryStore


def copy_groups(store: Store, articles: MutableMapping[str, Article]) -> dict[str, str]:
    """Copy -> original for every article of `articles` and every other member of their copy groups.

    Members not in `articles` yet are loaded into it, so a source can list everywhere its text ran.
    """
    ids = list(articles)
    originals = store.copy_originals(ids)
    roots = sorted(set(originals.values()) | set(ids))
    for root, copies in store.copies_of(roots).items():
        for copy in copies:
            originals[copy] = root
    missing = [a for a in [*originals, *originals.values()] if a not in articles]
    if missing:
        articles.update(store.articles(missing))
    return originals


def count_sources(article_ids: Sequence[str], originals: dict[str, str]) -> int:
    """How many independent sources these articles are: copies of one text count once."""
    return len({originals.get(a, a) for a in article_ids})


def story_entry(story: Story, numbers: dict[str, int] | None = None) -> StoryEntry:
    """A story as output: with `numbers` (article id -> source n), the brief's sources in it."""
    cited = sorted({numbers[a] for a in story.article_ids if a in numbers}) if numbers is not None else None
    return StoryEntry(story.id, story.label, story.label_article, story.first_published, story.last_published,
                      story.articles, story.sources, story.outlets, story.languages, story.actors, cited)


def add_stories(brief: Brief, store: StoryStore) -> None:
    """Name the stories the brief's sources (and their copies) belong to, in time order."""
    numbers: dict[str, int] = {}
    for source in brief.sources:
        numbers[source.article_id] = source.n
        for copy in source.copies:
            numbers.setdefault(copy["article_id"], source.n)
    placed = store.story_ids(list(numbers))
    if not placed:
        return
    brief.stories = [story_entry(s, numbers) for s in store.stories(sorted(set(placed.values())))]


def list_stories(store: StoryStore, article_ids: Sequence[str] | None, filters: Filters = NO_FILTERS) -> list[Story]:
    """Stories in time order: all (within `filters`), or those the given articles belong to."""
    if article_ids is None:
        return store.stories(None, filters)
    placed = store.story_ids(article_ids)
    return store.stories(sorted(set(placed.values())), filters)
