"""Throughput of the full pipeline against bare spaCy on the same texts.

Builds N articles of about 600 words by recombining the bundled samples'
paragraphs with varied names (or reads real news, --real), then times, each in a
fresh process, model load and a warm-up document excluded: spaCy's nlp.pipe with
the model package's own pipeline, untouched (the same components quotetrail
runs; its BLAS limited to one thread, as quotetrail's), the same pipeline with
its matrices multiplied by numpy's BLAS as quotetrail does (nlp.numpy_matrices:
against it, the ratio is quotetrail's own cost beyond spaCy's), and quotetrail
end to end (its default, rules plus the attribution model, and --rules-only; with
--model accurate also the accurate tier, docs/accurate.md), with 1 and 2
processes (--processes 1 for one).
Prints articles/s, words/s, peak RSS (MB, the largest process) and the timed
loop's CPU seconds (time.process_time of the timing process: with one process,
the steadier figure on a machine busy with other work). With --rounds N the
runs alternate (A B A B ..., each round in the reverse order of the one before)
and each ratio is the median over the rounds of the ratio within a round, with
the lowest and highest beside it.

    python bench/throughput.py [--articles 500] [--words 600] [--processes 1 2] [--rounds 1] [--model fast accurate]
    python bench/throughput.py --real ../shared/eval/realnews/truth.json --articles 180 --processes 1 --rounds 3

--real reads real news instead: the hand-made main-text bodies of the real pages (a
truth.json of ../shared/eval/realnews, 180 articles), --articles of them, repeated to reach
that many when fewer. Real text holds far more distinct words than the recombined samples.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

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
    from threadpoolctl import threadpool_limits

    from quotetrail import batch
    from quotetrail.model import Document
    from quotetrail.nlp import load_nlp, model_name, numpy_matrices
    from quotetrail.settings import Analysis

    # travels to the worker processes
    analysis = Analysis(rules_only=mode == "rules", tier="accurate" if mode == "accurate" else "fast")
    # The baselines are the model package's own pipeline, untouched, as installed or with quotetrail's
    # matrix products; quotetrail's differs (load_nlp). One BLAS thread in each, as quotetrail runs.
    threadpool_limits(limits=1, user_api="blas")
    if mode == "spacy-numpy":
        with numpy_matrices():
            nlp = importlib.import_module(model_name()).load()
    else:
        nlp = importlib.import_module(model_name()).load() if mode == "spacy" else load_nlp()
    nlp("Warm up the pipeline once.")
    if not mode.startswith("spacy"):  # through batch.run, so its language identifier loads before the clock starts too
        warm = Document(id="warm-up", text="Warm up quotetrail (and the attribution model, if on) once.")
        assert next(batch.run([warm], workers=1, analysis=analysis)).article
    start, cpu_start = time.perf_counter(), time.process_time()
    if mode.startswith("spacy"):
        count = sum(1 for _ in nlp.pipe(texts, batch_size=32, n_process=processes))
    else:
        documents = (Document(id=str(i), text=text) for i, text in enumerate(texts))
        # A skipped document (not English: 2 of the real pages' bodies) counts as handled.
        # No per-document limit: on a busy machine it fails long documents, and the figures with them.
        count = sum(1 for outcome in batch.run(documents, workers=processes, doc_timeout=0, analysis=analysis)
                    if outcome.article or outcome.skipped)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    assert count == len(texts), f"{mode}: {count} of {len(texts)} processed"
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": peak_rss_mb()}


LABELS = {"spacy": "bare spaCy nlp.pipe", "spacy-numpy": "bare spaCy, numpy BLAS", "rules": "quotetrail --rules-only",
          "learned": "quotetrail", "accurate": "quotetrail --model accurate"}
BASELINES = ("spacy", "spacy-numpy")


def spread(ratios: list[float]) -> str:
    """The median of the rounds' ratios, with the lowest and highest when more than one."""
    middle = f"{median(ratios):.0%}"
    return middle if len(ratios) == 1 else f"{middle} (median of {len(ratios)} rounds; {min(ratios):.0%}–{max(ratios):.0%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the modes this many times, alternating (each round in the reverse order of the one "
                             "before); ratios are the median of the rounds' ratios, with their range")
    parser.add_argument("--real", type=Path, metavar="TRUTH_JSON",
                        help="real news: the main-text bodies of a truth.json (../shared/eval/realnews)")
    parser.add_argument("--model", nargs="+", choices=("fast", "accurate"), default=["fast"],
                        help="the tiers to time beside bare spaCy and --rules-only (default: fast)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PROCESSES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    texts = real_articles(args.real, args.articles) if args.real else make_articles(args.articles, args.words)
    if args.child:
        print(json.dumps(run_one(args.child[0], int(args.child[1]), texts)))
        return
    total_words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} articles, {total_words / len(texts):.0f} words each on average; "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    print(f"{'run':<34}{'articles/s':>12}{'words/s':>12}{'peak MB':>10}{'CPU s':>8}")
    modes = [*BASELINES, "rules", *("learned" if tier == "fast" else tier for tier in args.model)]
    for processes in args.processes:
        results: dict[str, list[dict]] = {mode: [] for mode in modes}
        for round_number in range(args.rounds):
            for mode in modes if round_number % 2 == 0 else modes[::-1]:
                real = ["--real", str(args.real)] if args.real else []
                output = subprocess.run([sys.executable, __file__, "--articles", str(args.articles),
                                         "--words", str(args.words), *real, "--child", mode, str(processes)],
                                        capture_output=True, text=True, check=True).stdout
                result = json.loads(output.strip().splitlines()[-1])
                label = f"{LABELS[mode]} x{processes}"
                print(f"{label:<34}{len(texts) / result['seconds']:>12.1f}"
                      f"{total_words / result['seconds']:>12.0f}{result['peak_mb']:>10.0f}"
                      f"{result['cpu_seconds']:>8.1f}", flush=True)
                results[mode].append(result)
        # With several processes the work is in the workers: only wall time counts it all.
        measure = "cpu_seconds" if processes == 1 else "seconds"
        print(f"  with {processes} process(es), by {'CPU' if processes == 1 else 'wall'} time "
              f"(load average {os.getloadavg()[0]:.1f} at the end):")
        unit = "CPU-second" if processes == 1 else "second"
        for mode in modes:
            per_second = total_words / median(result[measure] for result in results[mode])
            against = [f"{spread([base[measure] / own[measure] for base, own in zip(results[baseline], results[mode])])}"
                       f" of {LABELS[baseline]}" for baseline in BASELINES if mode not in BASELINES]
            print(f"    {LABELS[mode]}: {per_second:,.0f} words per {unit}" + (f"; {', '.join(against)}" if against else ""))


if __name__ == "__main__":
    main()
