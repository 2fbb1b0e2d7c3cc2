"""Command line: `quotetrail extract INPUT... [--format ...] [-o OUT]`."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .cli_options import add_min_confidence, add_rules_only, apply_rules_only
from .model import Article
from .sanitize import one_line

if TYPE_CHECKING:
    from .batch import Tally

log = logging.getLogger("quotetrail")
SUMMARY_FROM = 10  # documents; a shorter run needs no summary unless something was skipped
PARQUET = "parquet"


def _error(message: str) -> None:
    print(f"quotetrail: error: {one_line(message)}", file=sys.stderr)


def _add_extract(subparsers: argparse._SubParsersAction) -> None:
    from .inputs import web
    from .nlp import MODEL_ENV
    from .read import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGE_BYTES
    from .render import RENDERERS

    parser = subparsers.add_parser("extract", help="extract quotations from articles",
                                   description="Extract quotations, speakers, entities and the reporting chain from "
                                               "news articles: text and HTML files, directories and globs of them, "
                                               "URLs, RSS/Atom feeds, WARC archives and JSONL dumps ('-' reads stdin).")
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="a file (.txt, .html, .xml/.rss/.atom, .warc[.gz], .jsonl[.gz]), directory, glob or URL")
    parser.add_argument("--urls", action="append", default=[], metavar="FILE",
                        help="also fetch the URLs listed in FILE, one per line")
    parser.add_argument("--format", choices=sorted([*RENDERERS, PARQUET]), default="json",
                        help="parquet: a directory of parts (-o OUT/), see the README")
    parser.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes, or with --engine dask the workers of a local cluster (each loads the model once)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="dask: one task per input file on a Dask cluster, writing --format parquet "
                             "(pip install 'quotetrail[dask]'); URLs and feeds stay on the local engine")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="with --engine dask: a running Dask scheduler instead of a local cluster")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"refuse text documents larger than this (default {DEFAULT_MAX_BYTES:,})")
    parser.add_argument("--model", help=f"spaCy model package to load (default: ${MODEL_ENV} or the pinned one)")
    add_rules_only(parser)
    add_min_confidence(parser)
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument("--max-page-bytes", type=int, default=DEFAULT_MAX_PAGE_BYTES,
                        help="refuse HTML pages, feeds, WARC records, JSONL lines and downloads larger than this "
                             f"(default {DEFAULT_MAX_PAGE_BYTES:,})")
    inputs.add_argument("--text-field", default="text", metavar="NAME", help="JSONL field with plain text (default text)")
    inputs.add_argument("--html-field", default="html", metavar="NAME", help="JSONL field with HTML (default html)")
    inputs.add_argument("--id-field", default="id", metavar="NAME",
                        help="JSONL field with a stable document id (default id; else FILE:LINE)")
    inputs.add_argument("--language", default="en", metavar="CODES",
                        help="comma-separated language codes to read; other documents are skipped "
                             "(default en; 'any' reads all)")
    fetching = parser.add_argument_group("fetching URLs")
    fetching.add_argument("--timeout", type=float, default=web.DEFAULT_TIMEOUT, metavar="SECONDS",
                          help=f"give up on a silent server after this long (default {web.DEFAULT_TIMEOUT:g})")
    fetching.add_argument("--retries", type=int, default=web.DEFAULT_RETRIES,
                          help=f"retries after a timeout, connection error, 429 or 5xx, with backoff "
                               f"(default {web.DEFAULT_RETRIES})")
    fetching.add_argument("--delay", type=float, default=web.DEFAULT_DELAY, metavar="SECONDS",
                          help=f"pause between two requests to one host (default {web.DEFAULT_DELAY:g})")
    fetching.add_argument("--deadline", type=float, default=web.DEFAULT_DEADLINE, metavar="SECONDS",
                          help=f"give up on a URL after this long in all, however slowly it arrives "
                               f"(default {web.DEFAULT_DEADLINE:g})")
    fetching.add_argument("--allow-private", action="store_true",
                          help="also fetch from loopback, private, link-local and reserved addresses "
                               "(refused by default, on every redirect too)")
    fetching.add_argument("--ignore-robots", action="store_true", help="fetch pages that robots.txt disallows")
    runs = parser.add_argument_group("long runs")
    runs.add_argument("--resume", action="store_true",
                      help="skip documents already in OUT (--format jsonl -o OUT), or parts already in OUT/ "
                           "(--format parquet), e.g. after a crash")
    runs.add_argument("--errors", metavar="FILE", help="write each failure to FILE as JSONL (id, reason) instead of stderr")
    runs.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                      help="give up on one document after this long; it fails alone "
                           f"(default {DEFAULT_DOC_TIMEOUT:g}; 0: no limit)")
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

    from . import batch
    from .inputs import Fetcher, Fields, InputOptions, Preparer, read_inputs, web
    from .link.confidence import keep_confident
    from .nlp import MODEL_ENV
    from .render import RENDERERS, render_jsonl

    if args.model:
        os.environ[MODEL_ENV] = args.model  # worker processes read it too
    apply_rules_only(args)
    streaming = args.format == "jsonl"
    if not args.inputs and not args.urls:
        _error("nothing to read: name files, directories, globs or URLs, or --urls FILE")
        return 2
    if args.format == PARQUET or args.engine == "dask":
        return _extract_parts(args)
    if args.resume and not (streaming and args.output):
        _error("--resume needs --format jsonl and -o OUT (or --format parquet -o OUT/)")
        return 2
    try:
        urls = [url for path in args.urls for url in web.read_url_list(path)]
        done = batch.completed_ids(Path(args.output)) if args.resume else set()
    except (OSError, ValueError) as error:  # an unreadable --urls file, or an OUT that is not ours
        _error(str(error))
        return 2
    options = InputOptions(args.max_bytes, args.max_page_bytes, Fields(args.text_field, args.html_field, args.id_field))
    languages = None if args.language == "any" else frozenset(code.strip().lower() for code in args.language.split(","))
    tally = batch.Tally()
    articles: list[Article] = []
    with ExitStack() as stack:
        fetcher = stack.enter_context(Fetcher(args.timeout, args.retries, args.delay, args.max_page_bytes,
                                              deadline=args.deadline, allow_private=args.allow_private,
                                              respect_robots=not args.ignore_robots))
        stream = _open_stream(args, stack) if streaming else None
        errors = stack.enter_context(open(args.errors, "w", encoding="utf-8")) if args.errors else None
        progress = stack.enter_context(tqdm(unit=" docs", file=sys.stderr, disable=not sys.stderr.isatty()))
        documents = read_inputs([*args.inputs, *urls], options, fetcher, done)
        for outcome in batch.run(documents, workers=args.workers, prepare=Preparer(languages),
                                 doc_timeout=args.doc_timeout):
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

    from .inputs import Fields, InputOptions, Preparer, web
    from .model import Failure

    if args.format != PARQUET or not args.output:
        _error("--engine dask writes Parquet parts: add --format parquet -o OUT/" if args.engine == "dask"
               else "--format parquet writes a directory of parts: add -o OUT/")
        return 2
    try:
        from . import engine
        from .engine import dask, local
    except ImportError as error:
        _error(f"--format parquet needs pyarrow ({error}): pip install 'quotetrail[parquet]'")
        return 2
    options = InputOptions(args.max_bytes, args.max_page_bytes, Fields(args.text_field, args.html_field, args.id_field))
    languages = None if args.language == "any" else frozenset(code.strip().lower() for code in args.language.split(","))
    settings = engine.Settings(os.path.abspath(args.output), options, Preparer(languages), args.model,
                               (args.timeout, args.retries, args.delay), args.doc_timeout)
    runner = (partial(dask.run_tasks, scheduler=args.scheduler, workers=args.workers) if args.engine == "dask"
              else partial(local.run_tasks, workers=args.workers))
    with ExitStack() as stack:
        errors = stack.enter_context(open(args.errors, "w", encoding="utf-8")) if args.errors else None

        def report(failure: Failure) -> None:
            if errors is not None:
                errors.write(json.dumps({"id": failure.id, "reason": failure.reason}, ensure_ascii=False) + "\n")
                errors.flush()
            else:
                _error(f"{failure.id}: {failure.reason}")

        try:
            urls = [url for path in args.urls for url in web.read_url_list(path)]
            result = engine.extract_parts([*args.inputs, *urls], settings, runner, resume=args.resume,
                                          fetching=args.engine == "local", on_failure=report)
        except (engine.PartError, dask.EngineError, OSError, ValueError) as error:
            _error(str(error))
            return 2
    print(f"quotetrail: {result.tally.summary()}; {len(result.written)} parts written to {args.output}"
          + (f", {result.already_done} already there" if result.already_done else "")
          + (f", {len(result.damaged)} damaged parts extracted again" if result.damaged else "")
          + (f", {result.failed_tasks} tasks failed" if result.failed_tasks else ""), file=sys.stderr)
    return 1 if result.tally.failed else 0


def _add_eval(subparsers: argparse._SubParsersAction) -> None:
    from .evaluate.runner import add_eval_arguments, main_eval

    parser = subparsers.add_parser("eval", help="score extraction against annotated corpora",
                                   description="Score quotetrail (and peer tools) against gold annotations.")
    add_eval_arguments(parser)
    parser.set_defaults(handler=main_eval)


def _add_train(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="train the attribution tagger on PolNeAR",
        description="Convert PolNeAR train/dev to spaCy data, train the SOURCE/CUE/CONTENT tagger on CPU "
                    "(config: quotetrail/train/attribution.cfg, seeds fixed), keep the checkpoint best on dev, "
                    "measure its confidence calibration on dev and write the model directory.")
    parser.add_argument("--polnear", type=Path, default=Path("../shared/eval/polnear"),
                        help="folder holding PolNeAR's train/ and dev/ splits (default ../shared/eval/polnear)")
    parser.add_argument("--output", type=Path, default=Path(".train/attribution_model"),
                        help="where to write the model (default .train/attribution_model; the shipped one "
                             "is src/quotetrail/data/attribution_model)")
    parser.add_argument("--workdir", type=Path, default=Path(".train"),
                        help="converted corpora and checkpoints (default .train)")
    parser.add_argument("--max-steps", type=int, help="stop after this many updates (config: 8000)")
    parser.add_argument("--eval-frequency", type=int, help="evaluate on dev every N updates (config: 250)")
    parser.add_argument("--patience", type=int, help="stop after N updates without improvement (config: 2000)")
    parser.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    from .train import calibrate_on, train

    try:
        output = train(args.polnear, args.output, args.workdir, args.max_steps, args.eval_frequency, args.patience)
        table = calibrate_on(args.polnear / "dev", output)
    except FileNotFoundError as error:
        _error(str(error))
        return 2
    print(f"wrote {output} ({len(table)} calibration buckets)", file=sys.stderr)
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """command: the subcommand named on the command line, if known; `serve` alone skips
    building the others, whose modules load spaCy and the input readers (seconds)."""
    from .corpus.schema import DB_ENV, DEFAULT_DB
    from .web.serve import add_serve

    parser = argparse.ArgumentParser(prog="quotetrail", description="Who said what, to whom, according to whom.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and decisions")
    subparsers = parser.add_subparsers(dest="command", required=True)
    if command == "serve":
        add_serve(subparsers, DB_ENV, DEFAULT_DB)
        return parser
    _add_extract(subparsers)
    _add_eval(subparsers)
    _add_train(subparsers)
    from .corpus.commands import add_corpus_commands
    add_corpus_commands(subparsers)
    add_serve(subparsers, DB_ENV, DEFAULT_DB)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(next((arg for arg in argv if not arg.startswith("-")), None)).parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="quotetrail: %(levelname)s: %(message)s")
    try:
        return args.handler(args)
    except BrokenPipeError:
        return 0
    except Exception as error:
        from .nlp import ModelMissingError  # loaded already by any command that can raise it
        if isinstance(error, ModelMissingError):
            _error(str(error))
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
