"""The corpus at scale: ingest rate, database size, peak RSS, query latency, and the
cost of adding 1 and 10 articles to a corpus that is already large.

Builds a synthetic corpus of extracted articles directly (no spaCy), in time
order, streamed (never all in memory): quotes of 8 to 30 words drawn with the
word frequencies of the bundled texts; 3,072 speakers quoted with Zipf-like
frequencies (a few are everywhere), written in full, with a variant spelling
or as a bare surname; 40 outlets over a year. A quarter of the quotes are
relays: another outlet carrying a quote from the last few days' news as a
near-duplicate (case, punctuation, an ellipsis, a trimmed end, or verbatim).

Quote words are drawn by numpy (seeded), everything else by random.Random(11).

    python bench/corpus.py [--quotes 100000] [--queries 200] [--db PATH]
    python bench/corpus.py --measure-only --db PATH   # an existing corpus: size and queries, no writes
    python bench/corpus.py --quotes 100000 --no-lineage  # the ingest without its lineage steps, to compare

Run each size in its own process: peak RSS is the process's. The ingest rate
counts the product's CPU time only: making the articles is timed apart.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import numpy as np

from quotetrail.corpus import Corpus, CorpusError, IngestReport
from quotetrail.model import Article, Entity, Quote, Speaker

ROOT = Path(__file__).resolve().parents[1]
QUOTES_PER_ARTICLE = 5
RELAYED = 0.25
RECENT = 3000  # quotes a relay may pick from: the last few days' news
FIRST = ["Maria", "Kwame", "Helena", "Jonas", "Amara", "Paolo", "Nadia", "Rui", "Ilse", "Tomas", "Priya", "Dario",
         "Alexander", "Sergei", "Muhammad", "Yuri", "Olga", "Chen", "Fatima", "Lars", "Ines", "Kofi", "Mei", "Omar"]
VARIANT = {"Alexander": "Aleksandr", "Sergei": "Sergey", "Muhammad": "Mohammed", "Yuri": "Yuriy"}
LAST = [f"{stem}{ending}" for stem in ("Osei", "Varga", "Albrecht", "Nwosu", "Ferrante", "Petrov", "Matos", "Brandt",
                                       "Berg", "Shah", "Nunez", "Lukash", "Kovac", "Haddad", "Tanaka", "Moreau")
        for ending in ("", "son", "enko", "ova", "ini", "er", "ez", "ski")]
OUTLETS = [f"Outlet {n}" for n in range(40)]


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


class Newsroom:
    """Articles in publication order; the same seed gives the same articles."""

    def __init__(self, total_articles: int, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.words, self.weights = vocabulary()
        # Quote words drawn a million at a time by numpy: random.choices per quote cost more
        # than storing the quote.
        self.draws = np.random.default_rng(seed)
        self.word_array = np.array(self.words, dtype=object)
        self.word_p = np.array(self.weights, dtype=float) / sum(self.weights)
        self.drawn, self.next_word = np.empty(0, np.int64), 0
        self.people = [(first, last) for last in LAST for first in FIRST]
        self.rng.shuffle(self.people)
        self.people_weights = list(accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(self.people))))
        self.total = total_articles
        self.recent: deque[tuple[str, tuple[str, str], str]] = deque(maxlen=RECENT)  # text, person, outlet
        self.number = 0

    def article(self) -> Article:
        rng, number = self.rng, self.number
        self.number += 1
        outlet = rng.choice(OUTLETS)
        day = date(2024, 1, 1) + timedelta(days=366 * min(number, self.total) // max(self.total, 1))
        body, spans, entities = [f"Article {number} from {outlet}"], [], {}
        for _ in range(QUOTES_PER_ARTICLE):
            if self.recent and rng.random() < RELAYED:
                original, person, via = rng.choice(self.recent)
                text, reported = relay(original, rng), [via] if via != outlet else []
            else:
                person = rng.choices(self.people, cum_weights=self.people_weights)[0]
                text = self.quote_words(rng.randint(8, 30)) + "."
                reported = []
                self.recent.append((text, person, outlet))
            first, last = person
            name = rng.choice([f"{first} {last}", f"{VARIANT.get(first, first)} {last}", last])
            entities.setdefault(name, Entity(name, "PERSON"))
            offset = sum(len(line) + 1 for line in body) + 1
            body.append(f"“{text}” {name} said.")
            spans.append((text, offset, offset + len(text), name, reported))
        article_text = "\n".join(body) + "\n"
        made = [Quote("direct", text, s, e, Speaker(name, name, e + 2, e + 2 + len(name), "named"), None, reported)
                for text, s, e, name, reported in spans]
        return Article(article_text, made, list(entities.values()), [], [], [],
                       {"sitename": outlet, "date": day.isoformat(), "title": body[0],
                        "url": f"https://news.example/{number}", "source": f"synthetic-{number}"})

    def quote_words(self, count: int) -> str:
        if self.next_word + count > len(self.drawn):
            self.drawn, self.next_word = self.draws.choice(len(self.words), 1_000_000, p=self.word_p), 0
        self.next_word += count
        return " ".join(self.word_array[self.drawn[self.next_word - count:self.next_word]])

    def articles(self, count: int) -> Iterator[Article]:
        for _ in range(count):
            yield self.article()


def make_articles(quotes: int, seed: int = 11) -> Iterator[Article]:
    """That many quotations' worth of articles, streamed (bench/web.py builds its corpus with these)."""
    newsroom = Newsroom(quotes // QUOTES_PER_ARTICLE, seed)
    return newsroom.articles(newsroom.total)


def percentiles(samples: list[tuple[float, float]]) -> str:
    """Wall and CPU time: on a shared machine the wall time mostly measures the neighbours."""
    parts = []
    for kind, values in (("wall", [wall for wall, _ in samples]), ("CPU", [cpu for _, cpu in samples])):
        cuts = statistics.quantiles(values, n=20)
        parts.append(f"{kind} p50 {statistics.median(values) * 1000:.1f} ms, p95 {cuts[18] * 1000:.1f} ms")
    return "; ".join(parts)


def timed(action) -> tuple[float, float]:
    """(wall, CPU) seconds; CPU is this thread's, which a busy machine does not inflate."""
    wall, cpu = time.perf_counter(), time.thread_time()
    action()
    return time.perf_counter() - wall, time.thread_time() - cpu


def queries(corpus: Corpus, newsroom: Newsroom, count: int, rng: random.Random) -> None:
    words, weights = newsroom.words, newsroom.weights
    speakers = [summary.name for summary in corpus.speakers()]
    timings = []
    for n in range(count):
        query: dict[str, str] = {"text": " ".join(rng.choices(words, weights, k=rng.randint(1, 2)))}
        if n % 2:
            query["speaker"] = rng.choice(speakers)
        if n % 3 == 0:
            query["outlet"] = rng.choice(OUTLETS)
        if n % 4 == 0:
            month = rng.randint(1, 11)
            query.update(since=f"2024-{month:02d}-01", until=f"2024-{month + 1:02d}-01")
        timings.append(timed(lambda: corpus.search(**query)))
    print(f"search ({count} queries, 1-2 words + speaker/outlet/dates): {percentiles(timings)}")
    common = [word for word, _ in Counter(dict(zip(words, weights))).most_common(5)]
    timings = [timed(lambda: corpus.search(word)) for word in common]
    print(f"search for the 5 commonest words ({', '.join(common)}): max wall {max(timings)[0] * 1000:.1f} ms, "
          f"max CPU {max(cpu for _, cpu in timings) * 1000:.1f} ms")
    texts = [record.text for record in corpus.search(since="2024-03-01", until="2024-10-31", limit=5000)]
    timings, found = [], []
    for _ in range(count):
        tokens = rng.choice(texts).split()
        start = rng.randrange(max(1, len(tokens) - 8))
        timings.append(timed(lambda: found.append(corpus.trace(" ".join(tokens[start:start + 8])) is not None)))
    found = sum(found)
    print(f"trace ({count} queries, 8-word fragments of stored quotes, {found} found): {percentiles(timings)}")
    verify(corpus, texts, newsroom, count, rng)
    names = [rng.choice([f"{first} {last}", last]) for first, last in rng.choices(newsroom.people, k=count)]
    timings = [timed(lambda: speaker(corpus, name)) for name in names]
    print(f"speaker ({count} names, half of them bare surnames): {percentiles(timings)}")
    wall, cpu = timed(corpus.speakers)
    print(f"speakers list: wall {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms")


def verify(corpus: Corpus, texts: list[str], newsroom: Newsroom, count: int, rng: random.Random) -> None:
    """Corpus.verify from a stored quotation's words, an 8-word fragment of them, and the words
    with two of them replaced (what a fact-checker half remembers)."""
    def fragment(tokens: list[str]) -> list[str]:
        start = rng.randrange(max(1, len(tokens) - 8))
        return tokens[start:start + 8]

    def misremembered(tokens: list[str]) -> list[str]:
        wrong = set(rng.sample(range(len(tokens)), min(2, len(tokens))))
        return [rng.choice(newsroom.words) if n in wrong else token for n, token in enumerate(tokens)]

    for label, wording in (("exact", list), ("8-word fragment", fragment), ("two words replaced", misremembered)):
        timings, answers, asked = [], [], []
        for _ in range(count):
            asked.append(rng.choice(texts))
            query = " ".join(wording(asked[-1].split()))
            timings.append(timed(lambda: answers.append(corpus.verify(query))))
        # Right: the quotation the words came from is among the copies the answer lists.
        right = sum(any(item["text"] == text for item in answer["appearances"]) for answer, text in zip(answers, asked))
        print(f"verify ({count} queries, {label}, {right} answered with the quotation they came from): "
              f"{percentiles(timings)}")


def speaker(corpus: Corpus, name: str) -> None:
    try:
        corpus.speaker(name)
    except CorpusError:  # a person the corpus never quoted
        pass


def concurrent(path: Path, newsroom: Newsroom, articles: int) -> None:
    """One ingest (an article per call) against three search loops, each its own connection."""
    done, errors, searches = threading.Event(), [], [0, 0, 0]
    batch = list(newsroom.articles(articles))
    words = [word for word, _ in Counter(dict(zip(newsroom.words, newsroom.weights))).most_common(50)]

    def ingest() -> None:
        try:
            with Corpus(path) as corpus:
                for article in batch:
                    corpus.ingest_articles([article])
        except Exception as error:  # noqa: BLE001 - counted and printed
            errors.append(f"ingest: {error}")
        finally:
            done.set()

    def search(slot: int) -> None:
        rng = random.Random(slot)
        with Corpus(path) as corpus:
            while not done.is_set():
                try:
                    corpus.search(rng.choice(words))
                    corpus.search(speaker=rng.choice(LAST))
                    searches[slot] += 1
                except Exception as error:  # noqa: BLE001
                    errors.append(f"search: {error}")

    threads = [threading.Thread(target=search, args=(slot,)) for slot in range(3)]
    threads.append(threading.Thread(target=ingest))
    seconds, _ = timed(lambda: ([thread.start() for thread in threads], [thread.join() for thread in threads]))
    print(f"concurrent: {articles} one-article ingests against 3 search loops ({sum(searches)} search pairs) "
          f"in {seconds:.1f} s: {len(errors)} errors {errors[:3]}")


class Timed:
    """The articles, counting the CPU time spent making them (not the product's) and
    printing progress every `every` quotations."""

    def __init__(self, articles: Iterator[Article], total: int, every: int = 500_000) -> None:
        self.articles, self.total, self.every = articles, total, every
        self.cpu = 0.0
        self.quotes = 0
        self.started, self.started_cpu = time.perf_counter(), time.thread_time()

    def __iter__(self) -> Iterator[Article]:
        while True:
            cpu = time.thread_time()
            article = next(self.articles, None)
            self.cpu += time.thread_time() - cpu
            if article is None:
                return
            before, self.quotes = self.quotes, self.quotes + len(article.quotes)
            if before // self.every != self.quotes // self.every:
                cpu = time.thread_time() - self.started_cpu - self.cpu
                print(f"  {self.quotes:,} of {self.total:,} quotations stored: {time.perf_counter() - self.started:.0f} s "
                      f"wall, {cpu:.0f} s CPU storing, {self.cpu:.0f} s CPU making them", flush=True)
            yield article


def build(path: Path, newsroom: Newsroom, quotes: int, stored: int = 0) -> None:
    """Store the newsroom's articles after the first `stored` (a build cut short goes on)."""
    for _ in newsroom.articles(stored):  # made and dropped: the later articles' random draws follow them
        pass
    with Corpus(path) as corpus:
        report = IngestReport()
        articles = Timed(newsroom.articles(newsroom.total - stored), quotes)
        articles.quotes = stored * QUOTES_PER_ARTICLE
        wall, cpu = timed(lambda: report.__dict__.update(vars(corpus.ingest_articles(articles))))
        cpu -= articles.cpu
        print(f"ingest: {report.quotes:,} quotations in {wall:.1f} s wall, {cpu:.1f} s CPU "
              f"(+{articles.cpu:.1f} s CPU making the articles, not counted) = {report.quotes / wall:,.0f} quotes/s wall, "
              f"{report.quotes / cpu:,.0f} a CPU second (clustering and speakers included)")


def measure(path: Path, newsroom: Newsroom, queries_count: int, writes: bool) -> None:
    size = sum(file.stat().st_size for file in path.parent.glob(path.name + "*"))
    with Corpus(path, create=False) as corpus:
        stats = corpus.stats()
        print(f"database: {size / 1e6:.1f} MB ({size / stats.quotes:.0f} bytes a quotation)")
        relayed = stats.quotes - stats.clusters
        print(f"stored: {stats.articles:,} articles, {stats.quotes:,} quotations, {stats.speakers:,} speakers, "
              f"{stats.clusters:,} clusters ({relayed:,} quotations joined an earlier one)")
        newsroom.number = stats.articles  # new articles come after the stored ones
        queries(corpus, newsroom, queries_count, random.Random(5))
        if not writes:
            return
        for count, repeats in ((1, 7), (10, 3)):
            runs = [timed(lambda: corpus.ingest_articles(list(newsroom.articles(count)))) for _ in range(repeats)]
            print(f"ingest {count} new article(s), {repeats} times: median wall "
                  f"{statistics.median(wall for wall, _ in runs) * 1000:.0f} ms (max "
                  f"{max(wall for wall, _ in runs) * 1000:.0f}), CPU {statistics.median(cpu for _, cpu in runs) * 1000:.0f} ms")
    concurrent(path, newsroom, 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temporary file); "
                        "one that exists already is built on to --quotes (a build cut short goes on where it "
                        "stopped), then measured")
    parser.add_argument("--measure-only", action="store_true",
                        help="with --db: only the size and the queries; nothing is written, so the same "
                        "database can be measured again (after a change to the queries, say)")
    parser.add_argument("--no-lineage", action="store_true",
                        help="ingest without the stored lineage (its two steps made no-ops): what lineage adds to "
                        "the ingest is the difference with a run without this flag; verify then finds nothing")
    args = parser.parse_args()
    if args.no_lineage:
        from quotetrail.corpus import lineages, trace
        lineages.update = lambda *arguments: None
        trace.BandIndex.lineage_pairs = lambda self, quotes: []
    if args.measure_only and not (args.db and args.db.exists()):
        parser.error("--measure-only needs --db with an existing corpus")
    newsroom = Newsroom(args.quotes // QUOTES_PER_ARTICLE)
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "bench.db"
        if path.exists() and not args.measure_only:  # a corpus built before (maybe cut short): finish what its writer left
            with Corpus(path) as corpus:
                wall, cpu = timed(lambda: corpus.ingest_articles([]))
                stored = corpus.stats().articles
            print(f"reusing {path}: caught up in {wall:.1f} s wall ({cpu:.1f} s CPU); {stored:,} articles stored")
            if stored < newsroom.total:
                build(path, newsroom, args.quotes, stored)
        elif path.exists():
            print(f"measuring {path} as it is")
        else:
            build(path, newsroom, args.quotes)
        measure(path, newsroom, args.queries, writes=not args.measure_only)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"peak RSS: {usage.ru_maxrss / 1024:,.0f} MB; process CPU {usage.ru_utime:.0f} s user + {usage.ru_stime:.0f} s system")


if __name__ == "__main__":
    main()
