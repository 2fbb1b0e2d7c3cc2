"""The corpus opened for reading only: what `quotetrail serve` reads through."""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..database import connect_readonly

class Reader:
    """Read-only connections shared by the request threads, at most `size` open at once
    (default: one per core, 2 to 4). Each connection maps the file (database.MMAP_BYTES) and keeps its
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
