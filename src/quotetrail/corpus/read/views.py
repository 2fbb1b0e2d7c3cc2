"""What the corpus says about one thing: a quotation, its trace, a speaker, the outlets, an
article. Readers only: the command line, the Python API and the web all read through these."""
from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial

from ...link.names import name_key as outlet_key
from .. import recent
from ..schema import CorpusError
from ..speakers import speaker_ids
from .connection import CorpusCache
from .fields import UNKNOWN_OUTLET, NotFound, Search, parse_filters
from .planner import WordSample
from .records import SELECT, TIMELINE, QuoteRecord, quotes_by_id, records
from .searching import FACET_SIZE, Bucket, Facet, fill

CONTEXT_CHARS = 700  # article text shown around a quotation, each side


# --- one quotation -----------------------------------------------------------------------------

@dataclass
class Mark:
    """A span to highlight in article text: kind is 'quote KIND', cue, speaker, addressee, setting
    or target; label: the speaker."""

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
    # The describe stage's evidence: to whom, where, about whom.
    spans.extend((part.start, part.end, name, "") for name, part in (
        ("addressee", record.addressee), ("setting", record.setting), ("target", record.target))
        if part is not None and part.end > part.start)
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
    """trace.trace (the command line's) as a view: None when no stored quotation matches."""
    from ..trace import trace  # here: it imports numpy, which no other view needs
    trail = trace(conn, text)
    if trail is None:
        return None
    return _trace_view(conn, trail.origin.id, trail.appearances)


def _trace_view(conn: sqlite3.Connection, quote_id: int, appearances: list[QuoteRecord]) -> TraceView:
    outlets = list(dict.fromkeys(record.outlet for record in appearances if record.outlet))
    edges = Counter((via, record.outlet or UNKNOWN_OUTLET) for record in appearances for via in record.via)
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

# A bare surname may mean dozens of speakers: their views come a page at a time, most
# quoted first, with every match's name and count to pick from.
SPEAKERS_PER_PAGE = 5
MAX_SPEAKERS_PER_PAGE = 50
# A profile reads figures kept at ingest (speakers, speaker_names, speaker_outlets, and
# speaker_recent: over their latest quotations), so that a view of someone quoted 100,000
# times takes a fraction of a millisecond.
TOPIC_WORDS = 8


@dataclass
class SpeakerMatch:
    """A speaker a name may mean, without its view."""

    name: str
    quotes: int


class SpeakerPage(list):
    """One page of the views of the speakers a name may mean, most quoted first.

    A list (of the page's views) with where it sits: matches holds every speaker the
    name may mean, in the same order, by name and quotation count (cheap, unlike views)."""

    def __init__(self, views: Iterable, page: int, per_page: int, matches: list[SpeakerMatch]) -> None:
        super().__init__(views)
        self.page, self.per_page, self.matches = page, per_page, matches

    @property
    def total(self) -> int:
        return len(self.matches)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


@dataclass
class RelayedQuote:
    quote: QuoteRecord
    outlets: int  # outlets carrying its cluster


@dataclass
class SpeakerView:
    id: int
    name: str
    written: list[str]  # the names articles give this speaker, most used first
    quotes: int
    first_seen: str | None  # publication dates
    last_seen: str | None
    outlets: list[Facet]  # outlets quoting them, most first
    topics: list[str]  # words this speaker uses more than the corpus does (latest quotations)
    recent: int  # how many of the latest quotations the figures below are counted over
    titles: list[str]
    aliases: list[str]
    cues: list[Facet]
    by_month: list[Bucket]  # empty months included
    most_relayed: list[RelayedQuote]


def speakers(conn: sqlite3.Connection, name: str, sample: WordSample, page: int = 1,
             per_page: int = SPEAKERS_PER_PAGE, cache: CorpusCache | None = None) -> SpeakerPage:
    """The speakers name may mean (a bare surname may mean dozens), most quoted first, a page
    at a time: a list, with total, next_page and matches (every one by name and count).
    sample: the corpus's word frequencies, read once and reused (planner.Frequencies);
    cache: views kept from earlier requests (a server's), by speaker."""
    if not 1 <= per_page <= MAX_SPEAKERS_PER_PAGE:
        raise CorpusError(f"per_page must be between 1 and {MAX_SPEAKERS_PER_PAGE}")
    if page < 1:
        raise CorpusError("page starts at 1")
    ids = speaker_ids(conn, name)
    if not ids:
        raise NotFound(f"no speaker matches {name!r} (see 'quotetrail speakers list')")
    ranked = conn.execute("SELECT id, name, quotes FROM speakers WHERE id IN (SELECT value FROM json_each(?)) "
                          "ORDER BY quotes DESC, name, id", (json.dumps(ids),)).fetchall()
    shown = ranked[(page - 1) * per_page:page * per_page]

    def view(speaker: int) -> SpeakerView:
        made = partial(speaker_view, conn, speaker, sample)
        return made() if cache is None else cache.kept(conn, ("speaker", speaker), made)

    return SpeakerPage((view(speaker) for speaker, _, _ in shown), page, per_page,
                       [SpeakerMatch(speaker_name, quotes) for _, speaker_name, quotes in ranked])


def speaker_view(conn: sqlite3.Connection, speaker: int, sample: WordSample) -> SpeakerView:
    # The figures are kept by speaker resolution (speakers.recount, recent.store).
    name, quotes, first_seen, last_seen = conn.execute(
        "SELECT name, quotes, first_seen, last_seen FROM speakers WHERE id = ?", (speaker,)).fetchone()
    mentions = conn.execute("SELECT name, mentions FROM speaker_names WHERE speaker_id = ?", (speaker,)).fetchall()
    outlets = conn.execute("SELECT outlet, quotes FROM speaker_outlets WHERE speaker_id = ?", (speaker,)).fetchall()
    latest = recent.read(conn, speaker)
    months = Counter({date.fromisoformat(month): count for month, count in latest.months})
    return SpeakerView(
        speaker, name, [written for written, _ in sorted(mentions, key=lambda item: (-item[1], item[0]))],
        quotes, first_seen, last_seen,
        [Facet(outlet, n) for outlet, n in sorted(outlets, key=lambda item: (-item[1], item[0]))],
        _topics(latest.words, sample), latest.counted, latest.titles, latest.aliases,
        [Facet(cue, n) for cue, n in latest.cues[:FACET_SIZE]], fill(months, "month"),
        _most_relayed(conn, latest.relayed))


def _most_relayed(conn: sqlite3.Connection, relayed: list[tuple[int, int]]) -> list[RelayedQuote]:
    found = {record.id: record for record in quotes_by_id(conn, [quote_id for quote_id, _ in relayed])}
    return [RelayedQuote(found[quote_id], n) for quote_id, n in relayed if quote_id in found]


def _topics(frequent: list[tuple[str, int]], sample: WordSample) -> list[str]:
    """Top words by tf-idf against the corpus's quotations, of the most used (recent.Recent.words)."""
    scored = sorted(frequent, key=lambda item: (
        -item[1] * math.log(1 + sample.quotations / sample.document_frequency(item[0])), item[0]))
    return [word for word, _ in scored[:TOPIC_WORDS]]


@dataclass
class SpeakerSummary:
    name: str
    quotes: int
    written: list[str]


def speaker_list(conn: sqlite3.Connection) -> list[SpeakerSummary]:
    """Every speaker, most quoted first (counts kept by speaker resolution, not counted here)."""
    rows = conn.execute("SELECT name, quotes, written FROM speakers WHERE quotes > 0 ORDER BY quotes DESC, name")
    return [SpeakerSummary(name, count, json.loads(written)) for name, count, written in rows]


SUGGESTIONS = 8


def suggest_speakers(conn: sqlite3.Connection, typed: str) -> list[SpeakerMatch]:
    """Speakers whose name, or a word of it, starts with what was typed: most quoted first."""
    typed = " ".join(typed.split())[:100]
    if len(typed) < 2:
        return []
    pattern = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(r"""SELECT name, quotes FROM speakers WHERE quotes > 0
                            AND (name LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\')
                            ORDER BY quotes DESC, name LIMIT ?""", (pattern + "%", "% " + pattern + "%", SUGGESTIONS))
    return [SpeakerMatch(name, quotes) for name, quotes in rows]


# --- outlets -----------------------------------------------------------------------------------

@dataclass
class OutletView:
    outlet: str
    articles: int
    quotes: int
    speakers: list[Facet]  # whom it quotes most
    relays: list[Facet]  # outlets its quotations credit


def outlets(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
            relaying: str | None = None, only: bool = False) -> list[OutletView]:
    """Every outlet with articles in the date range (inclusive), most quotations first;
    relaying keeps those crediting that outlet (only: and no other)."""
    where, params = Search(filters=parse_filters({"since": since, "until": until})).conditions(conn)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = conn.execute(f"""SELECT a.outlet_key, coalesce(min(a.outlet), '{UNKNOWN_OUTLET}'), count(DISTINCT a.id),
                                   count(q.id)
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
    views = [OutletView(name, articles, quotes, quoted.get(key, []), credited.get(key, []))
             for key, name, articles, quotes in rows]
    if relaying is None:
        if only:
            raise CorpusError("only needs relaying: an outlet")
        return views
    wanted = outlet_key(relaying)
    return [view for view in views
            if (keys := {outlet_key(facet.value) for facet in view.relays}) and wanted in keys
            and (not only or keys == {wanted})]


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
    meta: dict  # as extracted, without the input's path on the ingesting machine
    sources: list[tuple[str, list[str]]]  # outlet, roles
    text: str
    quotes: list[ArticleQuote]
    marks: list[Mark]  # label: the speaker, for colouring


def article(conn: sqlite3.Connection, article_id: int) -> ArticleView:
    row = conn.execute("SELECT id, title, url, outlet, published, meta, text FROM articles WHERE id = ?",
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
    meta = {key: value for key, value in json.loads(row[5]).items() if key != "source"}
    return ArticleView(*row[:5], meta, sources, row[6], quotes, marks)
