"""Command-line options shared by `extract` and the corpus commands."""
from __future__ import annotations

import argparse


def add_min_confidence(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-confidence", type=float, default=0.0, metavar="P",
                        help="leave out quotations whose confidence (the measured chance that the quote and its "
                             "speaker are right; see README, Accuracy) is below P, e.g. 0.5")
