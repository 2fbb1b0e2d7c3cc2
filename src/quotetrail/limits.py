"""Bounds on one document's work: a time limit, and caps on what grows with it.

Kept free of spaCy so that the Python API (pipeline) and the batch engine share them."""
from __future__ import annotations

import ctypes
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

# An exception raised inside a garbage-collector callback or a __del__ is printed and dropped:
# a signal that strikes there strikes again this many seconds later, until its block is left.
AGAIN = 0.05


class DocumentTimeout(TimeoutError):
    """A document's extraction ran over its time limit."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout here once `seconds` have passed (None or <= 0: no limit), in
    any thread: SIGALRM in a process's main thread (the CLI, each pool worker), else
    a timer (a Dask worker's task thread, a web server's). Either lands at the next
    Python instruction: a long C call under way finishes first."""
    if seconds is None or seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _ThreadDeadline(seconds):
            yield
        return
    armed = True

    def expire(signum: int, frame: object) -> None:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, AGAIN)  # again, should this one land where it is swallowed
            raise DocumentTimeout(f"over {seconds:g} s")

    def disarm() -> None:
        nonlocal armed
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        struck = _whole(disarm)
        signal.signal(signal.SIGALRM, previous)
        if struck:
            raise DocumentTimeout(f"over {seconds:g} s")


def _whole(step: Callable[[], None]) -> bool:
    """Run step until it has run to its end; whether a timeout struck while it ran (it
    cannot strike again once step has ended: step is what disarms it)."""
    struck = False
    while True:
        try:
            step()
            return struck
        except DocumentTimeout:
            struck = True


class _ThreadDeadline:
    """A time limit for a thread that signals cannot reach: a timer raises DocumentTimeout
    in it through CPython's PyThreadState_SetAsyncExc, the one way to interrupt another
    thread's Python code. Leaving the block first withdraws it, under a lock, so it
    never lands after the block. A strike Python drops (inside a garbage-collector
    callback or a __del__) reaches sys.unraisablehook: only then is it struck again, so
    at most one strike is ever in flight (timers that simply repeated raced the block's
    end in a stress test)."""

    def __init__(self, seconds: float) -> None:
        self.thread = threading.get_ident()
        self.lock = threading.Lock()
        self.expired = self.left = False
        self.outer: _ThreadDeadline | None = None
        self.seconds = seconds

    def _expire(self) -> None:
        with self.lock:
            if not self.left:
                _raise_in(self.thread, DocumentTimeout)
                self.expired = True

    def _strike_in(self, seconds: float) -> None:
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def strike_again(self) -> None:
        with self.lock:
            if not self.left:
                self._strike_in(AGAIN)

    def __enter__(self) -> None:
        _hear_dropped_strikes()
        self.outer = _deadlines.get(self.thread)
        _deadlines[self.thread] = self
        self._strike_in(self.seconds)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        with self.lock:
            self.left = True
            expired = self.expired
        if self.outer is None:
            _deadlines.pop(self.thread, None)
        else:
            _deadlines[self.thread] = self.outer
        self.timer.cancel()
        if expired:
            _raise_in(self.thread, None)  # withdraw it, if it has not landed yet
            if kind is None:  # it expired as the block ended: still over the limit
                raise DocumentTimeout()


_deadlines: dict[int, _ThreadDeadline] = {}  # thread id -> the limit it is inside


def _hear_dropped_strikes() -> None:
    """Wrap whatever sys.unraisablehook is now (a test runner may have set its own since)
    so that a DocumentTimeout Python dropped in a thread still inside its limit strikes again."""
    if getattr(sys.unraisablehook, "hears_dropped_strikes", False):
        return
    passed_on = sys.unraisablehook

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        deadline = _deadlines.get(threading.get_ident())
        if deadline is not None and isinstance(unraisable.exc_value, DocumentTimeout):
            deadline.strike_again()
        else:
            passed_on(unraisable)

    hook.hears_dropped_strikes = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                               ctypes.py_object(exception) if exception else None)
