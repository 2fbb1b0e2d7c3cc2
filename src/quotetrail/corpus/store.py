"""Writing articles into the corpus: one transaction per batch, each article once.

An article's key is its canonical URL when its meta has one, else a digest of
its text, so the same article read twice (or from two files) is stored once.
A batch is all or nothing: an error or a kill mid-batch leaves the batches
before it stored and nothing of its own, and a re-run picks up from there.
A batch joins its quotations to their clusters itself (a few indexed lookups
each) and leaves the speaker families it touched to resolve after it.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..link.names import name_key as _outlet_key
from ..model import Article, Document, Failure, Item, Outcome
from . import trace
from .schema import transaction
from .speakers import family, mark, name_key

log = logging.getLogger(__name__)
outlet_key = lru_cache(maxsize=4096)(_outlet_key)  # a corpus names a few thousand outlets, again and again
BATCH_ARTICLES = 64
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
class _Added:
    """What a batch stored that derived data must catch up with."""

    quotes: list[tuple[int, str]] = field(default_factory=list)  # id, text
    families: set[str | None] = field(default_factory=set)  # of the speakers quoted


def _insert_article(conn: sqlite3.Connection, article: Article, source: str, now: str, added: _Added
                    ) -> int | None:
    meta = article.meta
    outlet = outlet_of(meta)
    row = conn.execute(
        """INSERT INTO articles(key, url, title, outlet, outlet_key, published, source, ingested_at, meta, text)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING RETURNING id""",
        (article_key(meta, article.text), _url(meta), meta.get("title"), outlet,
         outlet_key(outlet) if outlet else None, published(meta.get("date")), source, now,
         json.dumps(meta, ensure_ascii=False, default=str), article.text)).fetchone()
    if row is None:
        return None
    article_id = row[0]
    conn.executemany("INSERT INTO sources(article_id, name, roles) VALUES (?, ?, ?)",
                     [(article_id, s.name, json.dumps(s.roles)) for s in article.sources])
    entity_ids, entity_types = {}, {}
    for entity in article.entities:
        entity_types[entity.name] = entity.type
        entity_ids[entity.name] = _insert_entity(conn, article_id, entity.name, entity.type, entity.is_media,
                                                 entity.aliases, entity.titles)
    for quote in article.quotes:
        speaker = quote.speaker
        if speaker is not None and speaker.name not in entity_ids:  # a speaker the NER did not tag
            entity_ids[speaker.name] = _insert_entity(conn, article_id, speaker.name, None, False, [], [])
        cue = quote.cue
        if speaker is not None:
            added.families.add(family(speaker.name, entity_types.get(speaker.name)))
        quote_id = conn.execute(
            """INSERT INTO quotations(article_id, entity_id, kind, text, start, end, confidence, mention,
                   mention_start, mention_end, resolved_by, cue, cue_lemma, cue_start, cue_end)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (article_id, entity_ids[speaker.name] if speaker else None, quote.kind, quote.text, quote.start,
             quote.end, quote.confidence, speaker.mention if speaker else None, speaker.start if speaker else None,
             speaker.end if speaker else None, speaker.resolved_by if speaker else None,
             cue.text if cue else None, cue.lemma if cue else None, cue.start if cue else None,
             cue.end if cue else None)).fetchone()[0]
        added.quotes.append((quote_id, quote.text))
        if quote.reported_by:
            conn.executemany("INSERT OR IGNORE INTO relays(quote_id, outlet, outlet_key) VALUES (?, ?, ?)",
                             [(quote_id, via, outlet_key(via)) for via in quote.reported_by])
    return article_id


def _insert_entity(conn: sqlite3.Connection, article_id: int, name: str, entity_type: str | None,
                   is_media: bool, aliases: list[str], titles: list[str]) -> int:
    return conn.execute(
        """INSERT INTO entities(article_id, name, name_key, type, is_media, aliases, titles, family)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        (article_id, name, name_key(name), entity_type, int(is_media), json.dumps(aliases, ensure_ascii=False),
         json.dumps(titles, ensure_ascii=False), family(name, entity_type))).fetchone()[0]


def write(conn: sqlite3.Connection, outcomes: Iterable[Outcome], report: IngestReport,
          batch_articles: int = BATCH_ARTICLES) -> None:
    """Store the articles among outcomes, batch by batch; failures go to the report."""
    iterator = iter(outcomes)
    shingler: trace.Shingler | None = None
    while batch := list(islice(iterator, batch_articles)):
        now = datetime.now(UTC).isoformat(timespec="seconds")
        added = _Added()
        articles = 0
        with transaction(conn):
            for outcome in batch:
                if outcome.article is None:  # a failure (reported below) or an input left out
                    continue
                if _insert_article(conn, outcome.article, outcome.id, now, added) is None:
                    report.present += 1
                else:
                    articles += 1
            if added.quotes:
                shingler = shingler or trace.Shingler()
                trace.index(conn, shingler, added.quotes)
            mark(conn, added.families)
        report.added += articles
        report.quotes += len(added.quotes)
        report.failures.extend(outcome.failure for outcome in batch if outcome.failure is not None)


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
