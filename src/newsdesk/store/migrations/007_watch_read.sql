-- 007: what the reader has seen of each watch's change records (the page's "Watching" view, api/routes/watches.py).
-- Change ids grow in the order recorded, so "read" is one number per watch: every change of the watch
-- with an id at or below `read_through` has been read; the unread are those above it.
ALTER TABLE watches ADD COLUMN read_through INTEGER NOT NULL DEFAULT 0;
