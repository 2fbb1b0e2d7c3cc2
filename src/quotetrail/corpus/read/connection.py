"""The corpus opened for reading only: what `quotetrail serve` reads through."""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote as url_quote

from ..schema import VERSION, CorpusError

MMAP_BYTES = 1 << 31  # SQLite's default ceiling (2 GiB): larger files map their first 2 GiB


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """The corpus opened read-only (SQLite mode=ro and query_only): readers never write or rebuild."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"no corpus database at {path} (create one with 'quotetrail ingest')")
    conn = sqlite3.connect(f"file:{url_quote(str(path.resolve()))}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("PRAGMA query_only = 1")
        # Pages read through a memory map instead of a read() call each: a speaker's profile
        # reads thousands of rows scattered over the file (a third less CPU at 1M quotations).
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        conn.close()
        raise CorpusError(f"{path} is not a usable quotetrail database: {error}") from None
    if version != VERSION:
        conn.close()
        raise CorpusError(f"{path} has schema v{version}; this quotetrail reads v{VERSION} "
                          "(run 'quotetrail ingest' with this version to migrate it)")
    return conn


class Reader:
    """Read-only connections shared by the request threads, at most `size` open at once
    (default: one per core, 2 to 4). Each connection maps the file (MMAP_BYTES) and keeps its
    own page cache: one per request thread made a server with 8 clients hold gigabytes
    (bench/web.py at 1M quotations, 8 clients: peak RSS 2.4 GB with 4 connections, 1.3 GB with
    2, and more requests a second); past `size`, a request waits for a connection."""

    def __init__(self, path: str | Path, size: int | None = None) -> None:
        self.path = Path(path)
        connect_readonly(self.path).close()  # fail now, with a clear message, not on the first request
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size or min(4, max(2, os.cpu_count() or 2)))

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        with self._slots:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = connect_readonly(self.path)
            try:
                yield conn
            finally:
                self._idle.put(conn)
