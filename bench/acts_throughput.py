"""Throughput cost of the describe stage (quotetrail.acts) on real news text.

Times, in one process, the CPU seconds of the whole pipeline (quotetrail.pipeline.extract_many:
parse, clean, attribute with its default tagger, link) on the main text of the saved real
pages (../shared/eval/realnews/truth.json bodies; the bundled samples when absent), then the
CPU seconds of describe() over the same articles (their parse and attribution made untimed
beforehand). The stage's cost is its time over the pipeline's; "with the stage" runs at
pipeline / (pipeline + stage) of the pipeline's throughput. Each is the fastest of --rounds.

    python bench/acts_throughput.py [--rounds 3] [--limit 180]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotetrail.acts import describe  # noqa: E402
from quotetrail.evaluate.adapters.realpages import reference_body  # noqa: E402
from quotetrail.nlp import load_nlp  # noqa: E402
from quotetrail.pipeline import BATCH_SIZE, analyse, extract_many  # noqa: E402

TRUTH = ROOT.parent / "shared" / "eval" / "realnews" / "truth.json"


def news_texts(limit: int) -> tuple[list[str], str]:
    if TRUTH.is_file():
        truth = json.loads(TRUTH.read_text("utf-8"))
        bodies = [reference_body(entry) for _, entry in sorted(truth.items())]
        return [body for body in bodies if body.strip()][:limit], f"{TRUTH.parent.name} main texts"
    return [path.read_text("utf-8") for path in sorted((ROOT / "samples").glob("*.txt"))][:limit], "samples"


def cpu_of(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=180)
    args = parser.parse_args()
    texts, where = news_texts(args.limit)
    nlp = load_nlp()
    list(extract_many(["Warm up, said the bench."], nlp))  # models loaded before the clock
    parsed = [(doc, text) for doc, text in nlp.pipe(((text, text) for text in texts), batch_size=BATCH_SIZE,
                                                  as_tuples=True)]
    articles = [(doc, analyse(doc, text)) for doc, text in parsed]
    quotes = sum(len(article.quotes) for _, article in articles)
    words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} texts ({where}), {words} words, {quotes} quotations")
    pipeline, stage = [], []
    for _ in range(args.rounds):
        pipeline.append(cpu_of(lambda: sum(1 for _ in extract_many(texts, nlp))))
        stage.append(cpu_of(lambda: [describe(doc, article) for doc, article in articles]))
        print(f"  round: pipeline {pipeline[-1]:.2f} CPU s, describe {stage[-1]:.3f} CPU s", flush=True)
    best_pipeline, best_stage = min(pipeline), min(stage)
    print(f"pipeline {best_pipeline:.2f} CPU s ({words / best_pipeline:.0f} words/CPU s); "
          f"describe {best_stage:.3f} CPU s = {best_stage / best_pipeline:.2%} of the pipeline; "
          f"with the stage: {best_pipeline / (best_pipeline + best_stage):.1%} of the throughput without it")


if __name__ == "__main__":
    main()
