"""Tasks: what the user named, cut into units of work that each write one part.

One task per WARC or JSONL file, one per chunk of FILES_PER_TASK other files
(a directory's, or those named one by one); URLs and feed files together form
one task that only the local engine runs, so that fetching keeps its per-host
delays. A task's part name comes from its inputs, so the same command plans
the same parts again and --resume can skip those already written."""
from __future__ import annotations

import glob
import hashlib
import os
import re
import socket
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import batch
from ..inputs import Fetcher, InputOptions, read_inputs, web
from ..inputs.discover import FEED, JSONL, WARC, directory_files, kind_of
from ..link.confidence import keep_confident
from ..model import Failure
from ..read import DEFAULT_DOC_TIMEOUT
from ..settings import Analysis, Fetching, analysis_from_environment
from .parts import MARKER, PartError, PartWriter

FILES_PER_TASK = 100  # small enough to spread a directory over the workers, large enough for spaCy batches


@dataclass(frozen=True)
class Task:
    part: str
    sources: tuple[str, ...]
    local_only: bool = False  # URLs and feeds: fetched by the local engine only


@dataclass(frozen=True)
class Settings:
    """Everything a task needs besides its inputs; it travels to the workers."""

    out: str  # absolute: workers may run in another directory
    options: InputOptions = field(default_factory=InputOptions)
    prepare: batch.Prepare = batch.ENGLISH_ONLY
    analysis: Analysis = field(default_factory=analysis_from_environment)
    fetching: Fetching = Fetching()
    doc_timeout: float = DEFAULT_DOC_TIMEOUT
    min_confidence: float = 0.0  # quotations less likely right are left out of the parts


@dataclass
class TaskResult:
    part: str
    documents: int = 0
    articles: int = 0
    quotes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)


def part_name(label: str, sources: tuple[str, ...]) -> str:
    """Readable and unique: the first input's name and a digest of all of them."""
    digest = hashlib.sha1("\0".join(sources).encode("utf-8")).hexdigest()[:10]
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", label).strip("_")[:40] or "part"
    return f"{slug}-{digest}"


def _files(source: str) -> tuple[list[str], list[Failure]]:
    """The files an input names, in the order the local reader takes them, and why some are missing."""
    path = Path(source)
    if path.is_dir():
        return directory_files(source)
    if not path.exists() and any(char in source for char in "*?["):  # a pattern the shell did not expand
        matches = sorted(glob.glob(source, recursive=True))
        if not matches:
            return [], [Failure(source, "no files match")]
        found = [_files(match) for match in matches]
        return [file for files, _ in found for file in files], [failure for _, failures in found for failure in failures]
    if not path.exists():
        return [], [Failure(source, "no such file")]
    return [source], []


def plan(sources: list[str], files_per_task: int | None = None) -> tuple[list[Task], list[Failure]]:
    """Tasks for the inputs, and a Failure for each input that names nothing."""
    files_per_task = files_per_task or FILES_PER_TASK
    tasks: list[Task] = []
    failures: list[Failure] = []
    loose: list[str] = []
    fetched: list[str] = []
    for source in sources:
        if source == "-":
            failures.append(Failure(source, "stdin cannot be written as a part: save it to a file first"))
            continue
        if web.is_url(source):
            fetched.append(source)
            continue
        files, missing = _files(source)
        failures.extend(missing)
        for file in files:
            kind = kind_of(file)
            if kind in (WARC, JSONL):
                tasks.append(Task(part_name(Path(file).name, (file,)), (file,)))
            elif kind == FEED:
                fetched.append(file)
            else:
                loose.append(file)
    for start in range(0, len(loose), files_per_task):
        chunk = tuple(loose[start:start + files_per_task])
        tasks.append(Task(part_name(Path(chunk[0]).stem, chunk), chunk))
    if fetched:
        tasks.append(Task(part_name("fetched", tuple(fetched)), tuple(fetched), local_only=True))
    return tasks, failures


def refuse_fetching(tasks: list[Task]) -> None:
    """For engines on other machines: fetching stays local, where the delay between requests to one host holds."""
    fetched = [task for task in tasks if task.local_only]
    if fetched:
        raise PartError(f"URLs and feeds ({fetched[0].sources[0]}, ...) are fetched by the local engine only, "
                        f"which keeps the delay between requests to one host: run them with --engine local")


def run_task(task: Task, settings: Settings) -> TaskResult:
    """Read, extract and write one part; documents that fail are in the result, not raised.
    Raises when the task as a whole cannot run here (inputs or OUT not visible on this host)."""
    out = Path(settings.out)
    here = f"{socket.gethostname()} (in {os.getcwd()})"
    if not (out / MARKER).is_file():
        raise PartError(f"{out} is not visible on {here}: OUT must be on storage every worker mounts at the same path")
    missing = [source for source in task.sources if not web.is_url(source) and not Path(source).exists()]
    if missing:
        raise PartError(f"{missing[0]} is not visible on {here}: inputs must be on storage every worker "
                        f"mounts at the same path (name them by absolute paths)")
    result = TaskResult(task.part)
    with Fetcher.of(settings.fetching, settings.options.max_page_bytes) as fetcher, PartWriter(out, task.part) as writer:
        documents = read_inputs(task.sources, settings.options, fetcher)
        for outcome in batch.run(documents, prepare=settings.prepare, doc_timeout=settings.doc_timeout,
                                 analysis=settings.analysis):
            result.documents += 1
            if outcome.article is not None:
                writer.add(keep_confident(outcome.article, settings.min_confidence))
            elif outcome.failure is not None:
                result.failures.append(outcome.failure)
            elif outcome.skipped is not None:
                result.skipped[batch.reason_kind(outcome.skipped.reason)] += 1
        writer.commit()
    result.articles, result.quotes = writer.articles, writer.quotes
    return result
