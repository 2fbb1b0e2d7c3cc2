"""Score quote lineage on the lineage test set (tests/lineage-set/*.json).

Each file is one invented chain: a handful of short articles (outlet, date,
text) that carry one quotation, each with its gold variant, speaker_differs and
parent. The real pipeline runs: quotetrail.extract on every article, the
quotations clustered as the corpus clusters them (corpus.trace.cluster, joined
further by lineage.related, as the corpus's candidate pairs would be), then
lineage.build on the cluster that holds the chain's first copy.

    PYTHONPATH=src python bench/lineage.py [--verbose] [--stored]

--stored scores the lineage the corpus keeps instead: the articles are ingested (extracted
the same way, 8 articles a batch, so lineages grow batch by batch) and each chain's lineage
is read from the corpus (corpus/lineages.py), as verify reads it.

Prints, for the whole set and for each split (development: the chains the code
was built against; held-out: chains written afterwards and scored once before
any change), stated-parent accuracy (gold parents the article states),
inferred-parent accuracy, variant accuracy and speaker_differs accuracy. A gold copy the
extractor or the clustering misses counts as wrong on every measure.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from quotetrail import extract_many
from quotetrail.corpus import Corpus
from quotetrail.corpus.database import connect_readonly
from quotetrail.corpus.lineages import lineage_ids, load
from quotetrail.corpus.trace import cluster
from quotetrail.corpus.unionfind import UnionFind
from quotetrail.lineage import Appearance, Copy, build, related
from quotetrail.link.names import name_key

SET = Path(__file__).resolve().parent.parent / "tests" / "lineage-set"
MEASURES = {"found": "copies found in their cluster", "stated": "stated-parent accuracy (>= 95%)",
            "inferred": "inferred/no-parent accuracy", "variant": "variant accuracy (>= 90%)",
            "differs": "speaker_differs accuracy (100%)"}


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        share = self.right / self.total if self.total else 0.0
        return f"{share:6.1%}  ({self.right}/{self.total})"


def chains(folder: Path = SET) -> list[dict]:
    return [json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.json"))]


def copies_of(chain: dict, articles, outlets: list[str], ids: list[list[int]] | None = None
              ) -> list[tuple[Copy, dict]]:
    """Every quotation the extractor found in the chain's articles, with its article's record;
    ids: each article's stored quotation ids, where stored."""
    found = []
    for index, (record, article) in enumerate(zip(chain["articles"], articles)):
        for number, quote in enumerate(article.quotes):
            quote_id = ids[index][number] if ids else f"{record['id']}.q{number}"
            found.append((Copy.of(article, quote, quote_id=quote_id, article_id=record["id"],
                                  outlet=record["outlet"], date=record["date"], outlets=outlets), record))
    return found


def clusters(copies: list[Copy]) -> dict[int, int]:
    """Position -> cluster: trace's clusters, joined where lineage.related finds two copies one."""
    joined: UnionFind[int] = UnionFind()
    for position, root in cluster(enumerate(copy.quote for copy in copies)).items():
        joined.merge(position, root)
    for first in range(len(copies)):
        for second in range(first + 1, len(copies)):
            if joined.find(first) != joined.find(second) and related(copies[first].quote, copies[second].quote):
                joined.merge(first, second)
    return {position: joined.find(position) for position in range(len(copies))}


def stored(data: list[dict], articles: list, folder: str) -> tuple[list[list[int]], object]:
    """The chains' articles ingested into a corpus in folder: each article's quotation ids, and
    the corpus opened read-only."""
    path = f"{folder}/lineage.db"
    records = [record for chain in data for record in chain["articles"]]
    for record, article in zip(records, articles):
        article.meta = {"sitename": record["outlet"], "date": record["date"], "url": f"https://lineage.test/{record['id']}",
                        "title": record["id"], "source": record["id"]}
    with Corpus(path) as corpus:
        corpus.ingest_articles(articles, batch_articles=8)
    ids, next_id = [], 1
    for article in articles:
        ids.append(list(range(next_id, next_id + len(article.quotes))))
        next_id += len(article.quotes)
    return ids, connect_readonly(path)


def gold_copy(record: dict, candidates: list[Copy]) -> Copy | None:
    """The extracted quotation that overlaps the gold quotation's words the most."""
    start = record["text"].rfind(record["quote"])  # the body's, not the headline's
    end = start + len(record["quote"])
    overlap = lambda copy: min(end, copy.start + len(copy.quote)) - max(start, copy.start)  # noqa: E731
    best = max((copy for copy in candidates if copy.article_id == record["id"]), key=overlap, default=None)
    return best if best is not None and overlap(best) > 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print each copy the lineage gets wrong")
    parser.add_argument("--stored", action="store_true", help="score the lineage a corpus stores at ingest")
    args = parser.parse_args()
    data = chains()
    outlets = sorted({record["outlet"] for chain in data for record in chain["articles"]})
    texts = [record["text"] for chain in data for record in chain["articles"]]
    everything = list(extract_many(texts))
    scratch = tempfile.TemporaryDirectory()
    quote_ids, conn = stored(data, everything, scratch.name) if args.stored else (None, None)
    extracted, numbered = iter(everything), iter(quote_ids or [])
    splits = sorted({chain.get("split", "development") for chain in data})
    tallies = {split: {measure: Tally() for measure in MEASURES} for split in ["all", *splits]}
    for chain in data:
        both = [tallies["all"], tallies[chain.get("split", "development")]]

        def add(measure: str, ok: bool) -> None:
            for tally in both:
                tally[measure].add(ok)

        articles = [next(extracted) for _ in chain["articles"]]
        pairs = copies_of(chain, articles, outlets, [next(numbered) for _ in articles] if conn else None)
        copies = [copy for copy, _ in pairs]
        golds = [(record, gold_copy(record, copies)) for record in chain["articles"]]
        first = golds[0][1]
        if conn is not None:
            found = lineage_ids(conn, [first.quote_id]) if first is not None else {}
            lineage = load(conn, found[first.quote_id]) if found else None
        else:
            grouped = clusters(copies)
            members = [copy for position, copy in enumerate(copies)
                       if first is not None and grouped[position] == grouped[copies.index(first)]]
            lineage = build(members, outlets) if members else None
        by_id: dict[str, Appearance] = {item.copy.quote_id: item for item in lineage.appearances} if lineage else {}
        for record, copy in golds:
            item = by_id.get(copy.quote_id) if copy is not None else None
            gold = record["gold"]
            add("found", item is not None)
            got_parent = item.parent if item is not None else None
            parent_ok = (gold["parent"] is None and item is not None and got_parent is None) or (
                gold["parent"] is not None and got_parent is not None and got_parent.how == gold["parent"]["how"]
                and name_key(got_parent.outlet or "") == name_key(gold["parent"]["outlet"]))
            if gold["parent"] is not None and gold["parent"]["how"] == "stated":
                add("stated", parent_ok)
            else:
                add("inferred", parent_ok)
            variant_ok = item is not None and item.variant.kind == gold["variant"]
            add("variant", variant_ok)
            differs_ok = item is not None and item.speaker_differs == gold["speaker_differs"]
            add("differs", differs_ok)
            if args.verbose and not (parent_ok and variant_ok and differs_ok):
                shown = "not found" if item is None else (
                    f"variant {item.variant.kind} {item.variant.meaning}, speaker {item.copy.speaker!r} "
                    f"differs={item.speaker_differs}, parent "
                    + (f"{item.parent.outlet} ({item.parent.how})" if item.parent else "none"))
                print(f"{record['id']} {record['outlet']}: gold {gold['variant']}, differs={gold['speaker_differs']}, "
                      f"parent {gold['parent']}\n    got {shown}\n    quote {copy.quote if copy else None!r}",
                      file=sys.stderr)
    for split, measured in tallies.items():
        chains_in = sum(1 for chain in data if split in ("all", chain.get("split", "development")))
        print(f"{split}: {chains_in} chains, {measured['found'].total} copies")
        for measure, label in MEASURES.items():
            print(f"  {label:<34}{measured[measure]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
