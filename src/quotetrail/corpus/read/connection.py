"""The corpus opened for reading only: what `quotetrail serve` reads through."""
from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
