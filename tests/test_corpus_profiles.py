"""Speaker profiles read figures kept at ingest: after any mix of ingests, merges and splits
they equal a count from scratch over the quotations, and a v3 or v9 corpus gets them when it upgrades."""
from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from datetime import date
from itertools import islice
from pathlib import Path

import pytest

from quotetrail.corpus import Corpus, recent, schema, speakers
from quotetrail.corpus.read import planner, views
from quotetrail.corpus.text import stop_words, words
from quotetrail.model import Article, Cue, Entity, Quote, Speaker

PEOPLE = [("Maria Delgado", "Delgado"), ("Tomas Varga", "Varga"), ("Ilse Brandt", "Brandt"),
          ("Ines Brandt", "Brandt"), ("Kofi Nwosu", "Nwosu")]


CUES = {"said": "say", "warned": "warn", "added": "add"}
TOPICS = ["harbour", "cranes", "budget", "bridge", "ferries", "tariffs", "schools", "nurses"]
TITLES = {"Maria Delgado": ["harbour chief"], "Ilse Brandt": ["mayor", "councillor"], "Kofi Nwosu": []}


def article(number: int, rng: random.Random) -> Article:
    """Two to four quotations; some articles have no outlet or no date, some relay an earlier one's."""
    lines, quotes, entities = [f"Bulletin {number}"], [], {}
    for turn in range(rng.randrange(2, 5)):
        full, surname = rng.choice(PEOPLE)
        name = rng.choice([full, full, surname])
        entities.setdefault(name, Entity(name, "PERSON", aliases=[surname] if name == full and number % 4 == 0 else [],
                                         titles=TITLES.get(name, []) if number % 3 else []))
        text = f"Item {number} point {turn} about the {' and '.join(rng.sample(TOPICS, 2))} is on the agenda"
        if turn == 0 and number % 6 in (2, 5):  # relayed by another station three articles on, maybe as someone else's
            text = f"Item {number - number % 6 + 2} is what the board will decide before the summer recess"
        start = sum(len(line) + 1 for line in lines) + 1
        cue = rng.choice(list(CUES))
        lines.append(f"“{text}” {name} {cue}.")
        cue_start = start + len(text) + 3 + len(name)
        quotes.append(Quote("direct", text, start, start + len(text),
                            Speaker(name, name, start + len(text) + 2, start + len(text) + 2 + len(name), "named"),
                            Cue(cue, CUES[cue], cue_start, cue_start + len(cue)) if turn % 3 else None, []))
    meta = {"source": f"bulletin-{number}"}
    if number % 5:
        meta |= {"sitename": f"Station {number % 4}", "url": f"https://station.example/{number}"}
    if number % 7:
        meta["date"] = f"2024-{number % 12 + 1:02d}-{number % 27 + 1:02d}"
    return Article("\n".join(lines) + "\n", quotes, list(entities.values()), [], [], [], meta)


def from_scratch(conn: sqlite3.Connection, speaker: int) -> tuple:
    """A profile's figures counted over every quotation of the speaker (what the profile did before v4)."""
    rows = conn.execute("""SELECT q.id, e.id, e.name, coalesce(a.outlet, '(unknown)'), a.published
                           FROM quotations q JOIN entities e ON e.id = q.entity_id JOIN articles a ON a.id = q.article_id
                           WHERE e.speaker_id = ?""", (speaker,)).fetchall()
    mentions = Counter(name for _, name in {(entity, name) for _, entity, name, _, _ in rows})
    outlets = Counter(outlet for _, _, _, outlet, _ in rows)
    dates = [published for *_, published in rows if published is not None]
    return (sorted(mentions, key=lambda name: (-mentions[name], name)), len(rows), min(dates, default=None),
            max(dates, default=None), sorted(outlets.items(), key=lambda item: (-item[1], item[0])))


def recent_from_scratch(conn: sqlite3.Connection, speaker: int) -> recent.Recent:
    """The figures over a speaker's latest quotations (what the profile counted before v10), from
    all of its quotations."""
    rows = sorted(conn.execute("""SELECT q.id, q.text, q.cue_lemma, e.aliases, e.titles, a.published
                                  FROM quotations q JOIN entities e ON e.id = q.entity_id
                                  JOIN articles a ON a.id = q.article_id WHERE e.speaker_id = ?""", (speaker,)),
                  reverse=True)[:recent.RECENT_QUOTES]
    cues = Counter(cue for _, _, cue, *_ in rows if cue)
    months = Counter(date.fromisoformat(published[:10]).replace(day=1).isoformat()
                     for *_, published in rows if published)
    counts = Counter(word for _, text, *_ in rows for word in words(text))
    # Counter.most_common keeps first-seen order among equal counts: the latest quotation's words first.
    frequent = islice(((word, n) for word, n in counts.most_common()
                       if len(word) > 2 and not word.isdigit() and word not in stop_words()), recent.TOPIC_CANDIDATES)
    first: dict[int, int] = {}  # cluster → the speaker's first of these quotations in it
    for quote_id, cluster in conn.execute("SELECT id, cluster_id FROM quotations WHERE id IN (SELECT value FROM "
                                          "json_each(?)) ORDER BY id DESC", (json.dumps([row[0] for row in rows]),)):
        first[cluster] = quote_id
    carried = {cluster: conn.execute("SELECT count(DISTINCT a.outlet_key) FROM quotations q JOIN articles a "
                                     "ON a.id = q.article_id WHERE q.cluster_id = ?", (cluster,)).fetchone()[0]
               for cluster in first}
    relayed = sorted(((first[cluster], n) for cluster, n in carried.items() if n > 1), key=lambda item: (-item[1], item[0]))
    return recent.Recent(len(rows),
                         sorted({title for *_, titles, _ in rows for title in json.loads(titles)}),
                         sorted({alias for *_, aliases, _, _ in rows for alias in json.loads(aliases)}),
                         sorted(cues.items(), key=lambda item: (-item[1], item[0])), sorted(months.items()),
                         list(frequent), relayed[:recent.MOST_RELAYED])


def stored_recent(conn: sqlite3.Connection, speaker: int) -> recent.Recent:
    (figures,) = conn.execute("SELECT figures FROM speaker_recent WHERE speaker_id = ?", (speaker,)).fetchone()
    loaded = json.loads(figures)
    return recent.Recent(**{name: [tuple(pair) if isinstance(pair, list) else pair for pair in value]
                            if isinstance(value, list) else value for name, value in loaded.items()})


def check(path: Path) -> int:
    """Every speaker's profile equals its count from scratch; returns how many speakers."""
    conn = sqlite3.connect(path)
    try:
        ids = [speaker for (speaker,) in conn.execute("SELECT id FROM speakers")]
        relayed = 0
        for speaker in ids:
            profile = views.speaker_view(conn, speaker, planner.WordSample.read(conn))
            assert (profile.written, profile.quotes, profile.first_seen, profile.last_seen,
                    [tuple(outlet) for outlet in profile.outlets]) == from_scratch(conn, speaker)
            assert stored_recent(conn, speaker) == recent_from_scratch(conn, speaker)
            assert profile.recent == min(profile.quotes, recent.RECENT_QUOTES)
            relayed += len(profile.most_relayed)
        # No figures left behind for speakers that are gone.
        for table in ("speaker_outlets", "speaker_names", "speaker_recent"):
            assert not conn.execute(f"SELECT 1 FROM {table} WHERE speaker_id NOT IN (SELECT id FROM speakers)").fetchone()
        assert relayed  # (every corpus checked here relays some quotations)
        return len(ids)
    finally:
        conn.close()


@pytest.mark.parametrize("context_articles", [speakers.CONTEXT_ARTICLES, 2])
def test_profile_figures_equal_a_count_from_scratch_through_ingests_merges_and_splits(tmp_path, monkeypatch,
                                                                                      context_articles):
    # A small context makes most ingests resolve only the new mentions (adding to the figures).
    monkeypatch.setattr(speakers, "CONTEXT_ARTICLES", context_articles)
    monkeypatch.setattr(recent, "RECENT_QUOTES", 4)  # latest quotations picked from several mentions
    rng = random.Random(5)
    articles = [article(number, rng) for number in range(70)]
    path = tmp_path / "profiles.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles(articles[:20], batch_articles=3)
        assert check(path) >= 5
        corpus.merge_speakers("Varga", "Maria Delgado")
        corpus.ingest_articles(articles[20:35], batch_articles=2)
        merged = corpus.speaker("Maria Delgado")[0]
        assert "Varga" in merged.written and check(path)
        corpus.split_speaker("Varga")
        corpus.ingest_articles(articles[35:50], batch_articles=4)
        assert "Varga" not in corpus.speaker("Maria Delgado")[0].written and check(path)
        corpus.merge_speakers("Ines Brandt", "Ilse Brandt")
        corpus.ingest_articles(articles[50:], batch_articles=1)
        assert "Ines Brandt" in corpus.speaker("Ilse Brandt")[0].written
    assert check(path)


def _undo(upgrade: tuple[str, ...]) -> list[str]:
    """What takes an upgrade's added columns and indexes away again, last first."""
    undone = []
    for statement in reversed(upgrade):
        words = statement.split()
        undone.append(f"DROP INDEX {words[2]}" if words[:2] == ["CREATE", "INDEX"]
                      else f"ALTER TABLE {words[2]} DROP COLUMN {words[5]}")
    return undone


def test_a_v3_corpus_gets_its_profile_figures_when_it_upgrades(tmp_path):
    rng = random.Random(9)
    path = tmp_path / "v3.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(number, rng) for number in range(30)])
        before = [(p.name, p.written, p.quotes, p.first_seen, p.last_seen, p.outlets, p.topics)
                  for p in corpus.speaker("Brandt", per_page=50)]
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in ("DROP TABLE speaker_outlets", "DROP TABLE speaker_names", "DROP TABLE speaker_recent",
                      "DROP TABLE stale_recent",
                      "ALTER TABLE speakers DROP COLUMN "
                      "first_seen", "ALTER TABLE speakers DROP COLUMN last_seen", "DROP TABLE planner_statistics",
                      "DROP TABLE timeline_blocks", "DROP INDEX articles_dates", *_undo(schema.V7),
                      "DROP TABLE lineage", "DROP TABLE lineages",
                      "PRAGMA user_version = 3"):
        conn.execute(statement)
    conn.close()
    with Corpus(path) as corpus:
        after = [(p.name, p.written, p.quotes, p.first_seen, p.last_seen, p.outlets, p.topics)
                 for p in corpus.speaker("Brandt", per_page=50)]
    assert after == before and len(after) >= 2 and all(outlets for *_, outlets, _ in after)
    assert check(path) >= 4


def test_a_v9_corpus_gets_the_figures_over_the_latest_quotations_when_it_upgrades(tmp_path, monkeypatch):
    monkeypatch.setattr(recent, "RECENT_QUOTES", 6)
    rng = random.Random(4)
    path = tmp_path / "v9.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(number, rng) for number in range(40)])
        before = list(corpus.speaker("Brandt", per_page=50))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE speaker_recent")
    conn.execute("DROP TABLE stale_recent")
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    with Corpus(path) as corpus:
        after = list(corpus.speaker("Brandt", per_page=50))
    assert after == before and len(after) >= 2
    assert all(view.cues and view.by_month and view.topics for view in after)
    assert any(view.titles for view in after) and any(view.aliases for view in after)
    assert check(path) >= 4


def said(name: str, text: str, outlet: str) -> Article:
    body = f"{outlet} bulletin\n“{text}” {name} said.\n"
    start = body.index(text)
    speaker = Speaker(name, name, start + len(text) + 2, start + len(text) + 2 + len(name), "named")
    return Article(body, [Quote("direct", text, start, start + len(text), speaker, None, [])],
                   [Entity(name, "PERSON")], [], [], [],
                   {"source": outlet, "sitename": outlet, "url": f"https://{outlet.lower().replace(' ', '-')}.example/1"})


def test_a_relay_under_another_name_counts_for_the_speaker_first_quoted(tmp_path):
    """The relay's speaker is new, so only the cluster's change tells the first speaker's figures."""
    rng = random.Random(8)
    path = tmp_path / "relay.db"
    text = "The dredging contract will be signed by the end of March and not a single day later"
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(number, rng) for number in range(20)] + [said("Maria Delgado", text, "Tide FM")])
        assert text not in [relayed.quote.text for relayed in corpus.speaker("Maria Delgado")[0].most_relayed]
        corpus.ingest_articles([said("Lena Okafor", text, "Wire Service")])
        relayed = {relayed.quote.text: relayed.outlets for relayed in corpus.speaker("Maria Delgado")[0].most_relayed}
    assert relayed[text] == 2
    assert check(path)
