"""Tracing a quotation: near-duplicate clusters across articles, and their timeline.

Two quotations are the same when their words are (after folding case,
punctuation, accents and ellipses), or nearly so: word-bigram Jaccard
similarity of at least SAME_QUOTE. MinHash LSH proposes the candidate pairs,
so clustering grows about linearly with the corpus instead of comparing every
pair; each candidate is then checked exactly.

The LSH index lives in the database (quote_bands: one row per band hash), so a
new quotation joins its cluster with a few indexed lookups instead of a rebuild.
The index is hand-written because no MinHash library keeps one in SQLite.
cluster() runs the same bands in memory, so clusters grown one ingest at a
time equal clusters computed at once.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np

from .search import SELECT, TIMELINE, QuoteRecord, fts_query, records
from .text import words

NUM_PERM = 64
SAME_QUOTE = 0.5
# 16 bands of 4 rows (what datasketch's MinHashLSH picks for threshold 0.5,
# weights 0.3/0.7): pairs at 0.6 are found 89% of the time, at 0.7 99%, while
# unrelated quotations rarely collide.
BANDS, ROWS = 16, 4
# Shorter quotations ("No comment") only cluster with exact copies: too few
# bigrams to tell a near-duplicate from a coincidence.
MIN_WORDS = 4
# Quotations indexed per transaction when a writer catches up on v1 quotations.
INDEX_CHUNK = 2000


def _hash(shingle: str) -> int:
    # crc32 instead of datasketch's default SHA-1: three times faster, and 32
    # bits is what the default affine32 scheme keeps anyway. Deterministic
    # across processes (Python's hash() is not), as the stored bands need.
    return zlib.crc32(shingle.encode())


def _bigrams(tokens: list[str]) -> set[str]:
    return {f"{first} {second}" for first, second in zip(tokens, tokens[1:])}


def _band_key(tag: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(tag, digest_size=8).digest(), "big", signed=True)


def shape(text: str) -> tuple[str, set[str] | None]:
    """A quotation's folded words, and its bigrams (None when too short to compare)."""
    folded = " ".join(words(text))
    tokens = folded.split()
    return folded, (_bigrams(tokens) if len(tokens) >= MIN_WORDS else None)


def same(first: tuple[str, set[str] | None], second: tuple[str, set[str] | None]) -> bool:
    (folded, bigrams), (other_folded, other_bigrams) = first, second
    if folded == other_folded:
        return True
    if bigrams is None or other_bigrams is None:
        return False
    return len(bigrams & other_bigrams) >= SAME_QUOTE * len(bigrams | other_bigrams)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, as datasketch's affine32 scheme applies it."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


class Shingler:
    """Band hashes of quotations: one for the exact folded words, BANDS for the MinHash.

    The MinHash is datasketch's (affine32 scheme, seed 1, crc32 of each bigram:
    a test checks the values are equal), computed for a whole batch in one
    numpy pass: datasketch sketches one set per call, 20 times slower here."""

    def __init__(self) -> None:
        generator = np.random.RandomState(1)
        self._a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        self._b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)

    def sketches(self, bigram_sets: list[set[str]]) -> np.ndarray:
        """One row of NUM_PERM minimum hash values per (non-empty) set."""
        hashes = np.fromiter((_hash(bigram) for bigrams in bigram_sets for bigram in bigrams), dtype=np.uint32)
        starts = np.cumsum([0] + [len(bigrams) for bigrams in bigram_sets[:-1]])
        with np.errstate(over="ignore"):  # arithmetic modulo 2^32 is the point
            permuted = _fmix32(hashes)[:, None] * self._a + self._b
        return np.minimum.reduceat(permuted, starts, axis=0)

    def bands(self, shapes: list[tuple[str, set[str] | None]]) -> list[list[int]]:
        """Band hashes per quotation shape (see shape()): its words' hash, then one per MinHash band."""
        long = [bigrams for _, bigrams in shapes if bigrams]
        banded = iter(_band_keys(self.sketches(long)).tolist()) if long else iter(())
        return [[_band_key(b"w" + folded.encode()), *(next(banded) if bigrams else ())] for folded, bigrams in shapes]


def _band_keys(sketches: np.ndarray) -> np.ndarray:
    """One signed 64-bit hash per band of ROWS values (and per band number), for every sketch."""
    rows = sketches.reshape(len(sketches), BANDS, ROWS).astype(np.uint64)
    keys = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for row in range(ROWS):  # 128 bits of MinHash in, 64 out: collisions are only checked, never trusted
            keys = _fmix64(keys ^ rows[:, :, row]) * np.uint64(0xFF51AFD7ED558CCD)
    return _fmix64(keys).view(np.int64)


def _fmix64(values: np.ndarray) -> np.ndarray:
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def _banded(shingler: Shingler, quotes: Iterable[tuple[int, str]], chunk: int = 1000
            ) -> Iterator[tuple[int, tuple[str, set[str] | None], list[int]]]:
    iterator = iter(quotes)
    while batch := list(islice(iterator, chunk)):
        shapes = [shape(text) for _, text in batch]
        yield from zip((quote_id for quote_id, _ in batch), shapes, shingler.bands(shapes))


def cluster(quotes: Iterable[tuple[int, str]]) -> dict[int, int]:
    """Quotation id → cluster id (the smallest quotation id in its cluster), all at once."""
    shingler = Shingler()
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[int, list[int]] = defaultdict(list)
    shapes: dict[int, tuple[str, set[str] | None]] = {}
    for quote_id, shaped, keys in _banded(shingler, quotes):
        shapes[quote_id] = shaped
        parent[quote_id] = quote_id
        copy = False
        for other in {other for key in keys for other in buckets.get(key, ())}:  # each pair is checked once
            if same(shaped, shapes[other]):
                copy = copy or shapes[other][0] == shaped[0]
                first, second = find(quote_id), find(other)
                parent[max(first, second)] = min(first, second)
        if not copy:  # an exact copy collides wherever its original does: indexing it adds nothing
            for key in keys:
                buckets[key].append(quote_id)
    return {quote_id: find(quote_id) for quote_id in parent}


def index(conn: sqlite3.Connection, shingler: Shingler, quotes: Iterable[tuple[int, str]]) -> None:
    """Add quotations to the on-disk index and join their clusters; call inside a transaction.

    Each quotation is compared with the indexed ones it shares a band with, so
    the clusters come out as cluster() makes them, whatever the indexing order."""
    for quote_id, shaped, keys in _banded(shingler, quotes):
        joined, copy = {quote_id}, False
        for other_text, other_cluster in conn.execute(
                """SELECT q.text, q.cluster_id FROM quotations q WHERE q.id IN
                   (SELECT quote_id FROM quote_bands WHERE band IN (SELECT value FROM json_each(?)))""",
                (json.dumps(keys),)).fetchall():
            other = shape(other_text)
            if same(shaped, other):
                copy = copy or other[0] == shaped[0]
                joined.add(other_cluster)
        root = min(joined)
        conn.execute("UPDATE quotations SET cluster_id = ? WHERE id = ?", (root, quote_id))
        for merged in joined - {root, quote_id}:
            conn.execute("UPDATE quotations SET cluster_id = ? WHERE cluster_id = ?", (root, merged))
        if not copy:
            conn.executemany("INSERT OR IGNORE INTO quote_bands(band, quote_id) VALUES (?, ?)",
                             [(key, quote_id) for key in keys])


def unclustered(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """The oldest INDEX_CHUNK quotations a v1 corpus left unindexed."""
    return conn.execute("""SELECT id, text FROM quotations WHERE id IN
                           (SELECT quote_id FROM unclustered ORDER BY quote_id LIMIT ?) ORDER BY id""",
                        (INDEX_CHUNK,)).fetchall()


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
    match = fts_query(text, phrase=False)
    candidates = conn.execute(
        """SELECT q.text, q.cluster_id FROM quotation_fts f JOIN quotations q ON q.id = f.rowid
           WHERE quotation_fts MATCH ? LIMIT ?""", (match, MAX_MATCHES + 1)).fetchall()
    if len(candidates) > MAX_MATCHES:
        # Only then the best-ranked: bm25 reads every query word's whole index entry, which
        # is most of a trace's time when a fragment has a common word ("the").
        candidates = conn.execute(
            """SELECT q.text, q.cluster_id FROM quotation_fts f JOIN quotations q ON q.id = f.rowid
               WHERE quotation_fts MATCH ? ORDER BY f.rank LIMIT ?""", (match, MAX_MATCHES)).fetchall()
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
