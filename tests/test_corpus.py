"""The corpus: store, search, trace a quotation to its origin, speakers across articles,
and what a corrupt, locked or interrupted database does."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quotetrail.cli import main
from quotetrail.corpus import Corpus, CorpusError
from quotetrail.corpus.speakers import identity
from quotetrail.corpus.store import canonical_url, published
from quotetrail.corpus.trace import cluster
from quotetrail.model import Article, Document, Entity, Outcome, Quote, Speaker

SRC = Path(__file__).resolve().parents[1] / "src"
QUOTE = "a war in Venezuela would be a second Vietnam for America"

# A quotation told in Minsk, relayed by TVP World from the Minsk Herald, then by the
# Daily Meridian from TVP World (with an ellipsis), and trimmed by an undated radio piece.
ARTICLES = {
    "minsk-herald": ({"date": "2024-03-01", "sitename": "Minsk Herald", "title": "Lukashenko warns Washington",
                      "url": "https://www.minskherald.example/news/vietnam/?utm_source=feed"}, """\
Lukashenko warns Washington over Venezuela
By Olga Brandt
Belarusian President Alexander Lukashenko on Friday warned the United States against military action in Venezuela.
“I tell Washington plainly: a war in Venezuela would be a second Vietnam for America,” Lukashenko told reporters in Minsk.
He said that Caracas could count on the support of Belarus.
"""),
    "tvp-world": ({"date": "2024-03-02T09:30:00+01:00", "sitename": "TVP World",
                   "title": "Minsk warns of a second Vietnam", "url": "https://tvpworld.example/minsk-vietnam"}, """\
Minsk warns of a second Vietnam
Aleksandr Lukashenko has warned Washington against intervening in Venezuela, the Belarusian leader's second warning this year.
According to the Minsk Herald, Lukashenko told reporters that Belarus stood with Caracas.
“I tell Washington plainly: a war in Venezuela would be a second Vietnam for America,” the Minsk Herald notes.
Venezuelan President Nicolás Maduro thanked Minsk for its support. “Venezuela will never be a colony,” Maduro said.
Sources: Minsk Herald
"""),
    "meridian": ({"date": "2024-03-03", "sitename": "Daily Meridian", "title": "Belarus leader evokes Vietnam",
                  "url": "https://meridian.example/belarus-vietnam"}, """\
Belarus leader evokes Vietnam
Belarusian President Alexander Lukashenko spoke in Minsk on Friday.
According to TVP World, Lukashenko said that a war in Venezuela would be costly.
“I tell Washington plainly... a war in Venezuela would be a second Vietnam for America!” TVP World notes.
Sources: TVP World
"""),
    "coastline": ({"sitename": "Coastline Radio", "title": "Lukashenko's Vietnam warning"}, """\
Lukashenko's Vietnam warning
Lukashenko did not mince his words about Venezuela.
"i tell washington plainly: a war in venezuela would be a second vietnam," he said.
"""),
    "caracas-post": ({"date": "2024-03-05", "sitename": "Caracas Post", "title": "Maduro rallies supporters"}, """\
Maduro rallies supporters in Caracas
Venezuelan President Nicolas Maduro addressed a crowd in Caracas on Sunday.
“Venezuela will never be a colony of anyone,” Maduro said.
He added that the country's oil belonged to its people.
"""),
    "sport": ({"date": "2024-02-10", "sitename": "Sport Minsk", "title": "Hockey team ready"}, """\
Hockey team ready for Olympics, says federation chief
Viktor Lukashenko, the president of the National Olympic Committee, praised the national hockey team on Tuesday.
“Our players have never been in better shape,” Lukashenko said at the training centre.
"""),
}
LATER = ({"date": "2024-03-11", "sitename": "Belsat", "title": "Lukashenka repeats warning"}, """\
Lukashenka repeats Vietnam warning
Belarusian leader Alyaksandr Lukashenka repeated his warning about Venezuela on Monday.
“Nobody in Washington has listened to me,” Lukashenka told state television.
""")


def document(name: str, meta: dict, text: str) -> Document:
    return Document(id=name, text=text, meta={"source": name, **meta})


def documents() -> list[Document]:
    return [document(name, meta, text) for name, (meta, text) in ARTICLES.items()]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "built.db"
    with Corpus(path) as corpus:
        report = corpus.ingest(documents())
    assert (report.added, report.present, report.failures) == (len(ARTICLES), 0, [])
    return path


@pytest.fixture
def db(built, tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    shutil.copy(built, path)  # closed, so the WAL is checkpointed into the file
    return path


@pytest.fixture
def corpus(db):
    with Corpus(db) as opened:
        yield opened


def synthetic(index: int, quotes: int = 3) -> Article:
    """A small extracted article, made without spaCy."""
    text = " ".join(f"Quote {index}-{n} says the harbour will reopen soon." for n in range(quotes))
    spans = [(n * 50, n * 50 + 49) for n in range(quotes)]
    speaker = Speaker("Maria Delgado", "Delgado", 0, 7, "named")
    return Article(text=text, quotes=[Quote("direct", text[s:e], s, e, speaker, None) for s, e in spans],
                   entities=[Entity("Maria Delgado", "PERSON")], furniture=[], headings=[], sources=[],
                   meta={"source": f"synthetic-{index}", "sitename": "Harbour News",
                         "date": f"2024-01-{index + 1:02d}"})


def consistent(path: Path) -> dict[str, int]:
    """Quotes per stored article, after checking nothing dangles and the FTS index is whole."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO quotation_fts(quotation_fts) VALUES ('integrity-check')")
        assert conn.execute("SELECT count(*) FROM quotations WHERE article_id NOT IN "
                            "(SELECT id FROM articles)").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM entities WHERE article_id NOT IN "
                            "(SELECT id FROM articles)").fetchone()[0] == 0
        return dict(conn.execute("SELECT a.source, count(q.id) FROM articles a "
                                 "LEFT JOIN quotations q ON q.article_id = a.id GROUP BY a.id"))
    finally:
        conn.close()


# trace

def test_trace_finds_the_origin_and_every_relay(corpus):
    trail = corpus.trace(QUOTE)
    assert [r.source for r in trail.appearances] == ["minsk-herald", "tvp-world", "meridian", "coastline"]
    assert trail.origin.outlet == "Minsk Herald" and trail.origin.published == "2024-03-01"
    assert trail.origin.speaker == "Alexander Lukashenko"
    assert {r.speaker for r in trail.appearances} == {"Alexander Lukashenko"}
    assert trail.outlets == ["Minsk Herald", "TVP World", "Daily Meridian", "Coastline Radio"]
    assert [(relay.outlet, relay.via) for relay in trail.relays] == [("TVP World", "Minsk Herald"),
                                                                      ("Daily Meridian", "TVP World")]
    assert trail.appearances[1].published == "2024-03-02T08:30:00+00:00"  # stored in UTC
    assert len({r.cluster_id for r in trail.appearances}) == 1


def test_trace_from_a_fragment_and_evidence_spans(corpus):
    trail = corpus.trace("second Vietnam")
    assert trail is not None and trail.origin.source == "minsk-herald"
    for record in trail.appearances:
        assert corpus.article_text(record.article_id)[record.start:record.end] == record.text
    assert corpus.trace("nobody said anything like this at all") is None


def test_trace_command_prints_a_timeline_and_json(db, capsys):
    assert main(["trace", QUOTE, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "first: 2024-03-01, Minsk Herald, Alexander Lukashenko" in out
    assert "TVP World via Minsk Herald" in out and "Daily Meridian via TVP World" in out
    assert main(["trace", QUOTE, "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["origin"]["outlet"] == "Minsk Herald"
    assert data["origin"]["url"] == "https://www.minskherald.example/news/vietnam/?utm_source=feed"
    assert [a["outlet"] for a in data["appearances"]] == data["outlets"]
    assert main(["trace", "words nobody ever said", "--db", str(db)]) == 1
    assert "no stored quotation matches" in capsys.readouterr().err


def test_clusters_near_duplicates_but_not_different_quotes():
    clusters = cluster([
        (1, "We will not give up the harbour to anyone, ever."),
        (2, "“we will NOT give up the harbour … to anyone, ever”"),
        (3, "We will not give up the harbour to anyone"),  # trimmed
        (4, "The harbour will reopen to ships on Monday morning."),
        (5, "No comment."), (6, "no comment"), (7, "No comment today."),
    ])
    assert clusters[1] == clusters[2] == clusters[3] == 1
    assert clusters[4] == 4
    assert clusters[5] == clusters[6] == 5 and clusters[7] == 7  # short quotes: exact copies only


# search

def test_search_filters_combine(corpus):
    def sources(**filters) -> list[str]:
        return sorted(hit.source for hit in corpus.search(**filters))

    assert sources(text="Venezuela", speaker="Maduro") == ["caracas-post", "tvp-world"]
    assert sources(text="Venezuela", speaker="Lukashenko", outlet="tvp world") == ["tvp-world"]
    assert sources(text="Vietnam", since="2024-03-02", until="2024-03-03") == ["meridian", "tvp-world"]
    assert sources(speaker="Alexander Lukashenko", since="2024-03-02") == ["meridian", "meridian", "tvp-world",
                                                                             "tvp-world"]
    assert sources(text="Vietnam", speaker="Maduro") == []
    newest_first = [hit.published for hit in corpus.search("Venezuela") if hit.published]
    assert newest_first == sorted(newest_first, reverse=True)
    with pytest.raises(CorpusError, match="no speaker matches"):
        corpus.search("war", speaker="Nobody Atall")
    with pytest.raises(CorpusError, match="YYYY-MM-DD"):
        corpus.search("war", since="last week")


def test_search_command_formats(db, capsys):
    assert main(["search", "colony", "--db", str(db), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,text,kind,speaker") and len(lines) == 3
    assert main(["search", "colony", "--db", str(db)]) == 0
    assert "Nicolás Maduro" in capsys.readouterr().out
    assert main(["search", "colony", "--db", str(db), "--since", "2024-02-30"]) == 2
    assert capsys.readouterr().err.strip() == ("quotetrail: error: --since wants a date as YYYY-MM-DD, "
                                               "not '2024-02-30'")


# speakers

def test_one_speaker_across_spellings_and_surname_by_context(corpus):
    (alexander,) = corpus.speaker("Aleksandr Lukashenko")
    assert alexander.name == "Alexander Lukashenko"
    assert set(alexander.written) == {"Alexander Lukashenko", "Lukashenko"}
    # 7 quotations and two stances ("warned the United States against military action", "has warned
    # Washington against intervening")
    assert alexander.quotes == 9 and (alexander.first_seen, alexander.last_seen) == ("2024-03-01", "2024-03-03")
    assert "vietnam" in alexander.topics and ("Minsk Herald", 3) in [tuple(outlet) for outlet in alexander.outlets]
    # A bare "Lukashenko" in a Venezuela story is Alexander, not the hockey official.
    assert {p.name: p.quotes for p in corpus.speaker("Lukashenko")} == {"Alexander Lukashenko": 9,
                                                                       "Viktor Lukashenko": 2}
    assert [p.name for p in corpus.speaker("Nicolas Maduro")] == ["Nicolás Maduro"]


def test_speaker_merge_holds_across_reingest_and_split_undoes_it(db, tmp_path):
    with Corpus(db) as corpus:
        corpus.ingest([document("belsat", *LATER)])
        assert [p.name for p in corpus.speaker("Alyaksandr Lukashenka")] == ["Alyaksandr Lukashenka"]
        corpus.merge_speakers("Alyaksandr Lukashenka", "Alexander Lukashenko")
        assert corpus.speaker("Alyaksandr Lukashenka")[0].quotes == 10
    # Another article with the Belarusian spelling: the rebuild it causes keeps the merge.
    later = tmp_path / "belsat-2.txt"
    later.write_text(LATER[1].replace("Monday", "Tuesday").replace("Nobody", "Not one man"), encoding="utf-8")
    assert main(["ingest", str(later), "--db", str(db)]) == 0
    with Corpus(db) as corpus:
        assert corpus.ingest([*documents(), document("belsat", *LATER)]).added == 0
        (merged,) = corpus.speaker("Alyaksandr Lukashenka")
        assert merged.name == "Alexander Lukashenko" and merged.quotes == 11
        corpus.split_speaker("Alyaksandr Lukashenka")
        assert corpus.speaker("Alyaksandr Lukashenka")[0].quotes == 2
        with pytest.raises(CorpusError, match="no speaker is named"):
            corpus.merge_speakers("Jane Nobody", "Alexander Lukashenko")


def test_speakers_commands(db, capsys):
    assert main(["speakers", "split", "Lukashenko", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["speakers", "list", "--db", str(db), "--format", "json"]) == 0
    listed = {s["name"]: s["quotes"] for s in json.loads(capsys.readouterr().out)}
    assert listed["Alexander Lukashenko"] == 5 and listed["Lukashenko"] == 4
    assert main(["speaker", "Viktor Lukashenko", "--db", str(db)]) == 0
    assert "quotations: 2" in capsys.readouterr().out  # a quotation and a stance ("praised the national hockey team")


@pytest.mark.parametrize("variant, canonical", [
    ("Aleksandr Lukashenko", "Alexander Lukashenko"), ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
    ("Volodymyr Zelenskiy", "Volodymyr Zelensky"), ("Mohammed bin Salman", "Muhammad bin Salman"),
    ("Dmitriy Peskov", "Dmitry Peskov"), ("Bashar al-Assad", "Bashar Assad"), ("Nicolás Maduro", "Nicolas Maduro"),
    ("Александр Лукашенко", "Alexander Lukashenko"), ("Alexander G. Lukashenko", "Alexander Lukashenko"),
])
def test_name_variants_share_an_identity(variant, canonical):
    assert identity(variant, "PERSON") == identity(canonical, "PERSON")


def test_descriptions_are_not_speakers_across_articles():
    assert identity("senior official at the ministry", "PERSON") is None
    assert identity("Lukashenko", "PERSON").surname == "lukashenko"
    assert identity("The Ministry of Transport", "ORG") == identity("Ministry of Transport", "ORG")


# storing

def test_reingest_adds_nothing(db):
    with Corpus(db) as corpus:
        before = corpus.stats()
        report = corpus.ingest(documents())
        assert (report.added, report.present, report.quotes) == (0, len(ARTICLES), 0)
        # The same URL spelled differently, the same text under other names: still one article each.
        moved = [document("other-name", {**ARTICLES["minsk-herald"][0], "url": "http://minskherald.example/news/vietnam"},
                          ARTICLES["minsk-herald"][1]),
                 document("copy.txt", {}, ARTICLES["sport"][1]),
                 document("copy-again.txt", {"title": "Another title"}, ARTICLES["sport"][1])]
        assert (corpus.ingest(moved).present, corpus.stats()) == (3, before)


def test_outlet_date_and_keys(corpus):
    assert canonical_url("HTTP://www.Example.com/a/b/?utm_medium=x&id=3#top") == "https://example.com/a/b?id=3"
    assert published("Tue, 05 Mar 2024 10:00:00 +0100") == "2024-03-05T09:00:00+00:00"
    assert published("sometime in March") is None
    relaying = corpus.outlets(relaying="TVP World", only=True)
    assert [summary.outlet for summary in relaying] == ["Daily Meridian"]
    assert [s.outlet for s in corpus.outlets(relaying="Minsk Herald")] == ["TVP World"]


def test_export_csv_and_jsonl(db, tmp_path, capsys):
    with Corpus(db) as corpus:
        total = corpus.stats().quotes
    out = tmp_path / "quotes.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == total + 1
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == total and rows[0]["outlet"] == "Minsk Herald" and rows[0]["published"] == "2024-03-01"
    assert main(["export", "--db", str(db), "--format", "parquet"]) == 2
    assert "needs an output file" in capsys.readouterr().err


def test_export_parquet_without_pyarrow_says_what_to_install(corpus, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import fails as if not installed
    with pytest.raises(CorpusError, match=r"pip install 'quotetrail\[parquet\]'"):
        corpus.export("parquet", tmp_path / "q.parquet")


def test_export_parquet(corpus, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")  # the optional 'parquet' extra
    assert corpus.export("parquet", tmp_path / "q.parquet") == corpus.stats().quotes
    table = pq.read_table(tmp_path / "q.parquet")
    assert table.num_rows == corpus.stats().quotes
    assert table.column("speaker")[0].as_py() == "Alexander Lukashenko"
    assert ["Minsk Herald"] in table.column("via").to_pylist()


# failures

def test_corrupt_database_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "corrupt.db"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(CorpusError, match="not a usable quotetrail database"):
        Corpus(path)
    assert main(["search", "war", "--db", str(path)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("quotetrail: error:") and "corrupt.db" in line


def test_foreign_or_newer_databases_are_refused(tmp_path):
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(CorpusError, match="not a quotetrail corpus"):
        Corpus(foreign)
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(CorpusError, match="newer quotetrail"):
        Corpus(newer)
    with pytest.raises(CorpusError, match="no corpus database"):
        Corpus(tmp_path / "missing.db", create=False)
    with pytest.raises(CorpusError, match="unable to open database file"):
        Corpus(tmp_path / "no-such-dir" / "corpus.db")


def test_locked_database_is_a_clear_error(db, capsys):
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with Corpus(db, timeout=0.1) as corpus:
            assert corpus.search("Vietnam")  # readers still read (WAL)
            with pytest.raises(CorpusError, match=r"locked by another process \(gave up after 0.1 s\)"):
                corpus.ingest_articles([synthetic(1)])
        assert main(["speakers", "merge", "Lukashenko", "Alexander Lukashenko", "--db", str(db),
                     "--timeout", "0.1"]) == 2
        assert "locked by another process" in capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_failure_mid_batch_leaves_no_half_article_and_a_rerun_completes(tmp_path):
    path = tmp_path / "cut.db"
    articles = [synthetic(i, quotes=i + 1) for i in range(6)]
    broken = synthetic(4)
    broken.quotes[1].speaker = object()  # fails while its batch's transaction is open

    def extractor(items, workers):
        for item, article in zip(items, articles[:4] + [broken] + articles[5:]):
            yield Outcome(item.id, article=article)

    docs = [Document(f"synthetic-{i}", article.text, {"sitename": "Harbour News"})
            for i, article in enumerate(articles)]
    with Corpus(path) as corpus, pytest.raises(AttributeError):
        corpus.ingest(docs, extractor=extractor, batch_articles=2)
    assert consistent(path) == {"synthetic-0": 1, "synthetic-1": 2, "synthetic-2": 3, "synthetic-3": 4}
    with Corpus(path) as corpus:
        report = corpus.ingest(docs, extractor=lambda items, workers: (
            Outcome(item.id, article=articles[int(item.id.split("-")[1])]) for item in items))
        assert (report.added, report.present) == (2, 4)
        assert corpus.stats().quotes == sum(range(1, 7))
    assert consistent(path) == {f"synthetic-{i}": i + 1 for i in range(6)}


def test_killed_ingest_leaves_the_database_consistent(tmp_path):
    path = tmp_path / "killed.db"
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path[:0] = [{str(SRC)!r}, {str(Path(__file__).parent)!r}]
        from quotetrail.corpus import Corpus, store
        from test_corpus import synthetic
        kill_at, calls, insert = int(sys.argv[1]), [], store._insert
        def insert_then_die(*args):
            insert(*args)
            calls.append(1)
            if len(calls) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)  # mid-transaction, no cleanup at all
        store._insert = insert_then_die
        Corpus({str(path)!r}).ingest_articles((synthetic(i) for i in range(10)), batch_articles=3)
    """)

    def run(kill_at: int) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", script, str(kill_at)], capture_output=True, timeout=120)

    killed = run(2)  # dies with the second batch's rows written, before its commit
    assert killed.returncode == -9, killed.stderr.decode()
    assert consistent(path) == {f"synthetic-{i}": 3 for i in range(3)}
    finished = run(0)
    assert finished.returncode == 0, finished.stderr.decode()
    assert consistent(path) == {f"synthetic-{i}": 3 for i in range(10)}
    with Corpus(path) as corpus:
        assert (corpus.stats().speakers, len(corpus.search(speaker="Delgado", limit=100))) == (1, 30)


# one query layer: confidence floor in SQL, stated origins on the command line

def test_search_confidence_floor_applies_before_the_limit(tmp_path, capsys):
    """The newest quotations are the unsure ones: the limit must count only those kept."""
    articles = []
    for index in range(6):
        article = synthetic(index, quotes=2)
        for quote in article.quotes:
            quote.confidence = 0.95 if index < 2 else 0.3
        articles.append(article)
    path = tmp_path / "floor.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles(articles)
        kept = corpus.search("harbour", limit=3, min_confidence=0.9)
        assert [hit.confidence for hit in kept] == [0.95] * 3
        assert [hit.published for hit in kept] == ["2024-01-02", "2024-01-02", "2024-01-01"]
        assert len(corpus.search("harbour", limit=50, min_confidence=0.9)) == 4
        assert len(corpus.search(speaker="Delgado", limit=50, min_confidence=0.2)) == 12
        with pytest.raises(CorpusError, match="between 0 and 1"):
            corpus.search("harbour", min_confidence=1.5)
    assert main(["search", "harbour", "--db", str(path), "--limit", "2", "--min-confidence", "0.9",
                 "--format", "json"]) == 0
    assert [hit["confidence"] for hit in json.loads(capsys.readouterr().out)] == [0.95, 0.95]


def test_trace_command_shows_the_origin_the_articles_state(db, capsys):
    with Corpus(db) as corpus:
        corpus.ingest([document("gazette", {"date": "2024-03-04", "sitename": "Harbour Gazette"}, (
            "Belarusian President Alexander Lukashenko said in an interview with the regional broadcaster "
            "Coastline Radio that a war in Venezuela would be a second Vietnam for America.\n"
            "Sources: Coastline Radio\n"))])
    assert main(["trace", QUOTE, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "origin stated: Coastline Radio (“interview with the regional broadcaster Coastline Radio”, " \
           "says Harbour Gazette)" in out
    assert main(["trace", QUOTE, "--db", str(db), "--format", "json"]) == 0
    stated = json.loads(capsys.readouterr().out)["stated_origins"]
    assert [(origin["outlet"], origin["article_outlet"]) for origin in stated] == [("Coastline Radio", "Harbour Gazette")]
