"""Writing articles into the corpus: one transaction per batch, each article once.

An article's key is its canonical URL when its meta has one, else a digest of
its text, so the same article read twice (or from two files) is stored once.
A batch is all or nothing: an error or a kill mid-batch leaves the batches
before it stored and nothing of its own, and a re-run picks up from there.
A batch joins its quotations to their clusters itself (a few indexed lookups
each), builds again the lineages they join (lineages.py) and leaves the speaker
families it touched to resolve after it.
"""
from __future__ import annotations

import email.utils
import gc
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..link.names import name_key as _outlet_key
from ..model import QUOTATIONS, Article, Document, Failure, Item, Outcome, Quote
from . import lineages, trace
from .database import analyze
from .schema import timeline_blocks_of, transaction
from .speakers import family, mark, name_key, resolve_stale
from .text import party_key

log = logging.getLogger(__name__)
outlet_key = lru_cache(maxsize=4096)(_outlet_key)  # a corpus names a few thousand outlets, again and again
BATCH_ARTICLES = 64
# Articles extracted already (Parquet parts, JSONL) come fast: bigger batches, fewer commits.
BULK_BATCH_ARTICLES = 1000
# Query parameters that track the reader, not the article.
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid")


@dataclass
class IngestReport:
    added: int = 0  # articles stored now
    present: int = 0  # articles already in the corpus, skipped
    quotes: int = 0  # quotations stored now
    failures: list[Failure] = field(default_factory=list)


def canonical_url(url: str) -> str:
    """One spelling per article URL: https, no www., no fragment or tracking parameters."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return url.strip()
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    query = urlencode(sorted((name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
                             if not name.lower().startswith(TRACKING_PARAMS)))
    path = parts.path.rstrip("/") or "/"
    return f"https://{host}{path}" + (f"?{query}" if query else "")


def _url(meta: dict[str, Any]) -> str | None:
    """The page's own canonical URL (from its HTML) wins over the URL it was fetched from."""
    for name in ("canonical_url", "url"):
        if isinstance(meta.get(name), str) and meta[name].strip():
            return meta[name].strip()
    return None


def article_key(meta: dict[str, Any], text: str) -> str:
    url = _url(meta)
    return "url:" + canonical_url(url) if url else "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def outlet_of(meta: dict[str, Any]) -> str | None:
    """The outlet that published the article: its site name, else its URL's host.

    The article's own source list is not used: it names where the article took
    its material from, and an aggregator would otherwise pass for its sources.
    """
    if isinstance(meta.get("sitename"), str) and meta["sitename"].strip():
        return meta["sitename"].strip()
    url = _url(meta)
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def published(value: Any) -> str | None:
    """ISO 8601 (UTC when the zone is known) from a meta date; None when unknown or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value.isoformat()
    else:
        text = str(value).strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text).isoformat()
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = email.utils.parsedate_to_datetime(text)  # RSS and e-mail dates
            except (TypeError, ValueError):
                log.warning("unreadable publication date %r: stored as unknown", text)
                return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")


def stored(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone() is not None


@dataclass
class _Rows:
    """A batch's rows, ids given in advance so that each table takes one executemany:
    the batch holds the write lock, so nobody else takes the next ids meanwhile."""

    articles: list[tuple] = field(default_factory=list)
    sources: list[tuple] = field(default_factory=list)
    entities: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)
    relays: list[tuple] = field(default_factory=list)
    arrivals: list[lineages.Arrival] = field(default_factory=list)  # the quotations, for their lineage
    families: set[str | None] = field(default_factory=set)  # of the speakers quoted


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


def _json_list(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False) if values else "[]"


# The describe stage's columns (acts/), in _described's order.
DESCRIBED = ("act", "plover", "addressee", "addressee_start", "addressee_end", "addressee_entity", "addressee_key",
             "setting", "setting_text", "setting_start", "setting_end", "setting_outlet",
             "target", "target_start", "target_end", "target_entity")


def _described(quote: Quote) -> tuple:
    """A quotation's act, addressee, setting and target as DESCRIBED's values."""
    addressee, setting, target = quote.addressee, quote.setting, quote.target
    return (quote.act, quote.plover,
            *((addressee.text, addressee.start, addressee.end, addressee.entity,
               party_key(addressee.entity or addressee.text) or None) if addressee else (None,) * 5),
            *((setting.kind, setting.text, setting.start, setting.end, setting.outlet) if setting else (None,) * 5),
            *((target.text, target.start, target.end, target.entity) if target else (None,) * 4))


def _rows(conn: sqlite3.Connection, articles: list[tuple[str, Article, str]], now: str,
          outlets: set[str]) -> _Rows:
    """Rows for articles (key, article, source) not stored yet; ids follow the stored ones.
    outlets: the keys of the outlets the corpus holds, which this batch's are added to."""
    rows = _Rows()
    outlets.update(outlet_key(found) for _, article, _ in articles if (found := outlet_of(article.meta)))
    article_id, entity_id, quote_id = (_next_id(conn, table) for table in ("articles", "entities", "quotations"))

    def entity(name: str, entity_type: str | None, is_media: bool, aliases: list[str], titles: list[str]) -> int:
        nonlocal entity_id
        rows.entities.append((entity_id, article_id, name, name_key(name), entity_type, int(is_media),
                              _json_list(aliases), _json_list(titles), family(name, entity_type)))
        entity_id += 1
        return entity_id - 1

    for key, article, source in articles:
        meta = article.meta
        keys = lineages.ArticleKeys.of(article)
        outlet, date = outlet_of(meta), published(meta.get("date"))
        rows.articles.append((article_id, key, _url(meta), meta.get("title"), outlet,
                              outlet_key(outlet) if outlet else None, date, source, now,
                              json.dumps(meta, ensure_ascii=False, default=str), article.text))
        rows.sources.extend((article_id, s.name, json.dumps(s.roles)) for s in article.sources)
        entity_ids, entity_types = {}, {}
        for found in article.entities:
            entity_types[found.name] = found.type
            entity_ids[found.name] = entity(found.name, found.type, found.is_media, found.aliases, found.titles)
        for quote in article.quotes:
            speaker, cue = quote.speaker, quote.cue
            if speaker is not None:
                if speaker.name not in entity_ids:  # a speaker the NER did not tag
                    entity_ids[speaker.name] = entity(speaker.name, None, False, [], [])
                rows.families.add(family(speaker.name, entity_types.get(speaker.name)))
            rows.quotes.append(
                (quote_id, article_id, entity_ids[speaker.name] if speaker else None, quote.kind, quote.text,
                 quote.start, quote.end, quote.confidence, speaker.mention if speaker else None,
                 speaker.start if speaker else None, speaker.end if speaker else None,
                 speaker.resolved_by if speaker else None, cue.text if cue else None, cue.lemma if cue else None,
                 cue.start if cue else None, cue.end if cue else None, quote_id,  # its own cluster until indexed
                 *_described(quote)))
            relays: dict[str, tuple] = {}
            for via in quote.reported_by:
                relays.setdefault(outlet_key(via), (quote_id, outlet_key(via), via))
            rows.relays.extend(relays.values())
            if quote.kind in QUOTATIONS:
                rows.arrivals.append(lineages.Arrival(quote_id, article_id, outlet, date, article, quote, keys, outlets))
            quote_id += 1
        article_id += 1
    return rows


def _insert(conn: sqlite3.Connection, rows: _Rows) -> None:
    conn.executemany("""INSERT INTO articles(id, key, url, title, outlet, outlet_key, published, source,
                            ingested_at, meta, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows.articles)
    conn.executemany("INSERT INTO sources(article_id, name, roles) VALUES (?, ?, ?)", rows.sources)
    conn.executemany("""INSERT INTO entities(id, article_id, name, name_key, type, is_media, aliases, titles, family)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows.entities)
    conn.executemany(f"""INSERT INTO quotations(id, article_id, entity_id, kind, text, start, end, confidence, mention,
                            mention_start, mention_end, resolved_by, cue, cue_lemma, cue_start, cue_end, cluster_id,
                            {', '.join(DESCRIBED)}) VALUES ({', '.join('?' * (17 + len(DESCRIBED)))})""", rows.quotes)
    if rows.quotes:  # quotations are never edited or deleted: indexed once, here
        ids = (rows.quotes[0][0], rows.quotes[-1][0])
        conn.execute("INSERT INTO quotation_fts(rowid, text) SELECT id, text FROM quotations WHERE id BETWEEN ? AND ?",
                     ids)
        conn.execute(timeline_blocks_of("q.id BETWEEN ? AND ?") + """
                         ON CONFLICT(block) DO UPDATE SET
                             newest = coalesce(max(newest, excluded.newest), newest, excluded.newest),
                             oldest = coalesce(min(oldest, excluded.oldest), oldest, excluded.oldest),
                             last_article = max(last_article, excluded.last_article)""", ids)
    conn.executemany("INSERT INTO relays(quote_id, outlet_key, outlet) VALUES (?, ?, ?)", rows.relays)
    # Listed until their bands reach quote_bands (see trace.BandIndex).
    conn.executemany("INSERT INTO unclustered(quote_id) VALUES (?)", [(row[0],) for row in rows.quotes])


def write(conn: sqlite3.Connection, outcomes: Iterable[Outcome], report: IngestReport,
          batch_articles: int = BATCH_ARTICLES) -> None:
    """Store the articles among outcomes, batch by batch; failures go to the report."""
    with _frozen_between_batches() as settle:
        _write(conn, outcomes, report, batch_articles, settle)


@contextmanager
def _frozen_between_batches() -> Iterator[Callable[[], None]]:
    """A callable for the end of each batch that collects the batch's garbage and freezes
    (gc.freeze) what survived it: indexes, caches, the caller's objects. The collector runs
    once a batch, over that batch's objects only: left to itself it walked everything again
    and again, the batch's objects (alive until the batch ends) and the corpus's indexes and
    caches (a fifth of a write's CPU). Thawed and the collector back on at the end. Left alone
    where the caller froze objects or turned the collector off."""
    if gc.get_freeze_count() or not gc.isenabled():
        yield lambda: None
        return

    def settle() -> None:
        gc.collect()  # the batch's own cyclic garbage first: frozen, it would stay until the end
        gc.freeze()

    gc.disable()
    try:
        yield settle
    finally:
        gc.unfreeze()
        gc.enable()


def _write(conn: sqlite3.Connection, outcomes: Iterable[Outcome], report: IngestReport, batch_articles: int,
           settle: Callable[[], None]) -> None:
    iterator = iter(outcomes)
    bands = trace.BandIndex(conn)
    signatures = lineages.Signatures()
    outlets = {key for (key,) in conn.execute("SELECT DISTINCT outlet_key FROM articles WHERE outlet_key IS NOT NULL")}
    while batch := list(islice(iterator, batch_articles)):
        now = datetime.now(UTC).isoformat(timespec="seconds")
        fresh: dict[str, tuple[str, Article, str]] = {}
        for outcome in batch:
            if outcome.article is None:  # a failure (reported below) or an input left out
                continue
            key = article_key(outcome.article.meta, outcome.article.text)
            if key in fresh:  # the same article twice in one batch
                report.present += 1
            else:
                fresh[key] = (key, outcome.article, outcome.id)
        with transaction(conn):
            for (key,) in conn.execute("SELECT key FROM articles WHERE key IN (SELECT value FROM json_each(?))",
                                       (json.dumps(list(fresh)),)).fetchall():
                del fresh[key]
                report.present += 1
            rows = _rows(conn, list(fresh.values()), now, outlets)
            _insert(conn, rows)
            bands.add([(row[0], row[4], row[0]) for row in rows.quotes])
            lineages.update(conn, rows.arrivals,
                            bands.lineage_pairs([(arrival.quote_id, arrival.words) for arrival in rows.arrivals]),
                            signatures, outlets)
            mark(conn, rows.families)
        if bands.flush_if_full(lambda: transaction(conn)):
            # Speakers and statistics too, so that a long load reads well as it goes (and a killed one
            # leaves them done): after the first time, mostly only each family's new mentions.
            resolve_stale(conn, lambda: transaction(conn))
            analyze(conn)
        report.added += len(rows.articles)
        report.quotes += len(rows.quotes)
        report.failures.extend(outcome.failure for outcome in batch if outcome.failure is not None)
        del batch, fresh, rows  # the batch's articles and copies go now, not through the collector
        settle()
    bands.flush(lambda: transaction(conn))


def unseen(conn: sqlite3.Connection, items: Iterable[Item], report: IngestReport
           ) -> Iterator[Item]:
    """Documents not yet in the corpus: extraction is the slow part, so skip it for those.
    A raw page (no text yet, no URL) is only known after extraction; write() catches it then."""
    for item in items:
        if (isinstance(item, Document) and (item.text or _url(item.meta))
                and stored(conn, article_key(item.meta, item.text))):
            report.present += 1
        else:
            yield item
