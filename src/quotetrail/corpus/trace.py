"""Tracing a quotation: near-duplicate clusters across articles, and their timeline.

Two quotations are the same when their words are (after folding case,
punctuation, accents and ellipses), or nearly so: word-bigram Jaccard
similarity of at least SAME_QUOTE. datasketch's MinHash LSH proposes the
candidate pairs, so clustering grows about linearly with the corpus instead
of comparing every pair; each candidate is then checked exactly.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .search import SELECT, TIMELINE, QuoteRecord, fts_query, records
from .text import words

NUM_PERM = 64
SAME_QUOTE = 0.5
# With 64 permutations this picks 16 bands of 4 rows: pairs at 0.6 are found
# 89% of the time, at 0.7 99%, while unrelated quotations rarely collide.
LSH_THRESHOLD, LSH_WEIGHTS = 0.5, (0.3, 0.7)
# Shorter quotations ("No comment") only cluster with exact copies: too few
# bigrams to tell a near-duplicate from a coincidence.
MIN_WORDS = 4


def _hash(shingle: str) -> int:
    # crc32 instead of datasketch's default SHA-1: three times faster, and 32
    # bits is what the default affine32 scheme keeps anyway.
    return zlib.crc32(shingle.encode())


def _bigrams(tokens: list[str]) -> set[str]:
    return {f"{first} {second}" for first, second in zip(tokens, tokens[1:])}


def cluster(quotes: Iterable[tuple[int, str]]) -> dict[int, int]:
    """Quotation id → cluster id (the smallest quotation id in its cluster)."""
    # Imported here: datasketch brings SciPy (a third of a second), which every
    # quotetrail command would otherwise load at start.
    from datasketch import MinHash, MinHashLSH

    same_words: dict[str, list[int]] = defaultdict(list)
    for quote_id, text in quotes:
        same_words[" ".join(words(text))].append(quote_id)
    groups = list(same_words.values())
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # (group index, bigrams) of the quotations long enough to compare; LSH keys are positions here.
    long = [(index, _bigrams(text.split())) for index, text in enumerate(same_words)
            if len(text.split()) >= MIN_WORDS]
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    # One sketch, refilled per quotation: the index keeps band hashes, not sketches,
    # and creating 100,000 MinHash objects costs more than hashing the bigrams.
    sketch = MinHash(num_perm=NUM_PERM, hashfunc=_hash)
    for position, (index, bigrams) in enumerate(long):
        sketch.clear()
        sketch.update_batch(bigrams)
        for other in lsh.query(sketch):  # earlier quotations only: each pair is checked once
            other_index, other_bigrams = long[other]
            if len(bigrams & other_bigrams) >= SAME_QUOTE * len(bigrams | other_bigrams):
                parent[find(index)] = find(other_index)
        lsh.insert(position, sketch, check_duplication=False)
    members: dict[int, list[int]] = defaultdict(list)
    for index, ids in enumerate(groups):
        members[find(index)].extend(ids)
    return {quote_id: min(ids) for ids in members.values() for quote_id in ids}


def recluster(conn: sqlite3.Connection) -> None:
    """Cluster every stored quotation again; call inside a transaction."""
    rows = conn.execute("SELECT id, text, cluster_id FROM quotations").fetchall()
    clusters = cluster((quote_id, text) for quote_id, text, _ in rows)
    conn.executemany("UPDATE quotations SET cluster_id = ? WHERE id = ?",
                     [(clusters[quote_id], quote_id) for quote_id, _, current in rows
                      if clusters[quote_id] != current])


@dataclass
class Relay:
    """An article's statement that it carries a quotation via another outlet."""

    outlet: str | None  # the article's outlet
    via: str
    quote_id: int


@dataclass
class Trail:
    query: str
    appearances: list[QuoteRecord]  # earliest first: publication date, then ingest order

    @property
    def origin(self) -> QuoteRecord:
        return self.appearances[0]

    @property
    def outlets(self) -> list[str]:
        """The outlets that carried it, in order of first appearance."""
        return list(dict.fromkeys(record.outlet for record in self.appearances if record.outlet))

    @property
    def relays(self) -> list[Relay]:
        return [Relay(record.outlet, via, record.id) for record in self.appearances for via in record.via]


# Enough FTS matches to cover every variant of a quotation relayed many times.
MAX_MATCHES = 1000


def trace(conn: sqlite3.Connection, text: str) -> Trail | None:
    """Every appearance of the quotation text belongs to: the clusters of the stored
    quotations that contain most of its word pairs, found through the FTS index."""
    query = words(text)
    wanted = _bigrams(query) or set(query)
    candidates = conn.execute(
        """SELECT q.text, q.cluster_id FROM quotation_fts f JOIN quotations q ON q.id = f.rowid
           WHERE quotation_fts MATCH ? ORDER BY f.rank LIMIT ?""", (fts_query(text, phrase=False), MAX_MATCHES))
    clusters = set()
    for candidate, cluster_id in candidates:
        tokens = words(candidate)
        found = (_bigrams(tokens) if len(query) > 1 else set(tokens)) & wanted
        if len(found) >= SAME_QUOTE * len(wanted):
            clusters.add(cluster_id)
    if not clusters:
        return None
    sql = f"{SELECT} WHERE q.cluster_id IN (SELECT value FROM json_each(?)) {TIMELINE}"
    return Trail(text, list(records(conn, sql, (json.dumps(sorted(clusters)),))))
