"""Reliability of quotetrail's quote confidence on the annotated dev sets.

A predicted quote is right when it matches a gold quote (the scorer's >= 50%
word overlap) and its speaker is the gold speaker; quotes overlapping only an
optional gold quote are left out. Prints, per confidence bin, how many quotes
fall in it, their mean confidence and the share that is right (a calibrated
score has the two close), the expected calibration error, the same per
predicted kind (direct ... stance, belief, no_comment), and the share right
per way the speaker was found (`resolved_by`, direct quotes apart from the
others): the figures link/confidence.py's table is set from.

    python bench/calibration.py [GOLD_DIR ...]     (default: the seed example, tests/dev-set, tests/realnews-dev)
    python bench/calibration.py --model accurate   (the same for the accurate tier)
    python bench/calibration.py --model accurate --fit [DIR]

--fit measures, per "method/kind" (who proposed the quote: rules, model or both;
its kind), the share of right quotes and their mean confidence with the accurate
tagger uncalibrated, on tests/realnews-dev, and writes that table to the accurate
model's calibration.json, which the merge reads (attribute.merge.calibrate): the
accurate tier's own entry, as train.calibrate_on writes the fast tagger's. DIR:
the model directory (default: $QUOTETRAIL_ACCURATE_MODEL or the shipped one).
Rerun it whenever the accurate model changes.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from quotetrail import extract_many
from quotetrail.accurate import model_directory
from quotetrail.accurate.tagger import CALIBRATION_FILE
from quotetrail.evaluate import load_gold
from quotetrail.evaluate.scorer import (Score, _ignored, _match, _Words, join_split_quotes, parse_quote, score_article,
                                        speaker_matches)
from quotetrail.nlp import load_accurate_tagger
from quotetrail.settings import TIERS, Analysis

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [ROOT.parent / "shared" / "examples", ROOT / "tests" / "dev-set", ROOT / "tests" / "realnews-dev"]
FIT_SET = ROOT / "tests" / "realnews-dev"
BINS = [0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
# A model-only quotation's confidence is scaled by its bucket's share right (merge.calibrate),
# unshrunk: a bucket of a handful of quotes would swing it, so those stay unscaled.
MIN_BUCKET = 8


def outcomes(paths: list[Path], analysis: Analysis = Analysis()) -> list[tuple[float, str, str, bool]]:
    """(confidence, resolved_by, kind, right) for every scored predicted quote."""
    rows: list[tuple[float, str, str, bool]] = []
    articles = [article for path in paths if path.exists() for article in load_gold(str(path))]
    for article, predicted in zip(articles, extract_many((article.text for article in articles), analysis=analysis)):
        words = _Words(article.text)
        quotes = join_split_quotes(article.quotes, [parse_quote(q) for q in predicted.to_dict(include_text=True)["quotes"]])
        pairs = _match(article.text, words, article.quotes, quotes, "overlap")
        matched = {p: g for g, p in pairs.items()}
        ignored = _ignored(words, article.optional_quotes, quotes, set(matched))
        for index, joined in enumerate(quotes):
            if index in ignored:
                continue
            quote = joined.quote
            right = index in matched and speaker_matches(article.quotes[matched[index]], quote.speaker)
            how = quote.speaker.resolved_by if quote.speaker else "none"
            rows.append((quote.confidence, how, quote.kind, right))
    return rows


Row = tuple[float, str, str, bool]


def binned(rows: list[Row]) -> list[tuple[float, float, list[tuple[float, bool]]]]:
    """(low, high, [(confidence, right)]) for each BINS interval that holds a quote."""
    found = []
    for low, high in zip(BINS, BINS[1:]):
        chosen = [(conf, right) for conf, _, _, right in rows if low <= conf < high]
        if chosen:
            found.append((low, high, chosen))
    return found


def summary(chosen: list[tuple[float, bool]]) -> tuple[float, float]:
    """Mean confidence and share right."""
    return sum(conf for conf, _ in chosen) / len(chosen), sum(right for _, right in chosen) / len(chosen)


def calibration_error(rows: list[Row]) -> float:
    """Expected calibration error over BINS: the gap between mean confidence and
    share right in each bin, weighted by the bin's share of the quotes."""
    error = 0.0
    for _, _, chosen in binned(rows):
        mean, share = summary(chosen)
        error += len(chosen) / len(rows) * abs(mean - share)
    return error


def fit_accurate(directory: Path, gold: Path = FIT_SET) -> dict[str, dict[str, float]]:
    """Measure the accurate tagger's "method/kind" buckets on gold, uncalibrated, and write
    them to directory's calibration.json; returns the table."""
    (directory / CALIBRATION_FILE).unlink(missing_ok=True)  # measure the raw confidences
    load_accurate_tagger.cache_clear()
    articles = load_gold(str(gold))
    found = extract_many((article.text for article in articles),
                         analysis=Analysis(tier="accurate", accurate_model=str(directory)))
    score = sum((score_article(article, predicted.to_dict()) for article, predicted in zip(articles, found)), Score())
    table = {key: {"precision": round(bucket["precision"], 4), "mean_confidence": round(bucket["mean_confidence"], 4),
                   "quotes": bucket["quotes"]}
             for key, bucket in sorted(score.figures()["reliability_by_method"].items())
             if bucket["quotes"] >= MIN_BUCKET}
    (directory / CALIBRATION_FILE).write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    load_accurate_tagger.cache_clear()
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--model", choices=TIERS, default="fast", help="the tier whose confidences to measure")
    parser.add_argument("--fit", nargs="?", type=Path, const=model_directory(), metavar="DIR",
                        help="with --model accurate: fit its calibration table on tests/realnews-dev and write "
                             "DIR/calibration.json (default DIR: the accurate model in use)")
    args = parser.parse_args()
    if args.fit:
        if args.model != "accurate":
            parser.error("--fit is for --model accurate (the fast tagger's table: train.calibrate_on)")
        table = fit_accurate(args.fit)
        print(f"wrote {args.fit / CALIBRATION_FILE}: {len(table)} buckets of at least {MIN_BUCKET} quotes")
        for key, bucket in table.items():
            print(f"  {key:<20}{bucket['quotes']:>6}  right {bucket['precision']:.2f}  "
                  f"mean confidence {bucket['mean_confidence']:.2f}")
    rows = outcomes(args.sets, Analysis(tier=args.model, accurate_model=str(args.fit) if args.fit else None))
    if not rows:
        print("no annotated articles found", file=sys.stderr)
        return 1
    print(f"{len(rows)} predicted quotes from {', '.join(str(path) for path in args.sets if path.exists())}\n")
    print(f"{'confidence':<12}{'quotes':>8}{'mean conf':>11}{'right':>8}")
    for low, high, chosen in binned(rows):
        mean, share = summary(chosen)
        print(f"{low:.1f}-{min(high, 1.0):.1f}{'':<5}{len(chosen):>8}{mean:>11.2f}{share:>8.2f}")
    print(f"\nexpected calibration error: {calibration_error(rows):.3f}\n")
    print(f"{'kind':<12}{'quotes':>8}{'mean conf':>11}{'right':>8}{'ECE':>8}")
    for kind in sorted({kind for _, _, kind, _ in rows}):
        chosen = [row for row in rows if row[2] == kind]
        mean, share = summary([(conf, right) for conf, _, _, right in chosen])
        print(f"{kind:<12}{len(chosen):>8}{mean:>11.2f}{share:>8.2f}{calibration_error(chosen):>8.3f}")
    print()
    groups: dict[tuple[str, str], list[tuple[float, bool]]] = defaultdict(list)
    for conf, how, kind, right in rows:
        groups[(how, "direct" if kind == "direct" else "other")].append((conf, right))
    print(f"{'resolved_by':<22}{'kind':<8}{'quotes':>8}{'mean conf':>11}{'right':>8}")
    for (how, kind), chosen in sorted(groups.items(), key=lambda item: -len(item[1])):
        mean, share = summary(chosen)
        print(f"{how:<22}{kind:<8}{len(chosen):>8}{mean:>11.2f}{share:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
