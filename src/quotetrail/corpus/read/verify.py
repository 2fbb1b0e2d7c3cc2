"""Did X really say this, and where first? The one answer the command line, the Python API
and the web give (docs/lineage.md; issue 20's JSON).

The lineage is built at read time from the cluster's stored copies and their articles
(text, entities, sources): nothing about lineage is stored yet.

Candidates come from the full-text index: every word of the query first (an exact or a
partial wording); when that finds nothing, those holding a pair of its rarest words, the ones
sharing most of its words first (a wording with a wrong word or a typo). lineage.match then
keeps the near-duplicates.
"""
from __future__ import annotations

import json
import re
import sqlite3
from itertools import combinations
from typing import Any

from ...model import QUOTATIONS
from ..schema import CorpusError
from ..text import stop_words, words
from .fields import NotFound, fts_query
from .planner import WordSample
from .records import SELECT, TIMELINE, QuoteRecord, quotes_by_id, records

# Candidates read for one query: as trace's MAX_MATCHES, enough for a quotation copied many times.
MAX_CANDIDATES = 1000
# When no quotation holds every word (a wrong word, a typo): the quotations holding a pair of
# its RARE_WORDS rarest content words, each pair at most PAIR_CANDIDATES, and of those the
# LOOSE_CANDIDATES sharing most of its words (at least half as many as the closest). Pairs, because a wrong word spoils only the pairs
# holding it; an OR of the words ranked by bm25 scored every quotation holding any of them
# (180 ms at 1M quotations).
RARE_WORDS = 5
PAIR_CANDIDATES = 100
LOOSE_CANDIDATES = 50
# A lineage is of words someone said: stances, beliefs and refusals to comment stored beside them are not copies.
_QUOTATION_KINDS = "(" + ", ".join(f"'{kind}'" for kind in sorted(QUOTATIONS)) + ")"


def _candidate_rows(conn: sqlite3.Connection, query: str, sample: WordSample | None = None
                    ) -> list[tuple[int, str, int]]:
    """(quote id, text, cluster id) of the stored quotations the query may be a wording of.
    sample: the corpus's word frequencies, to pick the rarest words (else the longest)."""
    sql = f"""SELECT q.id, q.text, q.cluster_id FROM quotation_fts f JOIN quotations q ON q.id = f.rowid
              WHERE quotation_fts MATCH ? AND q.kind IN {_QUOTATION_KINDS} LIMIT ?"""
    every = conn.execute(sql, (fts_query(query), MAX_CANDIDATES)).fetchall()
    if every:
        return every
    tokens = dict.fromkeys(token.lower() for token in re.findall(r"\w+", query))
    content = [token for token in tokens if token not in stop_words() and len(token) > 2] or list(tokens)
    rarest = sorted(content, key=(lambda word: (sample.document_frequency(word), -len(word))) if sample
                    else (lambda word: -len(word)))[:RARE_WORDS]
    pairs = list(combinations(rarest, 2)) or [(word,) for word in rarest]
    found: dict[int, tuple[int, str, int]] = {}
    for pair in pairs:
        for row in conn.execute(sql, (" ".join(f'"{word}"' for word in pair), PAIR_CANDIDATES)):
            found.setdefault(row[0], row)
    wanted = set(words(query))
    shared = {quote_id: len(wanted.intersection(words(text))) for quote_id, text, _ in found.values()}
    most = max(shared.values(), default=0)
    # Half the words the closest shares: fewer would need most of the rest to be typos to match.
    best = sorted((quote_id for quote_id in found if shared[quote_id] >= most / 2),
                  key=lambda quote_id: -shared[quote_id])[:LOOSE_CANDIDATES]
    return [found[quote_id] for quote_id in best]


def _copies(conn: sqlite3.Connection, appearances: list[QuoteRecord], starts: dict[int, int]) -> list:
    """lineage Copies of stored quotations, read with their articles' text, entities and sources;
    starts gets each copy's start in its article."""
    from ...lineage import Copy
    from ...model import Article, Entity, Quote, Source, Speaker

    articles = json.dumps(sorted({record.article_id for record in appearances}))
    texts, stated = {}, {}
    for article_id, text, meta in conn.execute(
            "SELECT id, text, meta FROM articles WHERE id IN (SELECT value FROM json_each(?))", (articles,)):
        texts[article_id] = text
        stated[article_id] = _origin_spans(json.loads(meta))
    entities: dict[int, list[Entity]] = {}
    for article_id, name, kind, is_media, aliases in conn.execute(
            "SELECT article_id, name, type, is_media, aliases FROM entities "
            "WHERE article_id IN (SELECT value FROM json_each(?))", (articles,)):
        entities.setdefault(article_id, []).append(Entity(name, kind or "", json.loads(aliases), is_media=bool(is_media)))
    sources: dict[int, list[Source]] = {}
    for article_id, name, roles in conn.execute(
            "SELECT article_id, name, roles FROM sources WHERE article_id IN (SELECT value FROM json_each(?))",
            (articles,)):
        roles = json.loads(roles)
        evidence = stated[article_id].get(name, []) if "origin" in roles else []
        sources.setdefault(article_id, []).append(Source(name, roles, evidence=evidence))
    copies = []
    for record in appearances:
        article = Article(texts[record.article_id], [], entities.get(record.article_id, []), [], [],
                          sources.get(record.article_id, []))
        name = record.speaker or record.named_as
        quote = Quote(record.kind, record.text, record.start, record.end,  # type: ignore[arg-type]
                      Speaker(name, name, record.start, record.start, "named") if name else None, None,
                      list(record.via), record.confidence)
        copy = Copy.of(article, quote, quote_id=record.id, article_id=record.article_id, outlet=record.outlet,
                       date=record.published)
        starts[record.id] = copy.start  # where its words start in the article: the changes' offsets need it
        copies.append(copy)
    return copies


def _origin_spans(meta: dict[str, Any]) -> dict[str, list]:
    """The words an article states its origin in (meta "origin", kept at ingest), by outlet: the
    sources table keeps names and roles only, and a lineage takes an origin only with its words."""
    from ...model import Span

    spans: dict[str, list] = {}
    for origin in meta.get("origin") or []:
        if isinstance(origin, dict) and isinstance(origin.get("start"), int) and isinstance(origin.get("end"), int):
            spans.setdefault(str(origin.get("outlet")), []).append(
                Span(origin["start"], origin["end"], str(origin.get("evidence", ""))))
    return spans


def verify(conn: sqlite3.Connection, query: str, speaker: str | None = None,
           sample: WordSample | None = None) -> dict[str, Any]:
    """issue 20's JSON for the quotation a pasted wording best matches, with "cluster" (the
    matched cluster) and "also" (other clusters matched, best first); "found" false when none.
    Each appearance also has "diff": its words in pieces, each {"text", "op"} with op null
    (as the earliest copy), "insert" (words the earliest lacks) or "delete" (the earliest's
    words this copy leaves out), for showing the changes in place."""
    from ...lineage import related, verify as answer_for

    if not query.strip():
        raise CorpusError("nothing to verify: the quotation is empty")
    candidates = _candidate_rows(conn, query, sample)
    texts_of: dict[int, list[str]] = {}
    for _, text, cluster_id in candidates:
        texts_of.setdefault(cluster_id, []).append(text)
    joined: set[int] = set()
    starts: dict[int, int] = {}

    def copies_of(cluster_id: int) -> list:
        # Trace's clusters keep a heavy trim or a paraphrase apart (bigram Jaccard); a candidate
        # cluster whose words are a copy of this one's (lineage.related) joins its lineage.
        own = texts_of[cluster_id][0]
        clusters = [cluster_id] + [other for other, texts in texts_of.items()
                                   if other != cluster_id and any(related(own, text) for text in texts)]
        joined.update(clusters)
        return _cluster_copies(conn, clusters, starts)

    answer = answer_for(query, candidates, copies_of, speaker)
    if answer["found"]:
        answer["also"] = [cluster_id for cluster_id in answer["also"] if cluster_id not in joined]
        _add_diffs(answer, starts)
    return answer


def verify_quote(conn: sqlite3.Connection, quote_id: int) -> dict[str, Any]:
    """verify()'s answer for the cluster a stored quotation belongs to, asked with its words."""
    from ...lineage import build, verdict

    row = conn.execute("SELECT text, cluster_id FROM quotations WHERE id = ?", (quote_id,)).fetchone()
    if row is None:
        raise NotFound(f"no quotation {quote_id}")
    text, cluster_id = row
    starts: dict[int, int] = {}
    if cluster_id is None:  # not clustered yet: the quotation alone
        copies = _copies(conn, [record for record in quotes_by_id(conn, [quote_id]) if record.kind in QUOTATIONS],
                         starts)
    else:
        copies = _cluster_copies(conn, [cluster_id], starts)
    answer = verdict(text, build(copies) if copies else None)  # none: a stance or a refusal, no quotation
    answer["cluster"], answer["also"] = cluster_id, []
    _add_diffs(answer, starts)
    return answer


def _cluster_copies(conn: sqlite3.Connection, clusters: list[int], starts: dict[int, int]) -> list:
    found = list(records(conn, f"{SELECT} WHERE q.cluster_id IN (SELECT value FROM json_each(?)) "
                                f"AND q.kind IN {_QUOTATION_KINDS} {TIMELINE}",
                         (json.dumps(clusters),)))
    return _copies(conn, found, starts)


def _add_diffs(answer: dict[str, Any], starts: dict[int, int]) -> None:
    for item in answer["appearances"]:
        item["diff"] = diff(item["text"], starts[item["quote_id"]], item["changes"])


def diff(text: str, start: int, changes: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    """A copy's words in pieces against the earliest copy's: changes' new_* offsets point into
    the copy's article, its words start at start there."""
    pieces: list[dict[str, str | None]] = []
    at = 0

    def add(words: str, op: str | None) -> None:
        if words:
            pieces.append({"text": words, "op": op})

    for change in sorted(changes, key=lambda change: (change["new_start"], change["new_end"])):
        low = min(max(change["new_start"] - start, at), len(text))
        high = min(max(change["new_end"] - start, low), len(text))
        add(text[at:low], None)
        if change["op"] in ("delete", "replace"):
            add(change["old"], "delete")
        if change["op"] in ("insert", "replace"):
            add(text[low:high], "insert")
        at = high
    add(text[at:], None)
    return pieces


def claim_review(answer: dict[str, Any], reviewer: str, url: str | None = None) -> dict[str, Any]:
    """verify()'s answer as schema.org ClaimReview JSON-LD (lineage.claim_review)."""
    from ...lineage import claim_review as review

    return review(answer, reviewer=reviewer, url=url)
