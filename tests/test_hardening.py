"""Hostile and broken input: each finding of the hardening audit (issue 11),
reproduced as a failing case first. Network tests use only 127.0.0.1 servers
started here; refused addresses are checked without sending them traffic."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import socket
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import quotetrail
from quotetrail import batch, sanitize
from quotetrail.cli import main
from quotetrail.corpus import Corpus
from quotetrail.corpus.export import write_csv
from quotetrail.corpus.read.records import QuoteRecord
from quotetrail.inputs import Fetcher, Fields, InputOptions, read_inputs, web
from quotetrail.inputs.jsonl import read_jsonl
from quotetrail.model import Article, Document, Failure, Skipped, Source
from quotetrail.read import decode
from quotetrail.render.html_page import render_html

STORY = ("Harbour chief Maria Delgado said the port would reopen on Monday after a week of talks.\n"
         "“We have a deal with the union and the ships will move again,” she told reporters.\n")


def read(*sources: str, fetcher: Fetcher | None = None, **options) -> list:
    with fetcher or Fetcher(delay=0) as client:
        return list(read_inputs(list(sources), InputOptions(**options), client))


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- 1. a lone surrogate must not end the batch --------------------------------------------------------

@pytest.fixture
def surrogate_inputs(tmp_path: Path) -> Path:
    """Three articles: one with a non-UTF-8 byte in its file name, one JSONL record
    with \\ud800 escapes in id, title and text, and a plain one."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as file:
        file.write(STORY.replace("Monday", "Friday").encode())
    record = {"id": "wire-\ud800", "title": "Port \udc00 reopens", "text": STORY.replace("Monday", "Mon\ud800day")}
    (folder / "dump.jsonl").write_text(json.dumps(record) + "\n", encoding="ascii")
    return folder


def test_surrogates_in_paths_and_jsonl_reach_neither_output_nor_sqlite(surrogate_inputs, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(surrogate_inputs), "--format", "jsonl", "-o", str(out)]) == 0
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(results) == 3
    ids = sorted(result["meta"]["id"] for result in results)
    assert ids == sorted([str(surrogate_inputs / "a.txt"), str(surrogate_inputs / "caf\ufffd.txt"), "wire-\ufffd"])
    wire = next(result for result in results if result["meta"]["id"] == "wire-\ufffd")
    assert wire["meta"]["title"] == "Port \ufffd reopens"
    assert main(["extract", str(surrogate_inputs), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    with Corpus(tmp_path / "corpus.db") as corpus:
        assert corpus.ingest(read(str(surrogate_inputs))).added == 3


# --- 2. SSRF: no fetch reaches a loopback, private, link-local or reserved address ----------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "[::1]", "[::ffff:127.0.0.1]",
                                  "localhost", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254",
                                  "[fe80::1]", "[fd00::5]", "0.0.0.0", "100.64.0.1", "224.0.0.1"])
def test_non_public_addresses_are_refused_before_connecting(host):
    # Resolution only: numbers and 'localhost' resolve without any traffic.
    reasons = [web.refusal(host, address) for address in web.resolve(host.strip("[]"), 80)]
    assert reasons and all(reason is not None and "--allow-private" in reason for reason in reasons)


def test_public_address_literal_passes_the_policy():
    assert [web.refusal("8.8.8.8", address) for address in web.resolve("8.8.8.8", 443)] == [None]  # nothing is sent


class Counting(BaseHTTPRequestHandler):
    """Counts every request; /hop redirects to /secret on the same loopback server."""

    hits: ClassVar[Counter[str]] = Counter()
    trickle_seconds = 0.2

    def do_GET(self) -> None:
        Counting.hits[self.path] += 1
        host, port = self.server.server_address[:2]
        if self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", f"http://{host}:{port}/secret")
            self.send_header("Connection", "close")  # the next hop needs a new connection
            self.end_headers()
        elif self.path == "/trickle":  # headers at once, then a byte now and then, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(self.trickle_seconds)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/robots.txt":
            body = b"User-agent: *\nDisallow: /private/\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            body = b"<html><body><p>" + b"The council said the bridge would open. " * 5 + b"</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def loopback() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetching_a_loopback_url_is_refused_without_a_request(loopback):
    before = sum(Counting.hits.values())
    with Fetcher(delay=0, retries=2, backoff=0.01) as fetcher:
        failure = fetcher.fetch(f"{loopback}/page")
    assert isinstance(failure, Failure) and failure.reason.startswith("refused: ")
    assert "127.0.0.1" in failure.reason and "(after" not in failure.reason  # permanent: not retried
    assert sum(Counting.hits.values()) == before  # not even robots.txt was asked for
    with Fetcher(delay=0, allow_private=True) as fetcher:
        assert not isinstance(fetcher.fetch(f"{loopback}/page"), Failure)


def test_every_redirect_hop_is_checked(loopback, monkeypatch):
    # The first hop stands for a public server: the policy lets exactly one connection
    # through, then the redirect to the loopback address must be refused before connecting.
    real, allowed = web.refusal, iter([True])
    monkeypatch.setattr(web, "refusal", lambda host, address: None if next(allowed, False) else real(host, address))
    with Fetcher(delay=0, retries=0, respect_robots=False) as fetcher:
        failure = fetcher.fetch(f"{loopback}/hop")
    assert Counting.hits["/hop"] >= 1 and Counting.hits["/secret"] == 0
    assert isinstance(failure, Failure) and failure.reason.startswith("refused: ")


# --- 9. robots.txt, an overall deadline, no retries on permanent errors -------------------------------

def test_robots_txt_is_honoured_with_a_clear_skip_reason(loopback):
    asked = Counting.hits["/robots.txt"]
    with Fetcher(delay=0, allow_private=True) as fetcher:
        skipped = fetcher.fetch(f"{loopback}/private/report")
        assert isinstance(skipped, Skipped) and skipped.reason.startswith("robots.txt disallows")
        assert not isinstance(fetcher.fetch(f"{loopback}/public"), (Failure, Skipped))
    assert Counting.hits["/private/report"] == 0 and Counting.hits["/robots.txt"] == asked + 1  # once per site
    with Fetcher(delay=0, allow_private=True, respect_robots=False) as fetcher:
        assert not isinstance(fetcher.fetch(f"{loopback}/private/report"), (Failure, Skipped))


def test_a_trickling_server_is_cut_off_at_the_deadline(loopback):
    started = time.monotonic()
    with Fetcher(delay=0, timeout=1, deadline=1.0, retries=2, allow_private=True, respect_robots=False) as fetcher:
        failure = fetcher.fetch(f"{loopback}/trickle")
    assert time.monotonic() - started < 3
    assert isinstance(failure, Failure) and failure.reason.startswith("deadline: ")


def test_permanent_errors_are_not_retried(monkeypatch):
    calls = []

    def no_such_name(*args, **kwargs):
        calls.append(args)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(web.socket, "getaddrinfo", no_such_name)  # no resolver traffic
    with Fetcher(delay=0, retries=2, backoff=0.01, respect_robots=False) as fetcher:
        failure = fetcher.fetch("http://meridian.example/port")
    assert isinstance(failure, Failure) and len(calls) == 1 and "(after" not in failure.reason


def test_tls_errors_are_not_retried(loopback):
    before = Counting.hits.copy()
    with Fetcher(delay=0, retries=2, backoff=0.01, allow_private=True, respect_robots=False) as fetcher:
        failure = fetcher.fetch(loopback.replace("http://", "https://") + "/page")  # TLS to a plain HTTP server
    assert isinstance(failure, Failure) and "(after" not in failure.reason
    assert Counting.hits == before


# --- 3. a .gz bomb is refused line by line, without reading the line whole ----------------------------

def test_jsonl_gz_bomb_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as file:
        file.write(json.dumps({"id": "ok", "text": STORY}).encode() + b"\n")
        file.write(bomb := b'{"id": "bomb", "text": "' + b"a" * 64_000_000 + b'"}\n')
        file.write(json.dumps({"id": "after", "text": STORY}).encode() + b"\n")
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    items = list(read_jsonl(str(path), Fields(), max_bytes=1_000_000, max_line_bytes=2_000_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [type(item).__name__ for item in items] == ["Document", "Failure", "Document"]
    assert items[1].reason.startswith(f"too large: {len(bomb):,} bytes (limit 2,000,000") and items[2].id == "after"
    assert peak < 16_000_000  # the 64 MB line is never held


# --- 4. superlinear attribution and a per-document time budget -----------------------------------------

def test_a_long_according_to_chain_is_attributed_in_near_linear_time():
    from quotetrail import pipeline
    from quotetrail.nlp import load_nlp

    # One clause carrying 800 "according to" frames (23 KB): the old search scanned
    # the clause once per frame, about 15 s of CPU here; linear, a tenth of a second.
    chain = "".join(f"according to the agency {i}, " for i in range(800)) + "prices rose sharply this year."
    doc = load_nlp()(chain)
    started = time.process_time()
    article = pipeline.analyse(doc, chain)
    assert time.process_time() - started < 3
    assert article.quotes and all(chain[q.start:q.end] == q.text for q in article.quotes)


def test_a_runaway_document_is_a_per_document_error_and_the_batch_goes_on(monkeypatch):
    from quotetrail import pipeline

    slow_text = "The mayor said the budget was final. " * 3
    analyse = pipeline.analyse

    def stuck(doc, text, analysis=None):
        if text == slow_text:
            while True:
                time.sleep(0.01)
        return analyse(doc, text, analysis)

    monkeypatch.setattr(pipeline, "analyse", stuck)
    documents = [Document("one", STORY), Document("stuck", slow_text), Document("three", STORY)]
    outcomes = list(batch.run(documents, doc_timeout=1.0))
    assert [outcome.id for outcome in outcomes] == ["one", "stuck", "three"]
    assert outcomes[0].article is not None and outcomes[2].article is not None
    assert outcomes[1].failure is not None and outcomes[1].failure.reason.startswith("timed out: ")
    assert "--doc-timeout" in outcomes[1].failure.reason


def test_extracted_html_text_is_capped(tmp_path):
    from quotetrail.inputs import html

    body = "".join(f"<p>Councillor Ada Brook said the ferry {i} would run on time this winter.</p>" for i in range(6000))
    page = html.page("big", f"<html><body><article>{body}</article></body></html>".encode(), {})
    result = html.extract(page)
    assert isinstance(result, Failure) and result.reason.startswith("too long: ")


# --- 6. CSV cells never run as formulas -------------------------------------------------------------

def test_csv_export_neutralises_formula_cells():
    record = QuoteRecord(id=1, text="=HYPERLINK(\"http://evil.example\",\"x\")", kind="direct", speaker="@admin",
                         named_as="Admin", cue="-said", via=["+Wire"], outlet="\tTab Times", published=None,
                         title="\rCR", url=None, article_id=1, source=None, start=0, end=10, confidence=0.5,
                         cluster_id=None)
    out = io.StringIO()
    write_csv([record], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["text"].startswith("'=") and row["speaker"] == "'@admin" and row["cue"] == "'-said"
    assert row["via"] == "'+Wire" and row["outlet"] == "'\tTab Times" and row["title"] == "'\rCR"
    assert row["start"] == "0"  # numbers stay numbers


def test_search_csv_neutralises_formula_cells(tmp_path, capsys):
    db = tmp_path / "c.db"
    with Corpus(db) as corpus:
        corpus.ingest([Document("formula", "Treasurer Hana Volk spoke on Monday.\n"
                                           "“=1+2 is the whole of the council's arithmetic,” Volk said.\n")])
    assert main(["search", "arithmetic", "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(not value.startswith(sanitize.FORMULA_START) for row in rows for value in row.values())
    assert any(value.startswith("'=1+2") for row in rows for value in row.values())


# --- 7. a truncated uncompressed WARC says so ---------------------------------------------------------

def plain_warc(path: Path) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        for name in ("port", "ferry"):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = f"<html><body><p>{STORY}</p></body></html>".encode()
            writer.write_record(writer.create_warc_record(f"https://meridian.example/{name}", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))


@pytest.mark.parametrize("cut", range(20, 521, 50))
def test_truncated_plain_warc_keeps_the_first_record_and_reports_the_cut(tmp_path, cut):
    path = tmp_path / "cut.warc"
    plain_warc(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - cut])
    items = read(str(path))
    assert isinstance(items[0], Document) and items[0].meta["url"] == "https://meridian.example/port"
    assert isinstance(items[-1], Failure) and items[-1].reason.startswith("truncated or corrupt WARC")
    assert "NoneType" not in items[-1].reason


# --- 8. UTF-16 with a byte order mark -----------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark_is_decoded(codec):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(codec, b"")
    text, encoding = decode(bom + STORY.encode(codec))
    assert text == STORY and encoding.startswith(codec[:6])


# --- 10. directories and odd paths --------------------------------------------------------------------

def test_an_empty_directory_is_reported(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.odt").write_bytes(b"PK")
    assert main(["extract", str(empty), "--format", "jsonl"]) == 1
    assert "no files to read" in capsys.readouterr().err


def test_an_unreadable_directory_is_reported(tmp_path, monkeypatch, capsys):
    # As root, permissions do not stop reading: make the listing fail as it does for a user.
    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    (locked / "b.txt").write_text(STORY, encoding="utf-8")
    real = os.scandir

    def scandir(path=".", *args):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    items = read(str(folder))
    assert [type(item).__name__ for item in items] == ["Document", "Failure"]
    assert items[1].id == str(locked) and "Permission denied" in items[1].reason


def test_a_self_symlink_says_what_it_is(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    [failure] = read(str(loop))
    assert isinstance(failure, Failure) and "symbolic links" in failure.reason


def test_a_newline_in_a_path_stays_on_one_error_line(tmp_path, capsys):
    odd = tmp_path / "two\nlines.txt"
    odd.write_bytes(b"")
    assert main(["extract", str(odd)]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and "two\\nlines.txt" in errors[0] and "empty" in errors[0]


# --- 11. the Python API raises the project's own error ------------------------------------------------

def test_api_rejects_surrogates_with_its_own_error(extract):
    with pytest.raises(quotetrail.TextError, match="lone surrogate U\\+D800 at offset 4"):
        extract("Mayo\ud800r Dana Fell said the bridge would open.")


def test_api_rejects_text_over_a_million_characters(extract):
    with pytest.raises(quotetrail.TextError, match="too long: 1,000,001 characters"):
        extract("a" * 1_000_001)
    with pytest.raises(quotetrail.TextError):
        list(quotetrail.extract_many(["fine", "\udfff"]))


# --- 12. Source.roles escaped in the HTML page --------------------------------------------------------

def test_every_source_field_is_escaped_in_the_html_page():
    article = Article(text="A quiet day.", quotes=[], entities=[], furniture=[], headings=[],
                      sources=[Source(name="<b>Wire</b>", roles=["<script>alert(1)</script>", "relay"])])
    page = render_html([article])
    assert "<script>alert" not in page and "<b>Wire" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;, relay" in page


# --- the boundary itself ------------------------------------------------------------------------------

def test_clean_item_keeps_offsets_and_cleans_every_field():
    document = Document("id\udcff", "ab\ud800cd", {"title": "t\udc80", "tags": ["x\ud800"], "n": 3})
    cleaned = sanitize.clean_item(document)
    assert cleaned.text == "ab\ufffdcd" and len(cleaned.text) == len(document.text)
    assert cleaned.id == "id\ufffd" and cleaned.meta == {"title": "t\ufffd", "tags": ["x\ufffd"], "n": 3}
    assert encodable(json.dumps(cleaned.meta, ensure_ascii=False))
