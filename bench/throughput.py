"""Throughput of the full pipeline against bare spaCy on the same texts.

Builds N articles of about 600 words by recombining the bundled samples'
paragraphs with varied names, then times, each in a fresh process:
quotetrail end to end (its default, rules plus the attribution model, and with
--rules-only)
and spaCy's nlp.pipe with the model package's own pipeline, untouched, with 1
and 2 processes (--processes 1 for one).
Prints articles/s, words/s, peak RSS (MB, the largest process) and the
timed loop's CPU seconds (this process only: with one process, the ratio of
CPU times is the steadier figure on a machine busy with other work).

    python bench/throughput.py [--articles 500] [--words 600] [--processes 1 2] [--rounds 1]
    python bench/throughput.py --real ../shared/eval/realnews/truth.json --processes 1

--real reads real news instead: the hand-made main-text bodies of the real pages (a
truth.json of ../shared/eval/realnews, 180 articles), --articles of them, repeated to reach
that many when fewer. Real text holds far more distinct words than the recombined samples.
"""
from __future__ import annotations

import argparse
import importlib
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST = ["Maria", "Kwame", "Helena", "Jonas", "Amara", "Paolo", "Nadia", "Rui", "Ilse", "Tomas", "Priya", "Dario"]
LAST = ["Delgado", "Osei", "Varga", "Albrecht", "Nwosu", "Ferrante", "Petrov", "Matos", "Brandt", "Berg", "Shah", "Nunez"]


def make_articles(count: int, words: int, seed: int = 7) -> list[str]:
    lines = [line for path in sorted((ROOT / "samples").glob("*.txt"))
             for line in path.read_text("utf-8").splitlines() if line.strip()]
    names = sorted(set(re.findall(r"\b(?:%s)\b" % "|".join(FIRST + LAST), "\n".join(lines))))
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        swap = dict(zip(names, rng.sample(FIRST + LAST, len(names)), strict=False))
        body, total = [], 0
        while total < words:
            line = rng.choice(lines)
            body.append(re.sub(r"\b\w+\b", lambda m: swap.get(m.group(), m.group()), line))
            total += len(line.split())
        articles.append("\n".join(body) + "\n")
    return articles


def real_articles(truth: Path, count: int) -> list[str]:
    """The main-text bodies of a truth.json (a body given as paragraphs is joined by lines)."""
    pages = json.loads(truth.read_text("utf-8"))
    bodies = [body if isinstance(body, str) else "\n".join(body)
              for body in (pages[name]["body"] for name in sorted(pages)) if body]
    return [bodies[i % len(bodies)] for i in range(count)]


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_one(mode: str, processes: int, texts: list[str]) -> dict:
    """Runs inside a fresh interpreter: model load excluded from the timing."""
    from quotetrail import batch
    from quotetrail.model import Document
    from quotetrail.nlp import load_nlp, model_name
    from quotetrail.settings import Analysis

    analysis = Analysis(rules_only=mode == "rules")  # travels to the worker processes
    # The baseline is the model package's own pipeline, untouched; quotetrail's differs (load_nlp).
    nlp = importlib.import_module(model_name()).load() if mode == "spacy" else load_nlp()
    nlp("Warm up the pipeline once.")
    if mode != "spacy":  # through batch.run, so its language identifier loads before the clock starts too
        warm = Document(id="warm-up", text="Warm up quotetrail (and the attribution model, if on) once.")
        assert next(batch.run([warm], workers=1, analysis=analysis)).article
    start, cpu_start = time.perf_counter(), time.process_time()
    if mode == "spacy":
        count = sum(1 for _ in nlp.pipe(texts, batch_size=32, n_process=processes))
    else:
        documents = (Document(id=str(i), text=text) for i, text in enumerate(texts))
        # A skipped document (not English: 2 of the real pages' bodies) counts as handled.
        # No time limit: on a busy machine the longest real body (6,700 words) can run past the
        # default 30 s of wall time, and a failed document would not be timed like the others.
        count = sum(1 for outcome in batch.run(documents, workers=processes, analysis=analysis, doc_timeout=0)
                    if outcome.article or outcome.skipped)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    assert count == len(texts), f"{mode}: {count} of {len(texts)} processed"
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the three modes this many times, interleaved, and compare each one's fastest "
                             "round (on a shared machine, the round least slowed by other work)")
    parser.add_argument("--real", type=Path, metavar="TRUTH_JSON",
                        help="real news: the main-text bodies of a truth.json (../shared/eval/realnews)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PROCESSES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    texts = real_articles(args.real, args.articles) if args.real else make_articles(args.articles, args.words)
    if args.child:
        print(json.dumps(run_one(args.child[0], int(args.child[1]), texts)))
        return
    total_words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} articles, {total_words / len(texts):.0f} words each on average")
    print(f"{'run':<28}{'articles/s':>12}{'words/s':>12}{'peak MB':>10}{'CPU s':>8}")
    labels = {"spacy": "bare spaCy nlp.pipe", "rules": "quotetrail --rules-only", "learned": "quotetrail"}
    for processes in args.processes:
        best: dict[str, dict] = {}
        cpu: dict[str, list[dict]] = {}
        for _ in range(args.rounds):
            for mode in ("spacy", "rules", "learned"):
                real = ["--real", str(args.real)] if args.real else []
                output = subprocess.run([sys.executable, __file__, "--articles", str(args.articles),
                                         "--words", str(args.words), *real, "--child", mode, str(processes)],
                                        capture_output=True, text=True, check=True).stdout
                result = json.loads(output.strip().splitlines()[-1])
                label = f"{labels[mode]} x{processes}"
                print(f"{label:<28}{len(texts) / result['seconds']:>12.1f}"
                      f"{total_words / result['seconds']:>12.0f}{result['peak_mb']:>10.0f}"
                      f"{result['cpu_seconds']:>8.1f}", flush=True)
                cpu.setdefault(mode, []).append(result)
                if mode not in best or result["seconds"] < best[mode]["seconds"]:
                    best[mode] = result
        for mode in ("rules", "learned"):
            ratio = best["spacy"]["seconds"] / best[mode]["seconds"]
            print(f"  {labels[mode]} at {ratio:.0%} of bare spaCy throughput with {processes} process(es)"
                  + (f" (fastest of {args.rounds} interleaved rounds each)" if args.rounds > 1 else ""))
            if processes == 1:  # CPU time counts only this process's work: steadier on a shared machine
                ratio = min(r["cpu_seconds"] for r in cpu["spacy"]) / min(r["cpu_seconds"] for r in cpu[mode])
                print(f"    by CPU time: {ratio:.0%}")


if __name__ == "__main__":
    main()
