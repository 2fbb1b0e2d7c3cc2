"""The corpus's store cost on real extracted articles: Corpus.ingest_articles of the main texts of
the saved real pages (../shared/eval/realnews/truth.json bodies; the bundled samples when absent),
extracted once (cached as JSON lines at --cache) and stored --copies times under distinct URLs,
outlets and dates into a fresh database, --rounds times. Prints the CPU and wall seconds of each
round, and the fastest and median. Extraction is not timed: its cost is bench/throughput.py's.

To compare two source trees, run it with each on PYTHONPATH, alternating (a busy machine moves
single rounds by several per cent):

    PYTHONPATH=src python bench/store_real.py [--copies 4] [--rounds 5] [--cache PATH]
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from quotetrail import extract_many
from quotetrail.corpus import Corpus
from quotetrail.evaluate.adapters.realpages import reference_body
from quotetrail.model import Article

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT.parent / "shared" / "eval" / "realnews" / "truth.json"


def texts() -> list[str]:
    if TRUTH.is_file():
        truth = json.loads(TRUTH.read_text("utf-8"))
        return [body for _, entry in sorted(truth.items()) if (body := reference_body(entry)).strip()]
    return [path.read_text("utf-8") for path in sorted((ROOT / "samples").glob("*.txt"))]


def extracted(cache: Path) -> list[Article]:
    if not cache.is_file():
        with cache.open("w", encoding="utf-8") as out:
            for article in extract_many(texts()):
                out.write(json.dumps(article.to_dict(include_text=True), ensure_ascii=False) + "\n")
    return [Article.from_dict(json.loads(line)) for line in cache.open(encoding="utf-8")]


def copies(articles: list[Article], count: int) -> list[Article]:
    made = []
    for copy in range(count):
        for number, article in enumerate(articles):
            again = Article.from_dict(article.to_dict(include_text=True))
            again.meta.update({"url": f"https://news.example/{copy}/{number}", "sitename": f"Outlet {number % 7}",
                               "date": f"2025-{1 + copy % 12:02d}-{1 + number % 28:02d}"})
            made.append(again)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "quotetrail-store-real.jsonl")
    args = parser.parse_args()
    batch = copies(extracted(args.cache), args.copies)
    print(f"{len(batch)} articles, {sum(len(article.quotes) for article in batch)} quotations a round")
    cpu, wall = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as folder:
            started, used = time.perf_counter(), time.process_time()
            with Corpus(Path(folder) / "corpus.db") as corpus:
                corpus.ingest_articles(batch)
            cpu.append(time.process_time() - used)
            wall.append(time.perf_counter() - started)
        print(f"  round: {cpu[-1]:.3f} CPU s, {wall[-1]:.2f} s", flush=True)
    print(f"fastest {min(cpu):.3f} CPU s ({1000 * min(cpu) / len(batch):.2f} ms an article), "
          f"median {statistics.median(cpu):.3f} CPU s; wall fastest {min(wall):.2f} s, median {statistics.median(wall):.2f} s")


if __name__ == "__main__":
    main()
