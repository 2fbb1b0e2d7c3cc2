"""Command line: `quotetrail extract FILE... [--format ...] [-o OUT]`."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import batch
from .model import Article
from .nlp import MODEL_ENV, ModelMissingError
from .read import DEFAULT_MAX_BYTES, read_document
from .render import RENDERERS

log = logging.getLogger("quotetrail")


def _error(message: str) -> None:
    print(f"quotetrail: error: {message}", file=sys.stderr)


def _add_extract(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("extract", help="extract quotations from articles",
                                   description="Extract quotations, speakers, entities and the reporting "
                                               "chain from news articles (plain text files; '-' reads stdin).")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="json")
    parser.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    parser.add_argument("--workers", type=int, default=1, help="processes (each loads the model once)")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"refuse inputs larger than this (default {DEFAULT_MAX_BYTES:,})")
    parser.add_argument("--model", help=f"spaCy model package to load (default: ${MODEL_ENV} or the pinned one)")
    parser.set_defaults(handler=_extract)


def _extract(args: argparse.Namespace) -> int:
    if args.model:
        os.environ[MODEL_ENV] = args.model  # worker processes read it too
    documents = (read_document(path, args.max_bytes) for path in args.files)
    articles: list[Article] = []
    failed = 0
    for outcome in batch.run(documents, workers=args.workers):
        if outcome.failure is not None:
            failed += 1
            _error(f"{outcome.id}: {outcome.failure.reason}")
        else:
            articles.append(outcome.article)
    if articles:
        rendered = RENDERERS[args.format](articles)
        if args.output:
            Path(args.output).write_text(rendered, encoding="utf-8")
        else:
            sys.stdout.write(rendered)
    return 1 if failed else 0


def _add_eval(subparsers: argparse._SubParsersAction) -> None:
    from .evaluate.runner import add_eval_arguments, main_eval

    parser = subparsers.add_parser("eval", help="score extraction against annotated corpora",
                                   description="Score quotetrail (and peer tools) against gold annotations.")
    add_eval_arguments(parser)
    parser.set_defaults(handler=main_eval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quotetrail", description="Who said what, to whom, according to whom.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and decisions")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_extract(subparsers)
    _add_eval(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="quotetrail: %(levelname)s: %(message)s")
    try:
        return args.handler(args)
    except ModelMissingError as error:
        _error(str(error))
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
