"""CPU seconds per stage of the default pipeline (or --rules-only) on real news: each spaCy
component, the attribution tagger, and the stages after the parse, timed in place.

Runs the 180 main-text bodies of ../shared/eval/realnews through batch.run, as
bench/throughput.py's timed loop does, with each stage wrapped in a CPU-time counter (no
profiler, whose overhead falls unevenly on Python and compiled code).

    python bench/stages.py [--real ../shared/eval/realnews/truth.json] [--articles 180] [--rules-only]
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from quotetrail import batch, pipeline
from quotetrail.model import Document
from quotetrail.nlp import load_nlp
from quotetrail.settings import Analysis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import real_articles  # noqa: E402

STAGES = ("clean", "tag", "find_attributions", "model_attributions", "merge", "link", "calibrate", "describe")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, default=Path("../shared/eval/realnews/truth.json"))
    parser.add_argument("--articles", type=int, default=180)
    parser.add_argument("--rules-only", action="store_true")
    args = parser.parse_args()
    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, step: Callable) -> Callable:
        def run(*arguments, **keywords):
            start = time.process_time()
            try:
                return step(*arguments, **keywords)
            finally:
                spent[name] += time.process_time() - start
        return run

    for name in STAGES:
        setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    analysis = Analysis(rules_only=args.rules_only)
    nlp = load_nlp(analysis.model)  # the instance batch.run uses (load_nlp caches it)
    nlp.tokenizer = timed("spaCy tokenizer", nlp.tokenizer)
    # spaCy runs what nlp._components lists: wrapped in place, each component is timed as it is.
    nlp._components = [(name, timed(f"spaCy {name}", component)) for name, component in nlp._components]
    warm = Document(id="warm-up", text="Warm up quotetrail (and the attribution model, if on) once.")
    assert next(batch.run([warm], analysis=analysis)).article
    spent.clear()
    texts = real_articles(args.real, args.articles)
    start = time.process_time()
    for _ in batch.run((Document(id=str(i), text=text) for i, text in enumerate(texts)), analysis=analysis,
                       doc_timeout=0):
        pass
    total = time.process_time() - start
    words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} articles, {words} words: {total:.1f} CPU s, {words / total:,.0f} words per CPU-second")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {name:<30}{seconds:8.2f}{seconds / total:8.1%}")
    print(f"  {'the rest':<30}{total - sum(spent.values()):8.2f}")


if __name__ == "__main__":
    main()
