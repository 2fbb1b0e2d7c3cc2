"""Reading a grown corpus: a name shared by many speakers comes a page at a time (most
quoted first, with the total and every match) alike in Python, the CLI and the web API;
a trace whose words match more quotations than it reads keeps the best-ranked ones."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from quotetrail.cli import main
from quotetrail.corpus import Corpus, CorpusError, schema, trace
from quotetrail.model import Article, Entity, Quote, Speaker

# Eight people named Halloran, quoted 9, 8, ... 2 times (Aoife 9, ..., Hester 2), and the bare surname.
FIRST_NAMES = ["Aoife", "Bram", "Cecile", "Dorian", "Eamon", "Freya", "Gideon", "Hester"]
TOPICS = ["the lighthouse keepers", "the tram depot", "the grain silo", "the winter market",
          "the river ferry", "the old cannery", "the school roof", "the night buses", "the salt marsh"]


def article(number: int, said: list[tuple[str, str]]) -> Article:
    """An extracted article of (speaker, words) quotations, without spaCy."""
    lines, quotes = [f"Council notes {number}"], []
    for name, text in said:
        start = sum(len(line) + 1 for line in lines) + 1
        lines.append(f"“{text}” {name} said.")
        quotes.append(Quote("direct", text, start, start + len(text),
                            Speaker(name, name, start + len(text) + 2, start + len(text) + 2 + len(name), "named"),
                            None, []))
    names = dict.fromkeys(name for name, _ in said)
    return Article("\n".join(lines) + "\n", quotes, [Entity(name, "PERSON") for name in names], [], [], [],
                   {"sitename": f"Gazette {number % 3}", "date": f"2024-06-{number % 28 + 1:02d}",
                    "url": f"https://gazette.example/{number}", "source": f"notes-{number}"})


def meeting(number: int, names: list[str]) -> Article:
    return article(number, [(name, f"We will talk about {TOPICS[(number + turn) % len(TOPICS)]} again in "
                                   f"meeting number {number * 10 + turn}") for turn, name in enumerate(names)])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("namesakes") / "corpus.db"
    said = [[f"{first} Halloran", "Pia Okonjo"] for rank, first in enumerate(FIRST_NAMES) for _ in range(9 - rank)]
    articles = [meeting(number, names) for number, names in enumerate([*said, ["Halloran"]])]  # a bare surname two full names share: its own speaker
    with Corpus(path) as corpus:
        corpus.ingest_articles(articles)
    return path


EXPECTED = [(f"{first} Halloran", 9 - rank) for rank, first in enumerate(FIRST_NAMES)] + [("Halloran", 1)]


def test_a_shared_surname_comes_a_page_at_a_time_most_quoted_first(db):
    with Corpus(db) as corpus:
        first = corpus.speaker("Halloran")
        assert [(p.name, p.quotes) for p in first] == EXPECTED[:5]
        assert first.total == 9 and first.pages == 2 and first.next_page == 2
        assert [(m.name, m.quotes) for m in first.matches] == EXPECTED
        second = corpus.speaker("Halloran", page=2)
        assert [(p.name, p.quotes) for p in second] == EXPECTED[5:] and second.next_page is None
        everyone = corpus.speaker("Halloran", per_page=50)
        assert list(everyone) == list(first) + list(second)
        assert list(corpus.speaker("Halloran", page=3)) == []  # past the last page: empty, total still known
        (aoife,) = corpus.speaker("Aoife Halloran")
        assert aoife.quotes == 9 and aoife.written == ["Aoife Halloran"]
        assert aoife.first_seen == "2024-06-01" and aoife.last_seen == "2024-06-09"
        assert sum(count for _, count in aoife.outlets) == 9
        for wrong in ({"page": 0}, {"per_page": 0}, {"per_page": 51}):
            with pytest.raises(CorpusError):
                corpus.speaker("Halloran", **wrong)


def test_speaker_command_says_how_many_and_where_the_next_page_is(db, capsys):
    assert main(["speaker", "Halloran", "--db", str(db), "--per-page", "3", "--page", "2"]) == 0
    captured = capsys.readouterr()
    assert "'Halloran' may mean 9 speakers, most quoted first; showing 4-6; next: --page 3" in captured.err
    assert "Aoife Halloran (9)" in captured.err
    assert [line for line in captured.out.splitlines() if line and not line.startswith(" ")] == [
        "Dorian Halloran", "Eamon Halloran", "Freya Halloran"]
    assert main(["speaker", "Pia Okonjo", "--db", str(db)]) == 0
    assert "may mean" not in capsys.readouterr().err


def test_web_api_and_page_page_the_same_way(db):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from quotetrail.web.app import create_app

    client = TestClient(create_app(db), base_url="http://localhost")
    response = client.get("/api/v1/speakers", params={"name": "Halloran", "per_page": 4})
    assert [(view["name"], view["quotes"]) for view in response.json()] == EXPECTED[:4]
    assert response.headers["X-Total-Count"] == "9"
    assert 'page=2' in response.headers["Link"] and response.headers["Link"].endswith('rel="next"')
    last = client.get("/api/v1/speakers", params={"name": "Halloran", "per_page": 4, "page": 3})
    assert [view["name"] for view in last.json()] == ["Halloran"] and "Link" not in last.headers
    assert client.get("/api/v1/speakers", params={"name": "Halloran", "per_page": 51}).status_code == 422
    page = client.get("/speaker", params={"name": "Halloran", "page": 2}).text
    assert "may mean 9 speakers" in page and "profiles 6–9 are shown" in page
    assert page.count('class="speaker-profile"') == 4 and 'rel="prev"' in page and 'rel="next"' not in page


def test_a_trace_with_more_matches_than_it_reads_keeps_the_best_ranked(tmp_path, monkeypatch):
    # Long quotations mentioning the tram depot first; the one FTS5 ranks best (short, the
    # words twice) comes last, so reading matches in storage order would miss it.
    long = [f"Councillors argued for hours about parking fines and the tram depot budget in session {n}, "
            f"then about lighthouse repairs, ferry timetables and the winter market stalls {n}" for n in range(6)]
    best = "The tram depot stays open: the tram depot is ours"
    with Corpus(tmp_path / "corpus.db") as corpus:
        corpus.ingest_articles([article(n, [("Pia Okonjo", text)]) for n, text in enumerate([*long, best])])
        assert {r.text for r in corpus.trace("tram depot").appearances} == {*long, best}
        monkeypatch.setattr(trace, "MAX_MATCHES", 1)
        assert [r.text for r in corpus.trace("tram depot").appearances] == [best]


def test_a_trace_reads_quotations_with_its_longest_words_and_adds_words_while_they_are_too_many(tmp_path,
                                                                                               monkeypatch):
    fragment = "Councillors approved lighthouse repairs after tram complaints"
    relayed = "Councillors approved lighthouse repairs after complaints"  # most word pairs, but not every word
    stored = [f"Councillors approved lighthouse repairs after {vehicle} complaints, {n} said" for n, vehicle in
              enumerate(["ferry", "tram", "bus", "ferry", "cargo"])]
    with Corpus(tmp_path / "corpus.db") as corpus:
        corpus.ingest_articles([article(n, [("Pia Okonjo", text)]) for n, text in enumerate([*stored, relayed])])
        assert [r.text for r in corpus.trace(fragment).appearances] == [stored[1]]
        # The longest words are in every quotation: "tram" is what brings the matches under the limit.
        monkeypatch.setattr(trace, "MAX_MATCHES", 2)
        assert [r.text for r in corpus.trace(fragment).appearances] == [stored[1]]
        with pytest.raises(CorpusError, match="nothing to search for"):
            corpus.trace("…")


WORDS = ["a second", "the harbour", "a second vote", "rates", "the second bridge", "a budget", "the ferry"]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Quotations of the Halloran family and others, over three outlets and four months,
    many sharing the words the search-strategy test asks for; stored out of date order, a
    few undated, in timeline blocks of four quotations (not thousands) so that reading
    matches newest first crosses many blocks."""
    path = tmp_path_factory.mktemp("strategies") / "corpus.db"
    people = [f"{first} Halloran" for first in FIRST_NAMES[:4]] + ["Pia Okonjo", "Halloran"]
    articles = []
    for number in range(90):
        said = [(people[(number + turn) % len(people)],
                 f"{WORDS[(number * 3 + turn) % len(WORDS)]} is what we need in ward {number % 7} now")
                for turn in range(3)]
        made = article(number, said)
        made.meta.update(date=f"2024-{number % 4 + 5:02d}-{number % 28 + 1:02d}" if number % 11 else None)
        articles.append(made)
    with pytest.MonkeyPatch.context() as patch, Corpus(path) as corpus:
        patch.setattr(schema, "TIMELINE_BLOCK", 4)
        corpus.ingest_articles(articles)
    return path


@pytest.mark.parametrize("query", [
    dict(text="a second", speaker="Halloran"), dict(text="second vote", speaker="Halloran", limit=500),
    dict(text="second", speaker="Aoife Halloran", limit=5),
    dict(text="a second", outlet="Gazette 1", since="2024-06-01", until="2024-07-31"),
    dict(text="the ward", outlet="Gazette 2", since="2024-05-10", until="2024-08-01", limit=7),
    dict(text="the"), dict(text="is", limit=200), dict(text="need now", speaker="Okonjo", limit=3),
    dict(speaker="Halloran", limit=20), dict(speaker="Okonjo", outlet="Gazette 0", since="2024-06-01", limit=4)])
def test_every_way_of_finding_the_matches_gives_the_same_rows(mixed, query, monkeypatch):
    """Which way search finds the matches is a matter of speed only: same rows, same order."""
    from quotetrail.corpus.read import planner as searching

    monkeypatch.setattr(searching, "TIMELINE_BLOCK", 4)
    monkeypatch.setattr(searching, "MATCHES_READ_PER_ROW", 10**6)  # each way on its own, never giving up
    monkeypatch.setattr(searching, "FIRST_WINDOW", 1)  # many windows, each mention its own query
    monkeypatch.setattr(searching, "MENTIONS_PER_QUERY", 1)
    # Collect the matches (without words, the filters' rows) and sort them; read the matches newest
    # first by timeline block; with a speaker, read the speakers' mentions newest first, or meet
    # the matches with the speakers' quotations; without, walk the timeline.
    if "text" not in query:
        ways = [searching._collect, searching._speakers_newest]
    elif "speaker" in query:
        ways = [searching._collect, searching._newest, searching._speakers_newest, searching._meet]
    else:
        ways = [searching._collect, searching._newest, searching._walk]
    found = []
    with Corpus(mixed) as corpus:
        for way in ways:
            monkeypatch.setattr(searching, "_ways", lambda *_, way=way: [way])
            found.append([(record.id, record.published, record.text) for record in corpus.search(**query)])
    assert all(other == found[0] for other in found[1:])
    assert len(found[0]) >= min(query.get("limit", 50), 5)
    dates = [published for _, published, _ in found[0]]
    assert dates == sorted(dates, key=lambda published: (published is not None, published or ""), reverse=True)


def test_reading_matches_newest_first_stops_at_the_first_block_too_old(mixed, monkeypatch):
    """The newest few of a common word's matches come from the newest blocks alone."""
    from quotetrail.corpus.read import planner as searching

    monkeypatch.setattr(searching, "TIMELINE_BLOCK", 4)
    monkeypatch.setattr(searching, "_ways", lambda *_: [searching._newest])
    read: list[tuple] = []
    with Corpus(mixed) as corpus:
        corpus._conn.set_trace_callback(read.append)
        newest = corpus.search("is", limit=3)
        corpus._conn.set_trace_callback(None)
        everything = corpus.search("is", limit=1000)
        (blocks,) = corpus._conn.execute("SELECT count(*) FROM timeline_blocks").fetchone()
    assert [r.id for r in newest] == [r.id for r in everything[:3]]
    reads = [statement for statement in read if "rowid BETWEEN" in statement]  # one per stretch of blocks
    assert reads and 10 * len(reads) < blocks


def test_a_common_word_in_one_outlet_walks_that_outlets_timeline(mixed, monkeypatch):
    """Newest first, a common word's matches in one outlet of three are hits one time in three:
    walking the outlet's quotations finds them reading fewer rows, with the same result."""
    from quotetrail.corpus.read import planner as searching

    monkeypatch.setattr(searching, "TIMELINE_BLOCK", 4)
    monkeypatch.setattr(searching, "many_matches", lambda quotations: 10)  # as if "is" were common at scale
    monkeypatch.setattr(searching, "COLLECT_PER_ROW", 0)
    with Corpus(mixed) as corpus:
        in_outlet, anywhere = [], []
        corpus._conn.set_trace_callback(in_outlet.append)
        walked = corpus.search("is", outlet="Gazette 1", limit=5)
        corpus._conn.set_trace_callback(anywhere.append)
        assert len(corpus.search("is", limit=5)) == 5
        corpus._conn.set_trace_callback(None)
        monkeypatch.setattr(searching, "_ways", lambda *_: [searching._collect])
        collected = corpus.search("is", outlet="Gazette 1", limit=5)
    # Anywhere, the matches are read newest first by timeline blocks; in the outlet, never.
    assert any("rowid BETWEEN" in statement for statement in anywhere)
    assert not any("rowid BETWEEN" in statement for statement in in_outlet)
    assert len(walked) == 5 and [r.id for r in walked] == [r.id for r in collected]
    assert {r.outlet for r in walked} == {"Gazette 1"}


def test_reading_a_speakers_mentions_newest_first_stops_once_those_left_are_too_old(tmp_path, monkeypatch):
    """In a corpus stored in publication order, the newest hits come from the latest mentions alone."""
    from quotetrail.corpus.read import planner as searching

    monkeypatch.setattr(schema, "TIMELINE_BLOCK", 4)
    monkeypatch.setattr(searching, "TIMELINE_BLOCK", 4)
    monkeypatch.setattr(searching, "_ways", lambda *_: [searching._speakers_newest])
    monkeypatch.setattr(searching, "FIRST_WINDOW", 1)
    monkeypatch.setattr(searching, "MENTIONS_PER_QUERY", 1)
    articles = []
    for number in range(60):
        made = article(number, [("Pia Okonjo", f"the ward {number % 5} needs a new bridge"),
                                (f"{FIRST_NAMES[number % 8]} Halloran", "the ward budget is settled")])
        made.meta.update(date=(date(2024, 1, 1) + timedelta(days=number)).isoformat())
        articles.append(made)
    read: list[str] = []
    with Corpus(tmp_path / "ordered.db") as corpus:
        corpus.ingest_articles(articles)
        corpus._conn.set_trace_callback(read.append)
        newest = corpus.search("ward bridge", speaker="Okonjo", limit=3)
        corpus._conn.set_trace_callback(None)
        everything = corpus.search("ward bridge", speaker="Okonjo", limit=1000)
    assert len(everything) == 60 and [r.id for r in newest] == [r.id for r in everything[:3]]
    mentions = [statement for statement in read if "mention CROSS JOIN" in statement]  # one query each
    assert mentions and 4 * len(mentions) < len(everything)


def test_timeline_blocks_hold_the_dates_of_their_quotations_however_the_batches_cut_them(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "TIMELINE_BLOCK", 4)
    articles = []
    for number in range(12):  # three quotations each: most blocks span two articles, stored apart
        made = article(number, [("Pia Okonjo", f"the ward {turn} needs work") for turn in range(3)])
        made.meta.update(date=f"2024-0{number % 3 + 1}-{number % 5 + 10}" if number % 4 else None)
        articles.append(made)
    with Corpus(tmp_path / "blocks.db") as corpus:
        corpus.ingest_articles(articles, batch_articles=1)
        blocks = corpus._conn.execute("SELECT * FROM timeline_blocks ORDER BY block").fetchall()
        assert blocks == corpus._conn.execute(
            """SELECT q.id / 4, max(a.published), min(a.published), max(a.id) FROM quotations q
               JOIN articles a ON a.id = q.article_id GROUP BY 1 ORDER BY 1""").fetchall()
    assert len(blocks) == 10 and any(newest is None for _, newest, _, _ in blocks)


def test_the_words_test_agrees_with_fts5_where_substrings_mislead(tmp_path):
    """A quotation's words are checked without asking FTS5 when both are plain ASCII:
    the answer must be FTS5's, whatever the punctuation, case, digits or accents."""
    from quotetrail.corpus.read import planner as searching

    said = ["They concatenate the figures", "The company's well-known plan for 2025", "Cat_food and catalogues",
            "A naïve café owner spoke", "NAIVE cafe owners, said the cat", "Wellknown? No: well known.",
            "“The plan…” — she said, ‘cat’ food", "cafés’ plan…cat"]
    asks = ["cat", "company's plan", "well-known", "well known", "2025 plan", "cat_food", "naive cafe",
            "café", "the", "catalogues cat", "concatenate THE", "plan she", "cat food", "plan cat", "cafés"]
    with Corpus(tmp_path / "words.db") as corpus:
        corpus.ingest_articles([article(1, [("Pia Okonjo", text) for text in said])])
        conn = corpus._conn
        for ask in asks:
            query = searching.fts_query(ask)
            fts = {rowid for (rowid,) in conn.execute("SELECT rowid FROM quotation_fts WHERE quotation_fts MATCH ?",
                                                      (query,))}
            ours = {quote_id for quote_id, text in conn.execute("SELECT id, text FROM quotations")
                    if searching._has_words(conn, query, quote_id, text)}
            assert ours == fts, ask
        assert {text for (text,) in conn.execute("SELECT text FROM quotations")} == set(said)


def test_word_frequencies_for_topics_are_estimated_from_quotations_spread_over_the_corpus(tmp_path, monkeypatch):
    from quotetrail.corpus.read import planner as search
    monkeypatch.setattr(search.WordSample, "SAMPLE_QUOTES", 40)
    monkeypatch.setattr(search.WordSample, "RUN", 10)
    texts = [f"The harbour tolls rise in week {n}" if n % 2 else f"Ferry crews will strike in week {n}"
             for n in range(200)]
    with Corpus(tmp_path / "corpus.db") as corpus:
        corpus.ingest_articles([article(n, [("Pia Okonjo", text)]) for n, text in enumerate(texts)])
        sample = corpus._frequencies(corpus._conn)
        assert sample.quotations == 200 and 30 <= sample.sampled <= 50
        assert 70 <= sample.document_frequency("harbour") <= 130 and sample.document_frequency("week") == 200
        assert sample.document_frequency("lighthouse") < 200 / sample.sampled  # in no sampled quotation
        corpus.ingest_articles([article(200 + n, [("Pia Okonjo", f"Lighthouse keepers met on day {n}")])
                                for n in range(10)])
        assert corpus._frequencies(corpus._conn) is sample  # 5% more: still good enough
        corpus.ingest_articles([article(210 + n, [("Pia Okonjo", f"Lighthouse keepers met at dawn {n}")])
                                for n in range(10)])
        assert corpus._frequencies(corpus._conn).quotations == 220
        assert "harbour" in corpus.speaker("Pia Okonjo")[0].topics or "ferry" in corpus.speaker("Pia Okonjo")[0].topics


@pytest.mark.parametrize("stances, kinds, finds_made", [
    ("every fourth", "quotations", 1),  # the quotations among the hits of every kind are enough
    ("the newest month", "quotations", 2),  # too few among them: the search's own find follows
    ("every fourth", "all", 1),
    ("every fourth", "stance", 2),  # a small share of the corpus: two finds, as before
])
def test_the_kind_facet_counts_the_same_from_one_find_of_every_kind(mixed, tmp_path, monkeypatch,
                                                                    stances, kinds, finds_made):
    """The kind facet counts the hits of every kind; the hits are of the asked kinds. Both come
    from one find of every kind where the asked kinds are most of the corpus, with the same
    hits and counts as two finds give."""
    import shutil
    import sqlite3

    from quotetrail.corpus.database import connect_readonly
    from quotetrail.corpus.read import planner, searching
    from quotetrail.corpus.read.fields import Search, parse_filters

    path = tmp_path / "corpus.db"
    shutil.copy(mixed, path)
    with sqlite3.connect(path) as conn:
        if stances == "every fourth":
            conn.execute("UPDATE quotations SET kind = 'stance' WHERE id % 4 = 0")
        else:
            conn.execute("""UPDATE quotations SET kind = 'stance' WHERE article_id IN
                            (SELECT id FROM articles WHERE published >= '2024-08')""")
    monkeypatch.setattr(searching, "COUNTED", 30)  # hits counted: fewer than the corpus's 270
    monkeypatch.setattr(searching, "LEFT_OUT", 12)
    finds = []
    monkeypatch.setattr(searching, "find", lambda *args, **kwargs: finds.append(1) or planner.find(*args, **kwargs))
    counted = []
    for most_kinds in (searching.MOST_KINDS, 2):  # 2: never one find, as before it
        monkeypatch.setattr(searching, "MOST_KINDS", most_kinds)
        conn = connect_readonly(path)
        request = Search("is", filters=parse_filters({"kinds": kinds}), limit=10, facets=("kinds", "outlet"),
                         timeline=True)
        finds.clear()
        result = searching.search(conn, request, planner.WordSample.read(conn))
        conn.close()
        counted.append(([quote.id for quote in result.quotes], result.total, result.total_exact,
                         result.facets, result.timeline))
        if most_kinds != 2:
            assert len(finds) == finds_made
    assert counted[0] == counted[1]
    kind_counts = {facet.value: facet.count for facet in counted[0][3]["kinds"]}
    assert "stance" in kind_counts and sum(kind_counts.values()) == 12  # the first LEFT_OUT hits of every kind
