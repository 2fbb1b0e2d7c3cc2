"""The Dask engine: one task per part on a Dask cluster, a local one (--workers N)
or one already running (--scheduler tcp://HOST:8786).

Each worker process runs one task at a time (one thread) and loads the model
once, on its first task. A task that raises is retried (RETRIES); a task whose
worker dies is rescheduled by the scheduler on another worker, up to the
cluster's `distributed.scheduler.allowed-failures` (default 3). Then its
exception comes back here and the caller reports it."""
from __future__ import annotations

import logging
import uuid
from contextlib import ExitStack

from .local import Completed
from .tasks import Settings, Task, refuse_fetching, run_task

RETRIES = 2
CONNECT_TIMEOUT = "20s"
# For the local cluster's workers. Dask's profiler samples the running task every 10 ms, and its
# 64 KB malloc trim threshold makes spaCy's allocations fault pages: one 50-page task took 15.2
# CPU-s in a default worker, 10.9 with these (9.9 in this process). Numpy's thread caps stay.
LOCAL_WORKERS = {"distributed.worker.profile.enabled": False,
                 "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1,
                                                         "OPENBLAS_NUM_THREADS": 1}}


class EngineError(RuntimeError):
    pass


def run_tasks(tasks: list[Task], settings: Settings, *, scheduler: str | None = None, workers: int = 2,
              retries: int = RETRIES) -> Completed:
    """Each task with its result, or the exception it ended with, as they finish."""
    try:
        import dask
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise EngineError("--engine dask needs Dask: pip install 'quotetrail[dask]'") from None
    if not logging.getLogger("quotetrail").isEnabledFor(logging.INFO):  # Dask logs every start and stop at INFO
        logging.getLogger("distributed").setLevel(logging.WARNING)
    refuse_fetching(tasks)
    with ExitStack() as stack:
        try:
            if scheduler:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            else:
                stack.enter_context(dask.config.set(LOCAL_WORKERS))
                cluster = stack.enter_context(LocalCluster(n_workers=max(workers, 1), threads_per_worker=1,
                                                           processes=True, dashboard_address=None))
                client = stack.enter_context(Client(cluster))
        except OSError as error:
            raise EngineError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {error}") from None
        # Keys unique to this run: the scheduler hands a key it still holds to whoever asks for it.
        run = uuid.uuid4().hex[:8]
        futures = {client.submit(run_task, task, settings, key=f"quotetrail-{task.part}-{run}", retries=retries,
                                 pure=False): task for task in tasks}
        for future in as_completed(futures):
            task = futures.pop(future)
            try:
                result = future.result()
            except Exception as error:  # retried already: the caller reports it for every input of the task
                yield task, error
            else:
                yield task, result
            future.release()
