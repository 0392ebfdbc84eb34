-- 007 (PostgreSQL): what the reader has seen of each watch's change records, as migrations/007_watch_read.sql.
ALTER TABLE watches ADD COLUMN read_through BIGINT NOT NULL DEFAULT 0;
