"""Read-side queries for browsing the corpus: faceted search, timelines, quotation,
trace, speaker, outlet and article views. `quotetrail serve` (pages and JSON API)
reads through these only; they never write, so they run on a read-only connection.
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .database import connect_readonly
from .schema import CorpusError
from .search import (SELECT, SPEAKERS_PER_PAGE, TIMELINE, QuoteRecord, SpeakerPage, confidence_floor, day, records,
                     speaker_page)
from .speakers import speaker_ids
from .trace import trace

KINDS = ("direct", "mixed", "indirect")
MODES = ("words", "phrase", "prefix", "exact")
SORTS = ("date", "relevance")
INTERVALS = ("day", "week")
CONFIDENCE_STEPS = (0.9, 0.7, 0.5)
MAX_PER_PAGE = 100
FACET_SIZE = 10
CONTEXT_CHARS = 700  # article text shown around a quotation, each side
EXPORT_CHUNK = 500


class NotFound(CorpusError):
    """No quotation, article or speaker by that id or name."""


class Reader:
    """One read-only connection per thread (sqlite3 connections are not shared across threads)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        connect_readonly(self.path).close()  # fail now, with a clear message, not on the first request
        self._local = threading.local()

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect_readonly(self.path)
        return conn


def stale(conn: sqlite3.Connection) -> list[str]:
    """Derived data an ingest left to rebuild (speakers, clusters): shown as is until then."""
    return sorted(what for (what,) in conn.execute("SELECT what FROM stale"))


# --- search ------------------------------------------------------------------------------------

@dataclass
class SearchQuery:
    text: str | None = None
    mode: str = "words"  # words: all of them | phrase | prefix: words starting so | exact: the exact characters
    speaker: str | None = None
    outlet: str | None = None
    kind: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    min_confidence: float | None = None
    sort: str = "date"  # date: newest first | relevance (needs text)
    page: int = 1
    per_page: int = 20
    interval: str | None = None  # timeline buckets; None picks day or week from the span

    def check(self) -> None:
        for value, allowed, name in ((self.mode, MODES, "mode"), (self.sort, SORTS, "sort"),
                                     (self.kind, (None, *KINDS), "kind"),
                                     (self.interval, (None, *INTERVALS), "interval")):
            if value not in allowed:
                raise CorpusError(f"{name} must be one of {', '.join(a for a in allowed if a)}, not {value!r}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise CorpusError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page < 1:
            raise CorpusError("page starts at 1")
        if self.min_confidence is not None:
            confidence_floor(self.min_confidence)


def _fts(text: str, mode: str) -> str:
    """An FTS5 query for text's words, taken literally (no operators)."""
    tokens = re.findall(r"\w+", text)
    if not tokens:
        raise CorpusError(f"nothing to search for in {text!r}")
    if mode in ("phrase", "exact"):
        return '"' + " ".join(tokens) + '"'
    if mode == "prefix":
        return " ".join(f'"{token}"*' for token in tokens)
    return " ".join(f'"{token}"' for token in tokens)


def _matches(query: SearchQuery, ranked: bool = False) -> tuple[str, list[object]]:
    """The quotations the words match (all of them without words): one row per quotation with
    the columns the filters, facets and orderings use. The FTS index is read here only.
    ranked adds bm25 (rank), which costs as much again on a broad match: only to sort by it."""
    columns = ("q.id, q.article_id, q.start, e.speaker_id, a.outlet_key, a.outlet, q.kind, q.confidence, "
               "a.published")
    joins = "JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.entity_id"
    if not query.text:
        return f"SELECT {columns}, NULL AS rank FROM quotations q {joins}", []
    sql = (f"SELECT {columns}, {'f.rank' if ranked else 'NULL'} AS rank FROM quotation_fts f JOIN quotations q ON q.id = f.rowid {joins} "
           "WHERE quotation_fts MATCH ?")
    params: list[object] = [_fts(query.text, query.mode)]
    if query.mode == "exact":
        sql += " AND instr(lower(q.text), lower(?)) > 0"
        params.append(query.text)
    return sql, params


def _filters(conn: sqlite3.Connection, query: SearchQuery) -> dict[str, tuple[str, list[object]]]:
    """Each filter's condition on the matches, by facet name (a facet's counts leave its own out)."""
    filters: dict[str, tuple[str, list[object]]] = {}
    if query.speaker:
        ids = speaker_ids(conn, query.speaker)
        if not ids:
            raise NotFound(f"no speaker matches {query.speaker!r}")
        filters["speaker"] = ("speaker_id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])
    if query.outlet:
        from ..link.names import name_key as outlet_key  # here: the link package loads spaCy (see web.serve)
        filters["outlet"] = ("outlet_key = ?", [outlet_key(query.outlet)])
    if query.kind:
        filters["kind"] = ("kind = ?", [query.kind])
    if query.since:
        filters["since"] = ("published >= ?", [day(query.since, "since")])
    if query.until:
        following = date.fromisoformat(day(query.until, "until")) + timedelta(days=1)
        filters["until"] = ("published < ?", [following.isoformat()])
    if query.min_confidence is not None:
        filters["confidence"] = confidence_floor(query.min_confidence)
    return filters


def _where(filters: dict[str, tuple[str, list[object]]], leave_out: str | None = None,
           also: str | None = None) -> tuple[str, list[object]]:
    kept = [condition for name, condition in filters.items() if name != leave_out]
    clauses = [sql for sql, _ in kept] + ([also] if also else [])
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), [param for _, params in kept for param in params]


@dataclass
class Facet:
    value: str
    count: int


@dataclass
class Bucket:
    start: str  # YYYY-MM-DD: the day, or the Monday of the week
    count: int


@dataclass
class SearchResult:
    query: SearchQuery
    total: int
    quotes: list[QuoteRecord]
    speakers: list[Facet]
    outlets: list[Facet]
    kinds: list[Facet]
    confidence: list[Facet]  # "0.9": quotations with at least that confidence
    first: str | None  # dates of the earliest and latest dated match
    last: str | None
    interval: str
    timeline: list[Bucket]
    stale: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def _order(query: SearchQuery) -> str:
    if query.sort == "relevance" and query.text:
        return "rank, id"
    return "published DESC NULLS LAST, article_id DESC, start"


def _ordered_ids(conn: sqlite3.Connection, query: SearchQuery, filters: dict) -> list[int]:
    """Every match's id in the search's order."""
    matches, params = _matches(query, ranked=query.sort == "relevance")
    where, filter_params = _where(filters)
    sql = f"WITH m AS MATERIALIZED ({matches}) SELECT id FROM m{where} ORDER BY {_order(query)}"
    return [quote_id for (quote_id,) in conn.execute(sql, [*params, *filter_params])]


def quotes_by_id(conn: sqlite3.Connection, ids: list[int]) -> list[QuoteRecord]:
    """Records in the order of ids."""
    found = {record.id: record for record in records(
        conn, f"{SELECT} WHERE q.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}
    return [found[quote_id] for quote_id in ids if quote_id in found]


def _summary(conn: sqlite3.Connection, query: SearchQuery, filters: dict) -> dict[str, list[tuple]]:
    """The page's ids, total, date range, facet counts and matches per day in one statement: the
    matches are found once (a materialised CTE) and every part reads them, each facet without its
    own filter."""
    matches, params = _matches(query, ranked=query.sort == "relevance")
    parts = []

    def part(sql: str, leave_out: str | None = None, also: str | None = None) -> None:
        where, filter_params = _where(filters, leave_out, also)
        parts.append(sql.format(where=where))
        params.extend(filter_params)

    part("SELECT 'total', NULL, count(*), min(substr(published, 1, 10)), max(substr(published, 1, 10)) FROM m{where}")
    part("SELECT * FROM (SELECT 'page', id, row_number() OVER (ORDER BY %s), NULL, NULL FROM m{where} "
         "ORDER BY %s LIMIT %d OFFSET %d)" % (_order(query), _order(query), query.per_page,
                                              (query.page - 1) * query.per_page))
    part("SELECT * FROM (SELECT 'speaker', s.name, count(*), NULL, NULL FROM m JOIN speakers s ON s.id = m.speaker_id"
         "{where} GROUP BY m.speaker_id ORDER BY 3 DESC, 2 LIMIT %d)" % FACET_SIZE, "speaker")
    part("SELECT * FROM (SELECT 'outlet', min(outlet), count(*), NULL, NULL FROM m{where} GROUP BY outlet_key "
         "ORDER BY 3 DESC, 2 LIMIT %d)" % FACET_SIZE, "outlet", "outlet IS NOT NULL")
    part("SELECT 'kind', kind, count(*), NULL, NULL FROM m{where} GROUP BY kind", "kind")
    part("SELECT 'confidence', NULL, " + ", ".join(f"count(*) FILTER (WHERE confidence >= {step})"
                                                   for step in CONFIDENCE_STEPS) + " FROM m{where}", "confidence")
    part("SELECT 'day', substr(published, 1, 10), count(*), NULL, NULL FROM m{where} GROUP BY 2",
         also="published IS NOT NULL")
    rows: dict[str, list[tuple]] = {}
    for tag, *values in conn.execute(f"WITH m AS MATERIALIZED ({matches}) " + " UNION ALL ".join(parts), params):
        rows.setdefault(tag, []).append(tuple(values))
    return rows


def _facets(rows: list[tuple]) -> list[Facet]:
    return [Facet(value, count) for value, count, _, _ in sorted(rows, key=lambda row: (-row[1], row[0]))]


def search(conn: sqlite3.Connection, query: SearchQuery) -> SearchResult:
    """One page of matches, with facet counts and a timeline over all matches."""
    query.check()
    filters = _filters(conn, query)
    rows = _summary(conn, query, filters)
    ((_, total, first, last),) = rows["total"]
    ((_, *steps),) = rows["confidence"]
    ids = [quote_id for quote_id, _, _, _ in sorted(rows.get("page", []), key=lambda row: row[1])]
    interval = query.interval or _interval(first, last)
    return SearchResult(
        query, total, quotes_by_id(conn, ids),
        speakers=_facets(rows.get("speaker", [])), outlets=_facets(rows.get("outlet", [])),
        kinds=_facets(rows.get("kind", [])),
        confidence=[Facet(f"{step:g}", count) for step, count in zip(CONFIDENCE_STEPS, steps)],
        first=first, last=last, interval=interval, timeline=_timeline(rows.get("day", []), interval),
        stale=stale(conn))


def _interval(first: str | None, last: str | None) -> str:
    if not first or not last:
        return "day"
    return "day" if (date.fromisoformat(last) - date.fromisoformat(first)).days <= 62 else "week"


def _timeline(days: list[tuple], interval: str) -> list[Bucket]:
    counts: Counter[str] = Counter()
    for day_, count, _, _ in days:
        start = date.fromisoformat(day_)
        counts[(start - timedelta(days=start.weekday())).isoformat() if interval == "week" else day_] += count
    return [Bucket(start, count) for start, count in sorted(counts.items())]


def matching(conn: sqlite3.Connection, query: SearchQuery) -> Iterator[QuoteRecord]:
    """Every match in the search's order, read in chunks: an export of any size in bounded memory."""
    query.check()
    ids = _ordered_ids(conn, query, _filters(conn, query))
    for start in range(0, len(ids), EXPORT_CHUNK):
        yield from quotes_by_id(conn, ids[start:start + EXPORT_CHUNK])


# --- one quotation -----------------------------------------------------------------------------

@dataclass
class Mark:
    """A span to highlight in article text: kind is 'quote KIND', cue or speaker; label: the speaker."""

    start: int
    end: int
    kind: str
    label: str = ""


@dataclass
class QuoteDetail:
    quote: QuoteRecord
    mention: str | None
    resolved_by: str | None
    cue_lemma: str | None
    appearances: int  # articles carrying the same quotation (its cluster)
    context_start: int  # the excerpt of the article text around the quotation
    context: str
    marks: list[Mark]  # offsets into the excerpt


def quote(conn: sqlite3.Connection, quote_id: int) -> QuoteDetail:
    found = quotes_by_id(conn, [quote_id])
    if not found:
        raise NotFound(f"no quotation {quote_id}")
    record = found[0]
    mention, mention_start, mention_end, resolved_by, cue_lemma, cue_start, cue_end, text = conn.execute(
        """SELECT q.mention, q.mention_start, q.mention_end, q.resolved_by, q.cue_lemma, q.cue_start, q.cue_end,
                  a.text FROM quotations q JOIN articles a ON a.id = q.article_id WHERE q.id = ?""",
        (quote_id,)).fetchone()
    (appearances,) = conn.execute("SELECT count(*) FROM quotations WHERE cluster_id = ?",
                                  (record.cluster_id,)).fetchone()
    spans = [(record.start, record.end, f"quote {record.kind}", record.speaker or "")]
    if cue_start is not None:
        spans.append((cue_start, cue_end, "cue", ""))
    if mention_start is not None and mention_end > mention_start:
        spans.append((mention_start, mention_end, "speaker", ""))
    low = min(span[0] for span in spans)
    high = max(span[1] for span in spans)
    # Whole lines around the quotation, about CONTEXT_CHARS each side.
    begin = max(0, low - CONTEXT_CHARS)
    begin = text.rfind("\n", 0, begin) + 1 if begin else 0
    finish = text.find("\n", min(len(text), high + CONTEXT_CHARS))
    finish = len(text) if finish < 0 else finish
    marks = [Mark(start - begin, end - begin, kind, label) for start, end, kind, label in spans]
    return QuoteDetail(record, mention, resolved_by, cue_lemma, max(appearances, 1), begin, text[begin:finish], marks)


# --- trace -------------------------------------------------------------------------------------

@dataclass
class StatedOrigin:
    """An origin an article states for its material ("in an interview with …"), with its words."""

    outlet: str
    evidence: str
    article_id: int
    article_outlet: str | None


@dataclass
class Edge:
    source: str  # the outlet credited
    target: str  # the outlet that carried the quotation crediting it
    count: int


@dataclass
class TraceView:
    quote_id: int
    appearances: list[QuoteRecord]  # earliest first
    outlets: list[str]  # in order of first appearance
    edges: list[Edge]  # relay graph: who got it from whom
    stated_origins: list[StatedOrigin]


def trace_quote(conn: sqlite3.Connection, quote_id: int) -> TraceView:
    """The cluster a quotation belongs to, across outlets, earliest first."""
    row = conn.execute("SELECT cluster_id FROM quotations WHERE id = ?", (quote_id,)).fetchone()
    if row is None:
        raise NotFound(f"no quotation {quote_id}")
    if row[0] is None:  # not clustered yet (an ingest is still to re-cluster): the quotation alone
        appearances = quotes_by_id(conn, [quote_id])
    else:
        appearances = list(records(conn, f"{SELECT} WHERE q.cluster_id = ? {TIMELINE}", (row[0],)))
    return _trace_view(conn, quote_id, appearances)


def trace_text(conn: sqlite3.Connection, text: str) -> TraceView | None:
    """trace.trace (the CLI's) as a view: None when no stored quotation matches."""
    trail = trace(conn, text)
    if trail is None:
        return None
    return _trace_view(conn, trail.origin.id, trail.appearances)


def _trace_view(conn: sqlite3.Connection, quote_id: int, appearances: list[QuoteRecord]) -> TraceView:
    outlets = list(dict.fromkeys(record.outlet for record in appearances if record.outlet))
    edges = Counter((via, record.outlet or "(unknown)") for record in appearances for via in record.via)
    return TraceView(quote_id, appearances, outlets,
                     [Edge(source, target, count) for (source, target), count in edges.most_common()],
                     stated_origins(conn, appearances))


def stated_origins(conn: sqlite3.Connection, appearances: list[QuoteRecord]) -> list[StatedOrigin]:
    """The origins the appearances' articles state for their material, in the appearances' order
    (the web's trace page and `quotetrail trace` both show them)."""
    stated = []
    seen = set()
    articles = list(dict.fromkeys(record.article_id for record in appearances))
    for article_id, outlet, meta in conn.execute(
            "SELECT id, outlet, meta FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(articles),)):
        for origin in json.loads(meta).get("origin") or []:
            key = (origin.get("outlet"), article_id)
            if isinstance(origin, dict) and origin.get("outlet") and key not in seen:
                seen.add(key)
                stated.append(StatedOrigin(str(origin["outlet"]), str(origin.get("evidence", "")), article_id, outlet))
    stated.sort(key=lambda origin: articles.index(origin.article_id))
    return stated


# --- speaker -----------------------------------------------------------------------------------

@dataclass
class RelayedQuote:
    quote: QuoteRecord
    outlets: int  # outlets carrying its cluster


@dataclass
class SpeakerView:
    name: str
    written: list[str]  # the names articles give this speaker
    aliases: list[str]
    titles: list[str]
    quotes: int
    first_seen: str | None
    last_seen: str | None
    by_month: list[Bucket]
    cues: list[Facet]
    outlets: list[Facet]
    most_relayed: list[RelayedQuote]


def speakers(conn: sqlite3.Connection, name: str, page: int = 1,
             per_page: int = SPEAKERS_PER_PAGE) -> SpeakerPage:
    """The speakers name may mean (a bare surname may mean dozens), most quoted first, a page
    at a time: a list, with total, next_page and matches (every one by name and count)."""
    found = speaker_page(conn, name, page, per_page, lambda speaker: _speaker(conn, speaker))
    if found is None:
        raise NotFound(f"no speaker matches {name!r}")
    return found


def _strings(json_lists: Iterable[str]) -> list[str]:
    return sorted({value for json_list in set(json_lists) for value in json.loads(json_list)})


def _top(counts: Counter[str]) -> list[Facet]:
    return [Facet(value, count) for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            [:FACET_SIZE]]


def _speaker(conn: sqlite3.Connection, speaker: int) -> SpeakerView:
    (name,) = conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker,)).fetchone()
    # One pass over the speaker's quotations, counted here: at scale each costs a few index
    # lookups, and a statement per count or facet read them all again.
    rows = conn.execute(
        """SELECT q.id, e.id, e.name, e.aliases, e.titles, coalesce(a.outlet, '(unknown)'), a.published,
                  q.cue_lemma, q.cluster_id
           FROM entities e JOIN quotations q ON q.entity_id = e.id JOIN articles a ON a.id = q.article_id
           WHERE e.speaker_id = ?""", (speaker,)).fetchall()
    mentions = {entity: (written, aliases, titles) for _, entity, written, aliases, titles, *_ in rows}
    named = Counter(written for written, _, _ in mentions.values())
    days = [published[:10] for *_, published, _, _ in rows if published is not None]
    months = Counter(day_[:7] for day_ in days)
    first_id: dict[int, int] = {}  # cluster → the speaker's earliest quotation in it
    for quote_id, *_, cluster_id in rows:
        if cluster_id is not None and quote_id < first_id.get(cluster_id, quote_id + 1):
            first_id[cluster_id] = quote_id
    carried = conn.execute(
        """SELECT q.cluster_id, count(DISTINCT a.outlet_key) FROM quotations q JOIN articles a ON a.id = q.article_id
           WHERE q.cluster_id IN (SELECT value FROM json_each(?)) GROUP BY q.cluster_id""",
        (json.dumps(list(first_id)),)).fetchall()
    relayed = sorted(((first_id[cluster_id], n) for cluster_id, n in carried if n > 1),
                     key=lambda item: (-item[1], item[0]))[:5]
    quotes = {record.id: record for record in quotes_by_id(conn, [quote_id for quote_id, _ in relayed])}
    return SpeakerView(
        name, sorted(named, key=lambda written: (-named[written], written)),
        _strings(aliases for _, aliases, _ in mentions.values()), _strings(titles for _, _, titles in mentions.values()),
        len(rows), min(days, default=None), max(days, default=None),
        [Bucket(month + "-01", n) for month, n in sorted(months.items())],
        _top(Counter(cue for *_, cue, _ in rows if cue is not None)),
        _top(Counter(outlet for _, _, _, _, _, outlet, *_ in rows)),
        [RelayedQuote(quotes[quote_id], n) for quote_id, n in relayed if quote_id in quotes])


# --- outlets -----------------------------------------------------------------------------------

@dataclass
class OutletView:
    outlet: str
    articles: int
    quotes: int
    speakers: list[Facet]  # whom it quotes most
    relays: list[Facet]  # outlets its quotations credit


def outlets(conn: sqlite3.Connection, since: str | None = None, until: str | None = None) -> list[OutletView]:
    """Every outlet with articles in the date range (inclusive), most quotations first."""
    where, params = [], []
    if since:
        where.append("a.published >= ?")
        params.append(day(since, "since"))
    if until:
        where.append("a.published < ?")
        params.append((date.fromisoformat(day(until, "until")) + timedelta(days=1)).isoformat())
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = conn.execute(f"""SELECT a.outlet_key, coalesce(min(a.outlet), '(unknown)'), count(DISTINCT a.id), count(q.id)
                            FROM articles a LEFT JOIN quotations q ON q.article_id = a.id{clause}
                            GROUP BY a.outlet_key ORDER BY 4 DESC, 2""", params).fetchall()
    quoted: dict[str | None, list[Facet]] = {}
    for key, name, count in conn.execute(
            f"""SELECT key, name, n FROM (
                    SELECT a.outlet_key AS key, s.name AS name, count(*) AS n,
                           row_number() OVER (PARTITION BY a.outlet_key ORDER BY count(*) DESC, s.name) AS rank
                    FROM quotations q JOIN articles a ON a.id = q.article_id JOIN entities e ON e.id = q.entity_id
                    JOIN speakers s ON s.id = e.speaker_id{clause} GROUP BY a.outlet_key, s.id)
                WHERE rank <= 5 ORDER BY n DESC""", params):
        quoted.setdefault(key, []).append(Facet(name, count))
    credited: dict[str | None, list[Facet]] = {}
    for key, relayed, count in conn.execute(
            f"""SELECT a.outlet_key, min(r.outlet), count(*) FROM relays r
                JOIN quotations q ON q.id = r.quote_id JOIN articles a ON a.id = q.article_id{clause}
                GROUP BY a.outlet_key, r.outlet_key ORDER BY 3 DESC, 2""", params):
        credited.setdefault(key, []).append(Facet(relayed, count))
    return [OutletView(name, articles, quotes, quoted.get(key, []), credited.get(key, []))
            for key, name, articles, quotes in rows]


# --- article -----------------------------------------------------------------------------------

@dataclass
class ArticleQuote:
    id: int
    kind: str
    speaker: str | None
    text: str
    start: int
    end: int


@dataclass
class ArticleView:
    id: int
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    source: str | None
    meta: dict
    sources: list[tuple[str, list[str]]]  # outlet, roles
    text: str
    quotes: list[ArticleQuote]
    marks: list[Mark]  # label: the speaker, for colouring


def article(conn: sqlite3.Connection, article_id: int) -> ArticleView:
    row = conn.execute("SELECT id, title, url, outlet, published, source, meta, text FROM articles WHERE id = ?",
                       (article_id,)).fetchone()
    if row is None:
        raise NotFound(f"no article {article_id}")
    sources = [(name, json.loads(roles)) for name, roles in conn.execute(
        "SELECT name, roles FROM sources WHERE article_id = ? ORDER BY rowid", (article_id,))]
    quotes, marks = [], []
    for quote_id, kind, speaker, text, start, end, cue_start, cue_end, mention_start, mention_end in conn.execute(
            """SELECT q.id, q.kind, coalesce(s.name, e.name), q.text, q.start, q.end, q.cue_start, q.cue_end,
                      q.mention_start, q.mention_end
               FROM quotations q LEFT JOIN entities e ON e.id = q.entity_id LEFT JOIN speakers s ON s.id = e.speaker_id
               WHERE q.article_id = ? ORDER BY q.start""", (article_id,)):
        quotes.append(ArticleQuote(quote_id, kind, speaker, text, start, end))
        marks.append(Mark(start, end, f"quote {kind}", speaker or ""))
        if cue_start is not None:
            marks.append(Mark(cue_start, cue_end, "cue"))
        if mention_start is not None and mention_end > mention_start:
            marks.append(Mark(mention_start, mention_end, "speaker"))
    return ArticleView(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), sources, row[7],
                       quotes, marks)
