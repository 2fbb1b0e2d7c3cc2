"""`quotetrail serve --db corpus.db`: uvicorn over the web app, read-only on the database,
in one process per core by default."""
from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
from dataclasses import dataclass, field

from ..errors import CorpusError
from ..read import DEFAULT_DOC_TIMEOUT
from ..settings import DB_ENV, DEFAULT_DB, Analysis, default_db
from . import error, fail
from .options import add_rules_only, add_tier, analysis

# One serving process per core, up to MAX_WORKERS: a request's Python work holds its process's
# GIL, so in one process 8 clients take turns on one core (bench/web.py at 1M quotations, 8
# clients, 2 cores: see docs/web.md).
MAX_WORKERS = 4


def default_workers() -> int:
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def add_serve(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="browse and query the corpus in a browser and over HTTP (read-only)",
        description="Serve the corpus: search, quotation, trace, speaker, outlet, article and analyse pages, "
                    "a JSON API under /api/v1 and its docs at /docs. The database is opened read-only.")
    parser.add_argument("--db", default=None, help=f"corpus database (default ${DB_ENV}, else {DEFAULT_DB})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help=f"serving processes (default: one per core, at most {MAX_WORKERS}); "
                             "1 serves from this process alone")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="a host name the server answers to besides localhost and --host (repeatable): "
                             "requests naming any other host are refused, against DNS rebinding")
    parser.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                        help=f"time for one extraction on the Analyse page (default {DEFAULT_DOC_TIMEOUT:g}; 0: no limit)")
    add_tier(parser)  # for the Analyse page
    add_rules_only(parser)
    parser.set_defaults(handler=serve)


def _warm_up() -> None:
    """What the first trace page and verify page would otherwise wait for: the lineage
    (its outlet names come from a module that imports spaCy: seconds) and the stop words.
    Then what start-up made (those modules, the app, the corpus's word sample) is frozen for
    the process's life: the collector stops walking its 100,000 objects at each full
    collection (50 ms of CPU, while the process's other requests wait on it)."""
    import quotetrail.lineage  # noqa: F401

    from ..corpus.text import stop_words

    stop_words()
    gc.collect()  # what start-up left as garbage goes now: frozen, it would stay
    gc.freeze()


@dataclass
class ServedApp:
    """The web app as options, made in the process that serves it: uvicorn pickles this to
    each worker process it spawns, where the first call (the lifespan's start-up, before the
    worker takes requests) makes the app. A worker opens its own read-only connections."""

    db: str
    analyse_timeout: float
    analysis: Analysis
    allowed_hosts: tuple[str, ...]
    app: object = field(default=None, repr=False, compare=False)

    def make(self, warm: bool = True) -> object:
        from ..web.app import create_app

        app = create_app(self.db, analyse_timeout=self.analyse_timeout, analysis=self.analysis,
                         allowed_hosts=self.allowed_hosts)
        if warm:
            threading.Thread(target=_warm_up, daemon=True).start()
        return app

    async def __call__(self, scope, receive, send) -> None:
        if self.app is None:
            self.app = self.make()
        await self.app(scope, receive, send)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "app": None}  # each process makes its own


def serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn
        from uvicorn.supervisors import Multiprocess

        import quotetrail.web.app  # noqa: F401  (the web extra's packages)
    except ImportError as missing:
        error(f"serve needs the web extra ({missing.name} is missing): pip install 'quotetrail[web]'")
        return 2
    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        error("--workers must be 1 or more")
        return 2
    db = args.db or default_db()
    served = ServedApp(db, args.doc_timeout, analysis(args), (args.host, *args.allow_host))
    try:
        app = served.make(warm=workers == 1)  # a database that cannot be served fails here, in one line
    except CorpusError as failure:
        return fail(failure)
    if workers == 1:
        served.app = app
    config = uvicorn.Config(served, host=args.host, port=args.port, log_level="warning", workers=workers)
    print(f"quotetrail: serving {db} (read-only) at http://{args.host}:{args.port}/ "
          f"({workers} process{'es' * (workers > 1)})", file=sys.stderr)
    if workers == 1:
        uvicorn.Server(config).run()
    else:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0
