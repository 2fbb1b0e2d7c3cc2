"""Where the writer's lineage joins spend their CPU (docs/lineage.md, "Stored lineage: measured").

Builds bench/corpus.py's synthetic corpus (in a temporary file) and counts, by kind, the lineage
builds a writer makes: a lineage's first build (its copies all new, or joined by a quotation
alone so far without a row, read again from its article; and the few quotations alone whose
article names a source) or a copy joining a lineage that has stored rows (what updating a lineage in place, instead of building it again, could
save at most). Also the quotations alone so far read again from their articles, and how many of
them had their copy made already when they arrived (what keeping those copies could save).

    python bench/lineage_joins.py --quotes 50000
    python bench/lineage_joins.py --quotes 50000 --batch-articles 64  # an extracting ingest's batch
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import corpus as synthetic  # noqa: E402  (bench/corpus.py)

from quotetrail.corpus import lineages, store  # noqa: E402
from quotetrail.corpus.schema import IMPLIED_FACTS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quotes", type=int, default=50_000)
    parser.add_argument("--batch-articles", type=int, default=store.BULK_BATCH_ARTICLES)
    args = parser.parse_args()
    store.BULK_BATCH_ARTICLES = args.batch_articles

    builds = {"first build": [0, 0, 0.0], "joins stored rows": [0, 0, 0.0]}  # builds, copies, CPU
    rebuild = lineages._rebuild

    def timed_rebuild(conn, lineage_id, copies, made, stored_facts=None):
        started = time.thread_time()
        found = rebuild(conn, lineage_id, copies, made, stored_facts)
        kind = "joins stored rows" if stored_facts and any(
            facts != IMPLIED_FACTS for facts in stored_facts.values()) else "first build"
        counts = builds[kind]
        counts[0], counts[1], counts[2] = counts[0] + 1, counts[1] + len(copies), counts[2] + time.thread_time() - started
        return found

    read_already: set[int] = set()  # quotations alone, without a row, whose copy was made when they arrived
    says_nothing = lineages.Arrival.says_nothing

    def noted_says_nothing(arrival):
        nothing = says_nothing(arrival)
        if nothing and arrival.made is not None:
            read_already.add(arrival.quote_id)
        return nothing

    reread = [0, 0, 0.0]  # quotations alone read again, of them read already, CPU (their copies included)
    stored_arrivals = lineages.stored_arrivals

    def timed_stored_arrivals(conn, quote_ids, outlets=frozenset()):
        started = time.thread_time()
        arrivals = stored_arrivals(conn, quote_ids, outlets)
        for arrival in arrivals:
            arrival.copy()
        reread[0] += len(arrivals)
        reread[1] += sum(arrival.quote_id in read_already for arrival in arrivals)
        reread[2] += time.thread_time() - started
        return arrivals

    lineages._rebuild, lineages.stored_arrivals = timed_rebuild, timed_stored_arrivals
    lineages.Arrival.says_nothing = noted_says_nothing
    newsroom = synthetic.Newsroom(args.quotes // synthetic.QUOTES_PER_ARTICLE)
    with tempfile.TemporaryDirectory() as scratch:
        synthetic.build(Path(scratch) / "bench.db", newsroom, args.quotes)
    for kind, (count, copies, cpu) in builds.items():
        print(f"{kind}: {count:,} lineage builds of {copies:,} copies, {cpu:.2f} s CPU "
              f"({1e6 * cpu / max(count, 1):.0f} µs a build)")
    print(f"quotations alone read again from their articles: {reread[0]:,} ({reread[1]:,} read already when they "
          f"arrived), {reread[2]:.2f} s CPU")


if __name__ == "__main__":
    main()
