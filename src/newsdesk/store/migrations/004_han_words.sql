-- 004: Chinese text in the full-text index is cut into words (analyze/searchtext.py).
-- FTS5's unicode61 takes a run of Han characters as one token, so BM25 never matched part of
-- it. The table keeps its tokenizer; what goes into it changes. The data step that re-fills
-- the rows of existing articles with Chinese text is code (store/sqlite.py: _refill_han_fts),
-- run in this migration's transaction; it also records the segmentation in meta.fts_text.
INSERT INTO meta (key, value) VALUES ('fts_text', 'pending')
    ON CONFLICT(key) DO UPDATE SET value = excluded.value;
