"""`quotetrail serve --db corpus.db`: uvicorn over the web app, read-only on the database."""
from __future__ import annotations

import argparse
import sys
import threading
import time

from ..errors import CorpusError
from ..read import DEFAULT_DOC_TIMEOUT
from ..settings import DB_ENV, DEFAULT_DB, default_db
from .options import add_rules_only, add_tier, analysis


def add_serve(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="browse and query the corpus in a browser and over HTTP (read-only)",
        description="Serve the corpus: search, quotation, trace, speaker, outlet, article and analyse pages, "
                    "a JSON API under /api/v1 and its docs at /docs. The database is opened read-only.")
    parser.add_argument("--db", default=None, help=f"corpus database (default ${DB_ENV}, else {DEFAULT_DB})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="a host name the server answers to besides localhost and --host (repeatable): "
                             "requests naming any other host are refused, against DNS rebinding")
    parser.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                        help=f"time for one extraction on the Analyse page (default {DEFAULT_DOC_TIMEOUT:g}; 0: no limit)")
    add_tier(parser)  # for the Analyse page
    add_rules_only(parser)
    parser.set_defaults(handler=serve)


def _warm_up(server) -> None:
    """Outlet filters need a module that imports spaCy (seconds), speaker topics the stop
    words: load them once the server listens, so neither start-up nor the first such request
    waits for them."""
    while not server.started and not server.should_exit:
        time.sleep(0.05)
    import quotetrail.link.names  # noqa: F401

    from ..corpus.text import stop_words

    stop_words()


def serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from ..web.app import create_app
    except ImportError as error:
        print(f"quotetrail: error: serve needs the web extra ({error.name} is missing): "
              "pip install 'quotetrail[web]'", file=sys.stderr)
        return 2
    db = args.db or default_db()
    try:
        app = create_app(db, analyse_timeout=args.doc_timeout, analysis=analysis(args),
                         allowed_hosts=[args.host, *args.allow_host])
    except CorpusError as error:
        print(f"quotetrail: error: {error}", file=sys.stderr)
        return 2
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning"))
    threading.Thread(target=_warm_up, args=(server,), daemon=True).start()
    print(f"quotetrail: serving {db} (read-only) at http://{args.host}:{args.port}/", file=sys.stderr)
    server.run()
    return 0
