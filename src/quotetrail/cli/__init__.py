"""The command line: `quotetrail COMMAND ...`, one module per group of commands.

Building the parser imports nothing heavy (no spaCy, no input readers): each
command's handler imports what it uses when it runs, so `--help` and the corpus
commands start fast. A test holds this (tests/test_cli_package.py)."""
from __future__ import annotations

import argparse
import logging
import sys
from typing import NoReturn

from ..errors import CorpusLockedError, CorpusMissingError, ModelMissingError, QuotetrailError
from ..sanitize import one_line
from ..settings import ACCURATE_MODEL_ENV, ATTRIBUTION_MODEL_ENV, DB_ENV, MODEL_ENV

PROG = "quotetrail"


def error(message: str) -> None:
    """One line on stderr, whatever the message holds."""
    print(f"quotetrail: error: {one_line(message)}", file=sys.stderr)


def hint(failure: QuotetrailError) -> str:
    """The flag (or variable) that changes what a library error reports, for the command line."""
    if isinstance(failure, CorpusMissingError):
        return f"name another with --db PATH (or ${DB_ENV})"
    if isinstance(failure, CorpusLockedError):
        return f"wait longer with --lock-timeout SECONDS (waited {failure.waited:g} s)"
    if isinstance(failure, ModelMissingError) and failure.setting == "attribution_model":
        return f"run without the tagger with --rules-only, or point ${ATTRIBUTION_MODEL_ENV} at one"
    if isinstance(failure, ModelMissingError) and failure.setting == "accurate_model":
        return f"--model fast (the default) needs none of it; ${ACCURATE_MODEL_ENV} names another model directory"
    if isinstance(failure, ModelMissingError):
        return f"--spacy-model or ${MODEL_ENV} names the package"
    return ""


def fail(failure: QuotetrailError) -> int:
    """A library error as one line with its hint; exit status 2."""
    advice = hint(failure)
    error(f"{failure}; {advice}" if advice else str(failure))
    return 2


class _Parser(argparse.ArgumentParser):
    """A usage error is one line naming the option, as a library error is (usage: --help)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see '{self.prog} --help')\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser. command: the subcommand named on the command line, if
    known; `serve` alone skips building the others."""
    from .serve import add_serve

    parser = _Parser(prog=PROG, description="Who said what, to whom, according to whom.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and decisions")
    subparsers = parser.add_subparsers(dest="command", required=True)
    if command == "serve":
        add_serve(subparsers)
        return parser
    from . import corpus, evaluate, extract, train

    extract.add_extract(subparsers)
    evaluate.add_eval(subparsers)
    train.add_train(subparsers)
    corpus.add_corpus_commands(subparsers)
    add_serve(subparsers)
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
    except QuotetrailError as failure:
        return fail(failure)
