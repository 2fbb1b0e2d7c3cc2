"""`quotetrail eval GOLD_OR_CORPUS...`: score extraction against annotated corpora."""
from __future__ import annotations

import argparse


def add_eval(subparsers: argparse._SubParsersAction) -> None:
    from ..evaluate.runner import add_eval_arguments, main_eval

    parser = subparsers.add_parser("eval", help="score extraction against annotated corpora",
                                   description="Score quotetrail (and peer tools) against gold annotations.")
    add_eval_arguments(parser)
    parser.set_defaults(handler=main_eval)
