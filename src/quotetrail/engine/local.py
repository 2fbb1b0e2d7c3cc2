"""The local engine for Parquet output: tasks in this process, or in a pool of
worker processes that each load the model once."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..batch import start_worker, worker_context
from .tasks import Settings, Task, TaskResult, run_task

Completed = Iterator[tuple[Task, TaskResult | Exception]]


def run_tasks(tasks: list[Task], settings: Settings, workers: int = 1) -> Completed:
    """Each task with its result, or the exception that stopped it, as they finish."""
    if workers <= 1:
        for task in tasks:
            try:
                yield task, run_task(task, settings)
            except Exception as error:  # this part is reported; the others go on
                yield task, error
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(settings.analysis), initializer=start_worker,
                             initargs=(settings.analysis.model,)) as pool:
        futures = {pool.submit(run_task, task, settings): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except Exception as error:  # also a worker process that died (BrokenProcessPool)
                yield futures[future], error
