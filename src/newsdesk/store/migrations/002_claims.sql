-- 002: claims (counts, responsibility, when) found in sentences at ingest; see analyze/claims.py.
-- The quoted sentence is articles.text[start:end]; the value as written is text[value_start:value_end].
CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_idx   INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    attribute      TEXT NOT NULL,
    value          TEXT NOT NULL,
    qualifier      TEXT NOT NULL,
    low            REAL,
    high           REAL,
    value_start    INTEGER NOT NULL,
    value_end      INTEGER NOT NULL,
    polarity       TEXT NOT NULL,
    speaker        TEXT,
    detail         TEXT,
    grp            TEXT,
    anchor         TEXT,
    earlier        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX claims_article ON claims(article_id);
CREATE INDEX claims_attribute ON claims(attribute);
-- An index built before claims existed has articles without them: mark it for re-extraction.
INSERT INTO meta (key, value) SELECT 'claims_version', '0' WHERE EXISTS (SELECT 1 FROM articles);
