"""The corpus at scale: ingest rate, database size, search and trace latency, clustering time.

Builds a synthetic corpus of extracted articles directly (no spaCy): quotes of
8 to 30 words drawn with the word frequencies of the bundled texts, about 3,000
speakers (some written as a bare surname or a variant spelling), 40 outlets over
a year, and a few per cent of quotes relayed by a later article of another
outlet as a near-duplicate (case, punctuation, an ellipsis, a trimmed end).

    python bench/corpus.py [--quotes 100000] [--queries 200] [--db PATH]
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from quotetrail.corpus import Corpus
from quotetrail.corpus.trace import cluster
from quotetrail.model import Article, Entity, Quote, Speaker

ROOT = Path(__file__).resolve().parents[1]
QUOTES_PER_ARTICLE = 5
RELAYED = 0.03
FIRST = ["Maria", "Kwame", "Helena", "Jonas", "Amara", "Paolo", "Nadia", "Rui", "Ilse", "Tomas", "Priya", "Dario",
         "Alexander", "Sergei", "Muhammad", "Yuri", "Olga", "Chen", "Fatima", "Lars", "Ines", "Kofi", "Mei", "Omar"]
VARIANT = {"Alexander": "Aleksandr", "Sergei": "Sergey", "Muhammad": "Mohammed", "Yuri": "Yuriy"}
LAST = [f"{stem}{ending}" for stem in ("Osei", "Varga", "Albrecht", "Nwosu", "Ferrante", "Petrov", "Matos", "Brandt",
                                       "Berg", "Shah", "Nunez", "Lukash", "Kovac", "Haddad", "Tanaka", "Moreau")
        for ending in ("", "son", "enko", "ova", "ini", "er", "ez", "ski")]


def vocabulary() -> tuple[list[str], list[int]]:
    texts = [path.read_text("utf-8") for pattern in ("samples/*.txt", "tests/dev-set/*.txt")
             for path in sorted(ROOT.glob(pattern))]
    counts = Counter(word for text in texts for word in re.findall(r"[A-Za-z']+", text))
    return list(counts), list(counts.values())


def relay(text: str, rng: random.Random) -> str:
    """The same words as another outlet prints them."""
    words = text.split()
    change = rng.randrange(4)
    if change == 0:
        return text.lower().rstrip(".") + "!"
    if change == 1:
        middle = len(words) // 2
        return " ".join(words[:middle]) + " … " + " ".join(words[middle:])
    if change == 2:
        return " ".join(words[:max(4, len(words) - 2)])
    return text


def make_articles(quotes: int, seed: int = 11) -> list[Article]:
    rng = random.Random(seed)
    words, weights = vocabulary()
    people = [(first, last) for first in FIRST for last in LAST]
    outlets = [f"Outlet {n}" for n in range(40)]
    start = date(2024, 1, 1)
    said: list[tuple[str, tuple[str, str], str, date]] = []  # text, person, outlet, date
    articles = []
    for number in range(quotes // QUOTES_PER_ARTICLE):
        outlet, day = rng.choice(outlets), start + timedelta(days=rng.randrange(366))
        body, spans, entities = [f"Article {number} from {outlet}"], [], {}
        for _ in range(QUOTES_PER_ARTICLE):
            earlier = [item for item in rng.sample(said, min(len(said), 3)) if item[3] < day and item[2] != outlet]
            if earlier and rng.random() < RELAYED:
                original, person, via, _ = earlier[0]
                text, reported = relay(original, rng), [via]
            else:
                person = rng.choice(people)
                text = " ".join(rng.choices(words, weights, k=rng.randint(8, 30))) + "."
                reported = []
                said.append((text, person, outlet, day))
            first, last = person
            name = rng.choice([f"{first} {last}", f"{VARIANT.get(first, first)} {last}", last])
            entities.setdefault(name, Entity(name, "PERSON"))
            offset = sum(len(line) + 1 for line in body) + 1
            body.append(f"“{text}” {name} said.")
            spans.append((text, offset, offset + len(text), name, reported))
        article_text = "\n".join(body) + "\n"
        made = [Quote("direct", text, s, e, Speaker(name, name, e + 2, e + 2 + len(name), "named"), None, reported)
                for text, s, e, name, reported in spans]
        assert all(article_text[q.start:q.end] == q.text for q in made)
        articles.append(Article(article_text, made, list(entities.values()), [], [], [],
                                {"sitename": outlet, "date": day.isoformat(), "title": body[0],
                                 "url": f"https://news.example/{number}", "source": f"synthetic-{number}"}))
    return articles


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p95 {cuts[18] * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temporary file)")
    args = parser.parse_args()
    rng = random.Random(5)
    articles = make_articles(args.quotes)
    quotes = [quote for article in articles for quote in article.quotes]
    texts = [(i, quote.text) for i, quote in enumerate(quotes)]
    relayed = sum(1 for quote in quotes if quote.reported_by)
    print(f"{len(texts):,} quotations in {len(articles):,} articles, {relayed:,} relayed near-duplicates")

    cluster(texts[:100])  # loads datasketch and SciPy outside the timings
    for size in (10_000, 30_000, 100_000):
        if size <= len(texts):
            started = time.perf_counter()
            clusters = cluster(texts[:size])
            seconds = time.perf_counter() - started
            # Every relay joining its original and nothing else gives this many clusters.
            expected = size - sum(1 for quote in quotes[:size] if quote.reported_by)
            print(f"clustering {size:>7,} quotations: {seconds:6.2f} s ({size / seconds:,.0f}/s), "
                  f"{len(set(clusters.values())):,} clusters ({expected:,} if exact)")

    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "bench.db"
        with Corpus(path) as corpus:
            started = time.perf_counter()
            report = corpus.ingest_articles(articles)
            seconds = time.perf_counter() - started
            print(f"ingest: {report.quotes:,} quotations in {seconds:.1f} s = {report.quotes / seconds:,.0f} quotes/s "
                  "(speaker rebuild and clustering included)")
        size = sum(file.stat().st_size for file in path.parent.glob(path.name + "*"))
        print(f"database: {size / 1e6:.1f} MB")

        with Corpus(path) as corpus:
            stats = corpus.stats()
            print(f"stored: {stats.articles:,} articles, {stats.quotes:,} quotations, {stats.speakers:,} speakers, "
                  f"{stats.clusters:,} clusters")
            words, weights = vocabulary()
            speakers = [s.name for s in corpus.speakers()]
            timings = []
            for n in range(args.queries):
                query = {"text": " ".join(rng.choices(words, weights, k=rng.randint(1, 2)))}
                if n % 2:
                    query["speaker"] = rng.choice(speakers)
                if n % 3 == 0:
                    query["outlet"] = f"Outlet {rng.randrange(40)}"
                if n % 4 == 0:
                    month = rng.randint(1, 11)
                    query.update(since=f"2024-{month:02d}-01", until=f"2024-{month + 1:02d}-01")
                started = time.perf_counter()
                corpus.search(**query)
                timings.append(time.perf_counter() - started)
            print(f"search ({args.queries} queries, words + speaker/outlet/dates): {percentiles(timings)}")
            timings, found = [], 0
            for _ in range(args.queries):
                _, text = rng.choice(texts)
                words_ = text.split()
                start = rng.randrange(max(1, len(words_) - 8))
                started = time.perf_counter()
                found += corpus.trace(" ".join(words_[start:start + 8])) is not None
                timings.append(time.perf_counter() - started)
            print(f"trace ({args.queries} queries, 8-word fragments of stored quotes, {found} found): "
                  f"{percentiles(timings)}")


if __name__ == "__main__":
    main()
