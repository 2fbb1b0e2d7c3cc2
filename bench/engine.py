"""The same documents through multiprocessing and a local Dask cluster.

Writes N news pages (bench/batch.py's generator: about 400 words of article in
47 KB of page) into a temporary directory, then runs, each in a fresh process
with 2 workers:

- multiprocessing, JSONL: `batch.run(workers=2)`, what `quotetrail extract
  --workers 2 --format jsonl` does;
- multiprocessing, Parquet: the local engine (`--format parquet --workers 2`),
  a process pool running one task per 100 pages;
- Dask, Parquet: a local Dask cluster of 2 worker processes running the same
  tasks (`--engine dask --workers 2 --format parquet`).

Wall time includes starting the pool or the cluster and loading the model in
each worker. CPU time is user + system of the run's process and every worker
it started (all of them are waited for, so the kernel counts them). Then the
three outputs are compared article by article (spans, speakers, outlets, all
fields; entities compared as sets, as their order varies between processes); any
difference fails the run.

    nice -n 10 python bench/engine.py [--pages 2000] [--words 400]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch import write_pages
from throughput import peak_rss_mb

MODES = {"jsonl": "multiprocessing, JSONL", "local": "multiprocessing, Parquet parts", "dask": "Dask cluster, Parquet parts"}
WORKERS = 2


def run_child(mode: str, pages: Path, out: Path) -> dict:
    """Runs inside a fresh interpreter."""
    from functools import partial

    from quotetrail import batch, engine
    from quotetrail.engine import dask, local
    from quotetrail.inputs import Fetcher, InputOptions, read_inputs
    from quotetrail.render import render_jsonl

    start = time.perf_counter()
    if mode == "jsonl":
        with Fetcher() as fetcher, open(out, "w", encoding="utf-8") as stream:
            count = 0
            for outcome in batch.run(read_inputs([str(pages)], InputOptions(), fetcher), workers=WORKERS):
                if outcome.article is not None:
                    stream.write(render_jsonl([outcome.article]))
                    count += 1
    else:
        runner = (partial(dask.run_tasks, workers=WORKERS) if mode == "dask"
                  else partial(local.run_tasks, workers=WORKERS))
        report = engine.extract_parts([str(pages)], engine.Settings(str(out)), runner)
        assert report.failed_tasks == 0, f"{report.failed_tasks} tasks failed"
        count = report.tally.processed
    return {"seconds": time.perf_counter() - start, "count": count, "peak_mb": peak_rss_mb()}


def articles(mode: str, out: Path) -> dict[str, dict]:
    from quotetrail.engine.parts import read_articles
    from quotetrail.model import Article, Failure

    if mode == "jsonl":
        loaded = (Article.from_dict(json.loads(line)) for line in out.open(encoding="utf-8"))
    else:
        def refuse(failure: Failure) -> None:
            raise RuntimeError(f"{failure.id}: {failure.reason}")

        loaded = read_articles(out, refuse)
    comparable = (article.to_dict(include_text=True) for article in loaded)
    # Sorted: the link stage lists people of equally long names in an order that varies between processes.
    return {data["meta"]["id"]: {**data, "entities": sorted(data["entities"], key=lambda entity: entity["name"])}
            for data in comparable}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "PAGES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child[0], Path(args.child[1]), Path(args.child[2]))))
        return
    with tempfile.TemporaryDirectory(prefix="quotetrail-bench-") as temp:
        pages = Path(temp) / "pages"
        pages.mkdir()
        write_pages(pages, args.pages, args.words)
        print(f"{args.pages} HTML pages, about {args.words} words of article each; {WORKERS} workers; "
              f"{os.cpu_count()} CPUs")
        print(f"{'run':<34}{'wall s':>8}{'CPU s':>8}{'docs/s':>8}{'peak MB':>9}")
        outputs = {}
        for mode, label in MODES.items():
            out = Path(temp) / (f"{mode}.jsonl" if mode == "jsonl" else mode)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            output = subprocess.run([sys.executable, __file__, "--child", mode, str(pages), str(out)],
                                    capture_output=True, text=True, check=True).stdout
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            result = json.loads(output.strip().splitlines()[-1])
            assert result["count"] == args.pages, f"{label}: {result['count']} of {args.pages} documents"
            print(f"{label:<34}{result['seconds']:>8.1f}{cpu:>8.1f}{args.pages / result['seconds']:>8.1f}"
                  f"{result['peak_mb']:>9.0f}")
            outputs[mode] = out
        reference = articles("jsonl", outputs["jsonl"])
        quotes = sum(len(article["quotes"]) for article in reference.values())
        for mode in ("local", "dask"):
            other = articles(mode, outputs[mode])
            differing = sorted(id for id in reference.keys() | other.keys() if reference.get(id) != other.get(id))
            if differing:
                first = differing[0]
                fields = [key for key in reference.get(first, {}) if reference[first][key] != other.get(first, {}).get(key)]
                sys.exit(f"{MODES[mode]}: {len(differing)} articles differ from JSONL, e.g. {first} in {fields}")
        print(f"outputs equal: {len(reference)} articles, {quotes} quotations, identical in all three runs")


if __name__ == "__main__":
    main()
