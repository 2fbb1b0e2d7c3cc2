"""The Analyse page's extraction, in a worker process with a time budget.

A request thread cannot use the batch engine's SIGALRM budget (signals reach the main
thread only), so extraction runs in one worker process that the app starts on the first
request: there the budget holds as in `quotetrail extract`. The worker loads the model
once, outside the budget. If it overruns even that (SIGALRM waits for Python code, a parse
may not), the app stops waiting after the budget and a grace, and replaces the worker.

Requests take turns: a request's budget starts when the worker takes it up, not when it
arrived, and at most QUEUE requests wait; one more is told at once that the server is busy
(Busy: HTTP 503 with Retry-After) rather than left to time out.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.pool
import threading

from starlette.concurrency import run_in_threadpool

from ..model import Article
from ..read import DEFAULT_DOC_TIMEOUT
from ..settings import Analysis, analysis_from_environment

# How long past its budget a request waits for the worker: model loading on first use,
# and a parse that SIGALRM cannot interrupt.
GRACE_SECONDS = 60.0
QUEUE = 4  # requests waiting for the worker, besides the one it works on


class Busy(Exception):
    """Every place in the queue is taken: retry later."""


def _load_model(model: str | None) -> None:
    from ..nlp import load_nlp  # in the worker only: the app starts without spaCy

    load_nlp(model)


def _extract(text: str, is_html: bool, budget: float, analysis: Analysis) -> tuple[Article | None, str | None]:
    """One pasted document through the batch engine, in the worker; nothing is stored."""
    from .. import batch
    from ..inputs.prepare import Preparer
    from ..model import Document

    document = Document(id="pasted", text="" if is_html else text, meta={}, html=text.encode("utf-8") if is_html else None)
    (outcome,) = batch.run([document], workers=1, prepare=Preparer(None), doc_timeout=budget, analysis=analysis)
    if outcome.article is None:
        reason = outcome.failure.reason if outcome.failure else "nothing extracted"
        return None, reason.replace(" (see --doc-timeout)", "")
    return outcome.article, None


class Analyser:
    """Extraction of pasted text within budget seconds per request (0: no limit), with the
    models analysis names (default: from the environment); it travels to the worker."""

    def __init__(self, budget: float = DEFAULT_DOC_TIMEOUT, grace: float = GRACE_SECONDS,
                 analysis: Analysis | None = None, queue: int = QUEUE) -> None:
        self.budget, self.grace, self.queue = budget, grace, queue
        self.analysis = analysis or analysis_from_environment()
        self._pool: multiprocessing.pool.Pool | None = None
        self._lock = threading.Lock()
        self._turn: asyncio.Lock | None = None  # made in the server's event loop, on first use
        self._waiting = 0  # requests in the queue or at the worker (the event loop's thread only)

    def _worker(self) -> multiprocessing.pool.Pool:
        with self._lock:
            if self._pool is None:
                self._pool = multiprocessing.get_context("spawn").Pool(1, initializer=_load_model,
                                                                      initargs=(self.analysis.model,))
            return self._pool

    async def __call__(self, text: str, is_html: bool) -> tuple[Article | None, str | None]:
        if not text.strip():
            return None, "nothing to analyse: paste an article's text or HTML"
        if self._waiting > self.queue:
            raise Busy(f"busy: {self._waiting} analyses are running or waiting; retry in a few seconds")
        if self._turn is None:
            self._turn = asyncio.Lock()
        self._waiting += 1
        try:
            async with self._turn:  # the budget counts from here: the worker is free
                pool = self._worker()
                pending = pool.apply_async(_extract, (text, is_html, self.budget, self.analysis))
                wait = self.budget + self.grace if self.budget else None
                try:
                    return await run_in_threadpool(pending.get, wait)
                except multiprocessing.TimeoutError:
                    self._replace(pool)
                    return None, f"timed out: over {self.budget:g} s"
        finally:
            self._waiting -= 1

    def _replace(self, pool: multiprocessing.pool.Pool) -> None:
        """Stop a worker stuck past its budget; the next request starts a fresh one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.terminate()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
