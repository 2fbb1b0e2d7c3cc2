"""A stored quotation as every reader returns it, and the SQL that reads it."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from ...model import Party, Setting


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
    # The describe stage's (docs/acts.md): spans are offsets into the article's stored text;
    # None for quotations stored before schema v7.
    act: str | None = None
    plover: str | None = None
    addressee: Party | None = None
    setting: Setting | None = None
    target: Party | None = None


def public(record: QuoteRecord) -> dict:
    data = asdict(record)
    del data["source"]
    return data


# A table's columns (CSV, Parquet): the nested addressee, setting and target as a column each
# for their words or kind, and one per further part (addressee_entity, setting_outlet, ...).
PARTS = {"addressee": ("entity", "start", "end"), "setting": ("text", "outlet", "start", "end"),
         "target": ("entity", "start", "end")}
FLAT_FIELDS = [name for field in QuoteRecord.__dataclass_fields__
               for name in (field, *(f"{field}_{part}" for part in PARTS.get(field, ())))]
# What a quotation shows to someone else's browser: the article's URL and title, never the
# ingesting machine's file path (source).
PUBLIC_FLAT_FIELDS = [name for name in FLAT_FIELDS if name != "source"]


def flat(record: QuoteRecord) -> dict:
    """The record as one row of FLAT_FIELDS: via joined with '; ', the described parts spread out."""
    data = asdict(record) | {"via": "; ".join(record.via)}
    for name, parts in PARTS.items():
        value = data.pop(name) or {}
        data[name] = value.get("kind", value.get("text"))
        data.update({f"{name}_{part}": value.get(part) for part in parts})
    return {name: data[name] for name in FLAT_FIELDS}


SELECT = """SELECT q.id, q.text, q.kind, s.name, e.name, q.cue,
       (SELECT json_group_array(r.outlet) FROM relays r WHERE r.quote_id = q.id),
       a.outlet, a.published, a.title, a.url, a.id, a.source, q.start, q.end, q.confidence, q.cluster_id,
       q.act, q.plover, q.addressee, q.addressee_start, q.addressee_end, q.addressee_entity,
       q.setting, q.setting_text, q.setting_start, q.setting_end, q.setting_outlet,
       q.target, q.target_start, q.target_end, q.target_entity
FROM quotations q JOIN articles a ON a.id = q.article_id
LEFT JOIN entities e ON e.id = q.entity_id LEFT JOIN speakers s ON s.id = e.speaker_id"""
# Earliest appearance first: publication date, then ingest order for undated articles.
TIMELINE = "ORDER BY a.published IS NULL, a.published, a.id, q.start"


def record(row: tuple) -> QuoteRecord:
    values = list(row[:19])
    values[6] = json.loads(values[6])
    addressee, setting, target = row[19:23], row[23:28], row[28:32]
    return QuoteRecord(*values,
                       addressee=Party(*addressee) if addressee[0] is not None else None,
                       setting=Setting(*setting) if setting[0] is not None else None,
                       target=Party(*target) if target[0] is not None else None)


def records(conn: sqlite3.Connection, sql: str, params: tuple | list = ()) -> Iterator[QuoteRecord]:
    return (record(row) for row in conn.execute(sql, params))


def quotes_by_id(conn: sqlite3.Connection, ids: list[int]) -> list[QuoteRecord]:
    """Records in the order of ids."""
    found = {record.id: record for record in records(
        conn, f"{SELECT} WHERE q.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}
    return [found[quote_id] for quote_id in ids if quote_id in found]
