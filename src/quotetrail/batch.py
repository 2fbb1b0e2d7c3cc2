"""The batch engine: a stream of documents in, a stream of outcomes out.

One failing document never stops the others. With workers > 1, each worker
process loads the model once and takes documents in chunks."""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from .model import Document, Failure, Outcome
from .nlp import load_nlp
from .pipeline import extract_many

log = logging.getLogger(__name__)
CHUNK = 16


def _process_chunk(documents: list[Document]) -> list[Outcome]:
    outcomes = []
    try:
        articles = list(extract_many((document.text for document in documents), load_nlp()))
    except Exception:  # a chunk failed: retry one by one to isolate the culprit
        return [_process_one(document) for document in documents]
    for document, article in zip(documents, articles):
        article.meta.update(document.meta)
        outcomes.append(Outcome(document.id, article=article))
    return outcomes


def _process_one(document: Document) -> Outcome:
    try:
        article = next(extract_many([document.text], load_nlp()))
    except Exception as error:  # report and go on: the batch must not die
        log.debug("extraction failed for %s", document.id, exc_info=True)
        return Outcome(document.id, failure=Failure(document.id, f"extraction failed: {type(error).__name__}: {error}"))
    article.meta.update(document.meta)
    return Outcome(document.id, article=article)


def _chunks(items: Iterable[Document | Failure]) -> Iterator[list[Document | Failure]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _run_chunk(chunk: list[Document | Failure]) -> list[Outcome]:
    documents = [item for item in chunk if isinstance(item, Document)]
    processed = iter(_process_chunk(documents)) if documents else iter(())
    return [Outcome(item.id, failure=item) if isinstance(item, Failure) else next(processed) for item in chunk]


def run(items: Iterable[Document | Failure], workers: int = 1) -> Iterator[Outcome]:
    """Outcomes in input order; failures that happened while reading pass through."""
    if workers <= 1:
        for chunk in _chunks(items):
            yield from _run_chunk(chunk)
        return
    # A bounded window of chunks in flight keeps memory flat on long streams.
    with ProcessPoolExecutor(max_workers=workers, initializer=load_nlp) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for chunk in _chunks(items):
            pending.append(pool.submit(_run_chunk, chunk))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
