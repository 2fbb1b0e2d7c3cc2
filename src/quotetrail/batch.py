"""The batch engine: a stream of documents in, a stream of outcomes out.

One failing document never stops the others, and none runs for ever: each has
a time budget (doc_timeout) for its page extraction and its analysis; one that
runs over fails alone with a clear reason. With workers > 1, each worker
process loads the model once and takes documents in chunks. Raw pages are
turned into text inside the workers (inputs.prepare), so that step scales
with them too. Also here: the tally behind progress and the final summary,
and reading back a partly written output for --resume."""
from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from spacy.tokens import Doc

from . import pipeline
from .inputs.prepare import Preparer
from .model import Article, Document, Failure, Item, Outcome, Skipped
from .nlp import load_nlp, model_name
from .pipeline import BATCH_SIZE
from .processes import die_with_parent
from .read import DEFAULT_DOC_TIMEOUT
from .sanitize import text_problem

log = logging.getLogger(__name__)
CHUNK = BATCH_SIZE  # one spaCy batch per chunk: smaller chunks parse more slowly
Prepare = Callable[[Document], Item]
ENGLISH_ONLY = Preparer()


class DocumentTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout here once `seconds` have passed. It needs SIGALRM,
    so it works in a process's main thread (the CLI, each worker process);
    elsewhere, or with seconds <= 0, there is no limit."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timed_out(document_id: str, seconds: float) -> Failure:
    return Failure(document_id, f"timed out: over {seconds:g} s (see --doc-timeout)")


def _article(document: Document, article: Article) -> Outcome:
    article.meta.update(document.meta)
    article.meta["id"] = document.id  # what --resume reads back
    return Outcome(document.id, article=article)


def _process_chunk(documents: list[Document], doc_timeout: float) -> list[Outcome]:
    """spaCy parses the chunk as one batch, within the budget of all its documents
    together; then each document is analysed within its own budget."""
    if len(documents) == 1:  # nothing to isolate: parse and analysis share the one budget
        return [_process_one(documents[0], doc_timeout)]
    try:
        with time_limit(doc_timeout * len(documents)):
            docs = list(load_nlp().pipe((document.text for document in documents), batch_size=BATCH_SIZE))
    except Exception:  # the parse failed or ran over: one by one, to isolate the culprit
        return [_process_one(document, doc_timeout) for document in documents]
    return [_analysed(document, doc, doc_timeout) for document, doc in zip(documents, docs)]


def _process_one(document: Document, doc_timeout: float) -> Outcome:
    return _analysed(document, None, doc_timeout)


def _analysed(document: Document, doc: Doc | None, doc_timeout: float) -> Outcome:
    """The article for a document, parsed already or not yet, within its budget."""
    try:
        with time_limit(doc_timeout):
            article = pipeline.analyse(doc if doc is not None else load_nlp()(document.text), document.text)
    except DocumentTimeout:
        return Outcome(document.id, failure=_timed_out(document.id, doc_timeout))
    except Exception as error:  # report and go on: the batch must not die
        log.debug("extraction failed for %s", document.id, exc_info=True)
        return Outcome(document.id, failure=Failure(document.id, f"extraction failed: {type(error).__name__}: {error}"))
    return _article(document, article)


def _prepare(item: Item, prepare: Prepare, doc_timeout: float) -> Item:
    if not isinstance(item, Document):
        return item
    try:
        with time_limit(doc_timeout):
            prepared = prepare(item)
    except DocumentTimeout:
        return _timed_out(item.id, doc_timeout)
    except Exception as error:  # a page that breaks the HTML extractor must not end the batch
        log.debug("preparing %s failed", item.id, exc_info=True)
        return Failure(item.id, f"preparation failed: {type(error).__name__}: {error}")
    if isinstance(prepared, Document) and (problem := text_problem(prepared.text)):
        return Failure(prepared.id, problem)
    return prepared


def _chunks(items: Iterable[Item]) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _passed(item: Failure | Skipped) -> Outcome:
    return Outcome(item.id, failure=item) if isinstance(item, Failure) else Outcome(item.id, skipped=item)


def _run_chunk(chunk: list[Item], prepare: Prepare, doc_timeout: float) -> list[Outcome]:
    prepared = [_prepare(item, prepare, doc_timeout) for item in chunk]
    documents = [item for item in prepared if isinstance(item, Document)]
    processed = iter(_process_chunk(documents, doc_timeout)) if documents else iter(())
    return [next(processed) if isinstance(item, Document) else _passed(item) for item in prepared]


def run(items: Iterable[Item], workers: int = 1, prepare: Prepare = ENGLISH_ONLY,
        doc_timeout: float = DEFAULT_DOC_TIMEOUT) -> Iterator[Outcome]:
    """Outcomes in input order; failures and skips from reading pass through.
    `prepare` runs in the worker; with workers > 1 it must pickle. doc_timeout:
    seconds for each document's extraction and analysis (0: no limit).
    A missing model is the caller's problem, not each document's: it raises here."""
    model_name()
    if workers <= 1:
        for chunk in _chunks(items):
            yield from _run_chunk(chunk, prepare, doc_timeout)
        return
    # A bounded window of chunks in flight keeps memory flat on long streams.
    with ProcessPoolExecutor(max_workers=workers, initializer=start_worker) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for chunk in _chunks(items):
            pending.append(pool.submit(_run_chunk, chunk, prepare, doc_timeout))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def start_worker() -> None:
    """A pool worker: gone when its parent is, then the model loaded once."""
    die_with_parent()
    load_nlp()


def reason_kind(reason: str) -> str:
    """The part of a reason that groups it: 'HTTP 404: Not Found' → 'HTTP 404'."""
    return reason.split(":", 1)[0]


@dataclass
class Tally:
    """Counts for the progress bar and the closing summary."""

    processed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: Outcome) -> None:
        if outcome.article is not None:
            self.processed += 1
        elif outcome.skipped is not None:
            self.skipped[reason_kind(outcome.skipped.reason)] += 1
        elif outcome.failure is not None:
            self.failed[reason_kind(outcome.failure.reason)] += 1

    @property
    def documents(self) -> int:
        return self.processed + self.skipped.total() + self.failed.total()

    def progress(self) -> str:
        rate = self.processed / max(time.monotonic() - self.started, 1e-9)
        return f"{rate:.1f} articles/s, skipped {self.skipped.total()}, errors {self.failed.total()}"

    def summary(self) -> str:
        def counted(counter: Counter[str], label: str) -> str:
            reasons = ", ".join(f"{reason}: {count}" for reason, count in counter.most_common())
            return f"{counter.total()} {label}" + (f" ({reasons})" if reasons else "")

        return (f"{self.documents} documents in {time.monotonic() - self.started:.1f} s: {self.processed} processed, "
                f"{counted(self.skipped, 'skipped')}, {counted(self.failed, 'failed')}")


class ResumeError(ValueError):
    pass


def completed_ids(output: Path) -> set[str]:
    """The ids already written to a JSONL output, for --resume. A trailing partial
    line (the run was killed mid-write) is cut off, so that document is redone."""
    ids: set[str] = set()
    if not output.exists():
        return ids
    with output.open("rb+") as file:
        position = 0
        for number, line in enumerate(file, 1):
            if not line.endswith(b"\n"):
                file.truncate(position)
                break
            position += len(line)
            try:
                ids.add(json.loads(line)["meta"]["id"])
            except (ValueError, KeyError, TypeError) as error:
                raise ResumeError(f"{output}:{number}: not a quotetrail JSONL result ({error})") from error
    return ids
