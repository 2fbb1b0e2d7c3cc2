"""Reading the corpus: quotations by words, speaker, outlet and date; speaker and outlet profiles."""
from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from .schema import CorpusError
from .speakers import speaker_ids
from .text import words

TOPIC_WORDS = 8


@dataclass
class QuoteRecord:
    """A stored quotation with who said it and where it ran."""

    id: int
    text: str
    kind: str
    speaker: str | None  # the speaker across the corpus
    named_as: str | None  # the name this article gives the speaker
    cue: str | None
    via: list[str]  # outlets the article credits for the quote
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    article_id: int  # ingest order
    source: str | None
    start: int  # offsets into the article's stored text
    end: int
    confidence: float
    cluster_id: int | None


SELECT = """SELECT q.id, q.text, q.kind, s.name, e.name, q.cue,
       (SELECT json_group_array(r.outlet) FROM relays r WHERE r.quote_id = q.id),
       a.outlet, a.published, a.title, a.url, a.id, a.source, q.start, q.end, q.confidence, q.cluster_id
FROM quotations q JOIN articles a ON a.id = q.article_id
LEFT JOIN entities e ON e.id = q.entity_id LEFT JOIN speakers s ON s.id = e.speaker_id"""
# Earliest appearance first: publication date, then ingest order for undated articles.
TIMELINE = "ORDER BY a.published IS NULL, a.published, a.id, q.start"


def record(row: tuple) -> QuoteRecord:
    values = list(row)
    values[6] = json.loads(values[6])
    return QuoteRecord(*values)


def records(conn: sqlite3.Connection, sql: str, params: tuple | list = ()) -> Iterator[QuoteRecord]:
    return (record(row) for row in conn.execute(sql, params))


def fts_query(text: str, phrase: bool) -> str:
    """An FTS5 query for the words of text, taken literally (no operators)."""
    tokens = re.findall(r"\w+", text)
    if not tokens:
        raise CorpusError(f"nothing to search for in {text!r}")
    return f'"{" ".join(tokens)}"' if phrase else " ".join(f'"{token}"' for token in tokens)


def day(value: str, option: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CorpusError(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from None


@dataclass
class Filters:
    text: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    limit: int = 50


def search(conn: sqlite3.Connection, filters: Filters) -> list[QuoteRecord]:
    """Newest first; every given filter must hold. Undated articles drop out of date filters."""
    where: list[str] = []
    params: list[object] = []
    if filters.text:
        where.append("q.id IN (SELECT rowid FROM quotation_fts WHERE quotation_fts MATCH ?)")
        params.append(fts_query(filters.text, phrase=False))
    if filters.speaker:
        speakers = speaker_ids(conn, filters.speaker)
        if not speakers:
            raise CorpusError(f"no speaker matches {filters.speaker!r} (see 'quotetrail speakers list')")
        where.append("e.speaker_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(speakers))
    if filters.outlet:
        from ..link.names import name_key as outlet_key  # here: the link package loads spaCy
        where.append("a.outlet_key = ?")
        params.append(outlet_key(filters.outlet))
    if filters.since:
        where.append("a.published >= ?")
        params.append(day(filters.since, "--since"))
    if filters.until:
        where.append("a.published < ?")  # before the next day: the whole of 'until' counts
        params.append((date.fromisoformat(day(filters.until, "--until")) + timedelta(days=1)).isoformat())
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY a.published DESC NULLS LAST, a.id DESC, q.start LIMIT ?"
    return list(records(conn, sql, [*params, filters.limit]))


@dataclass
class SpeakerProfile:
    name: str
    written: list[str]  # the names articles give this speaker
    quotes: int
    first_seen: str | None  # publication dates
    last_seen: str | None
    outlets: list[tuple[str, int]]  # outlet, quotations
    topics: list[str]  # words this speaker uses more than the corpus does


def speaker_profiles(conn: sqlite3.Connection, name: str) -> list[SpeakerProfile]:
    ids = speaker_ids(conn, name)
    if not ids:
        raise CorpusError(f"no speaker matches {name!r} (see 'quotetrail speakers list')")
    return [_profile(conn, speaker) for speaker in ids]


def _profile(conn: sqlite3.Connection, speaker: int) -> SpeakerProfile:
    (name,) = conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker,)).fetchone()
    written = [row[0] for row in conn.execute(
        "SELECT name FROM entities WHERE speaker_id = ? GROUP BY name ORDER BY count(*) DESC, name", (speaker,))]
    quotes = """FROM quotations q JOIN entities e ON e.id = q.entity_id JOIN articles a ON a.id = q.article_id
                WHERE e.speaker_id = ?"""
    count, first, last = conn.execute(f"SELECT count(*), min(a.published), max(a.published) {quotes}",
                                      (speaker,)).fetchone()
    outlets = conn.execute(f"""SELECT coalesce(a.outlet, '(unknown)'), count(*) {quotes}
                               GROUP BY 1 ORDER BY 2 DESC, 1""", (speaker,)).fetchall()
    texts = [text for (text,) in conn.execute(f"SELECT q.text {quotes}", (speaker,))]
    return SpeakerProfile(name, written, count, first, last, [tuple(row) for row in outlets], _topics(conn, texts))


def _topics(conn: sqlite3.Connection, texts: list[str]) -> list[str]:
    """Top words by tf-idf against the corpus's quotations (FTS5's vocabulary gives the df)."""
    from spacy.lang.en.stop_words import STOP_WORDS  # here: spaCy takes seconds to import

    counts = Counter(word for text in texts for word in words(text)
                     if len(word) > 2 and not word.isdigit() and word not in STOP_WORDS)
    if not counts:
        return []
    (total,) = conn.execute("SELECT count(*) FROM quotations").fetchone()
    frequent = [word for word, _ in counts.most_common(200)]
    df = dict(conn.execute("SELECT term, doc FROM quotation_terms WHERE term IN (SELECT value FROM json_each(?))",
                           (json.dumps(frequent),)))
    scored = sorted(frequent, key=lambda word: (-counts[word] * math.log(1 + total / df.get(word, 1)), word))
    return scored[:TOPIC_WORDS]


@dataclass
class SpeakerSummary:
    name: str
    quotes: int
    written: list[str] = field(default_factory=list)


def speaker_list(conn: sqlite3.Connection) -> list[SpeakerSummary]:
    rows = conn.execute("""SELECT s.name, count(q.id), json_group_array(DISTINCT e.name)
                           FROM speakers s JOIN entities e ON e.speaker_id = s.id
                           JOIN quotations q ON q.entity_id = e.id
                           GROUP BY s.id ORDER BY 2 DESC, 1""")
    return [SpeakerSummary(name, count, sorted(json.loads(written))) for name, count, written in rows]


@dataclass
class OutletSummary:
    outlet: str
    articles: int
    quotes: int
    relays: list[tuple[str, int]]  # outlets its quotations credit, with how many


def outlets(conn: sqlite3.Connection, relaying: str | None = None, only: bool = False) -> list[OutletSummary]:
    """Outlets with what they relay; relaying keeps those crediting that outlet (only: and no other)."""
    rows = conn.execute("""SELECT a.outlet_key, coalesce(min(a.outlet), '(unknown)'), count(DISTINCT a.id),
                                  count(q.id)
                           FROM articles a LEFT JOIN quotations q ON q.article_id = a.id
                           GROUP BY a.outlet_key ORDER BY 4 DESC, 2""").fetchall()
    credited: dict[str | None, list[tuple[str, int]]] = {}
    for key, relayed, count in conn.execute(
            """SELECT a.outlet_key, min(r.outlet), count(*) FROM relays r
               JOIN quotations q ON q.id = r.quote_id JOIN articles a ON a.id = q.article_id
               GROUP BY a.outlet_key, r.outlet_key ORDER BY 3 DESC, 2"""):
        credited.setdefault(key, []).append((relayed, count))
    summaries = [OutletSummary(outlet, articles, quotes, credited.get(key, []))
                 for key, outlet, articles, quotes in rows]
    if relaying is None:
        return summaries
    from ..link.names import name_key as outlet_key
    wanted = outlet_key(relaying)
    return [summary for summary in summaries
            if (keys := {outlet_key(relayed) for relayed, _ in summary.relays}) and wanted in keys
            and (not only or keys == {wanted})]
