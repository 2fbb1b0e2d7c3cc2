"""Command-line options shared by `extract`, the corpus commands and `serve`."""
from __future__ import annotations

import argparse
import os


def add_rules_only(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules-only", action="store_true",
                        help="the hand-written rules alone, without the learned attribution tagger "
                             "(faster, less accurate; see README, Learned attribution)")


def apply_rules_only(args: argparse.Namespace) -> None:
    from ..pipeline import RULES_ONLY_ENV

    if args.rules_only:
        os.environ[RULES_ONLY_ENV] = "1"  # worker processes read it too


def add_min_confidence(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-confidence", type=float, default=0.0, metavar="P",
                        help="leave out quotations whose confidence (the measured chance that the quote and its "
                             "speaker are right; see README, Accuracy) is below P, e.g. 0.5")
