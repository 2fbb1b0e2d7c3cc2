"""Option groups that several commands share, each declared once, and the frozen
settings built from them (quotetrail.settings) that travel to the code and the
worker processes that use them.

Nothing heavy is imported here: the defaults come from quotetrail.settings and
quotetrail.read, so building every command's parser stays fast."""
from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from ..read import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGE_BYTES
from ..settings import (ACCURATE_MODEL_ENV, DB_ENV, DEFAULT_DB, MODEL_ENV, TIERS, Analysis, Fetching,
                        analysis_from_environment, default_db)

if TYPE_CHECKING:
    from ..inputs import InputOptions

DEFAULT_LOCK_TIMEOUT = 5.0  # seconds a corpus command waits while another process writes


def add_db(parser: argparse.ArgumentParser) -> None:
    """--db and --lock-timeout: every command that opens the corpus."""
    parser.add_argument("--db", default=default_db(), metavar="PATH",
                        help=f"corpus database (default: ${DB_ENV} or {DEFAULT_DB})")
    parser.add_argument("--lock-timeout", type=float, default=DEFAULT_LOCK_TIMEOUT, metavar="SECONDS",
                        help=f"how long to wait while another process writes (default {DEFAULT_LOCK_TIMEOUT:g})")


def add_old_lock_timeout(parser: argparse.ArgumentParser) -> None:
    """--timeout, the lock wait's old name, still read by the corpus commands that fetch nothing
    (in extract and ingest, --timeout is the HTTP timeout)."""
    parser.add_argument("--timeout", type=float, dest="lock_timeout", help=argparse.SUPPRESS)


def add_inputs(parser: argparse.ArgumentParser) -> None:
    """What to read and how: the inputs, size limits, JSONL fields, languages and fetching
    (extract and ingest take the same)."""
    parser.add_argument("--urls", action="append", default=[], metavar="FILE",
                        help="also fetch the URLs listed in FILE, one per line")
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"refuse text documents larger than this (default {DEFAULT_MAX_BYTES:,})")
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
    fetching.add_argument("--timeout", type=float, default=Fetching.timeout, metavar="SECONDS",
                          help=f"give up on a silent server after this long (default {Fetching.timeout:g})")
    fetching.add_argument("--retries", type=int, default=Fetching.retries,
                          help=f"retries after a timeout, connection error, 429 or 5xx, with backoff "
                               f"(default {Fetching.retries})")
    fetching.add_argument("--delay", type=float, default=Fetching.delay, metavar="SECONDS",
                          help=f"pause between two requests to one host (default {Fetching.delay:g})")
    fetching.add_argument("--deadline", type=float, default=Fetching.deadline, metavar="SECONDS",
                          help=f"give up on a URL after this long in all, however slowly it arrives "
                               f"(default {Fetching.deadline:g})")
    fetching.add_argument("--allow-private", action="store_true",
                          help="also fetch from loopback, private, link-local and reserved addresses "
                               "(refused by default, on every redirect too)")
    fetching.add_argument("--ignore-robots", action="store_true", help="fetch pages that robots.txt disallows")


def add_extraction(parser: argparse.ArgumentParser, workers_help: str) -> None:
    """How articles are analysed: extract and ingest take the same."""
    parser.add_argument("--workers", type=int, default=1, help=workers_help)
    add_tier(parser)
    parser.add_argument("--spacy-model", metavar="PACKAGE",
                        help=f"spaCy model package to load (default: ${MODEL_ENV} or the pinned one)")
    add_rules_only(parser)
    add_min_confidence(parser)
    add_kinds(parser, "all")
    parser.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                        help="give up on one document after this long; it fails alone "
                             f"(default {DEFAULT_DOC_TIMEOUT:g}; 0: no limit)")


def add_tier(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default="fast", type=_tier, metavar="{fast,accurate}",
                        help="the attribution tagger: fast (the default) or accurate (a transformer, slower; "
                             f"needs quotetrail[accurate]; its model: ${ACCURATE_MODEL_ENV} or the shipped one; "
                             "see docs/accurate.md)")


def _tier(value: str) -> str:
    if value not in TIERS:
        # --model named the spaCy package before the tiers existed.
        raise argparse.ArgumentTypeError(f"choose {' or '.join(TIERS)} (a spaCy package goes to --spacy-model)")
    return value


def add_rules_only(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules-only", action="store_true",
                        help="the hand-written rules alone, without the learned attribution tagger "
                             "(faster, less accurate; see docs/accuracy.md)")


def add_kinds(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--kinds", default=default, type=_kinds, metavar="KINDS",
                        help="which attributions: all, quotations (direct, mixed, indirect), or kinds by name, "
                             "comma-separated: direct, mixed, indirect, stance, belief, no_comment "
                             f"(default {default}; see docs/output.md)")


def _kinds(spec: str) -> str:
    from ..model import parse_kinds  # model.py is plain dataclasses: no spaCy

    try:
        parse_kinds(spec)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return spec


def add_min_confidence(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-confidence", type=float, default=0.0, metavar="P",
                        help="leave out quotations whose confidence (the measured chance that the quote and its "
                             "speaker are right; see docs/accuracy.md) is below P, e.g. 0.5")


def analysis(args: argparse.Namespace) -> Analysis:
    """The flags over the environment's defaults (--spacy-model over $QUOTETRAIL_MODEL, ...).
    Raises ModelMissingError, loading nothing, when --model accurate lacks its files or packages."""
    chosen = replace(analysis_from_environment(True if args.rules_only else None), kinds=getattr(args, "kinds", "all"),
                     tier=getattr(args, "model", "fast"))
    if getattr(args, "spacy_model", None):
        chosen = replace(chosen, model=args.spacy_model)
    if chosen.tier == "accurate" and not chosen.rules_only:
        from ..accurate import model_directory, require  # light: loads nothing

        require(model_directory(chosen.accurate_model))
    return chosen


def fetching(args: argparse.Namespace) -> Fetching:
    return Fetching(args.timeout, args.retries, args.delay, args.deadline, allow_private=args.allow_private,
                    respect_robots=not args.ignore_robots)


def input_options(args: argparse.Namespace) -> InputOptions:
    from ..inputs import Fields, InputOptions

    return InputOptions(args.max_bytes, args.max_page_bytes, Fields(args.text_field, args.html_field, args.id_field))


def languages(args: argparse.Namespace) -> frozenset[str] | None:
    """None: every language."""
    return None if args.language == "any" else frozenset(code.strip().lower() for code in args.language.split(","))

