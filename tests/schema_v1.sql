-- The corpus schema as quotetrail shipped it at version 1 (PRAGMA user_version = 1): the
-- oldest database an upgrade starts from (tests/test_schema.py).
CREATE TABLE articles (
        id INTEGER PRIMARY KEY,          -- ingest order
        key TEXT NOT NULL UNIQUE,        -- url:<canonical URL> or sha256:<text digest>
        url TEXT,
        title TEXT,
        outlet TEXT,                     -- meta sitename, else the URL's host
        outlet_key TEXT,
        published TEXT,                  -- ISO 8601 from meta date; NULL when unknown
        source TEXT,                     -- the input it was read from
        ingested_at TEXT NOT NULL,
        meta TEXT NOT NULL,              -- JSON: the article's meta as extracted
        text TEXT NOT NULL               -- raw text: every span below points into it
    );
CREATE INDEX articles_outlet ON articles(outlet_key);
CREATE INDEX articles_published ON articles(published);
CREATE TABLE sources (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        roles TEXT NOT NULL              -- JSON list: origin | relay | listed
    );
CREATE INDEX sources_article ON sources(article_id);
CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,        -- identity key from speakers.py
        name TEXT NOT NULL               -- display name
    );
CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,          -- folded spelling, for lookups by name
        type TEXT,                       -- PERSON | ORG | PLACE | NORP; NULL for a speaker the NER missed
        is_media INTEGER NOT NULL,
        aliases TEXT NOT NULL,           -- JSON list
        titles TEXT NOT NULL,            -- JSON list
        speaker_id INTEGER REFERENCES speakers(id)
    );
CREATE INDEX entities_article ON entities(article_id);
CREATE INDEX entities_speaker ON entities(speaker_id);
CREATE INDEX entities_name ON entities(name_key);
CREATE TABLE quotations (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        entity_id INTEGER REFERENCES entities(id),   -- the speaker as this article names it
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        confidence REAL NOT NULL,
        mention TEXT, mention_start INTEGER, mention_end INTEGER, resolved_by TEXT,
        cue TEXT, cue_lemma TEXT, cue_start INTEGER, cue_end INTEGER,
        cluster_id INTEGER               -- smallest quotation id of its near-duplicate cluster
    );
CREATE INDEX quotations_article ON quotations(article_id);
CREATE INDEX quotations_entity ON quotations(entity_id);
CREATE INDEX quotations_cluster ON quotations(cluster_id);
CREATE TABLE relays (
        quote_id INTEGER NOT NULL REFERENCES quotations(id),
        outlet TEXT NOT NULL,
        outlet_key TEXT NOT NULL,
        PRIMARY KEY (quote_id, outlet_key)
    ) WITHOUT ROWID;
CREATE INDEX relays_outlet ON relays(outlet_key);
CREATE VIRTUAL TABLE quotation_fts USING fts5(
        text, content='quotations', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER quotations_fts AFTER INSERT ON quotations BEGIN
        INSERT INTO quotation_fts(rowid, text) VALUES (new.id, new.text);
    END;
CREATE VIRTUAL TABLE quotation_terms USING fts5vocab(quotation_fts, 'row');
CREATE TABLE speaker_merges (
        id INTEGER PRIMARY KEY,          -- replay order
        name_key TEXT NOT NULL,
        into_key TEXT NOT NULL
    );
CREATE TABLE speaker_splits (name_key TEXT PRIMARY KEY);
CREATE TABLE stale (what TEXT PRIMARY KEY);
