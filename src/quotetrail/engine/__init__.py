"""Extraction to Parquet parts, on this machine or on a Dask cluster.

`tasks` cuts the inputs into tasks, each writing one part (`parts`); an engine
runs them: `local` (this process or a process pool) or `dask`. Both run the
same task code, so both write the same parts. Needs pyarrow (and Dask for the
Dask engine): pip install 'quotetrail[dask]'."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .. import batch
from ..model import Failure
from .local import Completed
from .parts import PartError, check_part, clear_temporaries, done_parts, start_output
from .tasks import Settings, Task, plan, refuse_fetching

Runner = Callable[[list[Task], Settings], Completed]
log = logging.getLogger(__name__)


@dataclass
class PartsReport:
    tally: batch.Tally = field(default_factory=batch.Tally)
    written: list[str] = field(default_factory=list)  # parts written by this run
    already_done: int = 0  # parts skipped by --resume
    damaged: dict[str, str] = field(default_factory=dict)  # parts --resume found damaged, and why: done again
    failed_tasks: int = 0


def _task_failures(task: Task, error: Exception) -> list[Failure]:
    """A task that could not finish: each of its inputs is reported, none silently dropped."""
    reason = f"task failed: {type(error).__name__}: {error} (part {task.part})"
    return [Failure(source, reason) for source in task.sources]


def extract_parts(sources: list[str], settings: Settings, run_tasks: Runner, *, resume: bool = False,
                  fetching: bool = True, on_failure: Callable[[Failure], None] = lambda failure: None) -> PartsReport:
    """Plan the tasks, skip parts already written (resume), run the rest with run_tasks;
    every failure (an input naming nothing, a document, a whole task) goes to on_failure.
    fetching=False: the runner may not fetch URLs and feeds (a cluster)."""
    out = Path(settings.out)
    tasks, failures = plan(sources)
    if not fetching:
        refuse_fetching(tasks)
    if not resume and (out / "articles").is_dir() and done_parts(out):
        raise PartError(f"{out} holds parts already: add --resume to complete it, or choose a new directory")
    start_output(out)
    report = PartsReport()
    done = set()
    for part in done_parts(out) if resume else ():  # a part is trusted only once it reads back whole
        if (problem := check_part(out, part)) is None:
            done.add(part)
        else:
            report.damaged[part] = problem
            log.warning("part %s is damaged (%s): extracting it again", part, problem)
    todo = [task for task in tasks if task.part not in done]
    report.already_done = len(tasks) - len(todo)
    tally = report.tally

    def failed(failure: Failure) -> None:
        tally.failed[batch.reason_kind(failure.reason)] += 1
        on_failure(failure)

    for failure in failures:
        failed(failure)
    with tqdm(total=len(tasks), initial=report.already_done, unit=" parts", file=sys.stderr,
              disable=not sys.stderr.isatty()) as progress:
        for task, result in run_tasks(todo, settings) if todo else ():
            if isinstance(result, Exception):
                report.failed_tasks += 1
                for failure in _task_failures(task, result):
                    failed(failure)
            else:
                report.written.append(task.part)
                tally.processed += result.articles
                tally.skipped.update(result.skipped)
                for failure in result.failures:
                    failed(failure)
            progress.update()
            progress.set_postfix_str(tally.progress(), refresh=False)
    # A worker killed mid-task, or a write that failed, may leave its temporary files behind.
    clear_temporaries(out, [task.part for task in todo])
    return report


__all__ = ["PartError", "PartsReport", "Settings", "extract_parts", "plan"]
