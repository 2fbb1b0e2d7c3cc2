"""Lineages on real pages: the 180 pages of ../shared/eval/realnews and samples/*.txt.

Extracts every page (HTML main text and metadata as `quotetrail extract` reads
them), clusters the quotations as the corpus does (corpus.trace.cluster), joins
further the pairs that share a word pair and that lineage.related finds one
quotation, and prints how many clusters span more than one outlet, each with
its verdict line and parents, for judging by hand. The outlet is the page's
site name, else its host; the date, the page's own.

    PYTHONPATH=src python bench/lineage_real.py [--limit N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

from quotetrail import extract_many
from quotetrail.corpus.trace import cluster
from quotetrail.corpus.unionfind import UnionFind
from quotetrail.inputs.html import extract as extract_page, page
from quotetrail.lineage import Copy, build, related, verdict
from quotetrail.lineage.words import tokens
from quotetrail.model import Failure

ROOT = Path(__file__).resolve().parent.parent
REALNEWS = ROOT.parent / "shared" / "eval" / "realnews"


def documents(limit: int | None) -> list[tuple[str, str, str | None, str | None]]:
    """(id, text, outlet, date) of each page and sample."""
    found = []
    truth = json.loads((REALNEWS / "truth.json").read_text("utf-8")) if REALNEWS.is_dir() else {}
    for path in sorted((REALNEWS / "pages").glob("*.html.gz"))[:limit] if REALNEWS.is_dir() else []:
        url = truth.get(path.name.removesuffix(".gz"), {}).get("url")
        document = extract_page(page(path.name, gzip.decompress(path.read_bytes()), {"url": url} if url else {}))
        if isinstance(document, Failure):
            print(f"skipped {path.name}: {document.reason}", file=sys.stderr)
            continue
        outlet = document.meta.get("sitename") or (urlparse(url).hostname.removeprefix("www.") if url else None)
        found.append((path.name, document.text, outlet, document.meta.get("date")))
    for path in sorted((ROOT / "samples").glob("*.txt")):
        found.append((path.name, path.read_text("utf-8"), None, None))
    return found


def clusters(copies: list[Copy]) -> list[list[Copy]]:
    joined: UnionFind[int] = UnionFind()
    for position, root in cluster(enumerate(copy.quote for copy in copies)).items():
        joined.merge(position, root)
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)  # candidates: a shared word pair
    for position, copy in enumerate(copies):
        words = [token.word for token in tokens(copy.quote)]
        for pair in set(zip(words, words[1:])):
            by_pair[pair].append(position)
    checked: set[tuple[int, int]] = set()
    for positions in by_pair.values():
        if len(positions) > 50:  # a common pair ("of the"): no evidence of a shared quotation
            continue
        for first in positions:
            for second in positions:
                if first < second and (first, second) not in checked:
                    checked.add((first, second))
                    if joined.find(first) != joined.find(second) and related(copies[first].quote, copies[second].quote):
                        joined.merge(first, second)
    groups: dict[int, list[Copy]] = defaultdict(list)
    for position, copy in enumerate(copies):
        groups[joined.find(position)].append(copy)
    return list(groups.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="read only the first N pages")
    args = parser.parse_args()
    found = documents(args.limit)
    outlets = sorted({outlet for _, _, outlet, _ in found if outlet})
    copies = []
    for (name, _, outlet, date), article in zip(found, extract_many(text for _, text, _, _ in found)):
        copies += [Copy.of(article, quote, quote_id=f"{name}#{number}", article_id=name, outlet=outlet, date=date,
                           outlets=outlets) for number, quote in enumerate(article.quotes)]
    groups = clusters(copies)
    spanning = [group for group in groups if len({copy.article_id for copy in group}) > 1]
    across = [group for group in spanning if len({copy.outlet for copy in group}) > 1]
    print(f"{len(found)} documents, {len(copies)} quotations, {len(groups)} clusters; "
          f"{len(spanning)} span articles, {len(across)} span outlets")
    for group in spanning:
        lineage = build(group, outlets)
        print("\n" + verdict(group[0].quote, lineage)["verdict"])
        for item in lineage.appearances:
            parent = f"{item.parent.outlet} ({item.parent.how})" if item.parent else "-"
            print(f"  {item.copy.date or '?':<10.10} {item.copy.outlet or '?':<24.24} {item.variant.kind:<15} "
                  f"{'other speaker ' if item.speaker_differs else ''}<- {parent}: {item.copy.quote[:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
