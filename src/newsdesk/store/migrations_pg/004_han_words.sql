-- 004 (PostgreSQL): Chinese text in the full-text index is cut into words (analyze/searchtext.py).
-- The default parser takes a run of Han characters as one token, so a query never matched part of it.
-- The data step that rebuilds the tsvector of passages of existing articles with Chinese text is code
-- (store/postgres.py: _refill_han_tsv), run in this migration's transaction; it records the
-- segmentation in meta.fts_text, as SQLite's 004 does.
INSERT INTO meta (key, value) VALUES ('fts_text', 'pending')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
