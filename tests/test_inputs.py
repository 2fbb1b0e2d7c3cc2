"""Each input kind, read as a user holds it: saved pages, feeds, web archives,
JSONL dumps, directories and globs, and URLs served by a local HTTP server."""
from __future__ import annotations

import gzip
import io
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotetrail import batch
from quotetrail.cli import main
from quotetrail.inputs import Fetcher, Fields, InputOptions, Preparer, read_inputs
from quotetrail.inputs.web import USER_AGENT
from quotetrail.model import Document, Failure, Item, Skipped

STORY = ["Harbour chief Maria Delgado said the port would reopen on Monday after a week of talks.",
         "Share this article",
         "“We have a deal with the union and the ships will move again,” she told reporters on Tuesday."]
FRENCH = ["La maire Claire Dubois a déclaré lundi que le port rouvrirait après une semaine de discussions.",
          "« Nous avons un accord avec le syndicat et les navires repartiront », a-t-elle ajouté mardi."]


def page(paragraphs: list[str], lang: str | None = "en", title: str = "Port to reopen") -> str:
    """An article wrapped in the furniture of a real news page."""
    html_lang = f' lang="{lang}"' if lang else ""
    body = "".join(f"<p>{text}</p>\n" for text in paragraphs)
    return f"""<!DOCTYPE html><html{html_lang}><head><meta charset="utf-8"><title>{title} | Daily Meridian</title>
<meta name="author" content="Tomas Reyes"><meta property="og:site_name" content="Daily Meridian">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://meridian.example/port"></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>{title}</h1>{body}</article>
<aside><h2>Related</h2><ul><li><a href="/r1">Ferry fares to rise in spring</a></li></ul></aside></main>
<footer>© 2024 Daily Meridian. <a href="/privacy">Privacy</a> <a href="/contact">Contact us</a></footer></body></html>"""


def read(*sources: str, fetcher: Fetcher | None = None, **options) -> list[Item]:
    with fetcher or Fetcher(delay=0) as client:
        return list(read_inputs(list(sources), InputOptions(**options), client))


def prepared(items: list[Item]) -> list[Item]:
    return [Preparer()(item) if isinstance(item, Document) else item for item in items]


# --- HTML -------------------------------------------------------------------------------------------

def test_html_page_gives_main_text_metadata_and_offsets_into_it(tmp_path):
    path = tmp_path / "port.html"
    path.write_text(page(STORY), encoding="utf-8")
    [raw] = read(str(path))
    assert isinstance(raw, Document) and raw.html and raw.text == ""  # extracted later, in the worker
    [document] = prepared([raw])
    assert isinstance(document, Document)
    assert STORY[0] in document.text and "Privacy" not in document.text and "Sport" not in document.text
    assert {key: document.meta[key] for key in ("title", "author", "date", "sitename", "canonical_url", "language")} == {
        "title": "Port to reopen", "author": "Tomas Reyes", "date": "2024-03-05", "sitename": "Daily Meridian",
        "canonical_url": "https://meridian.example/port", "language": "en"}
    [outcome] = batch.run([raw])
    article = outcome.article
    assert article is not None and article.meta["id"] == str(path) and article.meta["source"] == str(path)
    assert article.quotes and all(article.text[q.start:q.end] == q.text for q in article.quotes)
    assert any(quote.speaker and quote.speaker.name == "Maria Delgado" for quote in article.quotes)
    assert "Share this article" not in article.text  # a share box, removed before extraction (inputs/declutter.py)
    data = article.to_dict()  # the extracted text travels with offsets that point into it
    assert all(data["text"][q["start"]:q["end"]] == q["text"] for q in data["quotes"])


def test_html_in_a_legacy_encoding_is_decoded(tmp_path):
    path = tmp_path / "legacy.htm"
    path.write_bytes(page([STORY[0], "Jérôme Duval said the café would stay open during the renovation works."])
                     .replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252"))
    [document] = prepared(read(str(path)))
    assert isinstance(document, Document) and "Jérôme Duval" in document.text


def test_gzipped_pages_are_read_and_bad_ones_reported(tmp_path):
    saved = tmp_path / "saved" / "port.html.gz"
    saved.parent.mkdir()
    saved.write_bytes(gzip.compress(page(STORY).encode("utf-8")))
    (tmp_path / "saved" / "cut.htm.gz").write_bytes(gzip.compress(page(STORY).encode("utf-8"))[:-20])
    (tmp_path / "saved" / "plain.html.gz").write_text(page(STORY), encoding="utf-8")  # named .gz, not gzip
    (tmp_path / "saved" / "bomb.html.gz").write_bytes(gzip.compress(b"<html>" + b" " * 200_000))
    items = prepared(read(str(tmp_path / "saved"), max_page_bytes=100_000))
    by_name = {Path(item.id).name: item for item in items}
    assert sorted(by_name) == ["bomb.html.gz", "cut.htm.gz", "plain.html.gz", "port.html.gz"]
    document = by_name["port.html.gz"]
    assert isinstance(document, Document) and STORY[0] in document.text and document.meta["title"] == "Port to reopen"
    assert by_name["cut.htm.gz"].reason.startswith("bad gzip file")
    assert by_name["plain.html.gz"].reason.startswith("bad gzip file")
    assert by_name["bomb.html.gz"].reason.startswith("too large: over 100,000 uncompressed")


def test_language_gate_uses_the_declaration_then_the_detector():
    french_page = Document("fr-page", "", {}, html=page(FRENCH, lang="fr").encode())
    undeclared = Document("fr-text", "\n".join(FRENCH))
    mixed = Document("mixed", "Le maire Jérôme Duval a déclaré que le café resterait ouvert. "
                              "Mayor Jérôme Duval said the café would stay open during the renovation works.")
    english = Document("en", "\n".join(STORY))
    results = [Preparer()(document) for document in (french_page, undeclared, mixed, english)]
    assert [getattr(result, "reason", None) for result in results] == ["language=fr", "language=fr", None, None]
    assert results[3].meta["language"] == "en"
    assert isinstance(Preparer(None)(french_page), Document)  # --language any
    assert isinstance(Preparer(frozenset({"en", "fr"}))(undeclared), Document)


# --- WARC -------------------------------------------------------------------------------------------

def write_warc(path: Path, compress: bool = True) -> list[str]:
    """An archive as a crawler writes it; returns the record ids of the HTML responses."""
    ids = []
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))

        def response(url: str, body: bytes, content_type: str, status: str = "200 OK") -> str:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
            return record.rec_headers.get_header("WARC-Record-ID")

        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "meridian.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://meridian.example/", "request",
                                                      payload=io.BytesIO(b""), http_headers=request))
        ids.append(response("https://meridian.example/port", page(STORY).encode(), "text/html; charset=utf-8"))
        response("https://meridian.example/logo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg")
        response("https://meridian.example/gone", b"<html>gone</html>", "text/html", status="404 Not Found")
        ids.append(response("https://meridian.example/ferry", page(STORY[:1], title="Ferries").encode(), "text/html"))
    return ids


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "plain"])
def test_warc_reads_html_responses_and_counts_what_it_skips(tmp_path, compress):
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    html_ids = write_warc(path, compress)
    items = read(str(path))
    assert [item.id for item in items if isinstance(item, Document)] == html_ids
    assert sorted(item.reason for item in items if isinstance(item, Skipped)) == ["HTTP 404", "not html: image/jpeg"]
    first = prepared(items[:1])[0]
    assert first.meta["url"] == "https://meridian.example/port" and STORY[0] in first.text


def test_truncated_gzip_warc_keeps_earlier_records_and_reports_the_rest(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_warc(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])  # cut inside the last record
    items = read(str(path))
    assert isinstance(items[0], Document)
    assert isinstance(items[-1], Failure) and items[-1].id == str(path) and "truncated" in items[-1].reason


# --- feeds ------------------------------------------------------------------------------------------

def rss(items: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Daily Meridian</title><link>https://meridian.example/</link><language>en-gb</language>{items}</channel></rss>"""


def test_rss_entries_with_content_become_documents(tmp_path):
    body = "".join(f"<p>{text}</p>" for text in STORY)
    path = tmp_path / "feed.rss"
    path.write_text(rss(f"""<item><title>Port to reopen</title><link>https://meridian.example/port</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><content:encoded><![CDATA[{body}]]></content:encoded></item>
<item><title>No body, no link</title></item>"""), encoding="utf-8")
    document, failure = read(str(path))
    assert document.id == "https://meridian.example/port"
    assert document.meta == {"source": str(path), "url": "https://meridian.example/port", "title": "Port to reopen",
                             "date": "2024-03-05", "sitename": "Daily Meridian", "language": "en-gb"}
    assert STORY[2] in prepared([document])[0].text
    assert isinstance(failure, Failure) and "neither content nor link" in failure.reason


def test_atom_feed_and_a_feed_that_is_not_xml(tmp_path):
    atom = tmp_path / "feed.atom"
    atom.write_text(f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Meridian</title><entry><id>urn:port</id><title>Port</title><updated>2024-03-05T10:00:00Z</updated>
<content type="text">{" ".join(STORY)}</content></entry></feed>""", encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text("this is { not xml", encoding="utf-8")
    document, failure = read(str(atom), str(broken))
    assert document.id == "urn:port" and document.text.startswith(STORY[0])  # plain-text content, no HTML stage
    assert isinstance(failure, Failure) and failure.id == str(broken) and failure.reason.startswith("not a feed")


# --- JSONL ------------------------------------------------------------------------------------------

def test_jsonl_fields_ids_and_bad_lines(tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    lines = [json.dumps({"id": 7, "text": " ".join(STORY), "url": "https://meridian.example/a"}),
             json.dumps({"html": page(STORY), "title": "From HTML"}),
             "{not json",
             "",
             json.dumps(["a", "list"]),
             json.dumps({"id": "empty", "text": "  "})]
    with gzip.open(path, "wt", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    text, markup, bad, listed, empty = read(str(path))
    assert (text.id, text.meta["url"], text.text) == ("7", "https://meridian.example/a", " ".join(STORY))
    assert markup.id == f"{path}:2" and markup.html and markup.meta["title"] == "From HTML"
    assert bad.id == f"{path}:3" and bad.reason.startswith("not JSON")
    assert "not a JSON object" in listed.reason and empty.id == "empty" and "no text" in empty.reason


def test_jsonl_custom_fields(tmp_path):
    path = tmp_path / "scraped.ndjson"
    path.write_text(json.dumps({"doc": "a1", "body": "<html><body><p>x</p></body></html>", "plain": "Plain."}) + "\n")
    [document] = read(str(path), fields=Fields(text="plain", html="nothing", id="doc"))
    assert (document.id, document.text, document.html) == ("a1", "Plain.", None)


# --- discovery --------------------------------------------------------------------------------------

def test_directories_globs_and_sniffing(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / "a.txt").write_text(" ".join(STORY), encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(page(STORY), encoding="utf-8")
    (tmp_path / ".cache" / "c.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / "saved_page.php").write_text(page(STORY), encoding="utf-8")
    from_dir = read(str(tmp_path))
    assert [item.id for item in from_dir] == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.html")]
    globbed = read(str(tmp_path / "**" / "*.html"), str(tmp_path / "*.none"))
    assert [item.id for item in globbed] == [str(tmp_path / "sub" / "b.html"), str(tmp_path / "*.none")]
    assert globbed[1].reason == "no files match"
    [sniffed] = read(str(tmp_path / "saved_page.php"))
    assert sniffed.html is not None  # an odd suffix, but the content is a page


# --- the web ----------------------------------------------------------------------------------------

class Site(BaseHTTPRequestHandler):
    """Pages, errors, a slow answer and a feed, on 127.0.0.1 only."""

    hits: ClassVar[Counter[str]] = Counter()
    agents: ClassVar[list[str]] = []
    slow_seconds = 2.0

    def do_GET(self) -> None:
        Site.hits[self.path] += 1
        Site.agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/article": (200, "text/html; charset=utf-8", page(STORY).encode()),
            "/ferry": (200, "text/html", page(STORY[:1] + STORY[2:], title="Ferries").encode()),
            "/french": (200, "text/html", page(FRENCH, lang="fr").encode()),
            "/logo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/missing": (404, "text/html", b"<html><body>Not here</body></html>"),
            "/broken": (500, "text/html", b"<html><body>Oops</body></html>"),
            "/feed": (200, "application/rss+xml", rss(
                f"<item><title>Ferries</title><link>{self.base}/ferry</link></item>"
                f"<item><title>Gone</title><link>{self.base}/missing</link></item>").encode()),
        }
        if self.path == "/slow":
            time.sleep(self.slow_seconds)
            routes["/slow"] = (200, "text/html", page(STORY).encode())
        if self.path == "/stream":  # no Content-Length: the body ends when the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._write(b"<html><body>" + b"<p>word</p>" * 500 + b"</body></html>")
            return
        status, content_type, body = routes.get(self.path, (404, "text/plain", b"no route"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            return
        self._write(body)

    def _write(self, body: bytes) -> None:
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_sends_our_agent_and_reports_each_error_clearly(site):
    with Fetcher(timeout=0.5, retries=2, delay=0, backoff=0.01, allow_private=True) as fetcher:
        response = fetcher.fetch(f"{site}/article")
        assert response.content_type == "text/html" and response.charset == "utf-8" and b"Delgado" in response.content
        assert Site.agents[-1] == USER_AGENT and USER_AGENT.startswith("quotetrail/")
        missing = fetcher.fetch(f"{site}/missing")
        assert missing.reason == "HTTP 404: Not Found" and Site.hits["/missing"] == 1  # a 404 is not retried
        broken = fetcher.fetch(f"{site}/broken")
        assert broken.reason == "HTTP 500: Internal Server Error (after 3 tries)" and Site.hits["/broken"] == 3
        refused = fetcher.fetch("http://127.0.0.1:9/")  # the discard port: nothing listens
        assert refused.reason.startswith("connection failed")
        assert fetcher.fetch("https://[::1").reason.startswith("invalid URL")


def test_slow_server_times_out(site):
    started = time.monotonic()
    with Fetcher(timeout=0.3, retries=1, delay=0, backoff=0.01, allow_private=True, respect_robots=False) as fetcher:
        failure = fetcher.fetch(f"{site}/slow")
    assert failure.reason == "timed out: no answer within 0.3 s (after 2 tries)"
    assert time.monotonic() - started < Site.slow_seconds


def test_size_limit_with_and_without_content_length(site):
    with Fetcher(delay=0, max_bytes=500, allow_private=True) as fetcher:
        assert fetcher.fetch(f"{site}/article").reason.startswith("too large: ")
        assert fetcher.fetch(f"{site}/stream").reason.startswith("too large: over 500 bytes")


def test_politeness_delay_per_host(site):
    with Fetcher(delay=0.3, allow_private=True) as fetcher:
        started = time.monotonic()
        fetcher.fetch(f"{site}/article")
        fetcher.fetch(f"{site}/ferry")
    assert time.monotonic() - started >= 0.3


def test_urls_feeds_and_url_lists_from_the_command_line(site, tmp_path, capsys):
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# today's reading\n{site}/french\n\n{site}/logo.png\n{site}/slow\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    status = main(["extract", f"{site}/article", f"{site}/feed", "--urls", str(listed), "--format", "jsonl",
                   "-o", str(out), "--errors", str(errors), "--delay", "0", "--retries", "0", "--timeout", "0.3",
                   "--allow-private"])
    assert status == 1
    results = [json.loads(line)["meta"] for line in out.read_text().splitlines()]
    assert [(meta["id"], meta["url"]) for meta in results] == [(f"{site}/article", f"{site}/article"),
                                                                (f"{site}/ferry", f"{site}/ferry")]
    assert results[1]["title"] == "Ferries" and results[1]["sitename"] == "Daily Meridian"
    failures = [json.loads(line) for line in errors.read_text().splitlines()]
    assert failures == [{"id": f"{site}/missing", "reason": "HTTP 404: Not Found"},
                        {"id": f"{site}/slow", "reason": "timed out: no answer within 0.3 s"}]
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "2 processed" in summary and "2 skipped (language=fr: 1, not html: 1)" in summary
    assert "2 failed (HTTP 404: 1, timed out: 1)" in summary


def test_resume_skips_a_url_before_fetching_it(site):
    before = Site.hits["/article"]
    with Fetcher(delay=0, allow_private=True) as fetcher:
        items = list(read_inputs([f"{site}/article"], InputOptions(), fetcher, done={f"{site}/article"}))
    assert items == [Skipped(f"{site}/article", "already in output")] and Site.hits["/article"] == before
