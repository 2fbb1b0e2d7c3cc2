"""A speaker's figures over their latest quotations (titles, aliases, cues, quotations by month,
topic word counts, the most relayed), kept in speaker_recent by speaker resolution (speakers.py)
beside speakers.quotes, so that a profile reads one row instead of its speaker's latest hundred
quotations, their entities, articles and clusters (a profile 0.4 ms of CPU against 2 to 3 at
1M quotations; a surname's page shows five). Quotations, entities and articles are never edited: the figures
change when a speaker's mentions do (a resolution counts them again) or when a cluster of theirs
does (trace.BandIndex marks its speakers in stale_recent; the next resolution counts them again).
The topic words' weights against the corpus are worked out with the profile (read/views.py)."""
from __future__ import annotations

import heapq
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from itertools import islice

from .buckets import bucket_start
from .text import stop_words, words

RECENT_QUOTES = 100  # the latest quotations the figures are counted over
TOPIC_CANDIDATES = 40  # the most used words of those, for the profile to weigh against the corpus
MOST_RELAYED = 5


@dataclass
class Recent:
    counted: int  # how many latest quotations (RECENT_QUOTES, or all the speaker has)
    titles: list[str]
    aliases: list[str]
    cues: list[tuple[str, int]]  # cue lemmas, most used first
    months: list[tuple[str, int]]  # first day of a month, quotations published in it
    words: list[tuple[str, int]]  # topic word candidates: the most used, bar short, number and stop words
    # Of their clusters, those the most outlets carry: the speaker's first quotation in it, how many outlets.
    relayed: list[tuple[int, int]]


def latest_quotes(conn: sqlite3.Connection, speaker: int, count: int) -> list[tuple]:
    """A speaker's `count` latest quotations (id, text, cue lemma, entity, aliases, titles,
    published, cluster), latest first, from its latest mentions: an article's quotations all
    come after those of the articles stored before it (store.py)."""
    rows: list[tuple] = []
    last_article = None
    for article, *row in conn.execute(
            """SELECT e.article_id, q.id, q.text, q.cue_lemma, e.id, e.aliases, e.titles,
                      (SELECT published FROM articles INDEXED BY articles_dates WHERE id = e.article_id), q.cluster_id
               FROM entities e JOIN quotations q ON q.entity_id = e.id
               WHERE e.speaker_id = ? ORDER BY e.id DESC""", (speaker,)):
        if len(rows) >= count and article != last_article:
            break  # an earlier article: its quotations are all older
        rows.append(tuple(row))
        last_article = article
    return heapq.nlargest(count, rows)


def count(conn: sqlite3.Connection, speaker: int) -> Recent:
    """The figures from the speaker's quotations."""
    latest = latest_quotes(conn, speaker, RECENT_QUOTES)
    months: Counter[str] = Counter()
    for day, n in Counter(published[:10] for *_, published, _ in latest if published).items():
        try:  # a day parsed once, not once a quotation
            months[bucket_start(date.fromisoformat(day), "month").isoformat()] += n
        except ValueError:
            continue
    entities = {entity: (aliases, titles) for _, _, _, entity, aliases, titles, _, _ in latest}
    cues = Counter(cue for _, _, cue, *_ in latest if cue is not None)
    return Recent(len(latest), _strings(titles for _, titles in entities.values()),
                  _strings(aliases for aliases, _ in entities.values()),
                  sorted(cues.items(), key=lambda item: (-item[1], item[0])), sorted(months.items()),
                  _frequent_words([text for _, text, *_ in latest]),
                  _relayed(conn, [(quote_id, cluster) for quote_id, *_, cluster in latest]))


def _strings(json_lists: Iterable[str]) -> list[str]:
    return sorted({value for json_list in set(json_lists) for value in json.loads(json_list)})


def _frequent_words(texts: list[str]) -> list[tuple[str, int]]:
    stop = stop_words()
    counts = Counter(words("\n".join(texts)))  # one call: words never span a line break
    # Read down the counts until enough, rather than looking at each of a profile's thousand words.
    return list(islice(((word, n) for word, n in counts.most_common()
                        if len(word) >= 3 and not word.isdigit() and word not in stop), TOPIC_CANDIDATES))


def _relayed(conn: sqlite3.Connection, latest: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of the clusters of these quotations (id, cluster), the MOST_RELAYED carried by the most outlets."""
    first_id: dict[int, int] = {}  # cluster → the speaker's earliest of these quotations in it
    for quote_id, cluster_id in latest:
        if cluster_id is not None and quote_id < first_id.get(cluster_id, quote_id + 1):
            first_id[cluster_id] = quote_id
    # Most clusters hold one quotation: the cluster index alone says which hold more, and
    # only their quotations are read for their articles' outlets.
    carried = conn.execute(
        """SELECT q.cluster_id, count(DISTINCT a.outlet_key) FROM quotations q
           JOIN articles a INDEXED BY articles_dates ON a.id = q.article_id
           WHERE q.cluster_id IN (SELECT cluster_id FROM quotations WHERE cluster_id IN (SELECT value FROM json_each(?))
                                  GROUP BY cluster_id HAVING count(*) > 1)
           GROUP BY q.cluster_id""",
        (json.dumps(list(first_id)),)).fetchall()
    return sorted(((first_id[cluster_id], n) for cluster_id, n in carried if n > 1),
                  key=lambda item: (-item[1], item[0]))[:MOST_RELAYED]


def mark_clusters(conn: sqlite3.Connection, clusters: list[int]) -> None:
    """Leave the speakers of these clusters' quotations for the next resolution to count again
    (resolve_stale): a cluster that grew or joined another may change which of theirs are most relayed."""
    conn.execute("""INSERT OR IGNORE INTO stale_recent(speaker_id)
                    SELECT DISTINCT e.speaker_id FROM quotations q JOIN entities e ON e.id = q.entity_id
                    WHERE q.cluster_id IN (SELECT value FROM json_each(?)) AND e.speaker_id IS NOT NULL""",
                 (json.dumps(clusters),))


def store(conn: sqlite3.Connection, speakers: Iterable[int] | None = None) -> None:
    """Count the figures of speakers (all when None) again; a speaker gone loses its row."""
    if speakers is None:
        conn.execute("DELETE FROM speaker_recent")
        conn.execute("DELETE FROM stale_recent")
        ids = [speaker for (speaker,) in conn.execute("SELECT id FROM speakers")]
    else:
        ids = sorted(set(speakers))
        for table in ("speaker_recent", "stale_recent"):
            conn.execute(f"DELETE FROM {table} WHERE speaker_id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))
        ids = [speaker for (speaker,) in conn.execute(
            "SELECT id FROM speakers WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))]
    rows = [(speaker, json.dumps(vars(count(conn, speaker)), ensure_ascii=False)) for speaker in ids]
    conn.executemany("INSERT INTO speaker_recent(speaker_id, figures) VALUES (?, ?)", rows)


def store_stale(conn: sqlite3.Connection, transaction: Callable[[], AbstractContextManager],
                chunk: int = 200) -> None:
    """Count again the figures of the speakers marked stale_recent, chunk by chunk."""
    while True:
        with transaction():
            stale = [speaker for (speaker,) in conn.execute("SELECT speaker_id FROM stale_recent LIMIT ?", (chunk,))]
            if not stale:
                return
            store(conn, stale)


def read(conn: sqlite3.Connection, speaker: int) -> Recent:
    """The figures kept for a speaker (counted here for a speaker without a row)."""
    row = conn.execute("SELECT figures FROM speaker_recent WHERE speaker_id = ?", (speaker,)).fetchone()
    return Recent(**json.loads(row[0])) if row else count(conn, speaker)
