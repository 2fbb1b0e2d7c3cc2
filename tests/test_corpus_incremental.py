"""The corpus grows without rebuilding: clusters and speakers added incrementally equal a
full rebuild, readers never write, a search never makes an ingest fail, and a v1 corpus upgrades."""
from __future__ import annotations

import gc
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from quotetrail.corpus import Corpus, CorpusError, schema, speakers, store
from quotetrail.corpus.trace import BandIndex, cluster
from quotetrail.model import Article, Entity, Outcome, Quote, Speaker

SRC = Path(__file__).resolve().parents[1] / "src"

# Things people said, each relayed by other outlets in near-identical forms below.
SAID = [
    "The harbour will reopen to container ships before the end of the month",
    "We have asked the ministry three times and nobody has answered our letters",
    "Our nurses are working double shifts and the hospital cannot go on like this",
    "There will be no new taxes on fuel this year, I can promise you that",
    "The bridge was inspected in March and the engineers found nothing wrong with it",
    "No comment",
    "We are still counting the votes",
]
PEOPLE = [("Maria Delgado", "Delgado"), ("Tomas Varga", "Varga"), ("Ilse Brandt", "Brandt"),
          ("Kofi Nwosu", "Nwosu"), ("Ines Brandt", "Brandt")]


def variant(text: str, rng: random.Random) -> str:
    """The same words as another outlet prints them: case, an ellipsis, a trimmed end, a changed word."""
    words = text.split()
    match rng.randrange(5):
        case 0:
            return text.upper() + "!"
        case 1:
            return " ".join(words[:len(words) // 2]) + " … " + " ".join(words[len(words) // 2:])
        case 2:
            return " ".join(words[:max(2, len(words) - 2)])
        case 3:
            words[len(words) // 2] = "certainly"
            return " ".join(words)
    return text


def article(number: int, rng: random.Random) -> Article:
    """An extracted article of three quotations, without spaCy."""
    lines, quotes, entities = [f"Report {number}"], [], {}
    for _ in range(3):
        text = variant(rng.choice(SAID), rng) if rng.random() < 0.8 else f"Item {number}-{len(quotes)} is unrelated"
        full, surname = rng.choice(PEOPLE)
        name = rng.choice([full, surname])
        entities.setdefault(name, Entity(name, "PERSON"))
        start = sum(len(line) + 1 for line in lines) + 1
        lines.append(f"“{text}” {name} said.")
        quotes.append(Quote("direct", text, start, start + len(text),
                            Speaker(name, name, start + len(text) + 2, start + len(text) + 2 + len(name), "named"),
                            None, ["Wire Service"] if rng.random() < 0.3 else []))
    return Article("\n".join(lines) + "\n", quotes, list(entities.values()), [], [], [],
                   {"sitename": f"Outlet {number % 4}", "date": f"2024-05-{number % 28 + 1:02d}",
                    "url": f"https://outlet.example/{number}", "source": f"report-{number}"})


def clusters_of(path: Path) -> dict[int, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT id, cluster_id FROM quotations"))
    finally:
        conn.close()


def speakers_of(path: Path) -> dict[int, tuple[str, int, str]]:
    """Entity id → (speaker name, its quotations, the names it is written as)."""
    conn = sqlite3.connect(path)
    try:
        return {entity: (name, quotes, written) for entity, name, quotes, written in conn.execute(
            "SELECT e.id, s.name, s.quotes, s.written FROM entities e JOIN speakers s ON s.id = e.speaker_id")}
    finally:
        conn.close()


@pytest.mark.parametrize("context_articles", [speakers.CONTEXT_ARTICLES, 2])
def test_incremental_clusters_and_speakers_equal_a_full_rebuild(tmp_path, monkeypatch, context_articles):
    # A small context makes most ingests take the path that resolves only the new mentions.
    monkeypatch.setattr(speakers, "CONTEXT_ARTICLES", context_articles)
    resolve_new, took = speakers._resolve_new, []
    monkeypatch.setattr(speakers, "_resolve_new", lambda *args: took.append(resolve_new(*args)) or took[-1])
    rng = random.Random(7)
    articles = [article(number, rng) for number in range(60)]
    path = tmp_path / "grown.db"
    with Corpus(path) as corpus:
        for start in range(0, 60, 7):  # nine ingests, batches of two articles
            corpus.ingest_articles(articles[start:start + 7], batch_articles=2)
        trail = corpus.trace(SAID[0])
        grown_speakers = {p.name: p.quotes for p in corpus.speaker("Brandt")}
    conn = sqlite3.connect(path)
    quotes = conn.execute("SELECT id, text FROM quotations ORDER BY id").fetchall()
    conn.close()
    grown = clusters_of(path)
    assert grown == cluster(quotes)  # same partition, same cluster ids (the earliest quotation)
    assert len(set(grown.values())) < len(grown) - 60  # the relays did cluster
    # Trace reads the cluster: every variant of the quotation, from the first article that had it.
    assert trail is not None and trail.origin.article_id == min(record.article_id for record in trail.appearances)
    assert len(trail.appearances) == sum(1 for quote_id, _ in quotes if grown[quote_id] == trail.origin.cluster_id)

    rebuilt = tmp_path / "rebuilt.db"
    shutil.copy(path, rebuilt)
    conn = sqlite3.connect(rebuilt, isolation_level=None)
    with schema.transaction(conn):
        conn.execute("UPDATE quotations SET cluster_id = NULL")
        conn.executemany("UPDATE quotations SET cluster_id = ? WHERE id = ?",
                         [(cluster_id, quote_id) for quote_id, cluster_id in cluster(quotes).items()])
        conn.execute("UPDATE entities SET speaker_id = NULL")
        conn.execute("DELETE FROM speakers")
        speakers.rebuild(conn)
    conn.close()
    assert clusters_of(rebuilt) == grown
    assert speakers_of(rebuilt) == speakers_of(path)
    assert False in took and (True in took or context_articles > 2)  # both ways were taken
    # Two Brandts: a bare "Brandt" without context stays its own speaker, as in a rebuild.
    assert set(grown_speakers) >= {"Ilse Brandt", "Ines Brandt"}


@pytest.mark.parametrize("flush_bands", [200, 5000])
def test_a_bulk_write_with_pending_bands_and_the_bloom_filter_equals_a_full_rebuild(tmp_path, monkeypatch,
                                                                                    flush_bands):
    # Small thresholds: the filter is made after the first batch; bands are flushed mid-write in
    # slices (200), or wait in memory for all of the first write (5000).
    monkeypatch.setattr(BandIndex, "BLOOM_AFTER", 1)
    monkeypatch.setattr(BandIndex, "FLUSH_BANDS", flush_bands)
    monkeypatch.setattr(BandIndex, "FLUSH_SLICE", 70)
    flushes = []
    flush = BandIndex.flush
    monkeypatch.setattr(BandIndex, "flush", lambda self, *args: flushes.append(len(self.pending_quotes))
                        or flush(self, *args))
    rng = random.Random(11)
    path = tmp_path / "bulk.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(number, rng) for number in range(30)], batch_articles=2)
        corpus.ingest_articles([article(number, rng) for number in range(30, 80)], batch_articles=5)
    conn = sqlite3.connect(path)
    quotes = conn.execute("SELECT id, text FROM quotations ORDER BY id").fetchall()
    left = conn.execute("SELECT count(*) FROM unclustered").fetchone()[0]
    indexed = conn.execute("SELECT count(DISTINCT quote_id) FROM quote_bands").fetchone()[0]
    conn.close()
    assert clusters_of(path) == cluster(quotes)
    assert len([count for count in flushes if count]) > (2 if flush_bands == 200 else 1) and left == 0
    assert 0 < indexed < len(quotes)  # exact copies are not indexed
    # Speakers resolved after each flush, as the write went, equal resolving them all at once.
    rebuilt = tmp_path / "rebuilt.db"
    shutil.copy(path, rebuilt)
    conn = sqlite3.connect(rebuilt, isolation_level=None)
    with schema.transaction(conn):
        conn.execute("UPDATE entities SET speaker_id = NULL")
        conn.execute("DELETE FROM speakers")
        speakers.rebuild(conn)
    conn.close()
    assert speakers_of(rebuilt) == speakers_of(path)


def test_bands_are_flushed_when_they_reach_a_share_of_the_index_so_it_is_rewritten_a_bounded_number_of_times(
        tmp_path, monkeypatch):
    monkeypatch.setattr(BandIndex, "FLUSH_BANDS", 100)
    monkeypatch.setattr(BandIndex, "BLOOM_AFTER", 1)
    flushed = []  # (bands pending, bands on disk, whether mid-write) at each flush
    flush, flush_if_full = BandIndex.flush, BandIndex.flush_if_full
    mid = [False]

    def counting(self, *args):
        on_disk = self.conn.execute("SELECT count(*) FROM quote_bands").fetchone()[0]
        flushed.append((sum(len(keys) for keys, _ in self.runs), on_disk, mid[0]))
        flush(self, *args)

    def full(self, *args):
        mid[0] = True
        try:
            return flush_if_full(self, *args)
        finally:
            mid[0] = False

    monkeypatch.setattr(BandIndex, "flush", counting)
    monkeypatch.setattr(BandIndex, "flush_if_full", full)
    rng = random.Random(3)
    path = tmp_path / "share.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(number, rng) for number in range(200)], batch_articles=1)
    quotes = sqlite3.connect(path).execute("SELECT id, text FROM quotations ORDER BY id").fetchall()
    assert clusters_of(path) == cluster(quotes)
    # Those a write made as it went: not the last of the write, or the next writer's catch-up.
    mid_write = [(pending, on_disk) for pending, on_disk, during in flushed if during]
    total = sum(pending for pending, _, _ in flushed)
    assert len(mid_write) >= 3 and all(pending >= BandIndex.FLUSH_SHARE * on_disk for pending, on_disk in mid_write)
    assert len(mid_write) < total / BandIndex.FLUSH_BANDS / 4  # a flush per 100 bands would be dozens


def test_a_writer_killed_before_its_bands_reach_disk_loses_nothing(tmp_path):
    """Committed batches whose bands were still in memory: the next writer indexes them."""
    path = tmp_path / "killed.db"
    script = textwrap.dedent(f"""
        import os, random, signal, sys
        sys.path[:0] = [{str(SRC)!r}, {str(Path(__file__).parent)!r}]
        from quotetrail.corpus import Corpus, trace
        from test_corpus_incremental import article
        trace.BandIndex.flush = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        rng = random.Random(5)
        Corpus({str(path)!r}).ingest_articles([article(number, rng) for number in range(40)], batch_articles=4)
    """)
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert killed.returncode == -9, killed.stderr.decode()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM unclustered").fetchone()[0] == 120  # all committed, none on disk
    conn.close()
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(number, random.Random(number)) for number in range(40, 45)])
    conn = sqlite3.connect(path)
    quotes = conn.execute("SELECT id, text FROM quotations ORDER BY id").fetchall()
    assert conn.execute("SELECT count(*) FROM unclustered").fetchone()[0] == 0
    conn.close()
    assert clusters_of(path) == cluster(quotes)


def test_a_clustered_copy_is_found_from_any_of_its_variants(tmp_path):
    with Corpus(tmp_path / "c.db") as corpus:
        rng = random.Random(3)
        corpus.ingest_articles([article(n, rng) for n in range(12)])
        later = article(100, random.Random(1))
        later.quotes[0].text = SAID[1].replace("three", "four")
        corpus.ingest_articles([later])
        trail = corpus.trace(SAID[1])
        assert later.meta["source"] in {record.source for record in trail.appearances}


def test_a_write_freezes_each_batch_for_the_collector_and_thaws_what_it_froze(tmp_path):
    """What survives a batch is frozen (store._frozen_between_batches) and the collector runs only
    between batches while the write goes on; when it ends nothing it froze stays frozen and the
    collector is on again, and what its caller had frozen is left so."""
    assert gc.get_freeze_count() == 0
    seen: list[int] = []
    collecting: list[bool] = []

    def articles(numbers: range):
        for number in numbers:
            seen.append(gc.get_freeze_count())  # as the writer draws each article
            collecting.append(gc.isenabled())
            yield article(number, random.Random(number))

    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest_articles(articles(range(6)), batch_articles=2)
        assert seen[:2] == [0, 0] and all(count > 0 for count in seen[2:])  # frozen after the first batch
        assert gc.get_freeze_count() == 0 and gc.isenabled() and not any(collecting)
        gc.freeze()  # the caller's own
        frozen = gc.get_freeze_count()
        try:
            seen.clear()
            report = corpus.ingest_articles(articles(range(6, 12)), batch_articles=2)
            # Never more (the writer freezes nothing of its own), never thawed (some die meanwhile).
            assert report.added == 6 and max(seen) <= frozen and 0 < gc.get_freeze_count() <= frozen
        finally:
            gc.unfreeze()


def stale_corpus(path: Path) -> None:
    """A corpus with an article written but not caught up with: what an ingest leaves mid-way."""
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(n, random.Random(n)) for n in range(4)])
        extra = article(50, random.Random(50))
        extra.quotes[0].speaker = Speaker("Pavla Kettering", "Kettering", 0, 9, "named")
        extra.entities.append(Entity("Pavla Kettering", "PERSON"))
        store.write(corpus._conn, [Outcome("extra", article=extra)], store.IngestReport())


READERS = [lambda c: c.search("harbour"), lambda c: c.search(speaker="Delgado"), lambda c: c.trace(SAID[0]),
           lambda c: c.speaker("Brandt"), lambda c: c.speakers(), lambda c: c.stats(),
           lambda c: c.outlets(), lambda c: c.export("jsonl", Path("/dev/null"))]


def test_readers_never_write_and_the_next_writer_catches_up(tmp_path):
    path = tmp_path / "stale.db"
    stale_corpus(path)
    with Corpus(path) as corpus:
        corpus._conn.execute("PRAGMA query_only = ON")  # any write now fails
        for read in READERS:
            read(corpus)
        with pytest.raises(CorpusError, match="no speaker matches"):  # not resolved yet, and not by a reader
            corpus.speaker("Kettering")
        corpus._conn.execute("PRAGMA query_only = OFF")
        corpus.ingest_articles([])  # a writer, even with nothing to add, fixes what is stale
        (kettering,) = corpus.speaker("Kettering")
        assert kettering.quotes == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM stale_families").fetchone() == (0,)
    conn.close()


def test_a_search_during_a_write_transaction_neither_waits_nor_fails(tmp_path):
    path = tmp_path / "busy.db"
    stale_corpus(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # an ingest mid-batch holds the write lock
    try:
        with Corpus(path, timeout=0.1) as corpus:
            for read in READERS:
                read(corpus)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_concurrent_ingest_and_search_loops(tmp_path):
    """Threads, each with its own connection (SQLite releases the GIL while it works)."""
    path, done, errors, searches = tmp_path / "shared.db", threading.Event(), [], []
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(n, random.Random(n)) for n in range(10)])

    def ingest() -> None:
        try:
            with Corpus(path, timeout=2) as corpus:
                for start in range(10, 40, 3):
                    report = corpus.ingest_articles([article(n, random.Random(n)) for n in range(start, start + 3)],
                                                    batch_articles=1)
                    assert report.added == 3, report
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            done.set()

    def search() -> None:
        try:
            with Corpus(path, create=False, timeout=2) as corpus:
                while not done.is_set():
                    corpus.search("harbour ships", limit=20)
                    corpus.search(speaker="Brandt")
                    corpus.trace(SAID[1])
                    corpus.speakers()
                    searches.append(1)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=search) for _ in range(3)] + [threading.Thread(target=ingest)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and searches
    with Corpus(path) as corpus:
        assert corpus.stats().articles == 40


def test_integrity_check_is_clean_on_a_corpus_with_relays(tmp_path):
    path = tmp_path / "relays.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles([article(n, random.Random(n)) for n in range(8)])
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM relays").fetchone()[0] > 0
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def v1_corpus(path: Path) -> None:
    """A corpus as version 1 wrote it: quotations clustered, speakers resolved, one article not yet."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(Path(__file__).with_name("schema_v1.sql").read_text(encoding="utf-8"))
    said = [("Tomas Varga", SAID[0]), ("Varga", SAID[0].upper()), ("Tomas Varga", SAID[2]),
            ("Maria Delgado", SAID[2] + " at all")]
    for number, (name, text) in enumerate(said, 1):
        body = f"“{text}” {name} said.\n"
        conn.execute("INSERT INTO articles(id, key, outlet, outlet_key, published, ingested_at, meta, text) "
                     "VALUES (?, ?, 'Outlet', 'outlet', '2024-01-0' || ?, '2024-02-01', '{}', ?)",
                     (number, f"sha256:{number}", number, body))
        conn.execute("INSERT INTO entities(id, article_id, name, name_key, type, is_media, aliases, titles) "
                     "VALUES (?, ?, ?, lower(?), 'PERSON', 0, '[]', '[]')", (number, number, name, name))
        conn.execute("INSERT INTO quotations(id, article_id, entity_id, kind, text, start, end, confidence, "
                     "cluster_id) VALUES (?, ?, ?, 'direct', ?, 1, ?, 0.9, ?)",
                     (number, number, number, text, 1 + len(text), {1: 1, 2: 1, 3: 3}.get(number)))
    conn.execute("INSERT INTO relays(quote_id, outlet, outlet_key) VALUES (2, 'Wire Service', 'wire service')")
    conn.execute("INSERT INTO speakers(id, key, name) VALUES (1, 'p:tomas varga', 'Tomas Varga')")
    conn.execute("UPDATE entities SET speaker_id = 1 WHERE id IN (1, 2, 3)")
    conn.execute("INSERT INTO stale(what) VALUES ('speakers'), ('clusters')")  # article 4 came last
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_v1_corpus_upgrades_and_the_next_writer_indexes_it(tmp_path):
    path = tmp_path / "v1.db"
    v1_corpus(path)
    with Corpus(path) as corpus:
        # Complete once opened: the upgrade rebuilt speakers and clusters before it returned.
        assert corpus.speaker("Tomas Varga")[0].quotes == 3
        assert [r.id for r in corpus.trace(SAID[0]).appearances] == [1, 2]
        assert corpus.search("harbour")[0].via == ["Wire Service"]
        assert {s.name: s.quotes for s in corpus.speakers()} == {"Tomas Varga": 3, "Maria Delgado": 1}
        assert [r.id for r in corpus.trace(SAID[2]).appearances] == [3, 4]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (schema.VERSION,)
        assert dict(conn.execute("SELECT id, cluster_id FROM quotations")) == {1: 1, 2: 1, 3: 3, 4: 3}
        assert conn.execute("SELECT count(*) FROM unclustered").fetchone() == (0,)
        assert conn.execute("SELECT * FROM relays").fetchall() == [(2, "wire service", "Wire Service")]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    with Corpus(path) as corpus:  # and the upgraded corpus keeps growing incrementally
        corpus.ingest_articles([article(n, random.Random(n)) for n in range(5)])
        conn = sqlite3.connect(path)
        quotes = conn.execute("SELECT id, text FROM quotations ORDER BY id").fetchall()
        # The timeline blocks the upgrade filled and the writer extended: as if computed now.
        blocks = conn.execute("SELECT * FROM timeline_blocks ORDER BY block").fetchall()
        assert blocks == conn.execute(
            f"""SELECT q.id / {schema.TIMELINE_BLOCK}, max(a.published), min(a.published), max(a.id)
                FROM quotations q JOIN articles a ON a.id = q.article_id GROUP BY 1 ORDER BY 1""").fetchall()
        conn.close()
        assert clusters_of(path) == cluster(quotes)


def test_batch_minhash_equals_datasketch():
    from datasketch import MinHash

    from quotetrail.corpus.trace import NUM_PERM, Shingler, _hash, shape

    texts = [SAID[0], SAID[1].upper(), "Item 4 is unrelated to anything", SAID[4] + " at all"]
    sets = [shape(text)[1] for text in texts]
    ours = Shingler().sketches(sets)
    for bigrams, row in zip(sets, ours):
        theirs = MinHash(num_perm=NUM_PERM, hashfunc=_hash)
        theirs.update_batch(bigrams)
        assert list(row) == list(theirs.hashvalues)


def test_search_gives_the_same_hits_whichever_filter_drives_it(tmp_path, monkeypatch):
    from quotetrail.corpus.read import planner as search_module

    with Corpus(tmp_path / "s.db") as corpus:
        corpus.ingest_articles([article(n, random.Random(n)) for n in range(40)])
        asks = [dict(text="the"), dict(text="harbour ships", limit=5), dict(text="the", speaker="Brandt"),
                dict(text="nurses", outlet="Outlet 2", since="2024-05-03", until="2024-05-20"),
                dict(speaker="Maria Delgado", limit=7), dict(outlet="Outlet 1")]
        found = {}
        for many in (0, 10**9):  # every text search walks the timeline / none does
            monkeypatch.setattr(search_module, "many_matches", lambda quotations, many=many: many)
            found[many] = [[(r.id, r.published) for r in corpus.search(**ask)] for ask in asks]
        assert found[0] == found[10**9] and all(found[0])
        newest = found[0][0]
        assert newest == sorted(newest, key=lambda hit: hit[1], reverse=True)


def test_planner_statistics_are_gathered_again_only_once_the_corpus_has_grown_by_a_tenth(tmp_path):
    path = tmp_path / "stats.db"
    rng = random.Random(8)

    def gathered_over() -> tuple[int, int]:  # (quotations the statistics were gathered at, rows they give quotations)
        conn = sqlite3.connect(path)
        try:
            at = conn.execute("SELECT quotations FROM planner_statistics").fetchone()[0]
            rows = conn.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'quotations_article'").fetchone()[0]
            return at, int(rows.split()[0])
        finally:
            conn.close()

    with Corpus(path) as corpus:
        corpus.ingest_articles([article(number, rng) for number in range(100)])
        assert gathered_over() == (300, 300)
        corpus.ingest_articles([article(100, rng)])  # 1% more: the statistics stand
        corpus.ingest_articles([article(101, rng)])
        assert gathered_over() == (300, 300)
        corpus.ingest_articles([article(number, rng) for number in range(102, 110)])  # now 10% more in all
        assert gathered_over() == (330, 330)
