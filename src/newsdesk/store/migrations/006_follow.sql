-- 006: followed feeds and watched questions (follow/, watch/, store/follow_sql.py).
-- A feed's state is saved after each poll, in the transaction that marks its entries seen, so a
-- process killed mid-poll resumes at the last whole poll: no entry is lost and none counted twice.
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,   -- where it is polled (a permanent redirect moves it)
    added_url     TEXT NOT NULL,          -- as added, so `follow remove` finds it by either
    every_seconds INTEGER NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    next_poll     REAL NOT NULL,          -- seconds since the epoch
    last_polled   TEXT,
    last_ok       TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    entries       INTEGER NOT NULL DEFAULT 0,
    added_at      TEXT NOT NULL
);

-- Entries already taken from a feed, by GUID (its id, else its link, else a hash of its text).
CREATE TABLE feed_entries (
    feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid       TEXT NOT NULL,
    link       TEXT,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;

-- Saved questions. `answered_count` is the article count the question was last answered over:
-- a watch is re-answered when the index changed since.
CREATE TABLE watches (
    id             INTEGER PRIMARY KEY,
    question       TEXT NOT NULL,
    webhook        TEXT,
    secret         TEXT NOT NULL,
    created        TEXT NOT NULL,
    answered_count INTEGER NOT NULL DEFAULT -1
);

-- Everything a watch has reported (a key per statement, source, disagreement, stance): never twice.
CREATE TABLE watch_seen (
    watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    PRIMARY KEY (watch_id, key)
) WITHOUT ROWID;

-- Change records (newsdesk.change/1 without its id and time, which are these columns) and their delivery.
CREATE TABLE changes (
    id           INTEGER PRIMARY KEY,
    watch_id     INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    recorded     TEXT NOT NULL,
    body         TEXT NOT NULL,
    delivered    TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL,
    last_error   TEXT
);
CREATE INDEX changes_watch ON changes(watch_id, id);
CREATE INDEX changes_recorded ON changes(recorded);
