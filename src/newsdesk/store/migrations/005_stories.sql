-- 005: near-duplicate copies and stories (ingest/dedupe.py, ingest/stories.py, ingest/organize.py).
-- An article without a signature has not been organised yet: ingest and first use catch up (one-time backfill).
CREATE TABLE signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    minhash    BLOB NOT NULL
) WITHOUT ROWID;

-- A near-duplicate (syndicated copy) and the first article of its copy group; it is kept and citable.
CREATE TABLE copies (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    original_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    similarity  REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX copies_original ON copies(original_id);

-- Reports of one event, grown one article at a time. `centroid` is the float32 sum of the members'
-- lead vectors (updated in place); the counters are JSON objects {value: articles}.
CREATE TABLE stories (
    id              INTEGER PRIMARY KEY,
    label           TEXT NOT NULL,
    label_article   TEXT NOT NULL,
    first_published TEXT,
    last_published  TEXT,
    size            INTEGER NOT NULL,
    centroid        BLOB,
    names           TEXT NOT NULL DEFAULT '{}',
    actors          TEXT NOT NULL DEFAULT '{}',
    outlets         TEXT NOT NULL DEFAULT '{}',
    languages       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX stories_first ON stories(first_published);

CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    similarity REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX story_members_story ON story_members(story_id);
