"""`quotetrail extract INPUT... [--format ...] [-o OUT]`."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..model import Article
from ..sanitize import one_line
from . import error
from .options import add_extraction, add_inputs, analysis, fetching, input_options, languages

if TYPE_CHECKING:
    from ..batch import Tally

log = logging.getLogger("quotetrail")
SUMMARY_FROM = 10  # documents; a shorter run needs no summary unless something was skipped
PARQUET = "parquet"


def add_extract(subparsers: argparse._SubParsersAction) -> None:
    from ..render import RENDERERS

    parser = subparsers.add_parser("extract", help="extract quotations from articles",
                                   description="Extract quotations, speakers, entities and the reporting chain from "
                                               "news articles: text and HTML files, directories and globs of them, "
                                               "URLs, RSS/Atom feeds, WARC archives and JSONL dumps ('-' reads stdin).")
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="a file (.txt, .html, .xml/.rss/.atom, .warc[.gz], .jsonl[.gz]), directory, glob or URL")
    parser.add_argument("--format", choices=sorted([*RENDERERS, PARQUET]), default="json",
                        help="parquet: a directory of parts (-o OUT/), see docs/scale.md")
    parser.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    add_extraction(parser, "processes, or with --engine dask the workers of a local cluster (each loads the model once)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="dask: one task per input file on a Dask cluster, writing --format parquet "
                             "(pip install 'quotetrail[dask]'); URLs and feeds stay on the local engine")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="with --engine dask: a running Dask scheduler instead of a local cluster")
    add_inputs(parser)
    runs = parser.add_argument_group("long runs")
    runs.add_argument("--resume", action="store_true",
                      help="skip documents already in OUT (--format jsonl -o OUT), or parts already in OUT/ "
                           "(--format parquet), e.g. after a crash")
    runs.add_argument("--errors", metavar="FILE", help="write each failure to FILE as JSONL (id, reason) instead of stderr")
    parser.set_defaults(handler=_extract)


def _open_stream(args: argparse.Namespace, stack: ExitStack) -> TextIO:
    """Where JSONL results go one by one, flushed, so a killed run loses nothing written."""
    if not args.output:
        return sys.stdout
    return stack.enter_context(open(args.output, "a" if args.resume else "w", encoding="utf-8"))


def _summary_wanted(args: argparse.Namespace, tally: Tally) -> bool:
    # A few files with nothing skipped: the per-failure lines already tell the whole story.
    return sys.stderr.isatty() or tally.documents >= SUMMARY_FROM or bool(tally.skipped) or bool(args.errors)


def _extract(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .. import batch
    from ..inputs import Fetcher, Preparer, read_inputs, web
    from ..link.confidence import keep_confident
    from ..render import RENDERERS, render_jsonl

    streaming = args.format == "jsonl"
    if not args.inputs and not args.urls:
        error("nothing to read: name files, directories, globs or URLs, or --urls FILE")
        return 2
    if args.format == PARQUET or args.engine == "dask":
        return _extract_parts(args)
    if args.resume and not (streaming and args.output):
        error("--resume needs --format jsonl and -o OUT (or --format parquet -o OUT/)")
        return 2
    try:
        urls = [url for path in args.urls for url in web.read_url_list(path)]
        done = batch.completed_ids(Path(args.output)) if args.resume else set()
    except (OSError, ValueError) as failure:  # an unreadable --urls file, or an OUT that is not ours
        error(str(failure))
        return 2
    tally = batch.Tally()
    articles: list[Article] = []
    with ExitStack() as stack:
        fetcher = stack.enter_context(Fetcher.of(fetching(args), args.max_page_bytes))
        stream = _open_stream(args, stack) if streaming else None
        errors = stack.enter_context(open(args.errors, "w", encoding="utf-8")) if args.errors else None
        progress = stack.enter_context(tqdm(unit=" docs", file=sys.stderr, disable=not sys.stderr.isatty()))
        documents = read_inputs([*args.inputs, *urls], input_options(args), fetcher, done)
        for outcome in batch.run(documents, workers=args.workers, prepare=Preparer(languages(args)),
                                 doc_timeout=args.doc_timeout, analysis=analysis(args)):
            tally.add(outcome)
            if outcome.article is not None:
                outcome.article = keep_confident(outcome.article, args.min_confidence)
            progress.update()
            progress.set_postfix_str(tally.progress(), refresh=False)
            if outcome.failure is not None:
                if errors is not None:
                    errors.write(json.dumps({"id": outcome.id, "reason": outcome.failure.reason}, ensure_ascii=False) + "\n")
                    errors.flush()
                else:
                    progress.write(f"quotetrail: error: {one_line(outcome.id)}: {one_line(outcome.failure.reason)}",
                                   file=sys.stderr)
            elif outcome.article is not None and stream is not None:
                stream.write(render_jsonl([outcome.article]))
                stream.flush()
            elif outcome.article is not None:
                articles.append(outcome.article)
    if articles:
        rendered = RENDERERS[args.format](articles)
        if args.output:
            Path(args.output).write_text(rendered, encoding="utf-8")
        else:
            sys.stdout.write(rendered)
    if _summary_wanted(args, tally):
        print(f"quotetrail: {tally.summary()}", file=sys.stderr)
    return 1 if tally.failed else 0


def _extract_parts(args: argparse.Namespace) -> int:
    """--format parquet: tasks of input files, each writing one part, on the local or the Dask engine."""
    from functools import partial

    from ..inputs import Preparer, web
    from ..model import Failure

    if args.format != PARQUET or not args.output:
        error("--engine dask writes Parquet parts: add --format parquet -o OUT/" if args.engine == "dask"
               else "--format parquet writes a directory of parts: add -o OUT/")
        return 2
    try:
        from .. import engine
        from ..engine import dask, local
    except ImportError as missing:
        error(f"--format parquet needs pyarrow ({missing}): pip install 'quotetrail[parquet]'")
        return 2
    settings = engine.Settings(os.path.abspath(args.output), input_options(args), Preparer(languages(args)),
                               analysis(args), fetching(args), args.doc_timeout, args.min_confidence)
    runner = (partial(dask.run_tasks, scheduler=args.scheduler, workers=args.workers) if args.engine == "dask"
              else partial(local.run_tasks, workers=args.workers))
    with ExitStack() as stack:
        errors = stack.enter_context(open(args.errors, "w", encoding="utf-8")) if args.errors else None

        def report(failure: Failure) -> None:
            if errors is not None:
                errors.write(json.dumps({"id": failure.id, "reason": failure.reason}, ensure_ascii=False) + "\n")
                errors.flush()
            else:
                error(f"{failure.id}: {failure.reason}")

        try:
            urls = [url for path in args.urls for url in web.read_url_list(path)]
            result = engine.extract_parts([*args.inputs, *urls], settings, runner, resume=args.resume,
                                          fetching=args.engine == "local", on_failure=report)
        except (engine.PartError, dask.EngineError, OSError, ValueError) as failure:
            error(str(failure))
            return 2
    print(f"quotetrail: {result.tally.summary()}; {len(result.written)} parts written to {args.output}"
          + (f", {result.already_done} already there" if result.already_done else "")
          + (f", {len(result.damaged)} damaged parts extracted again" if result.damaged else "")
          + (f", {result.failed_tasks} tasks failed" if result.failed_tasks else ""), file=sys.stderr)
    return 1 if result.tally.failed else 0
