"""Opening the corpus database: made from the current schema when new, upgraded
(derived data included) when older, read-only where it cannot be written. Also
the upkeep of derived data every writer runs (catch_up, analyze)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote as url_quote

from . import recent, speakers
from ..errors import CorpusMissingError
from .schema import CURRENT, UPGRADES, VERSION, CorpusError, grown_a_tenth, quotation_count, transaction

# Pages read through a memory map instead of a read() call each: a speaker's profile
# reads thousands of rows scattered over the file (a third less CPU at 1M quotations).
MMAP_BYTES = 1 << 31  # SQLite's default ceiling (2 GiB): larger files map their first 2 GiB


def writable(path: Path) -> bool:
    """Whether SQLite can write the database: the file and its directory, which holds
    the write-ahead log and its index (-wal, -shm)."""
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)


def connect(path: Path, timeout: float, create: bool) -> sqlite3.Connection:
    """An open corpus database at the current version, complete (an upgrade rebuilds what
    it derives before this returns); read-only when it cannot be written. CorpusError saying why not."""
    if not create and not path.exists():
        raise CorpusMissingError(f"no corpus database at {path} (create one with 'quotetrail ingest')")
    if path.exists() and not writable(path):
        return connect_readonly(path)
    # Autocommit mode: every transaction is explicit (see transaction()).
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        version = _version(conn, path)
        # WAL: searches keep reading while an ingest writes.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # Pages of the band and FTS indexes an ingest touches at random: keep them (up to 256 MB).
        conn.execute("PRAGMA cache_size = -262144")
        if version < VERSION:
            _create_or_upgrade(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """The corpus opened read-only (mode=ro and query_only): readers never write or rebuild.
    Where nobody can write it (a read-only file or directory), it is opened immutable: SQLite
    then needs no -shm file beside it, which it could not create there."""
    path = Path(path)
    if not path.is_file():
        raise CorpusMissingError(f"no corpus database at {path} (create one with 'quotetrail ingest')")
    options = "mode=ro" if writable(path) else "mode=ro&immutable=1"
    conn = sqlite3.connect(f"file:{url_quote(str(path.resolve()))}?{options}", uri=True, check_same_thread=False)
    try:
        conn.execute("PRAGMA query_only = 1")
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        version = _version(conn, path)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise CorpusError(f"{path} is not a usable quotetrail database: {error}") from None
    except BaseException:
        conn.close()
        raise
    if version != VERSION:
        conn.close()
        raise CorpusError(f"{path} has schema v{version}; this quotetrail reads v{VERSION} (any corpus command, "
                          f"e.g. 'quotetrail speakers list', upgrades it where the file and its folder are writable)")
    return conn


def _version(conn: sqlite3.Connection, path: Path) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > VERSION:
        raise CorpusError(f"{path} was written by a newer quotetrail (schema v{version}; "
                          f"this one reads up to v{VERSION})")
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
        raise CorpusError(f"{path} is an SQLite database but not a quotetrail corpus")
    return version


def _create_or_upgrade(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        # Read again under the write lock: another process may have done it meanwhile.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == VERSION:
            return
        for statement in CURRENT if version == 0 else [s for v in range(version, VERSION) for s in UPGRADES[v]]:
            conn.execute(statement)
        if 0 < version < 4:
            speakers.recount(conn)  # v4's profile figures, for the speakers v3 had resolved
        if 0 < version < 10:
            recent.store(conn)  # v10's
        conn.execute(f"PRAGMA user_version = {VERSION}")
    if version:  # what the upgrade left to rebuild (v1: every speaker), before anyone reads
        catch_up(conn)


def catch_up(conn: sqlite3.Connection) -> None:
    """Bring derived data up to date, in short transactions: work a writer left (cut short,
    or an upgrade from an older version): speaker families, the cluster index, the stored
    lineage, speakers."""
    from . import lineages, trace  # writers only: numpy, which opening for a search never needs

    if conn.execute("SELECT 1 FROM stale WHERE what = 'families'").fetchone():
        speakers.fill_families(conn, lambda: transaction(conn))
    # An upgrade's lineage is filled whole once the clusters are: not cluster chunk by chunk.
    fill_lineage = conn.execute("SELECT 1 FROM stale WHERE what = 'lineage'").fetchone() is not None
    after = 0
    bands = trace.BandIndex(conn)
    while True:
        with transaction(conn):
            if not (chunk := trace.unclustered(conn, after)):
                break
            bands.add(chunk)
            if not fill_lineage:  # a killed writer's: their lineage is stored, their lineage keys are not
                lineages.update(conn, [], bands.lineage_pairs([(quote_id, text) for quote_id, text, _ in chunk]))
        after = chunk[-1][0]
        bands.flush_if_full(lambda: transaction(conn))
    bands.flush(lambda: transaction(conn))
    if fill_lineage:
        lineages.fill(conn, lambda: transaction(conn))
    speakers.resolve_stale(conn, lambda: transaction(conn))
    analyze(conn)


def analyze(conn: sqlite3.Connection) -> None:
    """Fresh statistics keep the planner from driving a search through the wrong index
    (seconds instead of milliseconds). Sampled, yet a third of a second at 3M quotations:
    so only when the corpus has grown by a tenth since the last time."""
    quotations = quotation_count(conn)
    last = conn.execute("SELECT quotations FROM planner_statistics").fetchone()
    if last is not None and not grown_a_tenth(quotations, last[0]):
        return
    with transaction(conn):
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE")
        conn.execute("DELETE FROM planner_statistics")
        conn.execute("INSERT INTO planner_statistics(quotations) VALUES (?)", (quotations,))
