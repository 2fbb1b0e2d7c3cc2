"""A search's page of quotations, and, when asked, its facets and timeline: bounded at scale.

The planner finds the hits newest first (or oldest first, or by relevance) reading about as
many rows as it returns. Counting every match of a common word, with facets and a timeline
over them all, would read most of a large corpus each time; so facets, the timeline and the
total are counted over the first COUNTED hits in the search's order (a facet whose own filter is
set, over the first LEFT_OUT without it), and a total past that is a lower bound (total_exact is
False).
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ...model import parse_kinds
from ..buckets import bucket_start, next_bucket
from ..schema import CorpusError
from ..speakers import speaker_ids
from .connection import CorpusCache
from .fields import Filter, Search, by_name, kinds_condition
from .planner import WordSample, find
from .records import QuoteRecord, quotes_by_id

COUNTED = 1000  # hits a search's facets, timeline and total count at most
# A facet whose own filter is set counts the first LEFT_OUT hits without that filter: a search
# of its own, which, without the filter that made it cheap, may read many rows per hit.
LEFT_OUT = 200
# From this share of the corpus up, the hits of the asked kinds are picked out of a find of
# every kind (see _find_all_kinds).
MOST_KINDS = 0.5
MAX_ROWS = 10_000  # how deep paging goes (offset + limit)
FACET_SIZE = 10
NAME_WORDS = 4  # a search of up to this many words may be a speaker's name


@dataclass
class Facet:
    value: str
    count: int

    def __iter__(self):  # (value, count), as the command line prints it
        return iter((self.value, self.count))


@dataclass
class Bucket:
    start: str  # YYYY-MM-DD: the day, or the first day of the week (a Monday), month or year
    count: int


@dataclass
class Named:
    """A speaker the search's words name."""

    name: str
    quotes: int


@dataclass
class SearchResult:
    quotes: list[QuoteRecord]
    offset: int
    limit: int
    more: bool  # a next page exists
    total: int  # hits counted: all of them when total_exact, else at least this many
    total_exact: bool
    facets: dict[str, list[Facet]]  # by FILTERS name, those asked for
    first: str | None  # dates of the earliest and latest dated hit counted
    last: str | None
    interval: str | None
    timeline: list[Bucket]  # empty periods included
    named: list[Named]  # the speakers the words named, whose quotations these are
    words: list[str]  # the words searched for, for marking them in the results
    text: str | None  # the words as searched (without a speaker: prefix)
    mode: str
    filters: dict[str, object]
    stale: list[str] = field(default_factory=list)


def stale(conn: sqlite3.Connection) -> list[str]:
    """Derived data an ingest left to rebuild (speakers, clusters): shown as is until then."""
    return sorted(what for (what,) in conn.execute("SELECT what FROM stale"))


def apply_name(conn: sqlite3.Connection, request: Search) -> list[Named]:
    """In auto mode, words that name a speaker ask for that speaker's quotations (the request
    becomes a speaker filter); else they are words."""
    if request.mode != "auto":
        return []
    request.mode = "words"
    text = request.text
    if (not text or "speaker" in request.filters or request.speaker_ids is not None
            or len(re.findall(r"\w+", text)) > NAME_WORDS):
        return []
    ids = speaker_ids(conn, text)
    if not ids:
        return []
    request.filters = {**request.filters, "speaker": text}
    request.text = None
    return [Named(name, quotes) for name, quotes in conn.execute(
        "SELECT name, quotes FROM speakers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY quotes DESC, name",
        (json.dumps(ids),))]


class CountCache(CorpusCache):
    """A long-lived reader's (the web server's) latest searches' counts: total, facets and days,
    by search, paging aside. The search page's results and its /counts request, its next pages
    and the same search in the API then count once; a change to the corpus empties it (CorpusCache)."""

    SIZE = 256

    def __init__(self) -> None:
        super().__init__(self.SIZE)

    def search_key(self, conn: sqlite3.Connection, request: Search) -> tuple:
        return self.key(conn, request.text, request.mode, tuple(sorted(request.filters.items())),
                        request.sort, request.facets, request.timeline, tuple(request.speaker_ids or ()))


def search(conn: sqlite3.Connection, request: Search, sample: WordSample, deepest: int | None = MAX_ROWS,
           cache: CountCache | None = None) -> SearchResult:
    """One page of hits (request.offset, request.limit), with the facets and timeline asked
    for; deepest: how far offset + limit may go (None: no bound, for the Python API); cache:
    counts kept from earlier searches, and what they read alike (a server's)."""
    window = request.offset + request.limit
    if deepest is not None and window > deepest:
        raise CorpusError(f"results go {deepest:,} deep: narrow the search rather than paging further")
    named = apply_name(conn, request)
    counting = bool(request.facets or request.timeline)
    key = cache.search_key(conn, request) if cache is not None and counting and window < COUNTED else None
    counts = cache.get(key) if key is not None else None
    shared = {} if cache is None else cache.shared(conn)
    if counts is not None:
        ids = find(conn, request, sample, window + 1, shared=shared)
    else:
        ids, counts = _find_and_count(conn, request, sample, window, counting, shared)
        if key is not None:
            cache.put(key, counts)
    total, exact, facets, days = counts
    first, last = (days[0][0], days[-1][0]) if days else (None, None)
    interval = request.interval or _interval(first, last)
    return SearchResult(
        quotes_by_id(conn, ids[request.offset:window]), request.offset, request.limit, len(ids) > window,
        total, exact, dict(facets), first, last, interval if request.timeline else None, _timeline(days, interval),
        named, _words(request.text), request.text, request.mode, dict(request.filters), stale(conn))


def _find_and_count(conn: sqlite3.Connection, request: Search, sample: WordSample, window: int, counting: bool,
                    shared: dict) -> tuple[list[int], tuple]:
    """The hits up to the window (at least COUNTED when counting), and (total, whether exact,
    facets, days); shared: what the finds read alike (planner.find)."""
    wanted = max(window + 1, COUNTED if counting else 0)
    found_without = {}  # by facet: the hits found without its filter
    ids = None
    if counting and "kinds" in request.facets and "kinds" in request.filters:
        ids, found_without["kinds"] = _find_all_kinds(conn, request, sample, wanted, shared)
    if ids is None:
        ids = find(conn, request, sample, wanted, shared=shared)
    counted = ids[:max(COUNTED, window)] if counting else ids
    # The facets and timeline over the counted hits in one reading of them; a facet whose own
    # filter is set, over hits found without it, so that the other values stay on offer.
    entries = by_name()
    facets, days = _counts(conn, [entries[name] for name in request.facets if name not in request.filters],
                           counted[:COUNTED], request.timeline) if counting else ({}, [])
    for name in request.facets:
        if name in request.filters:
            left_out = found_without.get(name)
            if left_out is None:
                left_out = find(conn, request, sample, LEFT_OUT, leave_out=name, shared=shared)
            facets[name] = _counts(conn, [entries[name]], left_out[:LEFT_OUT], False)[0][name]
    facets = {name: facets[name] for name in request.facets}
    return ids, (len(ids) if len(ids) < wanted else len(counted), len(ids) < wanted, facets, days)


def _find_all_kinds(conn: sqlite3.Connection, request: Search, sample: WordSample, wanted: int, shared: dict
                    ) -> tuple[list[int] | None, list[int]]:
    """The first `wanted` hits (None when not found so) and the hits of every kind, for the
    kind facet. The kinds filter is set on every search (by default: quotations), and its
    facet counts the hits of every kind: two finds of nearly the same hits, the second a
    fifth of a counts request's CPU at 1M quotations. So when the asked kinds are most of the
    corpus (its sample's share), one find of every kind asks for enough hits that those of the
    asked kinds likely reach `wanted`, and picks them out; when they fall short, the search's
    own find follows, as it would have."""
    kinds = str(request.filters["kinds"])
    share = sample.kind_share(parse_kinds(kinds.split(",")))
    if share < MOST_KINDS:
        return None, find(conn, request, sample, LEFT_OUT, leave_out="kinds", shared=shared)
    asked = wanted if share == 1 else math.ceil(1.1 * wanted / share)
    every_kind = find(conn, request, sample, asked, leave_out="kinds", shared=shared)
    condition, params = kinds_condition(conn, kinds)
    asked_kinds = every_kind if not condition else [quote_id for (quote_id,) in conn.execute(
        f"""SELECT hit.value FROM json_each(?) hit CROSS JOIN quotations q ON q.id = hit.value
            WHERE {condition} ORDER BY hit.key""", [json.dumps(every_kind), *params])]
    if len(every_kind) < asked or len(asked_kinds) >= wanted:  # every hit read, or enough
        return asked_kinds[:wanted], every_kind
    return None, every_kind


def _words(text: str | None) -> list[str]:
    return list(dict.fromkeys(word.lower() for word in re.findall(r"\w+", text or "")))


HITS = """json_each(?) hit CROSS JOIN quotations q ON q.id = hit.value
          JOIN articles a INDEXED BY articles_dates ON a.id = q.article_id"""


def _counts(conn: sqlite3.Connection, entries: list[Filter], ids: list[int], timeline: bool
            ) -> tuple[dict[str, list[Facet]], list[tuple[str, int]]]:
    """Each facet's values among these hits, most frequent first (a threshold facet: how many
    are at least each step), and the hits by day when timeline: one statement, which reads
    each hit once (a query a facet read the 1,000 hits eight times over)."""
    columns = ", ".join([f"{entry.group} AS g{number}" for number, entry in enumerate(entries)]
                        + ["substr(a.published, 1, 10) AS day"])
    parts, params = [], [json.dumps(ids)]
    for number, entry in enumerate(entries):
        if entry.steps:
            parts.append(f"SELECT {number}, g{number}, count(*) FROM hits GROUP BY 2")
        else:
            parts.append(f"""SELECT * FROM (SELECT {number}, {entry.label}, n FROM (
                                 SELECT g{number} AS g, count(*) AS n FROM hits GROUP BY g) ORDER BY n DESC, 2 LIMIT ?)""")
            params.append(FACET_SIZE + 1)
    if timeline:
        parts.append("SELECT * FROM (SELECT -1, day, count(*) FROM hits WHERE day IS NOT NULL GROUP BY day ORDER BY day)")
    if not parts:
        return {}, []
    found: dict[int, list[tuple]] = {}
    for number, value, count in conn.execute(
            f"WITH hits AS MATERIALIZED (SELECT {columns} FROM {HITS}) {' UNION ALL '.join(parts)}", params):
        found.setdefault(number, []).append((value, count))
    facets = {}
    for number, entry in enumerate(entries):
        values = found.get(number, [])
        if entry.steps:
            facets[entry.name] = [Facet(f"{step:g}", sum(n for value, n in values if value is not None and value >= step))
                                  for step in entry.steps]
        else:
            facets[entry.name] = [Facet(str(value), n) for value, n in values if value is not None][:FACET_SIZE]
    return facets, found.get(-1, [])


def _interval(first: str | None, last: str | None) -> str:
    """Buckets enough to see a shape, few enough to draw: days up to two months, weeks up to
    a year, months up to ten years, then years."""
    if not first or not last:
        return "day"
    span = (_date(last) - _date(first)).days
    return "day" if span <= 62 else "week" if span <= 366 else "month" if span <= 3660 else "year"


def _date(day: str) -> date:
    try:
        return date.fromisoformat(day)
    except ValueError:  # a stored date that is not a day: the start of its year, or of time
        return date(int(day[:4]), 1, 1) if day[:4].isdigit() and int(day[:4]) > 0 else date.min


def _timeline(days: list[tuple[str, int]], interval: str) -> list[Bucket]:
    """Counts by bucket from the first to the last, empty ones included: a gap is shown as one."""
    counts: Counter[date] = Counter()
    for day, count in days:
        counts[bucket_start(_date(day), interval)] += count
    return fill(counts, interval)


def fill(counts: Counter[date], interval: str) -> list[Bucket]:
    if not counts:
        return []
    buckets, start, last = [], min(counts), max(counts)
    while start is not None and start <= last:
        buckets.append(Bucket(start.isoformat(), counts.get(start, 0)))
        start = next_bucket(start, interval)
    return buckets
