"""Bounds on one document's work: a time limit, and caps on what grows with it.

Kept free of spaCy so that the Python API (pipeline) and the batch engine share them."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(TimeoutError):
    """A document's extraction ran over its time limit."""


@contextmanager
def time_limit(seconds: float | None, required: bool = False) -> Iterator[None]:
    """Raise DocumentTimeout here once `seconds` have passed (None or <= 0: no limit).
    It needs SIGALRM, so it works in a process's main thread (the CLI, each worker
    process, a script); elsewhere (a Dask worker's task thread) there is no limit,
    or, when the caller asked for one (required), ValueError."""
    if seconds is None or seconds <= 0:
        yield
        return
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        if required:
            raise ValueError("timeout= needs SIGALRM and the main thread: extract there, or in a worker "
                             "process (quotetrail.batch.run with workers > 1)")
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
