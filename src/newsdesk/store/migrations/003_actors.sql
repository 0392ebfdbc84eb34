-- 003: actors named in sentences, and relations between them, found at ingest (analyze/actors.py, relations.py).
-- A mention's text is articles.text[start:end]; a relation quotes its sentence, articles.text[start:end].
CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_idx INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    part         TEXT,
    how          TEXT NOT NULL
);
CREATE INDEX mentions_actor ON mentions(actor);
CREATE INDEX mentions_article ON mentions(article_id);

CREATE TABLE relations (
    id            INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_idx  INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    source        TEXT NOT NULL,
    target        TEXT NOT NULL,
    action        TEXT NOT NULL,
    polarity      REAL NOT NULL,
    mode          TEXT NOT NULL,
    source_part   TEXT,
    target_part   TEXT,
    speaker       TEXT,
    speaker_text  TEXT,
    negated       INTEGER NOT NULL DEFAULT 0,
    anchor        TEXT,
    trigger_start INTEGER NOT NULL,
    trigger_end   INTEGER NOT NULL
);
CREATE INDEX relations_source ON relations(source);
CREATE INDEX relations_target ON relations(target);
CREATE INDEX relations_article ON relations(article_id);
-- An index built before relations existed has articles without them: mark it for re-extraction.
INSERT INTO meta (key, value) SELECT 'relations_version', '0' WHERE EXISTS (SELECT 1 FROM articles);
