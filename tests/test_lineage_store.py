"""The lineage the corpus stores at ingest (corpus/lineages.py): grown batch by batch, equal to
a lineage built at once from the same copies, re-based when an earlier copy arrives late,
filled by the schema upgrade, and kept apart for common phrases."""
from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

import pytest

from quotetrail.cli import main
from quotetrail.corpus import Corpus
from quotetrail.corpus import lineages, schema
from quotetrail.corpus.database import connect_readonly
from quotetrail.corpus.trace import cluster
from quotetrail.corpus.unionfind import UnionFind
from quotetrail.lineage import Copy, build, related, statement
from quotetrail.model import Document

SET = Path(__file__).resolve().parent / "lineage-set"
# Chains whose copies trace's clusters alone keep apart (a heavy trim, indirect speech, a cut
# negation: joined by related()), and a few that they do not.
CHAINS = ["c01", "c04", "c05", "c09", "f03", "f05", "g04", "g05", "h05", "h07", "h08", "c08"]


def as_json(lineage) -> list:
    """A lineage's facts, comparable: its copies less what only an ingest keeps (the reading)."""
    rows = []
    for item in lineage.appearances:
        copy = {key: value for key, value in asdict(item.copy).items()
                if key in ("quote_id", "article_id", "outlet", "date", "speaker", "quote", "kind", "start")}
        rows.append([copy, asdict(item.variant), item.speaker_differs, item.parent and asdict(item.parent),
                     item.origin and asdict(item.origin), item.chain])
    return [rows, lineage.origin and asdict(lineage.origin), lineage.outside]


@pytest.fixture(scope="module")
def lineage_set(tmp_path_factory):
    """The chains' articles ingested in a shuffled order, two a batch: copies arrive before the
    copies they were taken from, and lineages join as they grow."""
    chains = [json.loads((SET / f"{name}.json").read_text("utf-8")) for name in CHAINS]
    records = [record for chain in chains for record in chain["articles"]]
    random.Random(7).shuffle(records)
    path = tmp_path_factory.mktemp("lineage-store") / "set.db"
    with Corpus(path) as corpus:
        report = corpus.ingest([Document(id=record["id"], text=record["text"], meta={
            "source": record["id"], "sitename": record["outlet"], "date": record["date"],
            "url": f"https://lineage.test/{record['id']}"}) for record in records], batch_articles=2)
    assert not report.failures
    return chains, path


def _copies_from_articles(conn: sqlite3.Connection, quote_ids: list[int]) -> list[Copy]:
    """Copies as a reader without stored lineage made them: read again from each article's text."""
    return lineages.stored_copies(conn, quote_ids, {key for (key,) in conn.execute(
        "SELECT DISTINCT outlet_key FROM articles")})


def test_the_stored_lineage_is_the_lineage_built_at_once_from_its_copies(lineage_set):
    _, path = lineage_set
    conn = connect_readonly(path)
    groups: dict[int, list[int]] = {}
    for quote_id, lineage_id in conn.execute("SELECT quote_id, lineage_id FROM lineage"):
        groups.setdefault(lineage_id, []).append(quote_id)
    assert len(groups) >= len(CHAINS)
    for lineage_id, quote_ids in groups.items():
        stored = lineages.load(conn, lineage_id)
        copies = _copies_from_articles(conn, sorted(quote_ids))
        copies.sort(key=lambda copy: (copy.date is None, copy.date or "", copy.article_id, copy.start))
        assert as_json(stored) == as_json(build(copies)), lineage_id


def test_each_chain_is_one_lineage_as_clustering_and_related_make_it_at_once(lineage_set):
    chains, path = lineage_set
    conn = connect_readonly(path)
    rows = conn.execute("""SELECT l.quote_id, l.lineage_id, a.source FROM lineage l
                           JOIN quotations q ON q.id = l.quote_id JOIN articles a ON a.id = q.article_id""").fetchall()
    texts = dict(conn.execute("SELECT quote_id, json_extract(copy, '$.quote') FROM lineage"))
    # At once: trace's clusters of every stored quotation, joined wherever related() says two are one.
    joined: UnionFind[int] = UnionFind()
    for quote_id, root in cluster(sorted(texts.items())).items():
        joined.merge(quote_id, root)
    ids = sorted(texts)
    for position, first in enumerate(ids):
        for second in ids[position + 1:]:
            if lineages.informative(texts[first]) and lineages.informative(texts[second]) \
                    and related(texts[first], texts[second]):
                joined.merge(first, second)
    lineage_of = {quote_id: lineage_id for quote_id, lineage_id, _ in rows}
    for chain in chains:
        gold = [quote_id for quote_id, _, source in rows for record in chain["articles"]
                if source == record["id"] and record["quote"].lower() in texts[quote_id].lower()]
        assert {source for quote_id, _, source in rows if quote_id in gold} == {
            record["id"] for record in chain["articles"]}, chain["chain"]
        assert len({lineage_of[quote_id] for quote_id in gold}) == 1, chain["chain"]
        members = {quote_id for quote_id in texts if lineage_of[quote_id] == lineage_of[gold[0]]}
        assert members == {quote_id for quote_id in texts if joined.find(quote_id) == joined.find(gold[0])}, \
            chain["chain"]


ARTICLES = [
    # Ingested first though published last: a trimmed copy naming its source.
    ("harbour-radio", "2025-11-27", "Harbour Radio", """Harbour news
“We would never hand the port of Saltmere to foreign investors,” Voronin said, according to the Baltic Wire.
"""),
    ("baltic-wire", "2025-11-25", "Baltic Wire", """Voronin: port not for sale
“We would never hand the port of Saltmere to foreign investors, not for twelve billion,” Alexander Voronin said.
"""),
    # The earliest copy comes last: the lineage is re-based on it.
    ("example-daily", "2025-11-24", "Example Daily", """Minister rules out port sale
“We would never hand the port of Saltmere to foreign investors, not for twelve billion, and not in 2026,” Transport minister Alexander Voronin told Example Daily.
"""),
]


def _ingest(path: Path, articles) -> None:
    with Corpus(path) as corpus:
        for name, date, outlet, text in articles:  # one ingest each: the lineage grows in steps
            corpus.ingest([Document(id=name, text=text, meta={"source": name, "sitename": outlet, "date": date,
                                                              "url": f"https://port.test/{name}"})])


def test_an_earlier_copy_arriving_late_rebases_the_variants(tmp_path):
    path = tmp_path / "port.db"
    _ingest(path, ARTICLES[:2])
    with Corpus(path, create=False) as corpus:
        before = {item["outlet"]: item for item in corpus.verify("hand the port of Saltmere")["appearances"]}
    assert before["Baltic Wire"]["variant"] == "original"
    assert before["Harbour Radio"]["variant"] == "trimmed"
    _ingest(path, ARTICLES[2:])
    with Corpus(path, create=False) as corpus:
        answer = corpus.verify("hand the port of Saltmere")
    after = {item["outlet"]: item for item in answer["appearances"]}
    assert [item["outlet"] for item in answer["appearances"]] == ["Example Daily", "Baltic Wire", "Harbour Radio"]
    assert after["Example Daily"]["variant"] == "original"
    assert after["Baltic Wire"]["variant"] == "trimmed"
    assert after["Harbour Radio"]["variant"] == "trimmed"
    assert (after["Harbour Radio"]["parent"]["outlet"], after["Harbour Radio"]["parent"]["how"]) == (
        "Baltic Wire", "stated")
    assert (after["Baltic Wire"]["parent"]["outlet"], after["Baltic Wire"]["parent"]["how"]) == (
        "Example Daily", "inferred")
    assert answer["origin"]["outlet"] == "Example Daily"


@pytest.mark.parametrize("chunk", [lineages.FILL_CHUNK, 1])
def test_the_upgrade_fills_the_lineage_as_ingest_stored_it(tmp_path, monkeypatch, chunk):
    """In one transaction, and a quotation a transaction: a later quotation of a lineage the
    fill has not reached yet is left to its turn."""
    monkeypatch.setattr(lineages, "FILL_CHUNK", chunk)
    path = tmp_path / "port.db"
    _ingest(path, [*ARTICLES, *LONE, BRIDGE_COPY])
    with sqlite3.connect(path) as conn:
        # The copies' readings may differ: the fill knows every outlet of the corpus from the start.
        stored = conn.execute("SELECT quote_id, lineage_id, informative, facts FROM lineage ORDER BY 1").fetchall()
        groups = conn.execute("SELECT * FROM lineages ORDER BY 1").fetchall()
    assert stored and any(facts for *_, facts in stored)
    conn = sqlite3.connect(path)  # as v7 left it: no lineage (nor v10's speaker figures)
    conn.execute("DROP TABLE lineage")
    conn.execute("DROP TABLE lineages")
    _drop_v10(conn)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with Corpus(path) as corpus:  # opening a writable corpus upgrades it, the fill included
        corpus.stats()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT quote_id, lineage_id, informative, facts FROM lineage ORDER BY 1"
                            ).fetchall() == stored
        assert conn.execute("SELECT * FROM lineages ORDER BY 1").fetchall() == groups
        assert conn.execute("SELECT count(*) FROM stale").fetchone() == (0,)


COMMON = [
    ("budget", "2025-05-02", "Capital Bulletin", """Budget vote delayed
Finance minister Helena Varga would not say when the budget vote will take place. “We will see,” Varga said.
"""),
    ("budget-copy", "2025-05-03", "Baltic Wire", """Budget vote
“We will see,” Helena Varga said of the budget vote, the Capital Bulletin reported.
"""),
    ("match", "2025-05-02", "Sport Daily", """Cup final
Coach Marco Bellini was asked whether his striker would play in the final. “We will see,” Bellini said.
"""),
    ("award", "2025-05-04", "Culture Weekly", """Prize night
The novelist Anna Kovac accepted the prize. “Thank you,” Kovac said, and left the stage.
"""),
    ("award-2", "2025-05-05", "Evening Clarion", """Marathon
The winner Ivan Petrov waved to the crowd. “Thank you,” Petrov said.
"""),
]


def test_common_phrases_join_no_one_elses_lineage_and_the_speaker_picks_whose(tmp_path, capsys):
    path = tmp_path / "common.db"
    _ingest(path, COMMON)
    with Corpus(path, create=False) as corpus:
        varga = corpus.verify("we will see", speaker="Helena Varga")
        bellini = corpus.verify("we will see", speaker="Bellini")
        thanks = corpus.verify("thank you", speaker="Petrov")
    assert {item["outlet"] for item in varga["appearances"]} == {"Capital Bulletin", "Baltic Wire"}
    assert not any(item["speaker_differs"] for item in varga["appearances"])
    assert [item["outlet"] for item in bellini["appearances"]] == ["Sport Daily"]
    assert [item["outlet"] for item in thanks["appearances"]] == ["Evening Clarion"]
    assert varga["cluster"] in bellini["also"] or bellini["cluster"] in varga["also"]
    assert main(["verify", "we will see", "--speaker", "Bellini", "--db", str(path), "--format", "json"]) == 0
    assert [item["outlet"] for item in json.loads(capsys.readouterr().out)["appearances"]] == ["Sport Daily"]


def test_informative_needs_two_content_words():
    assert not lineages.informative("We will see")
    assert not lineages.informative("Thank you")
    assert not lineages.informative("No comment.")
    assert lineages.informative("We will rebuild the school")


class NarrowSignatures(lineages.Signatures):
    """Signatures of few bits: most pairs of a quotation share a bit with another."""

    BITS = (64, 64)
    WORDS = [1, 1]


@pytest.mark.parametrize("kind", [lineages.Signatures, NarrowSignatures])
def test_signatures_rule_out_only_pairs_the_word_check_would(kind):
    """The writer's bit signatures drop a candidate pair only where _may_relate would: checked on
    every pair of invented quotations, trims and paraphrases of each other among them, with
    signatures wide enough to rule out most, and so narrow that bits are shared."""
    rng = random.Random(3)
    vocabulary = ("harbour minister budget rebuild school investors port twelve billion never hand the of to "
                  "a we will would not said in for and council river bridge vote rigged squares fill").split()
    texts = {quote_id: " ".join(rng.choice(vocabulary) for _ in range(rng.randint(4, 30))) for quote_id in range(1, 160)}
    base = "We would never hand the port of Saltmere to foreign investors, not for twelve billion"
    texts.update({200: base, 201: "never hand the port of Saltmere to foreign investors", 202: base.lower() + "!",
                  203: "they would never hand the port of Saltmere to investors, he said"})
    signatures = kind()
    signatures.add(dict(list(texts.items())[:100]))  # in two batches, as a writer signs them
    signatures.add(dict(list(texts.items())[100:]))
    pairs = [(first, second) for first in texts for second in texts if first != second]
    kept = set(signatures.may_relate(pairs))
    near = [pair for pair in pairs if lineages._may_relate(texts[pair[0]], texts[pair[1]])]
    assert near and set(near) <= kept
    assert {(201, 200), (202, 200), (203, 200)} <= kept
    if kind is lineages.Signatures:
        assert len(kept) < len(pairs) / 2  # it rules out most: chance pairs of common words
    # A quotation it has not signed (stored by another writer) is never ruled out.
    assert signatures.may_relate([(999, 200), (200, 999)]) == [(999, 200), (200, 999)]


LONE = [
    ("bridge", "2025-06-02", "Coastal Times", """Bridge works
“We will rebuild the bridge over the Saltmere river before the spring floods,” Mayor Anna Kovac said.
"""),
    ("ferry", "2025-06-02", "Harbour Gazette", """Ferry timetable
“The night ferry to Brask stops running in October because nobody takes it,” Ivan Petrov told the Kestrel News Agency.
"""),
]
BRIDGE_COPY = ("bridge-copy", "2025-06-03", "Evening Clarion", """Saltmere bridge
“We will rebuild the bridge over the Saltmere river before the spring floods,” Kovac said, according to the Coastal Times.
""")


def _rows(path: Path) -> dict[str, tuple]:
    """Each stored quotation's lineage row (None where it has none), by the source of its article."""
    with sqlite3.connect(path) as conn:
        return {source: (row if row[0] is not None else None) for source, *row in conn.execute(
            """SELECT a.source, l.lineage_id, l.facts FROM quotations q JOIN articles a ON a.id = q.article_id
               LEFT JOIN lineage l ON l.quote_id = q.id""")}


def test_a_quotation_alone_naming_no_source_has_no_row_until_a_copy_joins_it(tmp_path):
    path = tmp_path / "lone.db"
    _ingest(path, LONE)
    rows = _rows(path)
    assert rows["bridge"] is None  # alone, no source named: its lineage is implied
    assert rows["ferry"] is not None  # alone, but it names the outlet it was said to
    with Corpus(path, create=False) as corpus:
        bridge = corpus.verify("rebuild the bridge over the Saltmere river")
        ferry = corpus.verify("the night ferry to Brask stops running")
    assert bridge["found"] and [(item["outlet"], item["variant"], item["parent"], item["speaker"])
                                for item in bridge["appearances"]] == [
        ("Coastal Times", "original", None, "Anna Kovac")]
    assert bridge["cluster"] == bridge["appearances"][0]["quote_id"]
    assert ferry["origin"]["outlet"] == "Kestrel News Agency"
    assert ferry["appearances"][0]["parent"]["outlet"] == "Kestrel News Agency"
    _ingest(path, [BRIDGE_COPY])
    rows = _rows(path)
    assert rows["bridge"] is not None and rows["bridge"][0] == rows["bridge-copy"][0]
    with Corpus(path, create=False) as corpus:
        copied = corpus.verify("rebuild the bridge over the Saltmere river")
    assert [item["outlet"] for item in copied["appearances"]] == ["Coastal Times", "Evening Clarion"]
    assert copied["appearances"][1]["parent"]["outlet"] == "Coastal Times"
    assert copied["appearances"][1]["parent"]["how"] == "stated"
    assert copied["cluster"] == bridge["cluster"]


def test_the_quick_reading_of_a_quotation_alone_is_the_full_one(lineage_set):
    """Arrival.says_nothing decides most quotations from the names around them, without reading
    their article's paragraph: it says what the full reading says, for every stored quotation."""
    _, path = lineage_set
    conn = connect_readonly(path)
    outlets = lineages.corpus_outlets(conn)
    arrivals = lineages.stored_arrivals(conn, [quote_id for (quote_id,) in conn.execute(
        "SELECT id FROM quotations WHERE kind IN ('direct', 'indirect', 'mixed')")], outlets)
    said = {arrival.quote_id: arrival.says_nothing() for arrival in arrivals}
    full = {arrival.quote_id: arrival.plain and not statement(arrival.copy(), [arrival.outlet]).chain
            for arrival in arrivals}
    assert said == full
    assert 0 < sum(said.values()) < len(said)


def _drop_v10(conn: sqlite3.Connection) -> None:
    """Take away the tables v10 added."""
    for statement in schema.V10:
        conn.execute(f"DROP TABLE {statement.split()[2]}")


def test_the_upgrade_drops_the_rows_of_quotations_alone_that_name_no_source(tmp_path):
    path = tmp_path / "lone.db"
    _ingest(path, LONE)
    with Corpus(path, create=False) as corpus:
        before = corpus.verify("rebuild the bridge over the Saltmere river")
    with sqlite3.connect(path) as conn:  # as v8 stored it: a row for every quotation
        quote_id = before["cluster"]
        copy = lineages.stored_copies(conn, [quote_id])[0]
        conn.execute("INSERT INTO lineage VALUES (?, ?, 1, ?, ?)", (quote_id, quote_id, lineages._copy_json(copy),
                                                                 schema.IMPLIED_FACTS))
        conn.execute("INSERT INTO lineages VALUES (?, NULL, '[]')", (quote_id,))
        kept = conn.execute("SELECT * FROM lineage WHERE quote_id <> ?", (quote_id,)).fetchall()
        _drop_v10(conn)
        conn.execute("PRAGMA user_version = 8")
    with Corpus(path) as corpus:
        after = corpus.verify("rebuild the bridge over the Saltmere river")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT * FROM lineage").fetchall() == kept
        assert conn.execute("SELECT count(*) FROM lineages WHERE id = ?", (quote_id,)).fetchone() == (0,)
    assert after == before


# Chains where an outlet is named "citing" another: a name in two roles, relay and upstream.
CITING = ["c04", "c32", "g08", "h05", "h09"]


def test_the_stored_lineage_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    """The same articles ingested by two interpreters whose string hashes differ (set order
    differs) store the same lineage rows, so a rebuilt corpus compares equal to the old one."""
    script = textwrap.dedent(f"""
        import json, sqlite3, sys
        from pathlib import Path
        from quotetrail.corpus import Corpus
        from quotetrail.model import Document
        records = [record for name in {CITING!r}
                   for record in json.loads((Path({str(SET)!r}) / f"{{name}}.json").read_text("utf-8"))["articles"]]
        with Corpus(sys.argv[1]) as corpus:
            corpus.ingest([Document(id=record["id"], text=record["text"], meta={{
                "source": record["id"], "sitename": record["outlet"], "date": record["date"],
                "url": f"https://lineage.test/{{record['id']}}"}}) for record in records], batch_articles=2)
        conn = sqlite3.connect(sys.argv[1])
        print(json.dumps([conn.execute("SELECT * FROM lineage ORDER BY quote_id").fetchall(),
                          conn.execute("SELECT * FROM lineages ORDER BY id").fetchall()], ensure_ascii=False))
    """)
    stored = []
    for seed in ("1", "2"):  # two seeds that order {"relay", "upstream"} differently
        run = subprocess.run([sys.executable, "-c", script, str(tmp_path / f"seed{seed}.db")], capture_output=True,
                             timeout=300, env={**os.environ, "PYTHONHASHSEED": seed})
        assert run.returncode == 0, run.stderr.decode()
        stored.append(run.stdout)
    lineage_rows = json.loads(stored[0])[0]
    assert any(len(set(candidate[3])) == 2 for row in lineage_rows  # a candidate in two roles was stored
               for candidate in json.loads(row[3])["reading"]["candidates"])
    assert stored[0] == stored[1]
