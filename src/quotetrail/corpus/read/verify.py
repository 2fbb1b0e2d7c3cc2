"""Did X really say this, and where first? The one answer the command line, the Python API
and the web give (docs/lineage.md; issue 20's JSON).

The lineage is read as the writer stored it (corpus/lineages.py): nothing is rebuilt here.

Candidates come from the full-text index: every word of the query first (an exact or a
partial wording); when that finds nothing, those holding a pair of its rarest words, the ones
sharing most of its words first (a wording with a wrong word or a typo). lineage.match then
keeps the near-duplicates.
"""
from __future__ import annotations

import re
import sqlite3
from itertools import combinations
from typing import Any

from ...model import QUOTATIONS
from ..schema import CorpusError
from ..text import stop_words, words
from .fields import NotFound, fts_query
from .planner import WordSample

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


def _choose(conn: sqlite3.Connection, found: list, speaker: str | None) -> tuple[int, list[int]] | None:
    """The lineage a query's matches (lineage.match, best first) point to, and the others
    matched, best first (None where none has a stored lineage). The best holds the best
    match, and among equals the most copies;
    with a speaker, only lineages with a copy crediting them count, where any has one
    ("we will see" was said by many: the speaker says whose)."""
    from ...lineage import same_speaker
    from .. import lineages

    lineage_of = lineages.lineage_ids(conn, [item.id for item in found])
    found = [item for item in found if item.id in lineage_of]
    if not found:  # no lineage stored for them (a corpus written without one)
        return None
    ranked = list(dict.fromkeys(lineage_of[item.id] for item in found))
    if speaker:
        credits = lineages.speakers_of(conn, ranked)
        theirs = [item for item in found if any(same_speaker(speaker, name) for name in credits[lineage_of[item.id]])]
        found = theirs or found
    best = (found[0].coverage, found[0].density)
    tied = list(dict.fromkeys(lineage_of[item.id] for item in found if (item.coverage, item.density) == best))
    if not speaker:
        credits = lineages.speakers_of(conn, tied)
    chosen = max(tied, key=lambda lineage_id: len(credits[lineage_id]))
    return chosen, [lineage_id for lineage_id in ranked if lineage_id != chosen]


def verify(conn: sqlite3.Connection, query: str, speaker: str | None = None,
           sample: WordSample | None = None) -> dict[str, Any]:
    """issue 20's JSON for the quotation a pasted wording best matches, read from the stored
    lineage, with "cluster" (the matched lineage's id: its smallest quotation id) and "also"
    (other lineages matched, best first); "found" false when none. speaker: whose words they
    are said to be, which picks among lineages the wording matches alike.
    Each appearance also has "diff": its words in pieces, each {"text", "op"} with op null
    (as the earliest copy), "insert" (words the earliest lacks) or "delete" (the earliest's
    words this copy leaves out), for showing the changes in place."""
    from ...lineage import match, verdict
    from .. import lineages

    if not query.strip():
        raise CorpusError("nothing to verify: the quotation is empty")
    found = match(query, ((quote_id, text) for quote_id, text, _ in _candidate_rows(conn, query, sample)))
    lineage = None
    if found and (chosen_others := _choose(conn, found, speaker)) is not None:
        chosen, others = chosen_others
        lineage = lineages.load(conn, chosen)
    answer = verdict(query, lineage, speaker)
    if lineage is not None:
        answer["cluster"], answer["also"] = chosen, others
        _add_diffs(answer, lineage)
    return answer


def verify_quote(conn: sqlite3.Connection, quote_id: int) -> dict[str, Any]:
    """verify()'s answer for the lineage a stored quotation belongs to, asked with its words."""
    from ...lineage import verdict
    from .. import lineages

    row = conn.execute("SELECT text FROM quotations WHERE id = ?", (quote_id,)).fetchone()
    if row is None:
        raise NotFound(f"no quotation {quote_id}")
    lineage_id = lineages.lineage_ids(conn, [quote_id]).get(quote_id)
    # None: a stance or a refusal, no quotation.
    lineage = lineages.load(conn, lineage_id) if lineage_id is not None else None
    answer = verdict(row[0], lineage)
    answer["cluster"], answer["also"] = lineage_id, []
    _add_diffs(answer, lineage)
    return answer


def _add_diffs(answer: dict[str, Any], lineage) -> None:
    starts = {item.copy.quote_id: item.copy.start for item in lineage.appearances} if lineage else {}
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
