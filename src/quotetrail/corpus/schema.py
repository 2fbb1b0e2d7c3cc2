"""The corpus database: its schema as it is now (CURRENT), the upgrades from older
versions (UPGRADES), and the small helpers every module shares. Opening a
database, and upgrading it, is database.py.

The schema version lives in PRAGMA user_version. A new database is made from
CURRENT. UPGRADES[v] takes a database from version v to v + 1; a new version
edits CURRENT and appends an upgrade, never edits a shipped one, and
tests/test_schema.py checks that both make the same database.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import CorpusError

# v6: the publication dates each block of TIMELINE_BLOCK quotation ids spans, so that a
# search reads a word's matches newest first a block at a time and stops at the first block
# too old to matter (search.py), instead of sorting every match or walking the timeline.
TIMELINE_BLOCK = 4096

# v7: the act, addressee, setting and target of each quotation (acts/). An addressee, a
# setting or an act other than a plain statement belongs to a few quotations in ten: partial
# indexes hold only those, so a search for a rare act (or in a corpus stored before v7, where
# none has one) reads an index, not every quotation, and an ingest barely pays for them.
ACT_INDEXED = "q.act <> 'state'"  # a filter's condition must repeat the index's for SQLite to use it
ACTS_INDEXES = (
    "CREATE INDEX quotations_act ON quotations(act) WHERE act <> 'state'",
    "CREATE INDEX quotations_addressee ON quotations(addressee_key) WHERE addressee_key IS NOT NULL",
    "CREATE INDEX quotations_setting ON quotations(setting) WHERE setting IS NOT NULL",
)

# v8: each quotation's place in its lineage (corpus/lineages.py), kept by the writer: the copy
# as the lineage reads it and, where the lineage lists it, its facts; never rebuilt by a reader.
LINEAGE_TABLES = (
    """CREATE TABLE lineage (
        quote_id INTEGER PRIMARY KEY,    -- a quotation (kinds in model.QUOTATIONS)
        lineage_id INTEGER NOT NULL,     -- smallest quotation id of its lineage
        informative INTEGER NOT NULL,    -- enough content words to join a lineage by its words
        copy TEXT NOT NULL,              -- JSON: outlet, date, speaker as written, words, what the article says of their source
        facts TEXT                       -- JSON: position, variant, speaker_differs, parent, chain; NULL: not listed
    )""",
    "CREATE INDEX lineage_group ON lineage(lineage_id)",
    """CREATE TABLE lineages (
        id INTEGER PRIMARY KEY,          -- lineage.lineage_id
        origin TEXT,                     -- JSON: the origin most copies state
        outside TEXT NOT NULL            -- JSON list: outlets named that have no copy in it
    )""",
)

# v10: a speaker's figures over their latest quotations (recent.py), kept beside speakers'
# figures over all of them; a cluster change leaves its speakers in stale_recent, for the next writer.
SPEAKER_RECENT_TABLES = (
    """CREATE TABLE speaker_recent (
        speaker_id INTEGER PRIMARY KEY,
        figures TEXT NOT NULL            -- JSON: recent.Recent
    )""",
    "CREATE TABLE stale_recent (speaker_id INTEGER PRIMARY KEY)",
)

CURRENT = (
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
    "CREATE INDEX articles_published ON articles(published)",
    # A search by outlet walks the outlet's articles newest first.
    "CREATE INDEX articles_outlet ON articles(outlet_key, published)",
    # What a search reads of the article of each quotation it weighs, without the article's
    # row, which holds its text: a page or more each, so a cold read every time.
    "CREATE INDEX articles_dates ON articles(id, published, outlet_key)",
    """CREATE TABLE sources (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        roles TEXT NOT NULL              -- JSON list: origin | relay | listed
    )""",
    "CREATE INDEX sources_article ON sources(article_id)",
    """CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,        -- identity key from speakers.py
        name TEXT NOT NULL,              -- display name
        quotes INTEGER NOT NULL DEFAULT 0,
        written TEXT NOT NULL DEFAULT '[]',  -- JSON list: the names articles wrote
        family TEXT,                     -- the surname (or group name) it was resolved within
        first_seen TEXT,                 -- publication dates, kept by speaker resolution
        last_seen TEXT
    )""",
    "CREATE INDEX speakers_family ON speakers(family)",
    """CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,          -- folded spelling, for lookups by name
        type TEXT,                       -- PERSON | ORG | PLACE | NORP; NULL for a speaker the NER missed
        is_media INTEGER NOT NULL,
        aliases TEXT NOT NULL,           -- JSON list
        titles TEXT NOT NULL,            -- JSON list
        speaker_id INTEGER REFERENCES speakers(id),
        family TEXT                      -- the surname (or group name) a speaker mention is resolved within
    )""",
    "CREATE INDEX entities_article ON entities(article_id)",
    "CREATE INDEX entities_speaker ON entities(speaker_id)",
    # The speakers a written name means, from the index alone (a surname is written thousands of times).
    "CREATE INDEX entities_name ON entities(name_key, speaker_id)",
    "CREATE INDEX entities_family ON entities(family, speaker_id)",
    # No commas in its columns' comments: SQLite's DROP COLUMN (which a test's downgrade uses) counts them.
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
        cluster_id INTEGER,              -- smallest quotation id of its near-duplicate cluster
        act TEXT, plover TEXT,           -- the describe stage (acts/): NULL for quotations stored before v7
        addressee TEXT, addressee_start INTEGER, addressee_end INTEGER, addressee_entity TEXT,
        addressee_key TEXT,              -- folded entity (else words) without a leading article: what its filter reads
        setting TEXT,                    -- its kind: interview | statement | press_conference | ...
        setting_text TEXT, setting_start INTEGER, setting_end INTEGER, setting_outlet TEXT,
        target TEXT, target_start INTEGER, target_end INTEGER, target_entity TEXT
    )""",
    "CREATE INDEX quotations_article ON quotations(article_id)",
    "CREATE INDEX quotations_entity ON quotations(entity_id)",
    "CREATE INDEX quotations_cluster ON quotations(cluster_id)",
    *ACTS_INDEXES,
    # Key columns first: SQLite 3.40's integrity_check reports a false "NULL value
    # in relays.outlet" on a WITHOUT ROWID table whose key columns are not.
    """CREATE TABLE relays (
        quote_id INTEGER NOT NULL REFERENCES quotations(id),
        outlet_key TEXT NOT NULL,
        outlet TEXT NOT NULL,
        PRIMARY KEY (quote_id, outlet_key)
    ) WITHOUT ROWID""",
    "CREATE INDEX relays_outlet ON relays(outlet_key)",
    # Filled by the writer, one statement per batch (store.py): quotations are never edited or deleted.
    """CREATE VIRTUAL TABLE quotation_fts USING fts5(
        text, content='quotations', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE quotation_terms USING fts5vocab(quotation_fts, 'row')",
    # Band hashes of each clustered quotation's MinHash (see trace.py), plus one
    # band for its folded words, so candidates are one indexed lookup away.
    """CREATE TABLE quote_bands (
        band INTEGER NOT NULL,
        quote_id INTEGER NOT NULL,
        PRIMARY KEY (band, quote_id)
    ) WITHOUT ROWID""",
    # Quotations not in quote_bands yet, for the next writer to index.
    "CREATE TABLE unclustered (quote_id INTEGER PRIMARY KEY)",
    # Manual speaker decisions, by folded name, so that every resolution replays them.
    """CREATE TABLE speaker_merges (
        id INTEGER PRIMARY KEY,          -- replay order
        name_key TEXT NOT NULL,
        into_key TEXT NOT NULL
    )""",
    "CREATE TABLE speaker_splits (name_key TEXT PRIMARY KEY)",
    # Derived data a writer left to rebuild ('families': entities without one).
    "CREATE TABLE stale (what TEXT PRIMARY KEY)",
    # Families whose speakers an ingest or a decision changed, for the next writer;
    # whole: resolve all their mentions again, not only the new ones.
    "CREATE TABLE stale_families (family TEXT PRIMARY KEY, whole INTEGER NOT NULL DEFAULT 0)",
    # A speaker's profile figures over all its quotations, kept by speaker resolution
    # (speakers.py) like speakers.quotes, so a profile reads a few rows, not every quotation.
    """CREATE TABLE speaker_outlets (
        speaker_id INTEGER NOT NULL,
        outlet TEXT NOT NULL,            -- '(unknown)' for articles without one
        quotes INTEGER NOT NULL,
        PRIMARY KEY (speaker_id, outlet)
    ) WITHOUT ROWID""",
    """CREATE TABLE speaker_names (
        speaker_id INTEGER NOT NULL,
        name TEXT NOT NULL,              -- as articles write it
        mentions INTEGER NOT NULL,       -- entities (quoted mentions) written so
        PRIMARY KEY (speaker_id, name)
    ) WITHOUT ROWID""",
    *SPEAKER_RECENT_TABLES,
    # How many quotations the planner's statistics were gathered over (database.analyze),
    # so that a small ingest into a large corpus does not gather them again.
    "CREATE TABLE planner_statistics (quotations INTEGER NOT NULL)",
    """CREATE TABLE timeline_blocks (
        block INTEGER PRIMARY KEY,      -- quotation id // TIMELINE_BLOCK
        newest TEXT,                    -- its articles' latest publication date (NULL: all undated)
        oldest TEXT,                    -- their earliest
        last_article INTEGER NOT NULL   -- its articles' largest id
    )""",
    *LINEAGE_TABLES,
)


def timeline_blocks_of(quotations: str) -> str:
    """INSERT of the timeline_blocks rows of the quotations a condition on q picks (their
    blocks' dates and last article, as far as these quotations go)."""
    return f"""INSERT INTO timeline_blocks(block, newest, oldest, last_article)
               SELECT q.id / {TIMELINE_BLOCK}, max(a.published), min(a.published), max(a.id)
               FROM quotations q JOIN articles a ON a.id = q.article_id WHERE {quotations} GROUP BY 1"""


# Upgrades from the versions shipped before: v1 is the oldest (tests/schema_v1.sql).
# v2: incremental corpus. Clusters grow through an on-disk LSH index instead of a
# rebuild; speakers are re-resolved one surname family at a time. Quotations and
# entities stored by v1 are indexed by the next writer, in short transactions.
V2 = (
    # Band hashes of each clustered quotation's MinHash (see trace.py), plus one
    # band for its folded words, so candidates are one indexed lookup away.
    """CREATE TABLE quote_bands (
        band INTEGER NOT NULL,
        quote_id INTEGER NOT NULL,
        PRIMARY KEY (band, quote_id)
    ) WITHOUT ROWID""",
    # Quotations not in quote_bands yet: v1's, for the next writer to index.
    "CREATE TABLE unclustered (quote_id INTEGER PRIMARY KEY)",
    "INSERT INTO unclustered(quote_id) SELECT id FROM quotations",
    "UPDATE quotations SET cluster_id = id WHERE cluster_id IS NULL",
    # The surname (or group name) a speaker mention is resolved within; NULL until computed.
    "ALTER TABLE entities ADD COLUMN family TEXT",
    "CREATE INDEX entities_family ON entities(family, speaker_id)",
    # Families whose speakers an ingest or a decision changed, for the next writer;
    # whole: resolve all their mentions again, not only the new ones.
    "CREATE TABLE stale_families (family TEXT PRIMARY KEY, whole INTEGER NOT NULL DEFAULT 0)",
    "ALTER TABLE speakers ADD COLUMN quotes INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE speakers ADD COLUMN written TEXT NOT NULL DEFAULT '[]'",  # JSON list
    "ALTER TABLE speakers ADD COLUMN family TEXT",
    "CREATE INDEX speakers_family ON speakers(family)",
    # v1's whole-corpus marks are replaced by the work lists above.
    "DELETE FROM stale",
    "INSERT INTO stale(what) VALUES ('families')",
    # A search by outlet walks the outlet's articles newest first.
    "DROP INDEX articles_outlet",
    "CREATE INDEX articles_outlet ON articles(outlet_key, published)",
    # Key columns first: SQLite 3.40's integrity_check reports a false "NULL value
    # in relays.outlet" on a WITHOUT ROWID table whose key columns are not.
    """CREATE TABLE relays_v2 (
        quote_id INTEGER NOT NULL REFERENCES quotations(id),
        outlet_key TEXT NOT NULL,
        outlet TEXT NOT NULL,
        PRIMARY KEY (quote_id, outlet_key)
    ) WITHOUT ROWID""",
    "INSERT INTO relays_v2(quote_id, outlet_key, outlet) SELECT quote_id, outlet_key, outlet FROM relays",
    "DROP TABLE relays",
    "ALTER TABLE relays_v2 RENAME TO relays",
    "CREATE INDEX relays_outlet ON relays(outlet_key)",
)

# v3: the writer fills the FTS index with one statement per batch (store.py), five
# times faster than this trigger's statement per quotation.
V3 = ("DROP TRIGGER quotations_fts",)

# v4: a speaker's profile figures over all its quotations, kept by speaker resolution
# (speakers.py) like speakers.quotes, so a profile reads a few rows instead of every
# quotation. Filled for existing speakers by speakers.recount when the upgrade runs.
V4 = (
    "ALTER TABLE speakers ADD COLUMN first_seen TEXT",  # publication dates
    "ALTER TABLE speakers ADD COLUMN last_seen TEXT",
    """CREATE TABLE speaker_outlets (
        speaker_id INTEGER NOT NULL,
        outlet TEXT NOT NULL,            -- '(unknown)' for articles without one
        quotes INTEGER NOT NULL,
        PRIMARY KEY (speaker_id, outlet)
    ) WITHOUT ROWID""",
    """CREATE TABLE speaker_names (
        speaker_id INTEGER NOT NULL,
        name TEXT NOT NULL,              -- as articles write it
        mentions INTEGER NOT NULL,       -- entities (quoted mentions) written so
        PRIMARY KEY (speaker_id, name)
    ) WITHOUT ROWID""",
    # The speakers a written name means, from the index alone (a surname is written thousands of times).
    "DROP INDEX entities_name",
    "CREATE INDEX entities_name ON entities(name_key, speaker_id)",
)

# v5: how many quotations the planner's statistics were gathered over (database.analyze),
# so that a small ingest into a large corpus does not gather them again.
V5 = ("CREATE TABLE planner_statistics (quotations INTEGER NOT NULL)",)

# v6: timeline_blocks (see CURRENT), filled for the quotations stored already.
V6 = (
    """CREATE TABLE timeline_blocks (
        block INTEGER PRIMARY KEY,      -- quotation id // TIMELINE_BLOCK
        newest TEXT,                    -- its articles' latest publication date (NULL: all undated)
        oldest TEXT,                    -- their earliest
        last_article INTEGER NOT NULL   -- its articles' largest id
    )""",
    timeline_blocks_of("true"),
    # What a search reads of the article of each quotation it weighs, without the article's
    # row, which holds its text: a page or more each, so a cold read every time.
    "CREATE INDEX articles_dates ON articles(id, published, outlet_key)",
)

# v7: the describe stage's fields (see CURRENT). Quotations stored before stay NULL: deciding
# them needs the sentence's parse, which the corpus does not keep (docs/corpus.md).
V7 = (
    *(f"ALTER TABLE quotations ADD COLUMN {column}" for column in (
        "act TEXT", "plover TEXT",
        "addressee TEXT", "addressee_start INTEGER", "addressee_end INTEGER", "addressee_entity TEXT",
        "addressee_key TEXT", "setting TEXT", "setting_text TEXT", "setting_start INTEGER", "setting_end INTEGER",
        "setting_outlet TEXT", "target TEXT", "target_start INTEGER", "target_end INTEGER", "target_entity TEXT")),
    *ACTS_INDEXES,
)

# v8: stored lineage (see CURRENT), filled for the quotations stored already by the next
# writer (database.catch_up: lineages.fill), marked stale until then.
V8 = (
    *LINEAGE_TABLES,
    "INSERT INTO stale(what) VALUES ('lineage')",
)

# v9: a quotation alone in its lineage whose lineage says nothing its quotation does not (the
# copy is the quotation as extracted, no source named: IMPLIED_FACTS) has no row; readers take
# it from the quotation (corpus/lineages.py). Those v8 stored go.
IMPLIED_FACTS = ('{"position":0,"variant":{"kind":"original","meaning":[],"similarity":1.0,"changes":[]},'
                 '"speaker_differs":false,"parent":null,"origin":null,"chain":[]}')
V9 = (
    f"""CREATE TEMP TABLE implied AS SELECT l.quote_id FROM lineage l JOIN quotations q ON q.id = l.quote_id
            LEFT JOIN entities e ON e.id = q.entity_id
        WHERE l.lineage_id = l.quote_id AND l.facts = '{IMPLIED_FACTS}'
              AND NOT EXISTS (SELECT 1 FROM lineage o WHERE o.lineage_id = l.lineage_id AND o.quote_id <> l.quote_id)
              AND json_extract(l.copy, '$.quote') = q.text AND json_extract(l.copy, '$.start') = q.start
              AND json_extract(l.copy, '$.kind') = q.kind AND json_extract(l.copy, '$.speaker') IS e.name""",
    "DELETE FROM lineages WHERE id IN (SELECT quote_id FROM temp.implied)",
    "DELETE FROM lineage WHERE quote_id IN (SELECT quote_id FROM temp.implied)",
    "DROP TABLE temp.implied",
)

# v10: a speaker's figures over their latest quotations (recent.py), so that a profile reads one
# row instead of a hundred quotations. Filled for existing speakers by recent.store when the upgrade runs.
V10 = SPEAKER_RECENT_TABLES

UPGRADES: dict[int, tuple[str, ...]] = {1: V2, 2: V3, 3: V4, 4: V5, 5: V6, 6: V7, 7: V8, 8: V9, 9: V10}
VERSION = max(UPGRADES) + 1


def quotation_count(conn: sqlite3.Connection) -> int:
    """How many quotations the corpus holds: they are never deleted, so the largest id, without counting."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM quotations").fetchone()[0]


def grown_a_tenth(quotations: int, since: int) -> bool:
    """Whether a corpus of `quotations` has grown by a tenth since it held `since`: when
    figures estimated from the corpus (planner statistics, word frequencies) are read again."""
    return 10 * quotations >= 11 * since


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
