-- 001: articles, where they were seen, sentences, passages with FTS5 and vectors.
CREATE TABLE articles (
    id        TEXT PRIMARY KEY,
    title     TEXT NOT NULL,
    text      TEXT NOT NULL,
    outlet    TEXT,
    published TEXT,
    language  TEXT,
    author    TEXT,
    url       TEXT,
    path      TEXT,
    metadata  TEXT NOT NULL DEFAULT '{}',
    added_at  TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_language ON articles(language);

-- One row per place an article was seen; '' stands for "none" so UNIQUE works.
CREATE TABLE locations (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url        TEXT NOT NULL DEFAULT '',
    path       TEXT NOT NULL DEFAULT '',
    UNIQUE (article_id, url, path)
);

-- Sentence text is not stored twice: it is articles.text[start:end].
CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE passages (
    id             INTEGER PRIMARY KEY,
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    first_sentence INTEGER NOT NULL,
    last_sentence  INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    UNIQUE (article_id, idx)
);

-- BM25 over passages; the title is a column of its own so it can be weighted.
CREATE VIRTUAL TABLE passage_fts USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Dense vectors beside the text, one per passage, float16, L2-normalised.
CREATE TABLE passage_vectors (
    passage_id INTEGER PRIMARY KEY REFERENCES passages(id) ON DELETE CASCADE,
    vector     BLOB NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
