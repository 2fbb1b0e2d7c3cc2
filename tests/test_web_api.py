"""The web app's JSON API, export, headers and read-only guarantees (no browser: FastAPI's test client)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from quotetrail.corpus import Corpus  # noqa: E402
from quotetrail.corpus import schema  # noqa: E402
from quotetrail.corpus.read import connection, planner, searching, views  # noqa: E402
from quotetrail.web.app import create_app  # noqa: E402

from web_corpus import FERRY, FORMULA, SCRIPT, article, build  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("web") / "corpus.db")


@pytest.fixture
def db(built, tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    shutil.copy(built, path)
    return path


@pytest.fixture(scope="module")
def client(built) -> TestClient:
    return TestClient(create_app(built), base_url="http://localhost")


def test_search_pages_facets_and_timeline(client):
    body = client.get("/api/v1/search", params={"q": "dredging berth", "per_page": 10, "page": 2,
                                                "facets": "speaker", "timeline": "true"}).json()
    assert body["total"] == 30 and body["total_exact"] and body["more"]
    assert len(body["quotes"]) == 10
    assert [facet["value"] for facet in body["facets"]["speaker"]] == ["Ilse Varga"]
    assert body["first"] == "2025-01-01" and body["last"] == "2025-01-30"
    assert body["interval"] == "day" and len(body["timeline"]) == 30
    # Newest first: page 2 holds days 20 down to 11.
    assert [quote["published"][:10] for quote in body["quotes"]] == [f"2025-01-{day:02d}" for day in range(20, 10, -1)]


def test_facet_counts_leave_their_own_filter_out(client):
    body = client.get("/api/v1/search", params={"q": "ferry", "outlet": "Northbay Courier", "facets": "outlet"}).json()
    assert body["total"] == 1
    # Other outlets stay offered with their counts, so the user can switch.
    assert {facet["value"]: facet["count"] for facet in body["facets"]["outlet"]} == {
        "Coastline Radio": 1, "Northbay Courier": 1, "Saltmere Gazette": 1}


@pytest.mark.parametrize("mode, text, expected", [
    ("phrase", "terminal will reopen", 3), ("phrase", "reopen terminal", 0),
    ("prefix", "dredg", 30), ("words", "dredg", 0), ("exact", "berth 7 starts", 1), ("exact", "berth 7 start on", 0)])
def test_search_modes(client, mode, text, expected):
    assert len(client.get("/api/v1/search", params={"q": text, "mode": mode, "per_page": 100}).json()["quotes"]) == expected


def test_relevance_sort_and_filters(client):
    body = client.get("/api/v1/search", params={"q": "pier pilings older", "sort": "relevance", "kinds": "indirect",
                                                "since": "2025-03-04", "until": "2025-03-04"}).json()
    assert [quote["speaker"] for quote in body["quotes"]] == ["Ada Okafor"]
    low = client.get("/api/v1/search", params={"min_confidence": 0.9, "timeline": "true"}).json()
    assert low["total"] == 5 and all(quote["confidence"] >= 0.9 for quote in low["quotes"])


def test_errors_are_json_with_a_message(client):
    assert client.get("/api/v1/quotes/99999").json() == {"error": "no quotation 99999"}
    assert client.get("/api/v1/quotes/99999").status_code == 404
    too_big = client.get("/api/v1/search", params={"per_page": 1000})
    assert too_big.status_code == 422 and "per_page" in too_big.json()["error"]
    bad_date = client.get("/api/v1/search", params={"since": "March"})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["error"]
    assert client.get("/api/v1/speakers", params={"name": "Nobody Atall"}).status_code == 404
    assert client.get("/api/v1/nothing-here").json() == {"error": "Not Found"}


def test_quote_trace_speaker_outlets_article(client):
    first = client.get("/api/v1/search", params={"q": FERRY, "mode": "phrase", "sort": "oldest"}).json()["quotes"][0]
    detail = client.get(f"/api/v1/quotes/{first['id']}").json()
    assert detail["appearances"] == 3 and detail["resolved_by"] == "named"
    context = detail["context"]
    assert {context[mark["start"]:mark["end"]] for mark in detail["marks"]} == {FERRY, "said", "Ilse Varga"}
    trace = client.get(f"/api/v1/quotes/{first['id']}/trace").json()
    assert [quote["outlet"] for quote in trace["appearances"]] == ["Saltmere Gazette", "Northbay Courier",
                                                                   "Coastline Radio"]
    assert {(edge["source"], edge["target"]) for edge in trace["edges"]} == {
        ("Saltmere Gazette", "Northbay Courier"), ("Northbay Courier", "Coastline Radio")}
    assert [(origin["outlet"], origin["evidence"]) for origin in trace["stated_origins"]] == [
        ("Harbour FM", "interview with Harbour FM")]
    assert client.get("/api/v1/trace", params={"q": "ferry terminal will reopen before summer"}).json() == trace
    (speaker,) = client.get("/api/v1/speakers", params={"name": "Varga"}).json()
    assert speaker["name"] == "Ilse Varga" and speaker["quotes"] == 33
    assert speaker["titles"] == ["Mayor of Saltmere"] and speaker["cues"][0] == {"value": "say", "count": 32}
    assert [relayed["outlets"] for relayed in speaker["most_relayed"]] == [3]
    # February had none: kept as an empty month, not dropped.
    assert [(bucket["start"], bucket["count"]) for bucket in speaker["by_month"]] == [
        ("2025-01-01", 30), ("2025-02-01", 0), ("2025-03-01", 3)]
    outlets = {view["outlet"]: view for view in client.get("/api/v1/outlets", params={"since": "2025-03-01"}).json()}
    assert set(outlets) == {"Saltmere Gazette", "Northbay Courier", "Coastline Radio"}
    assert outlets["Coastline Radio"]["relays"] == [{"value": "Northbay Courier", "count": 1}]
    assert outlets["Saltmere Gazette"]["quotes"] == 2
    stored = client.get(f"/api/v1/articles/{first['article_id']}").json()
    assert stored["text"][stored["quotes"][0]["start"]:stored["quotes"][0]["end"]] == FERRY


def test_export_streams_every_match_with_formulas_neutralised(client):
    response = client.get("/api/v1/export", params={"format": "csv", "per_page": 5})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 37  # all of them, not one page
    formula = next(row for row in rows if "HYPERLINK" in row["text"])
    assert formula["text"] == "'" + FORMULA
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
    lines = client.get("/api/v1/export", params={"format": "jsonl", "q": "dredging"}).text.splitlines()
    assert len(lines) == 30 and json.loads(lines[0])["published"].startswith("2025-01-30")
    assert client.get("/api/v1/export", params={"format": "csv", "speaker": "Nobody Atall"}).status_code == 404


def test_pages_escape_and_send_a_content_security_policy(client):
    response = client.get("/", params={"q": "tested"})
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>window.pwned" not in response.text and "&lt;script&gt;window.pwned" in response.text
    hostile = client.get("/api/v1/search", params={"q": "tested"}).json()["quotes"][0]
    page = client.get(f"/articles/{hostile['article_id']}").text
    assert 'href="javascript:' not in page and "javascript:window.pwned" in page  # shown, never a link
    assert SCRIPT not in page


def test_offline_docs_and_openapi(client):
    docs = client.get("/docs").text
    assert "http" not in docs.split("<body>")[0]  # every asset from this server
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/search", "/api/v1/export", "/api/v1/quotes/{quote_id}/trace", "/api/v1/speakers"} <= set(paths)


def test_reader_never_writes(db):
    """A stale corpus is served as it is: no rebuild, no write, even of the WAL."""
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO stale(what) VALUES ('clusters')")
    before = db.read_bytes()
    client = TestClient(create_app(db), base_url="http://localhost")
    assert "rebuilding clusters" in client.get("/", params={"q": "ferry"}).text
    assert client.get("/api/v1/search", params={"q": "ferry"}).json()["stale"] == ["clusters"]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.connect_readonly(db).execute("DELETE FROM stale")
    assert db.read_bytes() == before


def test_serving_while_an_ingest_writes(db):
    client = TestClient(create_app(db), base_url="http://localhost")
    assert client.get("/api/v1/search", params={"q": "lighthouse"}).json()["total"] == 0
    with Corpus(db) as writer:
        text = "Lighthouse\n“The lighthouse keeps its keeper,” Ilse Varga said.\n"
        writer.ingest_articles([article(text, [("The lighthouse keeps its keeper", "Ilse Varga", "Ilse Varga", "said",
                                                "direct")], {"source": "lighthouse.txt", "sitename": "Saltmere Gazette",
                                                             "date": "2025-04-01"})])
        assert client.get("/api/v1/search", params={"q": "lighthouse"}).json()["total"] == 1


def test_a_searchs_counts_are_kept_for_its_next_page_and_counted_again_once_the_corpus_changes(db, monkeypatch):
    counting = []
    count = searching._find_and_count
    monkeypatch.setattr(searching, "_find_and_count", lambda *args: counting.append(args[1].text) or count(*args))
    client = TestClient(create_app(db), base_url="http://localhost")
    ask = {"q": "lighthouse", "facets": "outlet", "timeline": "true", "per_page": 1}
    outlets = lambda body: {facet["value"]: facet["count"] for facet in body["facets"]["outlet"]}  # noqa: E731
    text = "Lighthouse, day {}\n“The lighthouse keeps its keeper,” Ilse Varga said.\n".format
    with Corpus(db) as writer:
        for day, outlet in (("01", "Saltmere Gazette"), ("02", "Northbay Courier")):
            writer.ingest_articles([article(text(day), [("The lighthouse keeps its keeper", "Ilse Varga", "Ilse Varga",
                                                    "said", "direct")],
                                            {"source": f"lighthouse-{day}.txt", "sitename": outlet,
                                             "date": f"2025-04-{day}"})])
    first = client.get("/api/v1/search", params=ask).json()
    second = client.get("/api/v1/search", params={**ask, "page": 2}).json()
    assert counting == ["lighthouse"]  # the next page's counts are the first page's
    assert first["total"] == second["total"] == 2 and outlets(first) == outlets(second) == {
        "Saltmere Gazette": 1, "Northbay Courier": 1}
    assert first["quotes"][0]["id"] != second["quotes"][0]["id"]
    with Corpus(db) as writer:  # another process ingests: a new quotation
        writer.ingest_articles([article(text("03"), [("The lighthouse keeps its keeper", "Ilse Varga", "Ilse Varga",
                                                      "said", "direct")], {"source": "lighthouse-03.txt",
                                                             "sitename": "Saltmere Gazette", "date": "2025-04-03"})])
    assert outlets(client.get("/api/v1/search", params=ask).json()) == {"Saltmere Gazette": 2, "Northbay Courier": 1}
    with sqlite3.connect(db) as writer:  # or changes what is there without adding a quotation
        writer.execute("UPDATE articles SET outlet = 'Coastline Radio', outlet_key = 'coastlineradio' "
                       "WHERE outlet = 'Northbay Courier'")
    assert outlets(client.get("/api/v1/search", params=ask).json()) == {"Saltmere Gazette": 2, "Coastline Radio": 1}
    assert counting == ["lighthouse"] * 3


def test_a_speakers_profile_and_quotations_are_kept_until_the_corpus_changes(db, monkeypatch):
    made = []
    view, search = views.speaker_view, searching.search
    monkeypatch.setattr(views, "speaker_view", lambda conn, speaker, sample: made.append("profile") or view(
        conn, speaker, sample))
    monkeypatch.setattr(searching, "search", lambda *args, **kwargs: made.append("quotes") or search(*args, **kwargs))
    client = TestClient(create_app(db), base_url="http://localhost")
    page = client.get("/speaker", params={"name": "Ilse Varga"}).text
    assert "<strong>33</strong> quotations" in page and page.count('class="result"') >= 10
    assert client.get("/api/v1/speakers", params={"name": "Ilse Varga"}).json()[0]["quotes"] == 33
    assert client.get("/speaker", params={"name": "Ilse Varga"}).text == page
    assert made == ["profile", "quotes"]  # the API's profile and the page again were kept
    newest = "“The lighthouse keeps its keeper,” Ilse Varga said.\n"
    with Corpus(db) as writer:  # another process ingests
        writer.ingest_articles([article("Lighthouse\n" + newest, [("The lighthouse keeps its keeper", "Ilse Varga",
                                                                    "Ilse Varga", "said", "direct")],
                                        {"source": "lighthouse.txt", "date": "2026-01-01"})])
    page = client.get("/speaker", params={"name": "Ilse Varga"}).text
    assert "<strong>34</strong> quotations" in page and "The lighthouse keeps its keeper" in page
    with sqlite3.connect(db) as writer:  # or changes what is there without adding a quotation
        writer.execute("UPDATE speakers SET first_seen = '2019-05-05' WHERE name = 'Ilse Varga'")
    assert client.get("/api/v1/speakers", params={"name": "Ilse Varga"}).json()[0]["first_seen"] == "2019-05-05"
    assert made == ["profile", "quotes"] * 2 + ["profile"]


def test_a_servers_searches_read_the_timeline_again_once_the_corpus_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "TIMELINE_BLOCK", 4)  # blocks of 4 quotations: a few articles fill one
    monkeypatch.setattr(planner, "TIMELINE_BLOCK", 4)

    def gauge(number: int):
        words = f"The tide gauge {number} works"
        return article(f"Gauge {number}\n“{words},” Ilse Varga said.\n", [(words, "Ilse Varga", "Ilse Varga", "said",
                                                                            "direct")],
                       {"source": f"gauge-{number}.txt", "date": f"2025-05-{number:02d}"})

    db = tmp_path / "gauges.db"
    with Corpus(db) as writer:
        writer.ingest_articles([gauge(number) for number in range(1, 10)])
    client = TestClient(create_app(db), base_url="http://localhost")
    newest = lambda: [quote["text"] for quote in client.get(  # noqa: E731
        "/api/v1/search", params={"speaker": "Ilse Varga", "per_page": 2}).json()["quotes"]]
    assert newest() == ["The tide gauge 9 works", "The tide gauge 8 works"]
    with Corpus(db) as writer:  # another process ingests: newer quotations, in a block of their own
        writer.ingest_articles([gauge(number) for number in range(10, 14)])
    assert newest() == ["The tide gauge 13 works", "The tide gauge 12 works"]


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(searching.CorpusError, match="no corpus database"):
        create_app(tmp_path / "absent.db")


def test_import_and_serve_do_not_load_spacy(built):
    code = ("import sys, quotetrail; from quotetrail.cli import build_parser; build_parser('serve'); "
            "from quotetrail.web.app import create_app; create_app(sys.argv[1]); "
            "print(sorted(name for name in ('spacy', 'trafilatura', 'datasketch') if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_timeline_bars_know_the_days_they_cover():
    from quotetrail.corpus.read.searching import Bucket
    from quotetrail.web.render import bars

    drawn = bars([Bucket("2024-02-01", 4), Bucket("2024-03-01", 1)], "month")
    assert [(bar.bucket.start, bar.until) for bar in drawn] == [("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-03-31")]
    assert drawn[0].height > drawn[1].height
    assert bars([Bucket("2025-01-06", 2)], "week")[0].until == "2025-01-12"


# Analyse: extraction in a worker process, within a time budget per request

def test_analyse_runs_in_a_worker_within_its_budget(built):
    text = "“The ferry will sail at dawn,” harbour master Odile Ferrand said on Tuesday.\n"
    with TestClient(create_app(built), base_url="http://localhost") as client:
        quote = client.post("/api/v1/analyse", json={"text": text}).json()["quotes"][0]
        assert (quote["text"], quote["speaker"]["name"]) == ("The ferry will sail at dawn", "Odile Ferrand")
        page = client.post("/analyse", data={"text": text, "format": "text"}).text
        assert "Odile Ferrand" in page
    long_text = text * 200  # far more than a hundredth of a second to analyse
    with TestClient(create_app(built, analyse_timeout=0.01), base_url="http://localhost") as client:
        answer = client.post("/api/v1/analyse", json={"text": long_text})
        assert (answer.status_code, answer.json()) == (400, {"error": "timed out: over 0.01 s"})
        assert "timed out: over 0.01 s" in client.post("/analyse", data={"text": long_text, "format": "text"}).text


def test_analyse_gives_up_on_a_stuck_worker_and_starts_a_fresh_one():
    import asyncio

    from quotetrail.web.analyser import Analyser

    analyse = Analyser(budget=0.01, grace=0.0)  # the worker is still loading the model: past its grace
    try:
        first = analyse._worker()
        assert asyncio.run(analyse("“Not yet,” Odile Ferrand said.", False)) == (None, "timed out: over 0.01 s")
        assert analyse._worker() is not first
    finally:
        analyse.close()


# Names, speakers' quotations, links and what is shown of an article

def test_a_name_in_the_search_box_finds_that_speakers_quotations(client):
    body = client.get("/api/v1/search", params={"q": "Ilse Varga", "per_page": 100}).json()
    assert [named["name"] for named in body["named"]] == ["Ilse Varga"]
    assert len(body["quotes"]) == 33 and {quote["speaker"] for quote in body["quotes"]} == {"Ilse Varga"}
    # The bare surname too; and the words themselves when asked (no quotation contains them).
    assert len(client.get("/api/v1/search", params={"q": "varga", "per_page": 100}).json()["quotes"]) == 33
    assert client.get("/api/v1/search", params={"q": "Ilse Varga", "mode": "words"}).json()["quotes"] == []
    # speaker: narrows words to one speaker's quotations.
    prefixed = client.get("/api/v1/search", params={"q": 'ferry speaker:"Ilse Varga"'}).json()
    assert len(prefixed["quotes"]) == 3 and prefixed["filters"] == {"speaker": "Ilse Varga", "kinds": "quotations"}
    page = client.get("/", params={"q": "Varga"}).text
    assert 'id="named"' in page and "Quotations containing" in page
    assert client.get("/api/v1/speakers/suggest", params={"q": "il"}).json() == [{"name": "Ilse Varga", "quotes": 33}]
    assert client.get("/api/v1/speakers/suggest", params={"q": "brenn"}).json()[0]["name"] == "Tomasz Brenner"


def test_the_speaker_page_lists_their_quotations_a_page_at_a_time(client):
    first = client.get("/speaker", params={"name": "Ilse Varga"}).text
    assert first.count('class="result"') >= 10 and "older →" in first
    last = client.get("/speaker", params={"name": "Ilse Varga", "quotes_page": 4}).text
    assert "quotations 31–33 of 33" in last and "older →" not in last and "Dredging of berth 1 starts" in last


def test_results_show_the_headline_and_the_words_matched_oldest_first_when_asked(client):
    page = client.get("/", params={"q": "dredging", "sort": "oldest"}).text
    assert "<mark>Dredging</mark> of berth 1 starts" in page and "Harbour notes 1</a>" in page
    assert page.index("berth 1 starts") < page.index("berth 2 starts")
    oldest = client.get("/api/v1/search", params={"sort": "oldest", "per_page": 1}).json()["quotes"][0]
    assert oldest["published"].startswith("2025-01-01")
    assert "<mark>dredg</mark>ing" not in client.get("/", params={"q": "dredg", "mode": "prefix"}).text
    assert "<mark>Dredging</mark>" in client.get("/", params={"q": "dredg", "mode": "prefix"}).text


def test_article_quotes_link_and_no_server_path_is_shown(client):
    hit = client.get("/api/v1/search", params={"q": FERRY, "mode": "phrase", "sort": "oldest"}).json()["quotes"][0]
    assert "source" not in hit and hit["url"] == "https://gazette.example/ferry"
    page = client.get(f"/articles/{hit['article_id']}").text
    assert f'href="/quotes/{hit["id"]}"' in page
    stored = client.get(f"/api/v1/articles/{hit['article_id']}").json()
    assert "source" not in stored and "source" not in stored["meta"]
    for path in ("/", f"/articles/{hit['article_id']}", f"/quotes/{hit['id']}", f"/quotes/{hit['id']}/trace",
                 "/api/v1/search", f"/api/v1/quotes/{hit['id']}/trace", "/api/v1/export?format=jsonl"):
        assert "gazette.txt" not in client.get(path).text, path
    exported = client.get("/api/v1/export", params={"format": "csv"}).content.decode("utf-8")
    assert exported.startswith("\ufeff") and "gazette.txt" not in exported and "source" not in exported.split("\n")[0]


def test_the_unknown_outlet_and_a_timeline_with_its_empty_days(db):
    with Corpus(db) as writer:
        text = "Lighthouse\n“The lighthouse keeps its keeper,” Ilse Varga said.\n"
        writer.ingest_articles([article(text, [("The lighthouse keeps its keeper", "Ilse Varga", "Ilse Varga", "said",
                                                "direct")], {"source": "lighthouse.txt", "date": "2025-04-01"})])
    client = TestClient(create_app(db), base_url="http://localhost")
    outlets = {facet["value"]: facet["count"] for facet in client.get(
        "/api/v1/search", params={"facets": "outlet"}).json()["facets"]["outlet"]}
    assert outlets["(unknown)"] == 1
    unknown = client.get("/api/v1/search", params={"outlet": "(unknown)"}).json()["quotes"]
    assert [quote["text"] for quote in unknown] == ["The lighthouse keeps its keeper"]
    assert "The lighthouse keeps its keeper" in client.get("/", params={"outlet": "(unknown)"}).text
    ferry = client.get("/api/v1/search", params={"q": "ferry", "timeline": "true"}).json()
    assert [(bucket["start"], bucket["count"]) for bucket in ferry["timeline"]] == [
        ("2025-03-03", 1), ("2025-03-04", 1), *((f"2025-03-0{day}", 0) for day in range(5, 10)), ("2025-03-10", 1)]


# A sturdy server: bad input is a 4xx with the security headers; hosts and origins checked

def _secured(response) -> None:
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/quotes/9223372036854775808", "/quotes/-9223372036854775809",
                                  "/api/v1/quotes/9223372036854775808/trace", "/articles/99999999999999999999",
                                  "/?page=0", "/?per_page=101", "/?min_confidence=nan", "/?since=2025-13-01",
                                  "/?sort=sideways", "/?kinds=shouted", "/?q=" + "x" * 600, "/speaker?name=",
                                  "/?page=100000", "/api/v1/search?facets=colour", "/outlets?until=tomorrow"])
def test_bad_parameters_are_a_4xx_with_the_security_headers(client, path):
    for accept, kind in (("text/html", "text/html"), ("application/json", "application/json")):
        response = client.get(path, headers={"accept": accept})
        assert 400 <= response.status_code < 500, (path, response.status_code)
        _secured(response)
        expected = "application/json" if path.startswith("/api") else kind
        assert response.headers["content-type"].startswith(expected)
        if expected == "text/html":
            assert 'id="q"' in response.text  # the error page has the search box


def test_the_last_day_there_is_and_deeply_nested_json(client):
    assert client.get("/", params={"until": "9999-12-31", "since": "0001-01-01"}).status_code == 200
    assert client.get("/api/v1/search", params={"until": "9999-12-31", "timeline": "true",
                                                "interval": "year"}).status_code == 200
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/analyse", content=nested, headers={"content-type": "application/json"})
    assert response.status_code == 400 and "JSON object" in response.json()["error"]
    _secured(response)


def test_other_host_names_are_refused(client, built):
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    _secured(response)
    allowed = TestClient(create_app(built, allowed_hosts=["quotes.example"]), base_url="http://quotes.example")
    assert allowed.get("/").status_code == 200


def test_analyse_refuses_other_sites(client):
    for headers in ({"origin": "https://attacker.example"}, {"sec-fetch-site": "cross-site"}, {"origin": "null"}):
        form = client.post("/analyse", data={"text": "“Yes,” Ada Okafor said."}, headers=headers)
        api = client.post("/api/v1/analyse", json={"text": "“Yes,” Ada Okafor said."}, headers=headers)
        assert form.status_code == api.status_code == 403, headers
        _secured(form)
    plain = client.post("/api/v1/analyse", content='{"text": "x"}', headers={"content-type": "text/plain"})
    assert plain.status_code == 415  # a cross-site form can send text/plain without asking first


def test_analyse_says_busy_when_its_queue_is_full():
    import asyncio

    from quotetrail.web.analyser import Analyser, Busy

    analyse = Analyser(budget=30, queue=0)  # one at the worker, none waiting

    async def two_at_once():
        first = asyncio.ensure_future(analyse("“The ferry sails,” Odile Ferrand said.", False))
        await asyncio.sleep(0)  # the first takes the worker
        with pytest.raises(Busy, match="retry"):
            await analyse("“The ferry waits,” Odile Ferrand said.", False)
        return await first

    try:
        article, failure = asyncio.run(two_at_once())
        assert failure is None and article.quotes[0].text == "The ferry sails"
    finally:
        analyse.close()


def test_the_command_line_and_the_web_return_the_same_rows(built, client, capsys):
    from quotetrail.cli import main

    for ask in ({"q": "ferry"}, {"q": "Varga"}, {"q": "dredging", "sort": "oldest", "since": "2025-01-10"},
                {"q": 'the speaker:"Tomasz Brenner"'}, {"outlet": "Saltmere Gazette", "kinds": "direct"},
                {"min_confidence": "0.9"}, {"q": "berth", "mode": "prefix", "until": "2025-01-05"}):
        web = [quote["id"] for quote in client.get("/api/v1/search", params={**ask, "per_page": 50}).json()["quotes"]]
        options = [part for name, value in ask.items() if name != "q"
                   for part in ("--" + name.replace("_", "-"), value)]
        assert main(["search", *([ask["q"]] if "q" in ask else []), *options, "--db", str(built),
                     "--format", "json", "--limit", "50"]) == 0
        assert [record["id"] for record in json.loads(capsys.readouterr().out)] == web, ask
        assert web, ask


def test_a_new_filter_and_facet_is_one_entry(built, monkeypatch, capsys):
    """An entry in read.fields.FILTERS is a command-line option, an API parameter and facet,
    and a facet on the search page; nothing else is written for it."""
    from quotetrail.cli import main
    from quotetrail.corpus.read import fields

    cue = fields.Filter("cue", "the verb that introduced the quotation", fields._text,
                        lambda _, lemma: ("q.cue_lemma = ?", [lemma]), metavar="VERB", title="Cue",
                        group="q.cue_lemma")
    monkeypatch.setattr(fields, "FILTERS", (*fields.FILTERS, cue))
    client = TestClient(create_app(built), base_url="http://localhost")
    body = client.get("/api/v1/search", params={"cue": "warn", "facets": "cue"}).json()
    assert [quote["speaker"] for quote in body["quotes"]] == ["Ada Okafor"]
    # Its facet leaves its own filter out, as every facet does: the other verbs stay on offer.
    assert body["facets"]["cue"][0] == {"value": "say", "count": 34} and {"value": "warn", "count": 1} in body["facets"]["cue"]
    counts = client.get("/counts", params={"q": "ferry"}).text  # what the search page fetches for its facets
    assert 'id="facet-cue"' in counts and "/?q=ferry&amp;cue=quote" in counts
    assert main(["search", "--cue", "write", "--db", str(built), "--format", "json"]) == 0
    assert [record["cue"] for record in json.loads(capsys.readouterr().out)] == ["wrote"]


def test_a_filters_default_holds_in_the_web_and_on_the_command_line(built, monkeypatch, capsys):
    """A default value (say, direct quotations only unless asked otherwise) is the entry's `default`."""
    from dataclasses import replace

    from quotetrail.cli import main
    from quotetrail.corpus.read import fields

    monkeypatch.setattr(fields, "FILTERS", tuple(replace(entry, default="indirect") if entry.name == "kinds" else entry
                                                 for entry in fields.FILTERS))
    client = TestClient(create_app(built), base_url="http://localhost")
    assert {quote["kind"] for quote in client.get("/api/v1/search").json()["quotes"]} == {"indirect"}
    assert {quote["kind"] for quote in client.get("/api/v1/search", params={"kinds": "direct"}).json()["quotes"]} == {
        "direct"}
    assert main(["search", "--db", str(built), "--format", "json"]) == 0
    assert sorted(record["speaker"] for record in json.loads(capsys.readouterr().out)) == ["Ada Okafor",
                                                                                          "Tomasz Brenner"]


def test_quotations_by_default_other_kinds_one_filter_away(db, capsys):
    """Stances, beliefs and refusals are stored beside quotations; search shows quotations
    unless asked for other kinds, and the kind facet offers them."""
    import sqlite3

    from quotetrail.cli import main

    with sqlite3.connect(db) as conn:
        (stance_id,) = conn.execute("SELECT id FROM quotations WHERE kind = 'indirect' LIMIT 1").fetchone()
        conn.execute("UPDATE quotations SET kind = 'stance' WHERE id = ?", (stance_id,))
    client = TestClient(create_app(db), base_url="http://localhost")
    shown = client.get("/api/v1/search", params={"per_page": 100, "facets": "kinds"}).json()
    assert stance_id not in {quote["id"] for quote in shown["quotes"]}
    assert {"stance"} <= {facet["value"] for facet in shown["facets"]["kinds"]}
    asked = client.get("/api/v1/search", params={"kinds": "stance"}).json()["quotes"]
    assert [quote["id"] for quote in asked] == [stance_id]
    assert client.get("/api/v1/search", params={"kinds": "shouted"}).status_code == 400
    assert main(["search", "--db", str(db), "--format", "json", "--kinds", "all", "--limit", "100"]) == 0
    assert stance_id in {record["id"] for record in json.loads(capsys.readouterr().out)}
    assert main(["search", "--db", str(db), "--format", "json", "--limit", "100"]) == 0
    assert stance_id not in {record["id"] for record in json.loads(capsys.readouterr().out)}
    assert main(["export", "--db", str(db), "--format", "jsonl", "--kinds", "stance"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [stance_id]
    assert main(["export", "--db", str(db), "--format", "jsonl", "--kinds", "quotations"]) == 0
    assert stance_id not in {json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()}
