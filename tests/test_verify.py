"""`quotetrail verify`, Corpus.verify and /api/v1/verify: one answer, from a corpus of
invented articles of a multi-outlet chain (a harbour minister's words, relayed, trimmed,
negated and credited to someone else)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrail.cli import main
from quotetrail.corpus import Corpus
from quotetrail.model import Document

# Example Daily has the interview; the Baltic Wire relays it by name; the Capital Bulletin
# relays the Wire and drops "never"; Harbour Radio, naming no source, trims it and credits
# the minister's deputy. A report on another subject stands beside them.
ARTICLES = {
    "example-daily": ({"date": "2025-11-24", "sitename": "Example Daily", "title": "Minister rules out port sale"}, """\
Minister rules out port sale
Transport minister Alexander Voronin on Monday ruled out selling the harbour.
“We would never hand the port of Saltmere to foreign investors, not for twelve billion,” Voronin told Example Daily in an interview.
He said the government would instead modernise the quays.
"""),
    "baltic-wire": ({"date": "2025-11-25", "sitename": "Baltic Wire", "title": "Voronin: port not for sale"}, """\
Voronin: port not for sale
The transport minister has again rejected offers for the Saltmere harbour.
“We would never hand the port of Saltmere to foreign investors, not for twelve billion,” Alexander Voronin said, according to Example Daily.
Investors from three countries had approached the ministry.
"""),
    "capital-bulletin": ({"date": "2025-11-26", "sitename": "Capital Bulletin", "title": "Port sale debate"}, """\
Port sale debate
The debate over the Saltmere harbour continued on Wednesday.
“We would hand the port of Saltmere to foreign investors, not for twelve billion,” Alexander Voronin said, the Baltic Wire reported.
Opposition deputies demanded a vote in parliament.
"""),
    "harbour-radio": ({"date": "2025-11-27", "sitename": "Harbour Radio", "title": "Harbour news"}, """\
Harbour news
Deputy minister Maxim Ryzhov spoke about the harbour on Thursday.
“We would never hand the port of Saltmere to foreign investors,” Ryzhov said.
Fishermen welcomed the news.
"""),
    "coast-times": ({"date": "2025-11-25", "sitename": "Coast Times", "title": "Ferry timetable"}, """\
Ferry timetable
The ferry operator announced a new winter timetable on Tuesday.
“Ferries to the islands will run twice a day from December,” operator spokeswoman Lena Aalto said.
"""),
}

EXACT = "We would never hand the port of Saltmere to foreign investors, not for twelve billion"
PARTIAL = "hand the port of Saltmere to foreign investors"
WRONG = "we would never give the port of Saltmere to foreign buyers"  # two words off


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("verify") / "chain.db"
    with Corpus(path) as corpus:
        corpus.ingest([Document(id=name, text=text, meta={"source": name, **meta})
                       for name, (meta, text) in ARTICLES.items()])
    return path


def by_outlet(answer: dict) -> dict[str, dict]:
    return {item["outlet"]: item for item in answer["appearances"]}


@pytest.mark.parametrize("query", [EXACT, PARTIAL, WRONG])
def test_verify_finds_the_chain_from_an_exact_a_partial_and_a_wrong_wording(db, query):
    with Corpus(db, create=False) as corpus:
        answer = corpus.verify(query)
    assert answer["found"] is True
    assert answer["earliest"]["outlet"] == "Example Daily"
    assert answer["earliest"]["date"].startswith("2025-11-24")
    copies = by_outlet(answer)
    assert set(copies) == {"Example Daily", "Baltic Wire", "Capital Bulletin", "Harbour Radio"}
    assert copies["Example Daily"]["variant"] == "original"
    assert copies["Baltic Wire"]["variant"] == "verbatim"
    assert copies["Capital Bulletin"]["variant"] == "meaning_changed"
    assert copies["Capital Bulletin"]["meaning"] == ["negation"]
    assert copies["Harbour Radio"]["variant"] == "trimmed"
    # Parents: the Wire and the Bulletin name theirs; Harbour Radio names none.
    assert (copies["Baltic Wire"]["parent"]["outlet"], copies["Baltic Wire"]["parent"]["how"]) == ("Example Daily", "stated")
    assert copies["Baltic Wire"]["parent"]["evidence"]["text"].startswith("according to Example Daily")
    assert (copies["Capital Bulletin"]["parent"]["outlet"], copies["Capital Bulletin"]["parent"]["how"]) == (
        "Baltic Wire", "stated")
    assert copies["Harbour Radio"]["parent"]["how"] == "inferred"
    assert [item["speaker_differs"] for item in answer["appearances"]] == [
        copies[outlet]["speaker_differs"] for outlet in ("Example Daily", "Baltic Wire", "Capital Bulletin", "Harbour Radio")]
    assert copies["Harbour Radio"]["speaker_differs"] is True
    assert not any(copies[outlet]["speaker_differs"] for outlet in ("Example Daily", "Baltic Wire", "Capital Bulletin"))
    assert answer["origin"]["outlet"] == "Example Daily"
    assert answer["origin"]["evidence"]["text"] == "told Example Daily"
    assert "first published by Example Daily on 2025-11-24" in answer["verdict"]
    assert "drops 'never'" in answer["verdict"]
    assert "Maxim Ryzhov" in answer["verdict"]


def test_verify_answers_not_found_for_words_nobody_said(db):
    with Corpus(db, create=False) as corpus:
        answer = corpus.verify("the moon is made of green cheese and sold by the kilo")
    assert answer["found"] is False and answer["appearances"] == []


def test_verify_names_who_else_is_credited_when_asked_about_a_speaker(db):
    with Corpus(db, create=False) as corpus:
        answer = corpus.verify(PARTIAL, speaker="Ryzhov")
    assert answer["verdict"].startswith("Ryzhov is credited in 1 of 4 copies")


def test_cli_gives_the_api_answer(db, capsys):
    with Corpus(db, create=False) as corpus:
        expected = corpus.verify(WRONG)
    assert main(["verify", WRONG, "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(expected))
    assert main(["verify", WRONG, "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert expected["verdict"] in table.replace("\n", " ") or expected["verdict"][:60] in table
    for outlet in ("Example Daily", "Baltic Wire", "Capital Bulletin", "Harbour Radio"):
        assert outlet in table


def test_cli_says_when_nothing_matches(db, capsys):
    assert main(["verify", "the moon is made of green cheese and sold by the kilo", "--db", str(db)]) == 1
    assert "no stored quotation" in capsys.readouterr().err


@pytest.fixture(scope="module")
def client(db):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from quotetrail.web.app import create_app
    return TestClient(create_app(db), base_url="http://localhost", raise_server_exceptions=False)


def test_web_api_gives_the_api_answer(db, client):
    with Corpus(db, create=False) as corpus:
        expected = json.loads(json.dumps(corpus.verify(PARTIAL, speaker="Voronin")))
    response = client.get("/api/v1/verify", params={"q": PARTIAL, "speaker": "Voronin"})
    assert response.status_code == 200
    assert response.json() == expected
    assert client.get("/api/v1/verify", params={"q": "the moon is made of green cheese"}).json()["found"] is False


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "..."}, {"q": "x" * 2001}, {"q": PARTIAL, "speaker": "y" * 201}])
def test_web_api_refuses_bad_parameters_with_4xx(client, params):
    for path in ("/api/v1/verify", "/api/v1/verify/claimreview"):
        response = client.get(path, params=params)
        assert 400 <= response.status_code < 500, (path, params, response.status_code)
        assert "error" in response.json()


def test_claim_review_download(client):
    response = client.get("/api/v1/verify/claimreview", params={"q": WRONG, "reviewer": "Example Fact Check"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert "attachment" in response.headers["content-disposition"]
    review = response.json()
    assert review["@type"] == "ClaimReview" and review["author"]["name"] == "Example Fact Check"
    assert review["reviewRating"]["alternateName"] == "Misattributed in 1 of 4 copies; Meaning changed in 1 of 4 copies"
    assert review["itemReviewed"]["firstAppearance"]["publisher"]["name"] == "Example Daily"
    assert review["itemReviewed"]["author"]["name"] == "Alexander Voronin"


def test_verify_page_and_trace_page_show_the_lineage(client):
    page = client.get("/verify", params={"q": WRONG})
    assert page.status_code == 200
    html = page.text
    assert "first published by Example Daily on 2025-11-24" in html
    assert "<del>never</del>" in html  # the Capital Bulletin's change, in place
    assert 'class="parent stated"' in html and 'class="parent inferred"' in html
    assert "credits someone else" in html
    assert "/api/v1/verify/claimreview?q=" in html
    assert client.get("/verify").status_code == 200  # the empty box
    earliest = client.get("/api/v1/verify", params={"q": WRONG}).json()["earliest"]["quote_id"]
    trace = client.get(f"/quotes/{earliest}/trace").text
    assert 'id="lineage"' in trace and "<del>never</del>" in trace and "Harbour Radio" in trace


def test_outlets_named_but_not_in_the_corpus_are_shown(tmp_path):
    # The Wire's copy credits TVP World, which the corpus does not hold.
    meta, text = ARTICLES["baltic-wire"]
    relayed = text.replace("according to Example Daily", "according to TVP World")
    path = tmp_path / "outside.db"
    with Corpus(path) as corpus:
        corpus.ingest([Document(id="wire", text=relayed, meta={"source": "wire", **meta})])
        answer = corpus.verify(EXACT)
    assert answer["outside"] == ["TVP World"]
    assert answer["appearances"][0]["parent"]["outlet"] == "TVP World"
    assert answer["appearances"][0]["parent"]["quote_id"] is None


def test_lineage_graph_tells_stated_from_inferred_edges(client):
    html = client.get("/verify", params={"q": EXACT}).text
    assert html.count('class="arc stated"') == 2  # Wire from Daily, Bulletin from Wire
    assert html.count('class="arc inferred"') == 1  # Harbour Radio, closest earlier wording
    assert "Harbour Radio from Example Daily (inferred)" in html


def test_a_stance_has_no_lineage_and_its_trace_page_still_shows(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from quotetrail.model import Article, Entity, Quote, Speaker
    from quotetrail.web.app import create_app

    text = "Harbour news\nMinister Alexander Voronin believes the port of Saltmere should stay in public hands.\n"
    words = "the port of Saltmere should stay in public hands"
    start = text.index(words)
    stance = Quote("stance", words, start, start + len(words),
                   Speaker("Alexander Voronin", "Alexander Voronin", 22, 39, "named"), None)
    path = tmp_path / "stance.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles([Article(text, [stance], [Entity("Alexander Voronin", "PERSON")], [], [], [],
                                        {"sitename": "Harbour Radio", "date": "2025-11-27"})])
        assert corpus.verify(words)["found"] is False  # a stance is no quotation to verify
    client = TestClient(create_app(path), base_url="http://localhost", raise_server_exceptions=False)
    page = client.get("/quotes/1/trace")
    assert page.status_code == 200 and 'id="lineage"' not in page.text
