"""A stored quotation as every reader returns it, and the SQL that reads it."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass


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
    source: str | None  # the input it was read from: a path on the machine that ingested it
    start: int  # offsets into the article's stored text
    end: int
    confidence: float
    cluster_id: int | None


# What a quotation shows to someone else's browser: the article's URL and title, never the
# ingesting machine's file path (source).
PUBLIC_FIELDS = [name for name in QuoteRecord.__dataclass_fields__ if name != "source"]


def public(record: QuoteRecord) -> dict:
    data = asdict(record)
    del data["source"]
    return data


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


def quotes_by_id(conn: sqlite3.Connection, ids: list[int]) -> list[QuoteRecord]:
    """Records in the order of ids."""
    found = {record.id: record for record in records(
        conn, f"{SELECT} WHERE q.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}
    return [found[quote_id] for quote_id in ids if quote_id in found]
