"""Main-text extraction on real saved pages against the benchmarks' reference bodies.

For each page in ../shared/eval/realnews/pages, quotetrail's HTML extraction
(inputs/html.py, the text the pipeline reads) is compared with truth.json's
hand-made `body` as bags of words (lower-cased runs of letters and digits,
counted with multiplicity): precision = shared words / extracted words, recall
= shared words / reference words. Prints a row per page, then the mean of the
per-page figures (macro, the headline figure: each page counts once) and the
figures over all words pooled (micro), overall and per source benchmark. A page
with no extracted text scores 0.

    python bench/extraction.py [--pages DIR] [--quiet]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from quotetrail.evaluate.adapters.realpages import PAGES_BELOW, extracted_text, reference_body

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PageScore:
    page: str
    extracted: int  # words
    reference: int
    shared: int

    @property
    def precision(self) -> float:
        return self.shared / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.shared / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text.casefold()))


def score_page(page: str, extracted: str, reference: str) -> PageScore:
    ours, theirs = words(extracted), words(reference)
    return PageScore(page, sum(ours.values()), sum(theirs.values()), sum((ours & theirs).values()))


def summary(label: str, scores: list[PageScore]) -> str:
    if not scores:
        return f"{label:<28}   (no pages)"
    n = len(scores)
    macro = [sum(getattr(score, name) for score in scores) / n for name in ("precision", "recall", "f1")]
    micro = PageScore(label, sum(s.extracted for s in scores), sum(s.reference for s in scores),
                      sum(s.shared for s in scores))
    return (f"{label:<28} {n:>4}  mean P {100 * macro[0]:5.1f}  R {100 * macro[1]:5.1f}  F1 {100 * macro[2]:5.1f}"
            f"   pooled P {100 * micro.precision:5.1f}  R {100 * micro.recall:5.1f}  F1 {100 * micro.f1:5.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=Path(__file__).resolve().parents[2] / PAGES_BELOW,
                        help="folder of saved pages with truth.json beside it")
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args()
    truth_path = args.pages.parent / "truth.json"
    if not args.pages.is_dir() or not truth_path.is_file():
        print(f"no pages at {args.pages} or no {truth_path}: nothing to measure", file=sys.stderr)
        return 1
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    scores: list[PageScore] = []
    started = time.perf_counter()
    for number, (name, entry) in enumerate(sorted(truth.items()), 1):
        page = args.pages / (name + ".gz")
        if not page.is_file():
            print(f"skipping {name}: no page {page}", file=sys.stderr)
            continue
        scores.append(score_page(name, extracted_text(page), reference_body(entry)))
        print(f"\r{number}/{len(truth)} pages", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    print(file=sys.stderr)
    if not args.quiet:
        print(f"{'page':<40} {'extracted':>9} {'reference':>9}     P      R     F1")
        for score in scores:
            print(f"{score.page:<40} {score.extracted:>9} {score.reference:>9} {100 * score.precision:6.1f} "
                  f"{100 * score.recall:6.1f} {100 * score.f1:6.1f}")
        print()
    print("main-text word F1 against truth.json (bag of words; mean = per page, pooled = all words)")
    print(summary("all pages", scores))
    for prefix in sorted({score.page.split("_")[0] for score in scores}):
        print(summary(f"{prefix}_*", [score for score in scores if score.page.startswith(prefix + "_")]))
    print(f"{len(scores)} pages in {seconds:.1f} s ({len(scores) / seconds:.1f} pages/s, shared machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
