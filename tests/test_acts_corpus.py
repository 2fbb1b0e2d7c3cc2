"""Acts, addressees, settings and targets beyond extraction: stored in the corpus, searched and
counted (command line, Python, web), exported, rendered, upgraded into old databases, and the
interviewing outlet (or the outlet told) as the reporting chain's origin. Invented articles."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest
from fastapi.testclient import TestClient
from test_corpus_incremental import v1_corpus

from quotetrail.cli import main
from quotetrail.corpus import Corpus, CorpusError, schema
from quotetrail.render import render_html, render_table
from quotetrail.web.app import create_app

DREDGING = """Harbour authority denies dredging plan will harm fishing grounds

The chief of the Saltmere harbour authority, Mara Quist, denied on Tuesday that the dredging plan would harm the fishing grounds.

"The survey shows no damage to the beds," Quist told reporters at a news conference in the port.

Quist said in an interview with the Coastline Gazette that the claims of the fishermen's union were false.

The union's leader, Tomas Berg, accused the authority of hiding the survey's second half. "They are keeping the worst of it in a drawer," Berg wrote on Facebook.

Berg told the Saltmere Herald that the union would take the matter to court if the dredging began in May.
"""

ELECTION = """Minister rules out early election

Finance Minister Petra Lindqvist told the Saltmere Herald on Sunday that there would be no early election this year.

Opposition leader Jonas Ekberg told the press that the government was afraid of the voters.

"They know what the polls say," Ekberg said in an interview with podcaster Lena Moss.
"""


@pytest.fixture(scope="module")
def articles(extract):
    dredging, election = extract(DREDGING), extract(ELECTION)
    dredging.meta.update({"url": "https://herald.example/dredging", "sitename": "Saltmere Herald",
                          "date": "2025-04-01"})
    election.meta.update({"url": "https://post.example/election", "sitename": "Northbay Post", "date": "2025-04-02"})
    return dredging, election


@pytest.fixture(scope="module")
def db(articles, tmp_path_factory):
    path = tmp_path_factory.mktemp("acts") / "corpus.db"
    with Corpus(path) as corpus:
        corpus.ingest_articles(articles)
    return path


def _search(db, *options: str) -> list[dict]:
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["search", *options, "--kinds", "all", "--db", str(db), "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_search_by_act_setting_and_addressee_on_the_command_line(db):
    denials = _search(db, "--act", "deny")
    assert "the claims of the fishermen's union were false" in {hit["text"] for hit in denials}
    assert {hit["act"] for hit in denials} == {"deny"} and {hit["plover"] for hit in denials} == {"REJECT"}
    interviews = _search(db, "--setting", "interview")
    gazette = next(hit for hit in interviews if hit["setting"]["outlet"] == "Coastline Gazette")
    assert gazette["setting"]["text"] == "an interview with the Coastline Gazette"
    with Corpus(db) as corpus:  # the evidence points into the stored text
        text = corpus.article_text(gazette["article_id"])
    assert text[gazette["setting"]["start"]:gazette["setting"]["end"]] == gazette["setting"]["text"]
    # An addressee is found in any case, with or without its article.
    told = _search(db, "--addressee", "Reporters")
    assert [hit["text"] for hit in told] == ["The survey shows no damage to the beds"]
    assert told[0]["addressee"]["text"] == "reporters" and told[0]["setting"]["kind"] == "press_conference"
    herald = _search(db, "--addressee", "saltmere herald")
    assert len(herald) == 2 and {hit["addressee"]["text"] for hit in herald} == {"the Saltmere Herald"}
    assert _search(db, "--act", "deny", "--setting", "social_post") == []


def test_search_by_act_and_setting_in_python(db):
    with Corpus(db) as corpus:
        both = corpus.search(act="deny", setting="interview", kinds="all")
        assert [hit.text for hit in both] == ["the claims of the fishermen's union were false"]
        assert both[0].setting.outlet == "Coastline Gazette" and both[0].addressee is None
        accusation = corpus.search(act="accuse", kinds="all")
        assert [hit.target.text for hit in accusation] == ["the authority"]
        posts = corpus.search(setting="social_post")
        assert [(hit.setting.outlet, hit.speaker) for hit in posts] == [("Facebook", "Tomas Berg")]
        with pytest.raises(CorpusError, match="act must be one of"):
            corpus.search(act="shouted")


def test_web_facets_params_and_the_quotation_page(db):
    client = TestClient(create_app(db), base_url="http://localhost")
    body = client.get("/api/v1/search", params={"kinds": "all", "facets": "act,setting,addressee"}).json()
    facets = {name: {facet["value"]: facet["count"] for facet in values} for name, values in body["facets"].items()}
    assert facets["act"]["deny"] >= 2 and facets["setting"]["interview"] >= 1
    assert facets["addressee"]["Saltmere Herald"] == 2 and facets["addressee"]["reporters"] == 1
    picked = client.get("/api/v1/search", params={"kinds": "all", "addressee": "Saltmere Herald"}).json()["quotes"]
    assert sorted(hit["addressee"]["text"] for hit in picked) == ["the Saltmere Herald"] * 2
    assert client.get("/api/v1/search", params={"setting": "rally"}).status_code == 422
    counts = client.get("/counts", params={"kinds": "all"}).text
    assert 'id="facet-act"' in counts and 'id="facet-setting"' in counts and 'id="facet-addressee"' in counts
    assert "/?kinds=all&amp;setting=interview" in counts
    [gazette] = client.get("/api/v1/search", params={"setting": "interview", "act": "deny"}).json()["quotes"]
    quote = client.get(f"/api/v1/quotes/{gazette['id']}").json()
    assert quote["quote"]["setting"]["outlet"] == "Coastline Gazette"
    setting = next(mark for mark in quote["marks"] if mark["kind"] == "setting")
    assert quote["context"][setting["start"]:setting["end"]] == "an interview with the Coastline Gazette"
    page = client.get(f"/quotes/{gazette['id']}").text
    assert "PLOVER REJECT" in page and "Coastline Gazette" in page.split('id="setting"')[1].split("</dd>")[0]
    # The setting's words marked in the article text (inside the cue's mark here: "said in an interview ...").
    assert re.search(r'<span class="setting" >(<span class="cue" >)?an interview with the Coastline Gazette</span>', page)


def test_export_has_the_columns(db, capsys):
    assert main(["export", "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"act", "plover", "addressee", "addressee_entity", "setting", "setting_text", "setting_outlet",
            "target", "target_entity", "target_start"} <= set(rows[0])
    gazette = next(row for row in rows if row["setting_outlet"] == "Coastline Gazette")
    assert (gazette["act"], gazette["setting"], gazette["setting_text"]) == (
        "deny", "interview", "an interview with the Coastline Gazette")
    assert main(["export", "--db", str(db), "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    accused = next(line for line in lines if line["act"] == "accuse")
    assert accused["target"]["text"] == "the authority" and accused["plover"] == "ACCUSE"


def test_an_old_database_upgrades_with_empty_acts_and_takes_new_ones(tmp_path, articles):
    path = tmp_path / "v1.db"
    v1_corpus(path)
    with Corpus(path) as corpus:
        old = corpus.search(limit=10)
        assert old and all(hit.act is None and hit.setting is None for hit in old)
        assert corpus.search(act="state") == []  # unknown for what was stored before
        corpus.ingest_articles([articles[0]])
        assert [hit.text for hit in corpus.search(setting="interview", kinds="all")] == [
            "the claims of the fishermen's union were false"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
        assert conn.execute("SELECT count(*) FROM quotations WHERE act IS NULL").fetchone()[0] == len(old)
    client = TestClient(create_app(path), base_url="http://localhost")
    assert 'id="act">—' in client.get(f"/quotes/{old[0].id}").text


def test_the_search_table_shows_each_quotations_kind_and_act(db, capsys):
    assert main(["search", "--act", "deny", "--kinds", "all", "--db", str(db)]) == 0
    header, _, *rows = capsys.readouterr().out.splitlines()
    assert [cell.strip() for cell in header.split(" | ")] == ["date", "outlet", "speaker", "kind", "act", "quote", "via"]
    denial = next(re.split(r" \| ", row) for row in rows if "the claims of the fishermen" in row)
    assert [cell.strip() for cell in denial[3:5]] == ["indirect", "deny"]


def test_table_and_html_label_act_addressee_and_setting(articles):
    dredging = articles[0]
    lines = render_table([dredging], width=220).splitlines()
    assert [cell.strip() for cell in lines[1].split(" | ")] == ["speaker", "quote", "cue", "via"]  # as before
    # Under a quote, what more the text says: a line of its own in the quote's column.
    rows = [re.split(r" \|(?: |$)", line) for line in lines]
    quotes = [cells[1].strip() for cells in rows if len(cells) == 4]
    assert quotes[quotes.index("[d] The survey shows no damage to the beds") + 1] == (
        "↳ to: reporters; setting: press conference (a news conference in the port)")
    assert quotes[quotes.index("[i] the dredging plan would harm the fishing grounds") + 1] == "↳ act: deny"
    assert "↳ act: deny; setting: interview (Coastline Gazette)" in quotes
    assert "↳ act: accuse; about: the authority" in quotes
    page = render_html([dredging])
    assert '<span class="setting" title="setting: social post (Facebook)">Facebook</span>' in page
    assert '<span class="addressee" title="to whom">reporters</span>' in page
    assert page.count("an interview with the Coastline Gazette") == 1


def test_the_interviewing_outlet_or_the_outlet_told_is_the_origin(articles):
    dredging, election = articles
    roles = {source.name: source.roles for source in dredging.sources}
    assert "origin" in roles["Coastline Gazette"] and "origin" in roles["Saltmere Herald"]
    told = next(source for source in election.sources if source.name == "Saltmere Herald")
    assert told.roles == ["origin"] and told.evidence[0].text == "told the Saltmere Herald"
    assert {origin["outlet"] for origin in election.meta["origin"]} == {"Saltmere Herald"}
    # Words told to the press, or an interview with a person, name no outlet.
    assert not any("press" in source.name.lower() or source.name == "Lena Moss" for source in election.sources)
