"""The corpus opened for reading only: what `quotetrail serve` reads through, and what it
keeps of what it read until the corpus changes."""
from __future__ import annotations

import queue
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ..database import connect_readonly

CONNECTIONS = 8  # per serving process


class Reader:
    """Read-only connections shared by the request threads, at most `size` open at once
    (default CONNECTIONS); past that, a request waits for one. A request that waits behind
    slower ones waits their whole time: with 2 connections, 8 clients' quotation pages waited
    behind searches (bench/web.py at 1M quotations, 8 clients: quotation p95 525 ms with 2,
    225 ms with 8, on the same loaded machine). Each connection maps the file (database.MMAP_BYTES):
    RSS counts a page once per connection that maps it, but the memory is the same pages
    (PSS 664 MB with 2 connections, 662 MB with 8)."""

    def __init__(self, path: str | Path, size: int | None = None) -> None:
        self.path = Path(path)
        connect_readonly(self.path).close()  # fail now, with a clear message, not on the first request
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size or CONNECTIONS)

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


Value = TypeVar("Value")


class CorpusCache:
    """What a long-lived reader (the web server) computed from the corpus, its latest `size`
    values by key, kept until the corpus changes. A change shows as a connection whose
    PRAGMA data_version moved (another process wrote: an ingest, a speaker merge); a
    connection not seen before may come after one, so it counts as a change too. Either
    starts a new generation, which every key holds: a value computed before the change, even
    if put after it, is never found again."""

    SHARED_SIZE = 1024  # entries of shared(): a word's count of matches is one

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._shared: dict = {}
        self._versions: dict[int, int] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def key(self, conn: sqlite3.Connection, *parts: Hashable) -> tuple:
        """The key of parts as the corpus is now, as conn sees it."""
        (version,) = conn.execute("PRAGMA data_version").fetchone()
        with self._lock:
            if self._versions.get(id(conn)) != version:
                self._versions[id(conn)] = version
                self._generation += 1
                self._entries.clear()
                self._shared = {}
            return (self._generation, *parts)

    def shared(self, conn: sqlite3.Connection) -> dict:
        """What every search reads alike while the corpus stays as it is (planner.find's shared:
        its timeline blocks, how many quotations hold a word), for this generation's searches."""
        self.key(conn)
        with self._lock:
            if len(self._shared) > self.SHARED_SIZE:
                self._shared = {}
            return self._shared

    def get(self, key: tuple) -> object | None:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def put(self, key: tuple, value: object) -> None:
        with self._lock:
            self._entries[key] = value
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def kept(self, conn: sqlite3.Connection, parts: tuple, make: Callable[[], Value]) -> Value:
        """The value kept for parts, else make()'s, kept."""
        key = self.key(conn, *parts)
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value  # type: ignore[return-value]
