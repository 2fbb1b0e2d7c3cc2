"""`quotetrail train`: train the attribution tagger on PolNeAR."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import error


def add_train(subparsers: argparse._SubParsersAction) -> None:
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
    from ..train import calibrate_on, train

    try:
        output = train(args.polnear, args.output, args.workdir, args.max_steps, args.eval_frequency, args.patience)
        table = calibrate_on(args.polnear / "dev", output)
    except FileNotFoundError as failure:
        error(str(failure))
        return 2
    print(f"wrote {output} ({len(table)} calibration buckets)", file=sys.stderr)
    return 0
