"""CPU time of commands that should start fast, beside `python -c pass`.

    python bench/startup.py [--runs 10] [--db small.db]

Runs each command --runs times in a fresh interpreter and prints the median and the
largest CPU time (user + system, from the children's resource usage): `quotetrail --help`,
`quotetrail search` on a small corpus (--db, else one built here from two invented
articles, without spaCy), with and without --outlet, and the interpreter alone. The target is 0.3 s each."""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def _small_corpus(folder: Path) -> Path:
    from quotetrail.corpus import Corpus
    from quotetrail.model import Article, Quote, Speaker

    path = folder / "small.db"
    texts = ["“The harbour will reopen on Monday,” said port chief Maria Delgado.\n",
             "“We will not sign in a back room,” union leader Kwame Osei said.\n"]
    articles = []
    for number, text in enumerate(texts):
        quoted = text.split("“")[1].split("”")[0]
        start = text.index(quoted)
        name = "Maria Delgado" if number == 0 else "Kwame Osei"
        mention = text.index(name)
        articles.append(Article(text=text, quotes=[Quote("direct", quoted, start, start + len(quoted),
                                                         Speaker(name, name, mention, mention + len(name), "named"),
                                                         None, [], 0.9)],
                                entities=[], furniture=[], headings=[], sources=[],
                                meta={"source": f"article{number}.txt", "sitename": "Saltmere Gazette"}))
    with Corpus(path) as corpus:
        corpus.ingest_articles(articles)
    return path


def _cpu(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path, help="a small corpus to search (default: one built here)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or _small_corpus(Path(folder))
        commands = {"python -c pass": [sys.executable, "-c", "pass"],
                    "quotetrail --help": [sys.executable, "-m", "quotetrail.cli", "--help"],
                    "quotetrail search harbour": [sys.executable, "-m", "quotetrail.cli", "search", "harbour",
                                                  "--db", str(db)],
                    "  ... --outlet": [sys.executable, "-m", "quotetrail.cli", "search", "harbour",
                                       "--outlet", "Saltmere Gazette", "--db", str(db)]}
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so a busy moment slows all of them alike
            for name, command in commands.items():
                times[name].append(_cpu(command))
    print(f"{'command':<28}{'median CPU s':>14}{'max CPU s':>11}   ({args.runs} runs)")
    for name, values in times.items():
        print(f"{name:<28}{statistics.median(values):>14.3f}{max(values):>11.3f}")


if __name__ == "__main__":
    main()
