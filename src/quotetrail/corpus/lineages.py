"""Stored quote lineage (docs/lineage.md, "Stored lineage"): kept by the writer, one batch at a
time, read by verify and the trace page without rebuilding anything.

A lineage groups the copies of one quotation: the quotations of one trace cluster (near-
duplicates), joined with the clusters of its heavy trims and paraphrases (lineage.related, on
the candidates that share a lineage key with it: see trace.BandIndex.lineage_pairs). A
quotation of fewer than MIN_CONTENT_WORDS content words (words that are neither the lineage's
function words nor spaCy's English stop words: "we will see" has none, "thank you" and "no
comment" one) says too little to tie two articles together: it joins only exact copies of its
words that credit the same speaker, and never a lineage through related().

Each quotation of a lineage has a row in `lineage`: its copy as the lineage reads it (the
speaker as its article names them, its words, what its article says of their source:
lineage.read) and its facts (variant against the earliest copy, speaker_differs, parent,
chain). When a batch adds copies, only the lineages they join are built again, from those
rows: no article is read again, and a copy dated before the earliest re-bases the variants.
A new copy's row is written once, with its facts; a stored row only where its facts change.

A quotation alone in its lineage whose lineage says nothing the quotation row does not (its
copy is the quotation as extracted, its article names no source for it: most quotations) has
no row: its lineage is implied (IMPLIED_FACTS), and readers take it from the quotation. Its row
is written when a second copy joins it, read again from its article then.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from functools import cached_property, lru_cache
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ..lineage import Appearance, Change, Copy, Lineage, Parent, Reading, Variant, build, related, same_speaker
from ..lineage.parents import media_name, only_people, origin_source, outlet_key, read, stated_parent, statement
from ..lineage.reading import entity_names, extracted_copy
from ..lineage.words import lists
from ..model import QUOTATIONS, Article, Quote, Source, Span
from .schema import IMPLIED_FACTS, quotation_count
from .text import folded_words, stop_words, word_pairs, words
from .unionfind import UnionFind

if TYPE_CHECKING:
    import numpy as np

# A quotation of fewer content words joins no lineage but its own exact words from the same
# speaker. Two: "We will rebuild the school" (rebuild, school) is someone's promise.
MIN_CONTENT_WORDS = 2
log = logging.getLogger(__name__)

# Quotations read again per transaction when an upgrade fills the lineage of a whole corpus.
FILL_CHUNK = 20_000


def content_words(folded: list[str]) -> list[str]:
    """A quotation's folded words less function and stop words, in order; none when fewer
    than MIN_CONTENT_WORDS differ (an uninformative quotation)."""
    common = _common_words()
    content = [word for word in folded if word not in common]
    return content if len(set(content)) >= MIN_CONTENT_WORDS else []


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    return lists().function_words | stop_words()


def informative(text: str) -> bool:
    return _shape(text).informative


def new_copy(article: Article, quote: Quote, quote_id: int, article_id: int, outlet: str | None,
             date: str | None, outlets: set[str] = frozenset()) -> Copy:
    """The copy a stored quotation makes, with its article's reading kept (lineage.read).
    outlets: the keys (link.names.name_key) of the outlets the corpus holds, so that a
    quotation credited to one is read as relayed (lineage.reading)."""
    named = quote.speaker.name if quote.speaker else None
    return _read(Copy.of(article, quote, quote_id=quote_id, article_id=article_id, outlet=outlet, date=date,
                         outlets=[named] if named and outlet_key(named) in outlets else ()), outlets)


def _read(copy: Copy, outlets: set[str], people: frozenset[str] | None = None) -> Copy:
    copy.reading = read(copy, outlets, people)
    copy.text, copy.sources, copy.person_names, copy.organisations = "", [], [], []  # the reading stands in for them
    return copy


_QUOTATION_KINDS = "(" + ", ".join(f"'{kind}'" for kind in sorted(QUOTATIONS)) + ")"
# Readers take a quotation without a row as alone only once the lineage is filled (not during an upgrade's fill).
_IMPLIED = "NOT EXISTS (SELECT 1 FROM stale WHERE what = 'lineage')"


@dataclass
class ArticleKeys:
    """What every quotation of one article asks of it for its lineage, by outlet key: read once."""

    sources: frozenset[str]  # its sources' names
    known: frozenset[str]  # its sources' names and aliases (lineage.read's known)
    media: frozenset[str]  # the entities it takes for outlets
    people: frozenset[str]  # the people it names (lineage.read's people, less the speaker)
    origin: bool  # a source is an origin: its reading may state one
    person_names: list[str]  # as Copy.of lists them
    organisations: list[str]

    @classmethod
    def of(cls, article: Article) -> ArticleKeys:
        sources = frozenset(outlet_key(source.name) for source in article.sources)
        person_names, organisations = entity_names(article)
        return cls(sources, sources | {outlet_key(alias) for source in article.sources for alias in source.aliases},
                   frozenset(outlet_key(entity.name) for entity in article.entities if entity.is_media),
                   frozenset(outlet_key(name) for name in person_names if name),
                   any("origin" in source.roles for source in article.sources), person_names, organisations)


@dataclass(eq=False)
class Arrival:
    """A quotation a writer stores, before its copy (new_copy) is made: most quotations join no
    other and say nothing of their source, and need none."""

    quote_id: int
    article_id: int
    outlet: str | None
    date: str | None
    article: Article
    quote: Quote
    keys: ArticleKeys
    outlets: set[str]  # the keys of the outlets the corpus holds, as new_copy takes them
    made: Copy | None = None

    @property
    def kind(self) -> str:
        return self.quote.kind

    @property
    def speaker(self) -> str | None:
        """As its copy credits it."""
        return self.copy().speaker if not self.plain else (self.quote.speaker.name if self.quote.speaker else None)

    @property
    def words(self) -> str:
        """Its copy's words."""
        return self.quote.text if self.plain else self.copy().quote

    def copy(self) -> Copy:
        """new_copy()'s copy; a plain one made here, from what its article's keys hold already."""
        if self.made is None and self.plain:
            self.made = _read(extracted_copy(self.article, self.quote, quote_id=self.quote_id, article_id=self.article_id,
                                             outlet=self.outlet, date=self.date,
                                             names=(self.keys.person_names, self.keys.organisations)), self.outlets,
                              self.keys.people)
        elif self.made is None:
            self.made = new_copy(self.article, self.quote, self.quote_id, self.article_id, self.outlet, self.date,
                                 self.outlets)
        return self.made

    @cached_property
    def plain(self) -> bool:
        """Whether its copy is the quotation as extracted: new_copy takes an outlet's credit off
        (lineage.reading.is_outlet, asked by keys)."""
        speaker = self.quote.speaker.name if self.quote.speaker else None
        if not speaker:
            return True
        key = outlet_key(speaker)
        return not (media_name(speaker) or key in self.outlets or key in self.keys.sources or key in self.keys.media)

    def says_nothing(self) -> bool:
        """Whether, alone, its lineage says nothing its quotation's row does not (IMPLIED_FACTS):
        its copy is the quotation as extracted and its article names no source for it. Decided
        from the names around the quotation where they are only people's (most quotations),
        else by reading the copy's statement."""
        if not self.plain:
            return False
        quote, keys = self.quote, self.keys
        if not quote.reported_by and not keys.origin:
            text, end = self.article.text, quote.start + len(quote.text)
            start, stop = text.rfind("\n", 0, quote.start) + 1, text.find("\n", end)
            speaker = outlet_key(quote.speaker.name) if quote.speaker else ""
            own = outlet_key(self.outlet) if self.outlet else ""
            if only_people(text, start, len(text) if stop < 0 else stop, quote.start, end,
                           lambda key: key in keys.people or key == speaker,
                           lambda key: key in keys.known or key in self.outlets or key == own):
                return True
        return not statement(self.copy(), [self.outlet] if self.outlet else []).chain


# One encoder for the rows of every copy: json.dumps with options makes one a call.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_spaced = json.JSONEncoder(ensure_ascii=False).encode  # a lineage's origin and outside, as json.dumps writes them


def _copy_json(copy: Copy) -> str:
    assert copy.reading is not None
    return _compact({"article_id": copy.article_id, "outlet": copy.outlet, "date": copy.date,
                     "speaker": copy.speaker, "quote": copy.quote, "kind": copy.kind, "start": copy.start,
                     "reading": copy.reading.to_json()})


def _copy(quote_id: int, data: str) -> Copy:
    values = json.loads(data)
    reading = Reading.from_json(values.pop("reading"))
    return Copy(quote_id=quote_id, reading=reading, **values)


def update(conn: sqlite3.Connection, arrivals: list[Arrival], pairs: Iterable[tuple[int, int]],
           signatures: Signatures | None = None, outlets: set[str] | None = None) -> None:
    """Store new quotations' copies (quotations just clustered) and build again every lineage
    they join; pairs: (quote id, other quote id) sharing a lineage key, for related();
    signatures: the writer's, kept across its batches (a pair they rule out is not read);
    outlets: the keys of the outlets the corpus holds (read here where not given), for the
    copies of quotations alone so far, read again from their articles. Inside the writer's
    transaction, after the trace clusters were joined. The new copies' rows are written once,
    at the end, with their lineage and facts; a stored row is written only where it changed; a
    quotation alone that says nothing of its source gets no row (IMPLIED_FACTS)."""
    fresh = {arrival.quote_id: arrival for arrival in arrivals if arrival.kind in QUOTATIONS}
    is_informative = {quote_id: informative(arrival.words) for quote_id, arrival in fresh.items()}
    joined: UnionFind[int] = UnionFind()
    lineage_of: dict[int, int] = {}
    implied: set[int] = set()  # stored quotations alone without a row that some new copy may join
    # A quotation without a row stored after these has no lineage yet (an upgrade's fill, in id order).
    newest = max(fresh, default=quotation_count(conn))
    # Copies of one trace cluster: the informative ones are one lineage; the others join the
    # same words from the same speaker only.
    members: dict[int, list[tuple[int, bool, tuple[str, str | None] | None]]] = {}
    for cluster_id, quote_id, text, speaker, lineage_id, stored_informative, data in conn.execute(
            f"""SELECT q.cluster_id, q.id, q.text, e.name, l.lineage_id, l.informative,
                       CASE WHEN l.informative THEN NULL ELSE l.copy END
                FROM quotations q LEFT JOIN lineage l ON l.quote_id = q.id LEFT JOIN entities e ON e.id = q.entity_id
                WHERE q.cluster_id IN (SELECT cluster_id FROM quotations WHERE id IN (SELECT value FROM json_each(?)))
                      AND q.kind IN {_QUOTATION_KINDS}""", (json.dumps(list(fresh)),)):
        if quote_id in fresh:  # not stored yet: its own lineage so far
            lineage_id, rich = quote_id, is_informative[quote_id]
            plain = None if rich else (fresh[quote_id].words, fresh[quote_id].speaker)
        elif lineage_id is None:  # alone so far, without a row: its copy is the quotation
            if quote_id > newest:
                continue
            lineage_id, rich = quote_id, informative(text)
            plain = None if rich else (text, speaker)
            implied.add(quote_id)
        else:
            rich = bool(stored_informative)
            if rich:
                plain = None
            else:
                copy = _copy(quote_id, data)
                plain = (copy.quote, copy.speaker)
        lineage_of[quote_id] = lineage_id
        members.setdefault(cluster_id, []).append((lineage_id, rich, plain))
    for cluster in members.values():
        if len(cluster) < 2:
            continue
        lineages = [lineage_id for lineage_id, rich, _ in cluster if rich]
        for lineage_id in lineages[1:]:
            joined.merge(lineage_id, lineages[0])
        plain_copies = [(lineage_id, said) for lineage_id, _, said in cluster if said is not None]
        for position, (lineage_id, (text, speaker)) in enumerate(plain_copies):
            for other_lineage, (other_text, other_speaker) in plain_copies[:position]:
                if words(text) == words(other_text) and same_speaker(speaker, other_speaker):
                    joined.merge(lineage_id, other_lineage)
    arriving = {quote_id: fresh[quote_id].words for quote_id, rich in is_informative.items() if rich}
    if signatures is not None:
        signatures.add(arriving)
        pairs = signatures.may_relate(list(pairs))
    _join_related(conn, pairs, arriving, lineage_of, joined, implied, newest)
    # Lineages are named by their smallest quotation id, as clusters are.
    groups: dict[int, list[int]] = {}
    for lineage_id in {*joined.parent, *(joined.find(key) for key in list(joined.parent))}:
        groups.setdefault(joined.find(lineage_id), []).append(lineage_id)
    renamed = {old: min(group) for group in groups.values() for old in group if old != min(group)}
    conn.executemany("UPDATE lineage SET lineage_id = ? WHERE lineage_id = ?",
                     [(new, old) for old, new in renamed.items() if old not in fresh and old not in implied])
    conn.executemany("DELETE FROM lineages WHERE id = ?", [(old,) for old in renamed if old not in fresh])
    final = {quote_id: renamed.get(quote_id, quote_id) for quote_id in fresh}
    touched = set(final.values()) | set(renamed.values())
    # The new copies of each lineage, and the copies alone so far that join one (read again from their articles).
    arriving_at: dict[int, list[Arrival]] = {}
    for quote_id, lineage_id in final.items():
        arriving_at.setdefault(lineage_id, []).append(fresh[quote_id])
    joining = {lineage_id for group in groups.values() for lineage_id in group}
    rejoined = sorted(quote_id for quote_id in implied if renamed.get(quote_id, quote_id) in touched
                      and quote_id in joining)
    if rejoined:
        if outlets is None:
            outlets = corpus_outlets(conn)
        for arrival in stored_arrivals(conn, rejoined, outlets):
            arriving_at.setdefault(renamed.get(arrival.quote_id, arrival.quote_id), []).append(arrival)
    stored: dict[int, list[tuple[int, str, str | None]]] = {}
    wanted = sorted(lineage_id for lineage_id in touched if lineage_id in joining)
    if wanted:  # a lineage some new copy joined (or two joined lineages): its stored rows
        for quote_id, lineage_id, data, facts in conn.execute(
                "SELECT quote_id, lineage_id, copy, facts FROM lineage WHERE lineage_id IN (SELECT value FROM json_each(?))",
                (json.dumps(wanted),)):
            stored.setdefault(lineage_id, []).append((quote_id, data, facts))
    rows: list[tuple] = []  # new rows: quote id, lineage id, informative, copy, facts
    changed: list[tuple] = []  # stored copies whose facts changed: facts, quote id
    recopied: list[tuple] = []  # stored copies read again (a misread relay): copy, quote id
    made: list[tuple] = []
    for lineage_id in sorted(touched):
        kept = stored.get(lineage_id, [])
        coming = arriving_at.get(lineage_id, [])
        if not kept and len(coming) == 1 and coming[0].says_nothing():
            continue  # alone, and its lineage is implied: no row
        old_facts = {quote_id: facts for quote_id, _, facts in kept}
        old_facts.update((arrival.quote_id, IMPLIED_FACTS) for arrival in coming if arrival.quote_id in implied)
        copies_now = [*(_copy(quote_id, data) for quote_id, data, _ in kept), *(arrival.copy() for arrival in coming)]
        facts, reread = _rebuild(conn, lineage_id, copies_now, made, old_facts)
        for copy in copies_now:
            quote_id = copy.quote_id
            if quote_id in fresh or quote_id in implied:
                copy = reread.get(quote_id, copy)
                rich = is_informative[quote_id] if quote_id in fresh else informative(copy.quote)
                rows.append((quote_id, lineage_id, int(rich), _copy_json(copy), facts.get(quote_id)))
                continue
            if quote_id in reread:
                recopied.append((_copy_json(reread[quote_id]), quote_id))
            if facts.get(quote_id) != old_facts[quote_id]:
                changed.append((facts.get(quote_id), quote_id))
    conn.executemany("INSERT INTO lineage(quote_id, lineage_id, informative, copy, facts) VALUES (?, ?, ?, ?, ?)", rows)
    conn.executemany("UPDATE lineage SET copy = ? WHERE quote_id = ?", recopied)
    conn.executemany("UPDATE lineage SET facts = ? WHERE quote_id = ?", changed)
    conn.executemany("INSERT OR REPLACE INTO lineages(id, origin, outside) VALUES (?, ?, ?)", made)


def corpus_outlets(conn: sqlite3.Connection) -> set[str]:
    """The keys of the outlets the corpus holds."""
    return {key for (key,) in conn.execute("SELECT DISTINCT outlet_key FROM articles WHERE outlet_key IS NOT NULL")}


def _join_related(conn: sqlite3.Connection, pairs: Iterable[tuple[int, int]], arriving: dict[int, str],
                  lineage_of: dict[int, int], joined: UnionFind[int], implied: set[int], newest: int) -> None:
    """Join the lineages of candidate pairs whose words are copies of each other (a heavy trim,
    an indirect paraphrase), both informative. arriving: the words of the informative new
    copies, not stored yet (their lineage is their own); implied: where a stored quotation
    alone without a row is met, its id is added (up to newest: update())."""
    pairs = list(pairs)
    if not pairs:
        return
    wanted = json.dumps(sorted({quote_id for pair in pairs for quote_id in pair if quote_id not in arriving}))
    rows: dict[int, tuple[int, str]] = {}
    # A quotation without a row has lineage keys only when informative (lineage_keys), and
    # its copy's words are its own.
    for quote_id, lineage_id, text in conn.execute(
            f"""SELECT q.id, l.lineage_id, coalesce(json_extract(l.copy, '$.quote'), q.text) FROM quotations q
                LEFT JOIN lineage l ON l.quote_id = q.id
                WHERE q.id IN (SELECT value FROM json_each(?)) AND q.kind IN {_QUOTATION_KINDS}
                      AND coalesce(l.informative, 1)""", (wanted,)):
        if lineage_id is None:
            if quote_id > newest:
                continue
            lineage_id = quote_id
            implied.add(quote_id)
        rows[quote_id] = (lineage_id, text)
    rows.update((quote_id, (quote_id, text)) for quote_id, text in arriving.items())
    for quote_id, other in pairs:
        if quote_id not in rows or other not in rows:  # not a quotation, or too short
            continue
        (lineage_id, text), (other_lineage, other_text) = rows[quote_id], rows[other]
        lineage_of.setdefault(quote_id, lineage_id)
        lineage_of.setdefault(other, other_lineage)
        if joined.find(lineage_id) != joined.find(other_lineage) and _may_relate(text, other_text) \
                and related(text, other_text):
            joined.merge(lineage_id, other_lineage)


# related() wants this share of the shorter's word pairs in the longer (0.6 of its own, whose
# words expand contractions): a pair of candidates sharing less of their folded word pairs, of
# all words or of content words, is not worth its tokenising (most candidates share one pair
# of common words by chance).
NEAR = 0.4


class Shape(NamedTuple):
    """What lineage compares of a quotation's words, worked out once a quotation (_shape)."""

    pairs: tuple[str, ...]  # its folded words' pairs ("first second"), each once
    content_pairs: tuple[str, ...]  # its content words' pairs, each once
    informative: bool
    keys: tuple[int, ...]  # its lineage keys (trace.content_keys); none when not informative
    bits: int  # its Signatures row: a bit for each pair's hash, all words' pairs then content words'


# Signatures' bits: all words' pairs, content words' pairs.
SIGNATURE_BITS = (256, 256)


def _shape(text: str) -> Shape:
    return Shape._make(_shaped(text))


def _shaped(text: str) -> tuple[tuple[str, ...], tuple[str, ...], bool, tuple[int, ...], int]:
    return _shaped_words(folded_words(text))  # folded once for trace's cluster and for lineage


# Candidates are mostly recent quotations, proposed again batch after batch, and most copies
# of a quotation have its words (up to case, punctuation and ellipses): shaped once. Plain
# tuples of strings and numbers, which the garbage collector stops tracking: a cache of sets
# (or of named tuples) cost a share of every full collection, as much as a third of what
# lineage cost.
@lru_cache(maxsize=1 << 16)
def _shaped_words(joined: str) -> tuple[tuple[str, ...], tuple[str, ...], bool, tuple[int, ...], int]:
    from .trace import content_keys  # writers only: trace needs numpy

    folded = joined.split()
    common = _common_words()
    content = [word for word in folded if word not in common]
    informative = len(set(content)) >= MIN_CONTENT_WORDS
    content_pairs = tuple({f"{first} {second}" for first, second in zip(content, content[1:])})
    pairs = word_pairs(joined)  # as trace's bands took them
    every, among_content = SIGNATURE_BITS
    bits = 0
    for pair in pairs:
        bits |= 1 << hash(pair) % every
    for pair in content_pairs:
        bits |= 1 << (every + hash(pair) % among_content)
    return pairs, content_pairs, informative, tuple(content_keys(content_pairs)) if informative else (), bits


def lineage_keys(text: str) -> tuple[int, ...]:
    """A quotation's lineage keys (trace.BandIndex.lineage_pairs), from its words."""
    return _shape(text).keys


class Signatures:
    """Each quotation's word pairs (_shape) as bits, by quotation id, in numpy: most candidate
    pairs share a frequent word pair by chance, and ruling them out on their words means
    reading every candidate's words again (26 candidates a quotation at 1M, mostly quotations
    older than any cache of words would hold). A pair's bits in common, plus what collisions
    may have hidden, bound the pairs it shares from above, so a pair ruled out here fails
    _may_relate too: the lineages are those without signatures."""

    BITS = SIGNATURE_BITS
    WORDS = [bits // 64 for bits in BITS]

    def __init__(self) -> None:
        import numpy as np  # writers only: verify reads lineages without numpy

        self.np = np
        self.bits = np.zeros((0, sum(self.WORDS)), np.uint64)
        self.sizes = np.zeros((0, 2), np.int32)  # distinct pairs
        self.lost = np.zeros((0, 2), np.int32)  # pairs sharing a bit with another of the same quotation
        self.known = np.zeros(0, bool)

    def add(self, texts: dict[int, str]) -> None:
        """Sign quotations (id -> words)."""
        if not texts:
            return
        np = self.np
        top = max(texts) + 1
        if top > len(self.known):
            grow = max(top, 2 * len(self.known))
            self.bits = np.concatenate([self.bits, np.zeros((grow - len(self.bits), self.bits.shape[1]), np.uint64)])
            self.sizes = np.concatenate([self.sizes, np.zeros((grow - len(self.sizes), 2), np.int32)])
            self.lost = np.concatenate([self.lost, np.zeros((grow - len(self.lost), 2), np.int32)])
            self.known = np.concatenate([self.known, np.zeros(grow - len(self.known), bool)])
        ids = np.fromiter(texts, np.int64, len(texts))
        # Each quotation's bits, set once a shape (_shaped_words), as one block of bytes.
        shapes = [_shape(text) for text in texts.values()]
        rows = [shape.bits if self.BITS == SIGNATURE_BITS else self._narrowed(shape.bits) for shape in shapes]
        bits = np.frombuffer(b"".join(row.to_bytes(self.bits.shape[1] * 8, "little") for row in rows),
                             "<u8").reshape(len(shapes), self.bits.shape[1]).astype(np.uint64)
        counts = np.array([(len(shape.pairs), len(shape.content_pairs)) for shape in shapes], np.int64)
        every = (1 << self.BITS[0]) - 1
        set_bits = np.array([((row & every).bit_count(), (row >> self.BITS[0]).bit_count()) for row in rows], np.int64)
        self.bits[ids] = bits
        self.sizes[ids] = counts
        self.lost[ids] = counts - set_bits
        self.known[ids] = True

    def _narrowed(self, bits: int) -> int:
        """A shape's bits (SIGNATURE_BITS wide) folded to this signature's narrower BITS (a pair's
        bit is its hash modulo the width, and each width divides the shape's)."""
        narrowed, at = 0, 0
        for wide, narrow in zip(SIGNATURE_BITS, self.BITS):
            part = bits & (1 << wide) - 1
            bits >>= wide
            for shift in range(0, wide, narrow):
                narrowed |= (part >> shift & (1 << narrow) - 1) << at
            at += narrow
        return narrowed

    def may_relate(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pairs _may_relate may pass: all those of a quotation not signed."""
        if not pairs:
            return pairs
        np = self.np
        ids = np.array(pairs, np.int64)
        one, other = ids[:, 0], ids[:, 1]
        signed = (one < len(self.known)) & (other < len(self.known))
        signed[signed] = self.known[one[signed]] & self.known[other[signed]]
        keep = ~signed
        first, second = one[signed], other[signed]
        near = np.zeros(len(first), bool)
        words_at = 0
        for part, bits in enumerate(self.BITS):
            columns = slice(words_at, words_at + bits // 64)
            common = np.bitwise_count(self.bits[first, columns] & self.bits[second, columns]).sum(axis=1).astype(np.int32)
            sizes = np.minimum(self.sizes[first, part], self.sizes[second, part])
            hidden = np.minimum(self.lost[first, part], self.lost[second, part])
            shared = common + hidden  # at least the pairs shared
            near |= (sizes > 0) & (shared >= 1) & (shared >= NEAR * sizes)
            words_at += bits // 64
        keep[signed] = near
        return [pair for pair, kept in zip(pairs, keep.tolist()) if kept]


def _may_relate(text: str, other_text: str) -> bool:
    """A cheap necessary condition for related(), on the folded words corpus.text gives."""
    for first, second in zip(_shape(text)[:2], _shape(other_text)[:2]):  # all words' pairs, content words' pairs
        if first and second:
            shared = len(set(first).intersection(second))
            if shared and shared >= NEAR * min(len(first), len(second)):
                return True
    return False


def _rebuild(conn: sqlite3.Connection, lineage_id: int, copies: list[Copy], made: list[tuple],
             stored_facts: dict[int, str | None] | None = None) -> tuple[dict[int, str | None], dict[int, Copy]]:
    """Build one lineage from its copies: each copy's facts (None: not listed), the copies read
    again from their articles (a misread relay); the lineage's own go to made, (id, origin, outside).
    stored_facts: the stored copies' facts, whose variants stand while their earliest copy does."""
    # A copy credited to an outlet of its own lineage was stored before the corpus knew that
    # outlet: read again, it is that outlet relaying someone (lineage.reading).
    outlets = {outlet_key(copy.outlet) for copy in copies if copy.outlet}
    misread = {copy.quote_id: copy for copy in copies if copy.speaker and outlet_key(copy.speaker) in outlets}
    reread: dict[int, Copy] = {}
    if misread:
        known = outlets | {candidate.key for copy in misread.values() if copy.reading
                           for candidate in copy.reading.candidates if candidate.corpus}
        reread = {copy.quote_id: copy for copy in stored_copies(conn, sorted(misread), known)}
        copies = [reread.get(copy.quote_id, copy) for copy in copies]
    # The order a reader lists copies in (read.records.TIMELINE): build keeps it among equal dates.
    copies.sort(key=lambda copy: (copy.date is None, copy.date or "", copy.article_id, copy.start))
    lineage = build(copies, variants=_variants(stored_facts, reread)) if len(copies) > 1 else _alone(copies[0])
    found = {item.copy.quote_id: _compact(_facts(position, item))
             for position, item in enumerate(lineage.appearances)}
    made.append((lineage_id, _spaced(_source(lineage.origin)) if lineage.origin else None, _spaced(lineage.outside)))
    return {copy.quote_id: found.get(copy.quote_id) for copy in copies}, reread


def _variants(stored_facts: dict[int, str | None] | None,
              reread: dict[int, Copy]) -> tuple[int, dict[int, Variant]] | None:
    """The stored copies' variants and the earliest copy they were made against: a copy joining a
    lineage is compared with its earliest copy, and the others are not compared again (unless read
    again from their article)."""
    if not stored_facts:
        return None
    found = {quote_id: json.loads(facts) for quote_id, facts in stored_facts.items() if facts is not None}
    earliest = [quote_id for quote_id, facts in found.items() if facts["position"] == 0]
    # Two lineages joined: each one's variants were made against its own earliest copy.
    if len(earliest) != 1 or earliest[0] in reread:
        return None
    earliest = earliest[0]
    return earliest, {quote_id: _variant(facts["variant"]) for quote_id, facts in found.items()
                      if facts["position"] and quote_id not in reread}


def _variant(data: dict[str, Any]) -> Variant:
    return Variant(data["kind"], [Change(**change) for change in data["changes"]], data["meaning"], data["similarity"])


def _alone(copy: Copy) -> Lineage:
    """build([copy]), without what only several copies need: most quotations are copied nowhere
    else, and this is most of what lineage costs an ingest (tests/test_lineage_store.py compares
    every stored lineage with build())."""
    said = statement(copy, [copy.outlet] if copy.outlet else [])
    own = outlet_key(copy.outlet or "")
    parent = stated_parent(copy, said, [copy], 0, {own: [0]})
    origin = origin_source(said.origin) if said.origin is not None else None
    outside: dict[str, str] = {}
    for named in said.chain:
        if outlet_key(named.outlet) != own:
            outside.setdefault(outlet_key(named.outlet), named.outlet)
    return Lineage([Appearance(copy, Variant("original"), False, parent, origin, [named.outlet for named in said.chain])],
                   origin, list(outside.values()))


def _source(source: Source) -> dict[str, Any]:
    return {"name": source.name, "roles": list(source.roles), "evidence": [_span_json(span) for span in source.evidence]}


# The facts by hand, not dataclasses.asdict (a third of what storing a lineage cost).
def _span_json(span: Span | None) -> dict[str, Any] | None:
    return {"start": span.start, "end": span.end, "text": span.text} if span else None


def _span(data: dict | None) -> Span | None:
    return Span(**data) if data else None


def _facts(position: int, item: Appearance) -> dict[str, Any]:
    variant, parent = item.variant, item.parent
    return {"position": position,
            "variant": {"kind": variant.kind, "meaning": list(variant.meaning), "similarity": variant.similarity,
                        "changes": [{"op": change.op, "old": change.old, "new": change.new, "old_start": change.old_start,
                                     "old_end": change.old_end, "new_start": change.new_start, "new_end": change.new_end}
                                    for change in variant.changes]},
            "speaker_differs": item.speaker_differs,
            "parent": {"outlet": parent.outlet, "how": parent.how, "quote_id": parent.quote_id,
                       "evidence": _span_json(parent.evidence), "why": parent.why} if parent else None,
            "origin": _source(item.origin) if item.origin else None, "chain": list(item.chain)}


def load(conn: sqlite3.Connection, lineage_id: int) -> Lineage | None:
    """A stored lineage as lineage.build made it; None when it has no quotation."""
    appearances = []
    for quote_id, data, facts in conn.execute(
            "SELECT quote_id, copy, facts FROM lineage WHERE lineage_id = ? AND facts IS NOT NULL", (lineage_id,)):
        found = json.loads(facts)
        parent = found["parent"]
        origin = found["origin"]
        appearances.append((found["position"], Appearance(
            _copy(quote_id, data),
            _variant(found["variant"]),
            found["speaker_differs"],
            Parent(parent["outlet"], parent["how"], parent["quote_id"], _span(parent["evidence"]), parent["why"])
            if parent else None,
            Source(origin["name"], origin["roles"], evidence=[Span(**span) for span in origin["evidence"]])
            if origin else None,
            found["chain"])))
    if not appearances:
        return _alone_implied(conn, lineage_id)
    origin, outside = conn.execute("SELECT origin, outside FROM lineages WHERE id = ?", (lineage_id,)).fetchone()
    stated = json.loads(origin) if origin else None
    return Lineage([item for _, item in sorted(appearances, key=lambda pair: pair[0])],
                   Source(stated["name"], stated["roles"], evidence=[Span(**span) for span in stated["evidence"]])
                   if stated else None, json.loads(outside))


def _alone_implied(conn: sqlite3.Connection, quote_id: int) -> Lineage | None:
    """The lineage of a quotation alone without a row: its copy is the quotation, with IMPLIED_FACTS."""
    row = conn.execute(
        f"""SELECT q.article_id, a.outlet, a.published, e.name, q.text, q.kind, q.start
            FROM quotations q JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.entity_id
            WHERE q.id = ? AND q.kind IN {_QUOTATION_KINDS} AND {_IMPLIED}
                  AND NOT EXISTS (SELECT 1 FROM lineage WHERE quote_id = q.id)""", (quote_id,)).fetchone()
    if row is None:
        return None
    article_id, outlet, date, speaker, text, kind, start = row
    copy = Copy(quote_id=quote_id, article_id=article_id, outlet=outlet, date=date, speaker=speaker, quote=text,
                kind=kind, start=start, reading=Reading())
    return Lineage([Appearance(copy, Variant("original"), False, None, None, [])], None, [])


def lineage_ids(conn: sqlite3.Connection, quote_ids: Iterable[int]) -> dict[int, int]:
    """Quotation id -> its lineage's id, for those that have one (quotations, not stances)."""
    return dict(conn.execute(
        f"""SELECT q.id, coalesce(l.lineage_id, q.id) FROM quotations q LEFT JOIN lineage l ON l.quote_id = q.id
            WHERE q.id IN (SELECT value FROM json_each(?))
                  AND (l.quote_id IS NOT NULL OR (q.kind IN {_QUOTATION_KINDS} AND {_IMPLIED}))""",
        (json.dumps(sorted(set(quote_ids))),)))


def speakers_of(conn: sqlite3.Connection, lineages: Iterable[int]) -> dict[int, list[str | None]]:
    """The speakers each lineage's copies credit, as their articles name them."""
    wanted = json.dumps(sorted(set(lineages)))
    found: dict[int, list[str | None]] = {}
    for lineage_id, speaker in conn.execute(
            "SELECT lineage_id, json_extract(copy, '$.speaker') FROM lineage WHERE lineage_id IN "
            "(SELECT value FROM json_each(?)) AND facts IS NOT NULL", (wanted,)):
        found.setdefault(lineage_id, []).append(speaker)
    for quote_id, speaker in conn.execute(  # lineages of one quotation without a row
            f"""SELECT q.id, e.name FROM quotations q LEFT JOIN entities e ON e.id = q.entity_id
                WHERE q.id IN (SELECT value FROM json_each(?)) AND q.kind IN {_QUOTATION_KINDS} AND {_IMPLIED}
                      AND NOT EXISTS (SELECT 1 FROM lineage WHERE quote_id = q.id)""",
            (json.dumps(sorted(set(json.loads(wanted)) - set(found))),)):
        found[quote_id] = [speaker]
    return found


def stored_copies(conn: sqlite3.Connection, quote_ids: list[int], outlets: set[str] = frozenset()) -> list[Copy]:
    """Copies of stored quotations read from their articles (an upgrade's fill; a writer has
    the extracted articles at hand instead). The speaker is as the article names them."""
    return [arrival.copy() for arrival in stored_arrivals(conn, quote_ids, outlets)]


def stored_arrivals(conn: sqlite3.Connection, quote_ids: list[int], outlets: set[str] = frozenset()) -> list[Arrival]:
    """Stored quotations as a writer takes them in, read from their articles (stored_copies)."""
    from ..model import Entity, Speaker

    rows = conn.execute(
        """SELECT q.id, q.article_id, q.kind, q.text, q.start, q.end, q.confidence, e.name, a.outlet, a.published
           FROM quotations q JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.entity_id
           WHERE q.id IN (SELECT value FROM json_each(?)) ORDER BY q.id""", (json.dumps(quote_ids),)).fetchall()
    articles = json.dumps(sorted({row[1] for row in rows}))
    texts, stated = {}, {}
    for article_id, text, meta in conn.execute(
            "SELECT id, text, meta FROM articles WHERE id IN (SELECT value FROM json_each(?))", (articles,)):
        texts[article_id], stated[article_id] = text, _origin_spans(json.loads(meta))
    entities: dict[int, list[Entity]] = {}
    for article_id, name, kind, is_media, aliases in conn.execute(
            "SELECT article_id, name, type, is_media, aliases FROM entities "
            "WHERE article_id IN (SELECT value FROM json_each(?))", (articles,)):
        entities.setdefault(article_id, []).append(Entity(name, kind or "", json.loads(aliases), is_media=bool(is_media)))
    sources: dict[int, list[Source]] = {}
    for article_id, name, roles in conn.execute(
            "SELECT article_id, name, roles FROM sources WHERE article_id IN (SELECT value FROM json_each(?))", (articles,)):
        roles = json.loads(roles)
        evidence = stated[article_id].get(name, []) if "origin" in roles else []
        sources.setdefault(article_id, []).append(Source(name, roles, evidence=evidence))
    relays: dict[int, list[str]] = {}
    for quote_id, outlet in conn.execute("SELECT quote_id, outlet FROM relays WHERE quote_id IN "
                                         "(SELECT value FROM json_each(?))", (json.dumps(quote_ids),)):
        relays.setdefault(quote_id, []).append(outlet)
    arrivals, articles_read = [], {}
    for quote_id, article_id, kind, text, start, end, confidence, name, outlet, published in rows:
        if article_id not in articles_read:
            article = Article(texts[article_id], [], entities.get(article_id, []), [], [], sources.get(article_id, []))
            articles_read[article_id] = article, ArticleKeys.of(article)
        article, keys = articles_read[article_id]
        quote = Quote(kind, text, start, end, Speaker(name, name, start, start, "named") if name else None, None,
                      relays.get(quote_id, []), confidence)
        arrivals.append(Arrival(quote_id, article_id, outlet, published, article, quote, keys, outlets))
    return arrivals


def _origin_spans(meta: dict[str, Any]) -> dict[str, list[Span]]:
    """The words an article states its origin in (meta "origin", kept at ingest), by outlet: the
    sources table keeps names and roles only, and a lineage takes an origin only with its words."""
    spans: dict[str, list[Span]] = {}
    for origin in meta.get("origin") or []:
        if isinstance(origin, dict) and isinstance(origin.get("start"), int) and isinstance(origin.get("end"), int):
            spans.setdefault(str(origin.get("outlet")), []).append(
                Span(origin["start"], origin["end"], str(origin.get("evidence", ""))))
    return spans


def fill(conn: sqlite3.Connection, transaction: Callable[[], AbstractContextManager]) -> None:
    """The lineage of every stored quotation (an upgrade from a version without it), in short
    transactions, in id order as the writer would have built it; a fill cut short starts over."""
    from .trace import BandIndex

    with transaction():
        conn.execute("DELETE FROM lineage")
        conn.execute("DELETE FROM lineages")
    bands = BandIndex(conn)
    signatures = Signatures()
    total = quotation_count(conn)
    # Hours on a corpus of millions: say so once, then show progress per chunk (with -v).
    log.warning("upgrading the corpus: building the lineage of %d stored quotations once", total)
    done = 0
    outlets = corpus_outlets(conn)
    after = 0
    while True:
        with transaction():
            chunk = [quote_id for (quote_id,) in conn.execute(
                "SELECT id FROM quotations WHERE id > ? ORDER BY id LIMIT ?", (after, FILL_CHUNK))]
            if not chunk:
                conn.execute("DELETE FROM stale WHERE what = 'lineage'")
                break
            arrivals = stored_arrivals(conn, chunk, outlets)
            update(conn, arrivals, bands.lineage_pairs([(arrival.quote_id, arrival.words) for arrival in arrivals]),
                   signatures, outlets)
        after = chunk[-1]
        done += len(chunk)
        log.info("lineage: %d of %d quotations (%.0f%%)", done, total, 100 * done / max(total, 1))
        bands.flush_if_full(transaction)
    bands.flush(transaction)


__all__ = ["IMPLIED_FACTS", "MIN_CONTENT_WORDS", "Arrival", "ArticleKeys", "Signatures", "corpus_outlets", "fill",
           "informative", "lineage_ids", "load", "new_copy", "speakers_of", "stored_arrivals", "stored_copies", "update"]
