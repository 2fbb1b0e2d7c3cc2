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
import re
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import islice

import numpy as np

from . import recent
from .schema import quotation_count
from .read.fields import fts_query
from .read.records import SELECT, TIMELINE, QuoteRecord, records
from .text import folded_words, word_pairs, words
from .unionfind import UnionFind

NUM_PERM = 64
SAME_QUOTE = 0.5
# 16 bands of 4 rows (what datasketch's MinHashLSH picks for threshold 0.5,
# weights 0.3/0.7): pairs at 0.6 are found 89% of the time, at 0.7 99%, while
# unrelated quotations rarely collide.
BANDS, ROWS = 16, 4
# Shorter quotations ("No comment") only cluster with exact copies: too few
# bigrams to tell a near-duplicate from a coincidence.
MIN_WORDS = 4
# Quotations indexed per transaction when a writer catches up (v1's, or those a killed writer left).
INDEX_CHUNK = 20_000
# Lineage keys (BandIndex.lineage_pairs): the LINEAGE_KEYS lowest hashes of a quotation's content-
# word pairs. A heavy trim or an indirect paraphrase shares few word pairs with its original,
# too few for the MinHash bands, but keeps most content-word pairs, so one of the lowest of the
# shorter's is most often among the longer's lowest. On tests/lineage-set (bench/lineage.py
# --stored) 4 and 5 keys left one copy out (a 2-pair trim of a 9-pair quotation), 6 none;
# each key is a row of quote_bands, as each of the 17 MinHash bands is.
LINEAGE_KEYS = 6
# Candidates a quotation's lineage keys propose at most (the latest): a frequent word pair
# ("prime minister") is among the lowest of many quotations.
LINEAGE_CANDIDATES = 32


def _hash(shingle: str) -> int:
    # crc32 instead of datasketch's default SHA-1: three times faster, and 32
    # bits is what the default affine32 scheme keeps anyway. Deterministic
    # across processes (Python's hash() is not), as the stored bands need.
    return zlib.crc32(shingle.encode())


def _bigrams(tokens: list[str]) -> set[str]:
    return {f"{first} {second}" for first, second in zip(tokens, tokens[1:])}


def content_keys(pairs: Iterable[str]) -> list[int]:
    """A quotation's lineage keys, from its content words' pairs ("first second", each once:
    lineages.content_words)."""
    pairs = list(pairs)
    # The lowest _hash (crc32, inline: a call per pair costs more than the hash); equal ones by their words.
    lowest = sorted(zip([zlib.crc32(pair.encode()) for pair in pairs], pairs))[:LINEAGE_KEYS]
    return [_band_key(b"l" + pair.encode()) for _, pair in lowest]


def _band_key(tag: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(tag, digest_size=8).digest(), "big", signed=True)


def shape(text: str) -> tuple[str, set[str] | None]:
    """A quotation's folded words, and its bigrams (None when too short to compare)."""
    return shape_folded(" ".join(words(text)))


def shape_folded(folded: str) -> tuple[str, set[str] | None]:
    """shape() of words already folded."""
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
        return self.sketch_hashes([[_hash(bigram) for bigram in bigrams] for bigrams in bigram_sets])

    def sketch_hashes(self, hash_lists: list[list[int]]) -> np.ndarray:
        """sketches() from the hashes of each set's members, repeats allowed (a minimum ignores them)."""
        hashes = np.fromiter((value for values in hash_lists for value in values), np.uint32)
        starts = np.cumsum([0] + [len(values) for values in hash_lists[:-1]])
        with np.errstate(over="ignore"):  # arithmetic modulo 2^32 is the point
            permuted = self._a[:, None] * _fmix32(hashes)[None, :] + self._b[:, None]
        return np.minimum.reduceat(permuted, starts, axis=1).T  # along rows: 4 times faster than down columns

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


def _matches(keys: np.ndarray, sorted_keys: np.ndarray, ids: np.ndarray,
             latest: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every (position in keys, id) whose key is equal, sorted_keys being sorted (ids rising
    within a key); latest: only the last that many of each key."""
    low, high = np.searchsorted(sorted_keys, keys, "left"), np.searchsorted(sorted_keys, keys, "right")
    if latest is not None:
        low = np.maximum(low, high - latest)
    counts = high - low
    total = int(counts.sum())
    if not total:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ends = np.cumsum(counts)
    at = np.arange(total) - np.repeat(ends - counts, counts) + np.repeat(low, counts)
    return np.repeat(np.arange(len(keys)), counts), ids[at]


class _Bloom:
    """Which band keys quote_bands may hold: most bands of a new quotation are in no
    other, and each probe for one costs a B-tree descent (3 µs at 1M quotations).
    2^31 bits, 3 hashes: 1% false positives at 170M bands (10M quotations)."""

    BITS = 1 << 31

    def __init__(self) -> None:
        self.bits = np.zeros(self.BITS // 8, np.uint8)

    def _slots(self, keys: np.ndarray) -> list[np.ndarray]:
        values = keys.view(np.uint64)  # already uniform hashes: three slices of their bits
        mask = np.uint64(self.BITS - 1)
        with np.errstate(over="ignore"):
            return [values & mask, (values >> np.uint64(33)) & mask,
                    ((values * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(33)) & mask]

    def add(self, keys: np.ndarray) -> None:
        for slots in self._slots(keys):
            index, bit = slots >> np.uint64(3), (np.uint8(1) << (slots & np.uint64(7)).astype(np.uint8))
            while len(index):  # a repeated index keeps only one of its bits per pass
                self.bits[index] |= bit
                missed = (self.bits[index] & bit) == 0
                index, bit = index[missed], bit[missed]

    def may_hold(self, keys: np.ndarray) -> np.ndarray:
        held = np.ones(len(keys), bool)
        for slots in self._slots(keys):
            held &= (self.bits[slots >> np.uint64(3)] & (np.uint8(1) << (slots & np.uint64(7)).astype(np.uint8))) != 0
        return held


class BandIndex:
    """A writer's access to the on-disk LSH index (quote_bands).

    Band keys are random, so each band written straight into quote_bands
    dirties its own page of a B-tree that outgrows the cache: a bulk load would
    rewrite most of the index on every commit. Bands of this write wait instead
    in memory (sorted numpy runs, which probes search too) and go to
    quote_bands in key order, a slice of rows per transaction, once a
    FLUSH_SHARE of the index (at least FLUSH_BANDS) has gathered or the write
    ends. Each flush dirties most of the index's pages, so a flush per fixed
    number of bands would write the index over and over as it grows (N² bytes:
    32 GB for 3M quotations); a flush per share of it writes each page a
    bounded number of times (N). The quotations stay listed in
    `unclustered` until then, so a kill in between loses nothing: the next
    writer indexes them again. A write of BLOOM_AFTER quotations or more (and a
    tenth of the corpus) keeps a Bloom filter of quote_bands and the pending
    bands, so that only the bands some other quotation may share are looked up."""

    FLUSH_BANDS = 8_000_000  # about 500,000 quotations, 130 MB
    FLUSH_SHARE = 0.25  # at 10M quotations: 40M bands pending, 700 MB
    FLUSH_SLICE = 500_000  # bands per transaction: other writers wait for a few seconds at most
    BLOOM_AFTER = 50_000

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.shingler = Shingler()
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []  # pending (keys, ids), each sorted by key
        self.pending_quotes: list[int] = []
        self.added = 0
        self.bloom: _Bloom | None = None
        self.bloom_off = False  # another writer committed meanwhile: its bands are not in the filter
        self.version = 0  # PRAGMA data_version when the filter was made

    def _keys(self, folded: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Band keys and the position of the quotation each belongs to: its words' key, then
        BANDS MinHash bands for those of MIN_WORDS words or more."""
        words_keys = np.fromiter((_band_key(b"w" + text.encode()) for text in folded), np.int64, len(folded))
        tokens = [text.split() for text in folded]
        long = [position for position, found in enumerate(tokens) if len(found) >= MIN_WORDS]
        if not long:
            return words_keys, np.arange(len(folded))
        bands = _band_keys(self.shingler.sketch_hashes(
            [[_hash(pair) for pair in word_pairs(folded[position])] for position in long]))
        return (np.concatenate([words_keys, bands.ravel()]),
                np.concatenate([np.arange(len(folded)), np.repeat(np.array(long), BANDS)]))

    def _stored(self, keys: np.ndarray, latest: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(position in keys, quotation id) of every indexed band equal to one of keys; latest:
        only the latest (largest ids) that many of each key, of quote_bands and of each pending
        run (the latest of all are among them)."""
        if self.bloom is not None and self.version != self.conn.execute("PRAGMA data_version").fetchone()[0]:
            self.bloom, self.bloom_off = None, True  # another writer committed bands the filter lacks
        positions = np.arange(len(keys)) if self.bloom is None else np.flatnonzero(self.bloom.may_hold(keys))
        wanted = keys[positions]
        order = np.argsort(wanted)  # searched in order: the runs are read front to back
        positions, wanted = positions[order], wanted[order]
        if not len(wanted):
            found = []
        elif latest is None:
            found = self.conn.execute("SELECT band, quote_id FROM quote_bands WHERE band IN (SELECT value FROM json_each(?)) "
                                      "ORDER BY band", (json.dumps(wanted.tolist()),)).fetchall()
        else:
            # A key of a frequent word pair has a posting per thousand quotations: read only its
            # latest, from the end of its stretch of the primary key.
            found = self.conn.execute(
                """SELECT b.band, b.quote_id FROM json_each(?) k JOIN quote_bands b ON b.band = k.value AND b.quote_id >=
                       coalesce((SELECT quote_id FROM quote_bands WHERE band = k.value ORDER BY quote_id DESC
                                 LIMIT 1 OFFSET ?), 0)
                   ORDER BY b.band, b.quote_id""", (json.dumps(np.unique(wanted).tolist()), latest - 1)).fetchall()
        runs = list(self.runs)
        if found:
            runs.append((np.array([band for band, _ in found], np.int64), np.array([id for _, id in found], np.int64)))
        matched = [_matches(wanted, run_keys, run_ids, latest) for run_keys, run_ids in runs]
        return (positions[np.concatenate([at for at, _ in matched])] if matched else np.empty(0, np.int64),
                np.concatenate([ids for _, ids in matched]) if matched else np.empty(0, np.int64))

    def add(self, quotes: list[tuple[int, str, int]]) -> None:
        """Index quotations (id, text, cluster id) and join their clusters; call inside a transaction.

        Each quotation is compared with every quotation it shares a band with,
        indexed or of this write, and the clusters of the pairs that are the
        same quotation are joined under their smallest id. An exact copy (same
        folded words as an earlier one) shares all its bands and its
        comparisons with its original, so it is joined to it and not indexed.
        This is the partition cluster() makes, whatever the order quotations
        come in."""
        if not quotes:
            return
        folded = [folded_words(text) for _, text, _ in quotes]
        clusters = [cluster_id for _, _, cluster_id in quotes]
        keys, owner = self._keys(folded)
        at, other_ids = self._stored(keys)
        others = {other: (shape(text), cluster_id) for other, text, cluster_id in self.conn.execute(
            "SELECT id, text, cluster_id FROM quotations WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(np.unique(other_ids).tolist()),))} if len(other_ids) else {}
        shapes: dict[int, tuple[str, set[str] | None]] = {}

        def shaped(position: int) -> tuple[str, set[str] | None]:
            if position not in shapes:
                shapes[position] = shape_folded(folded[position])
            return shapes[position]

        joined: UnionFind[int] = UnionFind()

        def join(first: int, second: int) -> None:  # under the smaller cluster id
            first, second = joined.find(first), joined.find(second)
            joined.merge(max(first, second), min(first, second))

        copy = np.zeros(len(quotes), bool)
        checked: set[tuple[int, int]] = set()
        for position, other in zip(owner[at].tolist(), other_ids.tolist()):
            if (position, -other) in checked or other not in others:
                continue
            checked.add((position, -other))
            other_shape, other_cluster = others[other]
            if same(shaped(position), other_shape):
                copy[position] |= other_shape[0] == folded[position]
                join(clusters[position], other_cluster)
        # Pairs within this call: positions sharing a key, found by sorting the keys.
        order = np.argsort(keys, kind="stable")  # stable: positions in order within a key
        ordered = keys[order]
        repeated = np.zeros(len(keys), bool)
        repeated[1:] = ordered[1:] == ordered[:-1]
        starts = np.flatnonzero(~repeated)
        sizes = np.diff(np.append(starts, len(keys)))
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
            first_of: dict[str, int] = {}  # folded words → first position with them
            for position in owner[order[start:start + size]].tolist():
                if folded[position] in first_of:
                    if first_of[folded[position]] != position:
                        copy[position] = True
                        join(clusters[position], clusters[first_of[folded[position]]])
                    continue
                for earlier in first_of.values():
                    if (earlier, position) not in checked:
                        checked.add((earlier, position))
                        if same(shaped(earlier), shaped(position)):
                            join(clusters[earlier], clusters[position])
                first_of[folded[position]] = position
        moved = [(joined.find(node), node) for node in list(joined.parent) if joined.find(node) != node]
        self.conn.executemany("UPDATE quotations SET cluster_id = ? WHERE cluster_id = ?", moved)
        recent.mark_clusters(self.conn, sorted({cluster for cluster, _ in moved}))
        kept = ~copy[owner]
        ids = np.array([quote_id for quote_id, _, _ in quotes], np.int64)
        self._pend(keys[kept], ids[owner[kept]])
        self.pending_quotes.extend(ids.tolist())
        self.added += len(quotes)
        if self.bloom is None and not self.bloom_off and self.added >= max(
                self.BLOOM_AFTER, quotation_count(self.conn) // 10):
            self.bloom = _Bloom()
            self.version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            cursor = self.conn.execute("SELECT band FROM quote_bands")
            while chunk := cursor.fetchmany(1_000_000):
                self.bloom.add(np.array([band for (band,) in chunk], np.int64))
            for run_keys, _ in self.runs:
                self.bloom.add(run_keys)

    def lineage_pairs(self, quotes: list[tuple[int, str]]) -> list[tuple[int, int]]:
        """(quotation id, other quotation id) pairs sharing a lineage key (LINEAGE_KEYS), among
        these quotations (id, words) and those indexed before, at most LINEAGE_CANDIDATES (the
        latest) per quotation; their keys join the index. Candidates for lineage.related:
        quotations.lineages decides. Call inside a transaction."""
        from .lineages import lineage_keys

        keys_of = [lineage_keys(text) for _, text in quotes]
        if not any(keys_of):
            return []
        keys = np.fromiter((key for found in keys_of for key in found), np.int64)
        owner = np.repeat(np.arange(len(quotes)), [len(found) for found in keys_of])
        ids = np.array([quote_id for quote_id, _ in quotes], np.int64)
        at, others = self._stored(keys, LINEAGE_CANDIDATES)
        found_at, found = [owner[at]], [others]
        # Pairs within this call: equal keys side by side, each with the LINEAGE_CANDIDATES before it.
        order = np.argsort(keys, kind="stable")
        ordered, owners = keys[order], owner[order]
        for lag in range(1, min(LINEAGE_CANDIDATES, len(keys) - 1) + 1):
            same_key = np.flatnonzero(ordered[lag:] == ordered[:-lag])
            if not len(same_key):
                break  # no run of equal keys this long
            found_at.append(owners[same_key + lag])
            found.append(ids[owners[same_key]])
        self._pend(keys, ids[owner])
        # Each quotation's LINEAGE_CANDIDATES latest (largest id) others, in numpy: a frequent
        # key of a large corpus proposes thousands.
        position, other = np.concatenate(found_at), np.concatenate(found)
        keep = other != ids[position]
        position, other = position[keep], other[keep]
        order = np.lexsort((-other, position))
        position, other = position[order], other[order]
        distinct = np.ones(len(position), bool)
        distinct[1:] = (position[1:] != position[:-1]) | (other[1:] != other[:-1])
        position, other = position[distinct], other[distinct]
        starts = np.flatnonzero(np.concatenate([[True], position[1:] != position[:-1]])) if len(position) else position
        rank = np.arange(len(position)) - np.repeat(starts, np.diff(np.append(starts, len(position))))
        latest = rank < LINEAGE_CANDIDATES
        return list(zip(ids[position[latest]].tolist(), other[latest].tolist()))

    def _pend(self, keys: np.ndarray, ids: np.ndarray) -> None:
        if self.bloom is not None:
            self.bloom.add(keys)
        order = np.argsort(keys, kind="stable")
        self.runs.append((keys[order], ids[order]))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):  # few runs to search
            (first_keys, first_ids), (last_keys, last_ids) = self.runs.pop(-2), self.runs.pop()
            keys, ids = np.concatenate([first_keys, last_keys]), np.concatenate([first_ids, last_ids])
            order = np.argsort(keys, kind="stable")
            self.runs.append((keys[order], ids[order]))

    def flush_if_full(self, transaction: Callable[[], AbstractContextManager]) -> bool:
        pending = sum(len(keys) for keys, _ in self.runs)
        if pending < self.FLUSH_BANDS:
            return False
        # Bands of the quotations stored so far (indexed or pending): every quotation's
        # words band, BANDS more for most, and up to LINEAGE_KEYS lineage keys; exact copies
        # are not indexed, so this errs high.
        bands = (BANDS + 1 + LINEAGE_KEYS) * quotation_count(self.conn)
        if pending < self.FLUSH_SHARE * (bands - pending):
            return False
        self.flush(transaction)
        return True

    def flush(self, transaction: Callable[[], AbstractContextManager]) -> None:
        """Write the pending bands into quote_bands in key order, FLUSH_SLICE per transaction."""
        if not self.pending_quotes and not self.runs:
            return
        keys = np.concatenate([np.empty(0, np.int64)] + [run_keys for run_keys, _ in self.runs])
        ids = np.concatenate([np.empty(0, np.int64)] + [run_ids for _, run_ids in self.runs])
        order = np.argsort(keys, kind="stable")
        keys, ids = keys[order], ids[order]
        slices = max(1, -(-len(keys) // self.FLUSH_SLICE))
        for number in range(slices):
            part = slice(number * self.FLUSH_SLICE, (number + 1) * self.FLUSH_SLICE)
            with transaction():
                self.conn.executemany("INSERT OR IGNORE INTO quote_bands(band, quote_id) VALUES (?, ?)",
                                      zip(keys[part].tolist(), ids[part].tolist()))
                if number == slices - 1:
                    self.conn.execute("DELETE FROM unclustered WHERE quote_id IN (SELECT value FROM json_each(?))",
                                      (json.dumps(self.pending_quotes),))
        self.runs, self.pending_quotes = [], []


def unclustered(conn: sqlite3.Connection, after: int = 0) -> list[tuple[int, str, int]]:
    """The next INDEX_CHUNK quotations (id, text, cluster id) listed as not indexed yet, after that id."""
    return conn.execute("""SELECT id, text, cluster_id FROM quotations WHERE id IN
                           (SELECT quote_id FROM unclustered WHERE quote_id > ? ORDER BY quote_id LIMIT ?)
                           ORDER BY id""", (after, INDEX_CHUNK)).fetchall()


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


def _candidates(conn: sqlite3.Connection, text: str) -> list[tuple[str, int]]:
    """Stored quotations (text, cluster id) with every word of text, or with enough of them
    to be at most MAX_MATCHES: words are added longest first (the rarer, as a rule) until
    the matches fit. An AND of common words costs FTS5 a seek into each word's list per
    match of the rarest: at 10M quotations, 8 words of a fragment took 300 ms, its 3
    longest 10-80 ms. Every word and the word pairs are checked afterwards anyway."""
    every_word = fts_query(text)  # CorpusError when text has no words
    terms = sorted(dict.fromkeys(token.lower() for token in re.findall(r"\w+", text)), key=len, reverse=True)
    sql = """SELECT q.text, q.cluster_id FROM quotation_fts f JOIN quotations q ON q.id = f.rowid
             WHERE quotation_fts MATCH ? LIMIT ?"""
    for used in range(min(3, len(terms)), len(terms) + 1):
        candidates = conn.execute(sql, (fts_query(" ".join(terms[:used])), MAX_MATCHES + 1)).fetchall()
        if len(candidates) <= MAX_MATCHES:
            return candidates
    # Only then the best-ranked: bm25 reads every query word's whole index entry, which
    # is most of a trace's time when a fragment has a common word ("the").
    return conn.execute(
        """SELECT q.text, q.cluster_id FROM quotation_fts f JOIN quotations q ON q.id = f.rowid
           WHERE quotation_fts MATCH ? ORDER BY f.rank LIMIT ?""", (every_word, MAX_MATCHES)).fetchall()


def trace(conn: sqlite3.Connection, text: str) -> Trail | None:
    """Every appearance of the quotation text belongs to: the clusters of the stored
    quotations that contain most of its word pairs, found through the FTS index."""
    query = words(text)
    wanted = _bigrams(query) or set(query)
    candidates = _candidates(conn, text)
    clusters = set()
    for candidate, cluster_id in candidates:
        tokens = words(candidate)
        found = (_bigrams(tokens) if len(query) > 1 else set(tokens)) & wanted
        if len(found) >= SAME_QUOTE * len(wanted) and set(query) <= set(tokens):
            clusters.add(cluster_id)
    if not clusters:
        return None
    sql = f"{SELECT} WHERE q.cluster_id IN (SELECT value FROM json_each(?)) {TIMELINE}"
    return Trail(text, list(records(conn, sql, (json.dumps(sorted(clusters)),))))
