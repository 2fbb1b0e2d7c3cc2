"""The search planner: which way finds a search's hits fastest, at any corpus size.

A search is words (FTS5), speakers, and other filters (fields.FILTERS) in an order; the
planner returns the hits' ids, and every way it may take gives the same ids in the same
order (tests/test_corpus_queries.py)."""
from __future__ import annotations

import heapq
import json
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, islice

from ..schema import TIMELINE_BLOCK, grown_a_tenth, quotation_count
from ..speakers import speaker_ids
from ..text import words
from .fields import NotFound, Search, by_name, fts_query, speaker_condition

NEWEST_FIRST = "ORDER BY a.published DESC, a.id DESC, q.start"  # NULLs sort last when descending
OLDEST_FIRST = "ORDER BY a.published IS NULL, a.published, a.id, q.start"  # undated last, as above
ORDERS = {"newest": NEWEST_FIRST, "oldest": OLDEST_FIRST, "relevance": "ORDER BY quotation_fts.rank, q.id"}


def _order(ask: _Ask) -> str:
    return ORDERS[ask.search.sort if ask.query is not None or ask.search.sort != "relevance" else "newest"]
BY_ARTICLE = "quotations q JOIN articles a ON a.id = q.article_id"
# An article looked up by id for its date and outlet, from an index a few dozen bytes an article
# rather than from its row, which holds its text: SQLite would take the row.
ARTICLE_BY_ID = "JOIN articles a INDEXED BY articles_dates ON a.id = q.article_id"
# Quotations looked up by FTS5's matches. CROSS JOIN fixes that order: left to itself,
# SQLite may walk the other filters' articles and probe every match for each.
FROM_FTS = f"quotation_fts CROSS JOIN quotations q ON q.id = quotation_fts.rowid {ARTICLE_BY_ID}"


def _matches(conn: sqlite3.Connection, query: str, enough: int) -> int:
    """How many quotations have the words, counted up to enough + 1."""
    return conn.execute("SELECT count(*) FROM (SELECT 1 FROM quotation_fts WHERE quotation_fts MATCH ? LIMIT ?)",
                        (query, enough + 1)).fetchone()[0]


def _folded(text: str) -> str:
    """Lower case without diacritics: a word FTS5 finds in a text is a substring of this."""
    if text.isascii():
        return text.lower()
    return "".join(char for char in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(char))


def many_matches(quotations: int) -> int:
    """Above this many quotations with the words, walking the timeline and checking each
    quotation beats collecting and sorting every match (about 7 µs a match against 3 µs
    a quotation walked): the two cost the same near sqrt(20 * corpus size)."""
    return max(1000, int(math.sqrt(20 * quotations)))


@dataclass
class _Ask:
    """A search as SQL: the words' FTS5 query, the speakers' ids (how many quotations they
    have: quoted), the other filters' conditions on q and a, and how many hits (limit)."""

    search: Search
    query: str | None
    speakers: list[int]
    quoted: int | None
    conditions: list[str]
    params: list[object]
    limit: int
    since: str | None
    until: str | None
    outlet: object | None
    shared: dict = field(default_factory=dict)  # what finds read once (see find)

    def once(self, key: tuple, read: Callable[[], object]) -> object:
        if key not in self.shared:
            self.shared[key] = read()
        return self.shared[key]


def speakers_of(conn: sqlite3.Connection, search: Search) -> list[int]:
    """The speakers a search asks for (by id, or every speaker its name may mean)."""
    if search.speaker_ids is not None:
        return search.speaker_ids
    name = search.filters.get("speaker")
    if not name:
        return []
    ids = speaker_ids(conn, str(name))
    if not ids:
        raise NotFound(f"no speaker matches {name!r} (see 'quotetrail speakers list')")
    return ids


def find(conn: sqlite3.Connection, search: Search, sample: WordSample, limit: int,
         leave_out: str | None = None, shared: dict | None = None) -> list[int]:
    """The first `limit` hits' ids in the search's order; leave_out: a filter to ignore (a
    facet's counts leave their own filter out). Undated articles drop out of date filters.
    shared: a dict that finds pass each other, so that what they all read alike (the words'
    matches counted, the timeline blocks: a millisecond a find) is read once: the finds of one
    search, or a server's while the corpus stays as it is (connection.CorpusCache.shared).

    Which way finds the hits matters at scale (see _ways); every way gives the same
    rows in the same order. sample: the corpus's word frequencies, read once and reused
    (see Frequencies)."""
    speakers = [] if leave_out == "speaker" else speakers_of(conn, search)
    quoted = conn.execute("SELECT sum(quotes) FROM speakers WHERE id IN (SELECT value FROM json_each(?))",
                          (json.dumps(speakers),)).fetchone()[0] if speakers else None
    conditions, params = search.conditions(conn, leave_out, skip=("speaker",))
    if search.text and search.mode == "exact":
        conditions.append("instr(lower(q.text), lower(?)) > 0")
        params.append(search.text)
    filters = search.filters if leave_out is None else {k: v for k, v in search.filters.items() if k != leave_out}
    ask = _Ask(search, fts_query(search.text, search.mode) if search.text else None, speakers, quoted,
               conditions, params, limit, filters.get("since"), filters.get("until"), filters.get("outlet"),
               {} if shared is None else shared)
    if limit == 0:
        return []
    for way in _ways(conn, ask, sample):
        ids = way(conn, ask)
        if ids is not None:
            return ids
    raise AssertionError("the last way never gives up")


Way = Callable[[sqlite3.Connection, _Ask], list[int] | None]  # the hits' ids; None: gave up, try the next

# Up to this many matches per row asked for, collecting and sorting them all is cheapest.
COLLECT_PER_ROW = 10
# A search gives up reading matches newest first (_newest) after this many per row asked for.
MATCHES_READ_PER_ROW = 400
# What each way costs, in µs per quotation or match it reads (a 12M-quotation corpus, warm).
COLLECT_COST = 7  # a match collected and sorted
MEET_QUOTE_COST = 3  # a speaker's quotation's id
MEET_MATCH_COST = {True: 0.3, False: 1}  # a match's id, for one word (True) or more
READ_COST = 15  # a match read newest first, with its row and article
MENTION_COST = 25  # a speaker's quotation read with its text
# A quotation of the timeline walked, its words checked: at 1M quotations, warm, 6 µs against
# 2.5 µs a match read newest first, so two and a half READ_COSTs.
WALK_COST = 40


def _ways(conn: sqlite3.Connection, ask: _Ask, sample: WordSample) -> list[Way]:
    """The ways to find the hits, in the order to try them; only the last never gives up.

    Without words, the speakers' mentions are read newest first, or the other filters'
    indexes drive. Without a speaker, a few matches are collected and sorted; more are
    read newest first a block of the timeline at a time while that reads few per hit,
    else the timeline is walked newest first (a common word would make SQLite sort every
    match before the LIMIT); in one outlet, walking that outlet's timeline when it reads
    less than the matches would. With a speaker, the way that reads least for what it costs:
    collecting the matches, meeting them with the speakers' quotations, reading the
    matches newest first, or reading the speakers' mentions newest first. Matches are
    counted only up to where walking beats collecting; past that, estimated from the
    corpus's word sample.

    Oldest first, the matches are collected, met with the speakers' quotations, or the
    timeline is walked oldest first; by relevance, collected and ranked."""
    sort = ask.search.sort
    if ask.query is None:
        return [_speakers_newest] if ask.speakers and sort != "oldest" else [_collect]
    if sort == "relevance":
        return [_collect]
    total = quotation_count(conn)
    enough = many_matches(total)
    matches = ask.once(("matches", ask.query, enough), lambda: _matches(conn, ask.query, enough))
    if sort == "oldest":
        return [_collect] if matches <= enough else [_meet] if ask.speakers else [_walk]
    limit, quoted = ask.limit, ask.quoted
    said = words(ask.search.text or "")
    if quoted is None:
        if matches <= min(enough, COLLECT_PER_ROW * limit):  # (matches are counted up to enough + 1)
            return [_collect]
        fallback = _collect if matches <= enough else _walk
        share = _outlet_share(conn, ask)
        if share == 1:
            return [_newest, fallback]
        if matches > enough:
            matches = max(matches, round(sample.matches(said)))
        # Newest first, a match is a hit one time in 1/share; walking the outlet's
        # quotations newest first, one in total/matches holds the words; collecting reads
        # every match, cheaper than reading them newest first when fewer than limit are hits.
        costs = {_newest: READ_COST * min(matches, limit / share),
                 _walk: WALK_COST * min(share * total, limit * total / max(matches, 1)),
                 _collect: COLLECT_COST * matches}
        cheapest = min(costs, key=costs.__getitem__)
        return [_newest, fallback] if cheapest is _newest else [cheapest]
    if matches > enough:
        matches = max(matches, round(sample.matches(said)))
    quoted = max(quoted, 1)
    costs: dict[Way, float] = {
        _meet: MEET_MATCH_COST[len(set(said)) == 1] * matches + MEET_QUOTE_COST * quoted,
        _speakers_newest: MENTION_COST * min(quoted, limit * total / max(matches, 1)),
    }
    if matches <= enough:
        costs[_collect] = COLLECT_COST * matches
    if total / quoted <= MATCHES_READ_PER_ROW:  # else it would give up before its limit of reads
        costs[_newest] = READ_COST * min(matches, limit * total / quoted)
    cheapest = min(costs, key=costs.__getitem__)
    return [_newest, _speakers_newest] if cheapest is _newest else [cheapest]


def _outlet_share(conn: sqlite3.Connection, ask: _Ask) -> float:
    """The share of the corpus's articles that the outlet filter keeps (1 without one): a
    common word in one outlet of 40 is a hit one match in 40, read newest first, while
    walking that outlet's timeline (an index) finds a hit in a few quotations."""
    if ask.outlet is None:
        return 1.0
    condition, params = by_name()["outlet"].where(conn, ask.outlet)
    (kept,), (articles,) = (conn.execute(f"SELECT count(*) FROM articles a WHERE {condition}", params).fetchone(),
                            conn.execute("SELECT coalesce(max(id), 1) FROM articles").fetchone())
    return min(1.0, kept / max(articles, 1))


def _collect(conn: sqlite3.Connection, ask: _Ask) -> list[int]:
    """Every hit, sorted: the matches drive, each looked up by id; without words, the
    filters' own indexes."""
    source, where, params = BY_ARTICLE, list(ask.conditions), list(ask.params)
    if ask.query is not None:
        source = FROM_FTS
        where.insert(0, "quotation_fts MATCH ?")
        params.insert(0, ask.query)
    if ask.speakers:
        condition, values = speaker_condition(ask.speakers)
        where.append(condition)
        params.extend(values)
    sql = f"SELECT q.id FROM {source}" + (" WHERE " + " AND ".join(where) if where else "")
    return [quote_id for (quote_id,) in conn.execute(f"{sql} {_order(ask)} LIMIT ?", [*params, ask.limit])]


# What a hit's place in NEWEST_FIRST is read from (see _NewestHits.place).
PLACE = "q.id, a.published IS NOT NULL, coalesce(a.published, ''), a.id, q.start"


class _NewestHits:
    """The limit newest hits found so far, a min-heap of their places: the oldest on top."""

    def __init__(self, limit: int) -> None:
        self.limit, self.heap = limit, []

    @staticmethod
    def place(quote_id: int, dated: int, published: str, article: int, start: int) -> tuple:
        return dated, published, article, -start, quote_id  # larger: sooner in NEWEST_FIRST

    def wants(self, place: tuple) -> bool:
        return len(self.heap) < self.limit or place > self.heap[0]

    def add(self, place: tuple) -> None:
        (heapq.heappush if len(self.heap) < self.limit else heapq.heapreplace)(self.heap, place)

    def all_newer_than(self, bound: Key) -> bool:
        """Whether limit hits are held, each newer than any quotation under bound (a block's key)."""
        return len(self.heap) == self.limit and bound < self.heap[0][:3]

    def ids(self) -> list[int]:
        """Newest first."""
        return [place[-1] for place in sorted(self.heap, reverse=True)]


def _newest(conn: sqlite3.Connection, ask: _Ask) -> list[int] | None:
    """The newest hits, from the matches read by timeline blocks (see _windows), until
    the blocks left are older than every hit found; None when that would read more than
    MATCHES_READ_PER_ROW matches per row asked for.

    FTS5 reads a word's matches in id order, and ids follow ingest order, which mostly
    follows publication order: so the blocks (schema.timeline_blocks) make a bound that
    stops the reading early, and blocks outside the date filters are never read."""
    limit = ask.limit
    budget = MATCHES_READ_PER_ROW * limit
    conditions, params = list(ask.conditions), list(ask.params)
    if ask.speakers:  # one lookup a match: the speakers' mentions could be tens of thousands
        conditions.append("(SELECT speaker_id FROM entities WHERE id = q.entity_id) IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(ask.speakers))
    hits = _NewestHits(limit)
    read = 0
    for window in _timeline_windows(conn, ask):
        bounds = dict(window)
        for first, last in _stretches([block for block, _ in window]):
            block = None
            for quote_id, dated, published, article, start, hit in conn.execute(
                    f"""SELECT {PLACE}, {" AND ".join(conditions) or "1"}
                        FROM {FROM_FTS}
                        WHERE quotation_fts MATCH ? AND quotation_fts.rowid BETWEEN ? AND ?
                        ORDER BY quotation_fts.rowid DESC""",
                    [*params, ask.query, first * TIMELINE_BLOCK, (last + 1) * TIMELINE_BLOCK - 1]):
                if quote_id // TIMELINE_BLOCK != block:
                    block = quote_id // TIMELINE_BLOCK
                    if hits.all_newer_than(bounds[block]):
                        return hits.ids()  # every match left is older
                read += 1
                if read > budget:
                    return None
                if hit and hits.wants(place := hits.place(quote_id, dated, published, article, start)):
                    hits.add(place)
    return hits.ids()


Key = tuple[bool, str, int]  # (dated, publication date, article id): NEWEST_FIRST's order


def _timeline_windows(conn: sqlite3.Connection, ask: _Ask) -> list[list[tuple[int, Key]]]:
    """The windows (see _windows) of the blocks that may hold quotations in the date filters,
    each block with a key no quotation in it exceeds: its newest publication date and last
    article. Read and ordered once (ask.shared): a third of a speaker's newest quotations'
    find at 1M quotations (245 blocks), more at 12M (2,900)."""
    return ask.once(("windows", ask.since, ask.until), lambda: list(_windows(_blocks_in_dates(conn, ask))))


def _blocks_in_dates(conn: sqlite3.Connection, ask: _Ask) -> dict[int, Key]:
    where, params = [], []
    if ask.since:
        where.append("newest >= ?")
        params.append(ask.since)
    if ask.until:
        where.append("oldest < ?")
        params.append(ask.until + "~")  # as fields._until
    rows = conn.execute("SELECT block, newest, last_article FROM timeline_blocks"
                        + (" WHERE " + " AND ".join(where) if where else ""), params)
    return {block: (newest is not None, newest or "", last_article) for block, newest, last_article in rows}


# Blocks are read in windows, FIRST_WINDOW blocks first, each window twice the one before:
# a common word's newest hits usually lie in the first.
FIRST_WINDOW = 8


def _windows(keys: dict[int, Key]) -> Iterator[list[tuple[int, Key]]]:
    """The blocks in windows: the FIRST_WINDOW with the newest keys, then the next twice
    as many, and so on; each window as (block, bound) from the last block to the first, so
    that consecutive blocks are read by one query, bound: a key no quotation in that block,
    the blocks after it in the window or any later window exceeds. Reading block by block
    in the order of their keys would stop sooner, but a corpus stored out of publication
    order splits that order into many short stretches, each a query."""
    ordered = sorted(keys, key=lambda block: (keys[block], block), reverse=True)
    position, size = 0, FIRST_WINDOW
    while position < len(ordered):
        window = sorted(ordered[position:position + size], reverse=True)
        position, size = position + size, 2 * size
        # Every key in a later window is below every key in this one.
        bounds = list(accumulate((keys[block] for block in reversed(window)), max))
        yield list(zip(window, reversed(bounds)))


def _stretches(blocks: list[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each stretch of consecutive numbers in blocks (given from the last)."""
    index = 0
    while index < len(blocks):
        last = first = blocks[index]
        index += 1
        while index < len(blocks) and blocks[index] == first - 1:
            first = blocks[index]
            index += 1
        yield first, last


MENTIONS_PER_QUERY = 1000


def _speakers_newest(conn: sqlite3.Connection, ask: _Ask) -> list[int]:
    """The newest hits among the speakers' quotations, read by timeline blocks as _newest
    reads them but driven by the speakers' mentions in each window of blocks (an index
    holds each speaker's) rather than by the matches: each mention's quotations are
    checked for the other filters and the words if any, until the next window is older than
    every hit found. For a common word this reads a few of the speakers' quotations where
    _newest would read many of its matches, and it never sorts all of the speakers'
    quotations, as SQLite would."""
    hits = _NewestHits(ask.limit)
    for window in _timeline_windows(conn, ask):
        if hits.all_newer_than(window[0][1]):
            break  # (the first block's bound holds for the whole window and all after it)
        for first, last in _stretches([block for block, _ in window]):
            low, high = first * TIMELINE_BLOCK, (last + 1) * TIMELINE_BLOCK - 1
            mentions = _mentions(conn, ask.speakers, low, high)
            while chunk := list(islice(mentions, MENTIONS_PER_QUERY)):
                for quote_id, dated, published, article, start, text in conn.execute(
                        f"""SELECT {PLACE}, q.text
                            FROM json_each(?) mention CROSS JOIN quotations q ON q.entity_id = mention.value
                            {ARTICLE_BY_ID}
                            WHERE {" AND ".join(["q.id BETWEEN ? AND ?", *ask.conditions])}""",
                        [json.dumps(chunk), low, high, *ask.params]):
                    place = hits.place(quote_id, dated, published, article, start)
                    if hits.wants(place) and (ask.query is None or _has_words(conn, ask.query, quote_id, text,
                                                                                  ask.search.mode == "words")):
                        hits.add(place)
    return hits.ids()


def _meet(conn: sqlite3.Connection, ask: _Ask) -> list[int]:
    """The speakers' quotations among the matches, met as bare ids, then collected."""
    (theirs,) = conn.execute(
        """SELECT json_group_array(id) FILTER (WHERE id IN (SELECT q.id FROM quotations q WHERE q.entity_id IN
                (SELECT id FROM entities WHERE speaker_id IN (SELECT value FROM json_each(?)))))
           FROM (SELECT rowid AS id FROM quotation_fts WHERE quotation_fts MATCH ?)""",
        (json.dumps(ask.speakers), ask.query)).fetchone()
    sql = (f"SELECT q.id FROM json_each(?) chosen CROSS JOIN quotations q ON q.id = chosen.value {ARTICLE_BY_ID}"
           + (" WHERE " + " AND ".join(ask.conditions) if ask.conditions else ""))
    return [quote_id for (quote_id,) in conn.execute(f"{sql} {_order(ask)} LIMIT ?",
                                                     [theirs, *ask.params, ask.limit])]


def _mentions(conn: sqlite3.Connection, speakers: list[int], low: int, high: int) -> Iterator[int]:
    """The speakers' mentions in the articles holding quotations low to high."""
    (first_article, last_article), = conn.execute(
        """SELECT (SELECT article_id FROM quotations WHERE id >= ? ORDER BY id LIMIT 1),
                  (SELECT article_id FROM quotations WHERE id <= ? ORDER BY id DESC LIMIT 1)""", (low, high))
    (first, last), = conn.execute(
        """SELECT (SELECT id FROM entities WHERE article_id >= ? ORDER BY article_id, id LIMIT 1),
                  (SELECT id FROM entities WHERE article_id <= ? ORDER BY article_id DESC, id DESC LIMIT 1)""",
        (first_article, last_article))
    if first is None or last is None:
        return iter(())
    return (mention for (mention,) in conn.execute(
        "SELECT id FROM entities WHERE speaker_id IN (SELECT value FROM json_each(?)) AND id BETWEEN ? AND ?",
        (json.dumps(speakers), first, last)))


_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=64)
def _query_words(query: str) -> tuple[tuple[str, ...], bool]:
    """The query's words, folded, and whether all are ASCII letters and digits as written.
    FTS5 splits cat_food into cat and food (a phrase): each must be in the text."""
    tokens = re.findall(r"\w+", query)
    return (tuple(_folded(part) for token in tokens for part in re.findall(r"[^\W_]+", token)),
            all(_ASCII_WORD.fullmatch(token.lower()) for token in tokens))


@lru_cache(maxsize=4096)
def _separates(char: str) -> bool:
    """Whether FTS5's unicode61 tokenizer splits words at char: punctuation and spaces."""
    return unicodedata.category(char)[0] in "PZ"


def _ascii_spaced(text: str) -> str | None:
    """The text with its non-ASCII punctuation and spaces (curly quotes, an ellipsis, dashes)
    as spaces, when nothing else in it is non-ASCII: its words are then those FTS5 finds."""
    if text.isascii():
        return text
    others = {char for char in set(text) if not char.isascii()}
    if not all(_separates(char) for char in others):
        return None
    return text.translate({ord(char): " " for char in others})


def _has_words(conn: sqlite3.Connection, query: str, quote_id: int, text: str, plain: bool = True) -> bool:
    """Whether FTS5 matches quote_id (its text given) with query. Asking FTS5 about one
    quotation seeks each word's whole list of matches (a tenth of a millisecond for a
    common word), so for ASCII words in a text that is ASCII but for punctuation and spaces
    the answer comes from the text's words as FTS5's unicode61 tokenizer splits them (runs
    of letters and digits, case folded); otherwise a substring test passes over most quotations and FTS5 decides.
    plain: the query is words, not a phrase or prefixes (which FTS5 alone decides)."""
    wanted, ascii_words = _query_words(query)
    if plain and ascii_words and (spaced := _ascii_spaced(text)) is not None:
        found = set(_ASCII_WORD.findall(spaced.lower()))
        return all(word in found for word in wanted)
    folded = _folded(text)
    return all(word in folded for word in wanted) and conn.execute(
        "SELECT 1 FROM quotation_fts WHERE quotation_fts MATCH ? AND rowid = ?", (query, quote_id)).fetchone() is not None


def _walk(conn: sqlite3.Connection, ask: _Ask) -> list[int]:
    """The first hits of the timeline walked in the search's order."""
    sql = f"SELECT q.id, q.text FROM {BY_ARTICLE}" + (" WHERE " + " AND ".join(ask.conditions) if ask.conditions else "")
    ids: list[int] = []
    for quote_id, text in conn.execute(f"{sql} {_order(ask)}", ask.params):
        if _has_words(conn, ask.query, quote_id, text, ask.search.mode == "words"):
            ids.append(quote_id)
            if len(ids) == ask.limit:
                break
    return ids


@dataclass
class WordSample:
    """How many quotations hold each word, estimated from up to SAMPLE_QUOTES of them spread
    evenly over the corpus (all of a smaller one), and how many are of each kind. FTS5's
    vocabulary counts a word by reading its whole index entry: at 10M quotations a common
    word took a tenth of a second, and a profile's topic words looked up 40."""

    quotations: int
    sampled: int
    counts: Counter[str]
    kinds: Counter[str] = field(default_factory=Counter)

    SAMPLE_QUOTES = 20_000
    RUN = 500  # consecutive ids read per range lookup

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> WordSample:
        total = quotation_count(conn)
        if total <= cls.SAMPLE_QUOTES:
            rows = conn.execute("SELECT text, kind FROM quotations").fetchall()
        else:
            step = total // (cls.SAMPLE_QUOTES // cls.RUN)
            rows = [row for start in range(1, total + 1, step) for row in conn.execute(
                "SELECT text, kind FROM quotations WHERE id BETWEEN ? AND ?", (start, start + cls.RUN - 1))]
        return cls(total, len(rows), Counter(word for text, _ in rows for word in set(words(text))),
                   Counter(kind for _, kind in rows))

    def document_frequency(self, word: str) -> float:
        # A word the sample lacks is rarer than one quotation in `sampled`: half that.
        return max(self.counts.get(word, 0), 0.5) * self.quotations / max(self.sampled, 1)

    def kind_share(self, kinds: Iterable[str]) -> float:
        """The share of quotations that are of these kinds (1 for an empty corpus)."""
        if not self.sampled:
            return 1.0
        return sum(self.kinds[kind] for kind in set(kinds)) / self.sampled

    def matches(self, all_of: list[str]) -> float:
        """How many quotations hold all of these words, were they independent."""
        share = 1.0
        for word in set(all_of):
            share *= self.document_frequency(word) / max(self.quotations, 1)
        return share * self.quotations


class Frequencies:
    """A corpus's WordSample, read again when the corpus has grown by a tenth (a small one: at
    every change), since words' shares move slowly."""

    def __init__(self) -> None:
        self._sample: WordSample | None = None

    def __call__(self, conn: sqlite3.Connection) -> WordSample:
        total = quotation_count(conn)
        sample = self._sample
        if (sample is None or total < sample.quotations
                or total != sample.quotations and (total <= WordSample.SAMPLE_QUOTES or grown_a_tenth(total, sample.quotations))):
            self._sample = sample = WordSample.read(conn)
        return sample
