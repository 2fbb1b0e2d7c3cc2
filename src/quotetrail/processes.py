"""Worker processes that never outlive the process that started them.

A process pool's workers wait on a pipe from their parent; killed with -9, the
parent never closes it, and they stay (minutes, a few hundred MB each). So each
worker asks the kernel to kill it when its parent dies (Linux's parent-death
signal), and elsewhere watches its parent from a thread."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
WATCH_SECONDS = 0.5


def pool_context(runs_onnx: bool) -> multiprocessing.context.BaseContext | None:
    """The start method for a pool's workers: spawn when they run ONNX Runtime, else the
    default (fork, the fastest). An ONNX Runtime session holds mutexes of its thread
    pool; a worker forked while one is taken waits on it for ever. Not forkserver: its
    workers are the server's children, so they would outlive a killed parent."""
    return multiprocessing.get_context("spawn") if runs_onnx else None


def die_with_parent() -> None:
    """Call first thing in a worker process (a pool's initializer)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the signal was set up
                os._exit(1)
            return
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:  # an orphan is handed to another parent (init, a subreaper)
        time.sleep(WATCH_SECONDS)
    os._exit(1)
