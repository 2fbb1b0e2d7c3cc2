"""The corpus database: tables, schema version and migrations, and opening it.

The schema version lives in PRAGMA user_version. MIGRATIONS[i] takes a
database from version i to i + 1; a new version appends a migration and never
edits a shipped one.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

V1 = (
    """CREATE TABLE articles (
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
    )""",
    "CREATE INDEX articles_outlet ON articles(outlet_key)",
    "CREATE INDEX articles_published ON articles(published)",
    """CREATE TABLE sources (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        roles TEXT NOT NULL              -- JSON list: origin | relay | listed
    )""",
    "CREATE INDEX sources_article ON sources(article_id)",
    """CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,        -- identity key from speakers.py
        name TEXT NOT NULL               -- display name
    )""",
    """CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,          -- folded spelling, for lookups by name
        type TEXT,                       -- PERSON | ORG | PLACE | NORP; NULL for a speaker the NER missed
        is_media INTEGER NOT NULL,
        aliases TEXT NOT NULL,           -- JSON list
        titles TEXT NOT NULL,            -- JSON list
        speaker_id INTEGER REFERENCES speakers(id)
    )""",
    "CREATE INDEX entities_article ON entities(article_id)",
    "CREATE INDEX entities_speaker ON entities(speaker_id)",
    "CREATE INDEX entities_name ON entities(name_key)",
    """CREATE TABLE quotations (
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
    )""",
    "CREATE INDEX quotations_article ON quotations(article_id)",
    "CREATE INDEX quotations_entity ON quotations(entity_id)",
    "CREATE INDEX quotations_cluster ON quotations(cluster_id)",
    """CREATE TABLE relays (
        quote_id INTEGER NOT NULL REFERENCES quotations(id),
        outlet TEXT NOT NULL,
        outlet_key TEXT NOT NULL,
        PRIMARY KEY (quote_id, outlet_key)
    ) WITHOUT ROWID""",
    "CREATE INDEX relays_outlet ON relays(outlet_key)",
    """CREATE VIRTUAL TABLE quotation_fts USING fts5(
        text, content='quotations', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    # Quotations are never edited or deleted, so an insert trigger keeps the index whole.
    """CREATE TRIGGER quotations_fts AFTER INSERT ON quotations BEGIN
        INSERT INTO quotation_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    "CREATE VIRTUAL TABLE quotation_terms USING fts5vocab(quotation_fts, 'row')",
    # Manual speaker decisions, by folded name, so that every rebuild replays them.
    """CREATE TABLE speaker_merges (
        id INTEGER PRIMARY KEY,          -- replay order
        name_key TEXT NOT NULL,
        into_key TEXT NOT NULL
    )""",
    "CREATE TABLE speaker_splits (name_key TEXT PRIMARY KEY)",
    # Derived data (speakers, clusters) that an ingest left to rebuild.
    "CREATE TABLE stale (what TEXT PRIMARY KEY)",
)

# Where the corpus is when --db is not given.
DB_ENV = "QUOTETRAIL_DB"
DEFAULT_DB = "quotetrail.db"

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1,)
VERSION = len(MIGRATIONS)


class CorpusError(Exception):
    """A problem with the corpus database a user can act on; one line, no traceback."""


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: all or nothing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # some errors make SQLite roll back by itself
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect(path: Path, timeout: float, create: bool) -> sqlite3.Connection:
    """An open, migrated corpus database; CorpusError saying why not."""
    if not create and not path.exists():
        raise CorpusError(f"no corpus database at {path} (create one with 'quotetrail ingest')")
    # Autocommit mode: every transaction is explicit (see transaction()).
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > VERSION:
            raise CorpusError(f"{path} was written by a newer quotetrail (schema v{version}; "
                              f"this one reads up to v{VERSION})")
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
            raise CorpusError(f"{path} is an SQLite database but not a quotetrail corpus")
        # WAL: searches keep reading while an ingest writes.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < VERSION:
            _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        # Read again under the write lock: another process may have migrated meanwhile.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {VERSION}")
