"""`quotetrail eval GOLD_OR_CORPUS...`: score extraction against annotated corpora."""
from __future__ import annotations

import argparse
import sys

from ..evaluate.peers import TOOLS  # light: the tools' names, each imported when built

DEFAULT_TOOLS = ["quotetrail"]


def add_eval(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="score extraction against annotated corpora",
                                   description="Score quotetrail (and peer tools) against gold annotations.")
    parser.add_argument("paths", nargs="+", metavar="GOLD_OR_CORPUS",
                        help="a .gold.json file, a folder of them, or a PolNeAR root or split folder")
    parser.add_argument("--tool", dest="tools", action="append", choices=sorted(TOOLS),
                        help="tool to score; repeat for several (default: quotetrail)")
    parser.add_argument("--report", metavar="DIR", help="write report.md and results.json here")
    parser.add_argument("--limit", metavar="N", type=_positive,
                        help="score at most N articles from each path")
    parser.add_argument("--pages", metavar="DIR",
                        help="the saved pages of a real-page gold folder (default: shared/eval/realnews/pages "
                             "beside the gold folder or a folder above it)")
    parser.set_defaults(handler=_eval)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _eval(args: argparse.Namespace) -> int:
    from ..evaluate.runner import run_eval

    try:
        results = run_eval(args.paths, args.tools or DEFAULT_TOOLS, args.report, args.limit, args.pages)
    except (FileNotFoundError, ValueError) as error:
        print(f"quotetrail eval: {error}", file=sys.stderr)
        return 2
    ran = any(corpus["tools"] for corpus in results["corpora"].values())
    return 0 if ran else 1
