"""The batch engine: a stream of documents in, a stream of outcomes out.

One failing document never stops the others, and none runs for ever: each has
a time budget (doc_timeout) for its page extraction and its analysis; one that
runs over fails alone with a clear reason, and holds no other. With workers > 1,
each worker process loads the model once and takes one document at a time. Raw pages are
turned into text inside the workers (inputs.prepare), so that step scales
with them too. Also here: the tally behind progress and the final summary,
and reading back a partly written output for --resume."""
from __future__ import annotations

import json
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import pipeline
from .inputs.prepare import Preparer
from .limits import DocumentTimeout, time_limit
from .model import Article, Document, Failure, Item, Outcome, Skipped
from .nlp import check_models, load_nlp
from .parse import parse
from .processes import die_with_parent, pool_context
from .read import DEFAULT_DOC_TIMEOUT
from .sanitize import text_problem
from .settings import Analysis, analysis_from_environment

log = logging.getLogger(__name__)
WINDOW_PER_WORKER = 8  # documents in flight per worker process
Prepare = Callable[[Document], Item]
ENGLISH_ONLY = Preparer()


def _timed_out(document_id: str, seconds: float) -> Failure:
    return Failure(document_id, f"timed out: over {seconds:g} s (see --doc-timeout)")


def _article(document: Document, article: Article) -> Outcome:
    article.meta.update(document.meta)
    article.meta["id"] = document.id  # what --resume reads back
    return Outcome(document.id, article=article)


def _analysed(document: Document, doc_timeout: float, analysis: Analysis) -> Outcome:
    """The article for a document, parsed and analysed within its own budget. Each
    document is parsed alone: a batch would share one budget among its documents, so
    one slow document would hold all of them (spaCy parses about as fast one at a time)."""
    try:
        with time_limit(doc_timeout):
            article = pipeline.analyse(parse(load_nlp(analysis.model), document.text), document.text, analysis)
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


def _passed(item: Failure | Skipped) -> Outcome:
    return Outcome(item.id, failure=item) if isinstance(item, Failure) else Outcome(item.id, skipped=item)


def _run_one(item: Item, prepare: Prepare, doc_timeout: float, analysis: Analysis) -> Outcome:
    prepared = _prepare(item, prepare, doc_timeout)
    return _analysed(prepared, doc_timeout, analysis) if isinstance(prepared, Document) else _passed(prepared)


def run(items: Iterable[Item], workers: int = 1, prepare: Prepare = ENGLISH_ONLY,
        doc_timeout: float = DEFAULT_DOC_TIMEOUT, analysis: Analysis | None = None) -> Iterator[Outcome]:
    """Outcomes in input order, each as soon as it and those before it are done; failures
    and skips from reading pass through. `prepare` runs in the worker; with workers > 1 it
    must pickle. doc_timeout: seconds for each document's page extraction, and again for
    its analysis (0: no limit). analysis: which models (default: from the environment);
    it travels to the workers. A missing model is the caller's problem, not each
    document's: it raises here."""
    analysis = analysis or analysis_from_environment()
    check_models(analysis)
    if workers <= 1:
        for item in items:
            yield _run_one(item, prepare, doc_timeout, analysis)
        return
    # One document per task, so that a slow one holds no other; a bounded window of
    # them in flight keeps memory flat on long streams.
    with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(analysis), initializer=start_worker,
                             initargs=(analysis.model,)) as pool:
        pending: deque[Future[Outcome] | Outcome] = deque()
        for item in items:
            pending.append(pool.submit(_run_one, item, prepare, doc_timeout, analysis) if isinstance(item, Document)
                           else _passed(item))
            while len(pending) > WINDOW_PER_WORKER * workers or (pending and _ready(pending[0])):
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())


def _ready(pending: Future[Outcome] | Outcome) -> bool:
    return not isinstance(pending, Future) or pending.done()


def _result(pending: Future[Outcome] | Outcome) -> Outcome:
    return pending.result() if isinstance(pending, Future) else pending


def worker_context(analysis: Analysis):
    """How worker processes start for this analysis (processes.pool_context): the
    accurate tier's ONNX Runtime session must not be forked."""
    return pool_context(runs_onnx=not analysis.rules_only and analysis.tier == "accurate")


def start_worker(model: str | None = None) -> None:
    """A pool worker: gone when its parent is, then the model loaded once."""
    die_with_parent()
    load_nlp(model)


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
