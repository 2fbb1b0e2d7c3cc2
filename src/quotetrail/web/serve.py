"""`quotetrail serve --db corpus.db`: uvicorn over the web app, read-only on the database."""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time

from ..cli_options import add_rules_only, apply_rules_only
from ..corpus.schema import CorpusError
from ..read import DEFAULT_DOC_TIMEOUT


def add_serve(subparsers: argparse._SubParsersAction, db_env: str, default_db: str) -> None:
    parser = subparsers.add_parser(
        "serve", help="browse and query the corpus in a browser and over HTTP (read-only)",
        description="Serve the corpus: search, quotation, trace, speaker, outlet, article and analyse pages, "
                    "a JSON API under /api/v1 and its docs at /docs. The database is opened read-only.")
    parser.add_argument("--db", default=None, help=f"corpus database (default ${db_env}, else {default_db})")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="a host name the server answers to besides localhost and --host (repeatable): "
                             "requests naming any other host are refused, against DNS rebinding")
    parser.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                        help=f"time for one extraction on the Analyse page (default {DEFAULT_DOC_TIMEOUT:g}; 0: no limit)")
    add_rules_only(parser)  # for the Analyse page
    parser.set_defaults(handler=lambda args: serve(args, db_env, default_db))


def _warm_up(server) -> None:
    """Outlet filters and speaker topics need modules that import spaCy (seconds): load them
    once the server listens, so neither start-up nor the first such request waits for them."""
    while not server.started and not server.should_exit:
        time.sleep(0.05)
    import quotetrail.link.names  # noqa: F401
    import spacy.lang.en.stop_words  # noqa: F401


def serve(args: argparse.Namespace, db_env: str, default_db: str) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError as error:
        print(f"quotetrail: error: serve needs the web extra ({error.name} is missing): "
              "pip install 'quotetrail[web]'", file=sys.stderr)
        return 2
    apply_rules_only(args)  # before the Analyse page's worker process starts
    db = args.db or os.environ.get(db_env) or default_db
    try:
        app = create_app(db, analyse_timeout=args.doc_timeout, allowed_hosts=[args.host, *args.allow_host])
    except CorpusError as error:
        print(f"quotetrail: error: {error}", file=sys.stderr)
        return 2
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning"))
    threading.Thread(target=_warm_up, args=(server,), daemon=True).start()
    print(f"quotetrail: serving {db} (read-only) at http://{args.host}:{args.port}/", file=sys.stderr)
    server.run()
    return 0
