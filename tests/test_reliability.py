"""Issue 23: nothing trusted, nothing lost. Parquet parts validated on read, a time limit
per document, bounded work per document, workers that die with their parent, complete
schema upgrades, read-only corpora, truncated WARC records reported."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import quotetrail
from quotetrail.cli import main
from quotetrail.corpus import Corpus
from quotetrail.inputs.warc import read_warc
from quotetrail.model import Document, Failure, Skipped

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
from quotetrail import engine  # noqa: E402 - after the skip for a missing pyarrow
from quotetrail.engine import local, parts  # noqa: E402

STORY = ("Harbour chief Maria Delgado said the port would reopen on Monday after a week of talks.\n"
         "“We have the cranes back and the crews are ready,” Delgado said.\n")


# --- a plain WARC cut inside its last record's headers -------------------------------------------------

def plain_warc() -> tuple[bytes, int]:
    """Two HTML responses; also where the second record begins."""
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=False)
    last = 0
    for name in ("port", "ferry"):
        last = stream.tell()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<html><body><p>{STORY}</p></body></html>".encode()
        writer.write_record(writer.create_warc_record(f"https://meridian.example/{name}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    return stream.getvalue(), last


def test_a_plain_warc_cut_anywhere_in_its_last_records_headers_is_a_failure(tmp_path):
    data, last = plain_warc()
    headers_end = data.index(b"\r\n\r\n", data.index(b"HTTP/1.1 200", last)) + 4
    path = tmp_path / "cut.warc"
    for cut in range(last + 1, headers_end):
        path.write_bytes(data[:cut])
        items = list(read_warc(str(path), 10_000_000))
        assert isinstance(items[0], Document), cut
        assert not any(isinstance(item, Skipped) for item in items), (cut, items)
        assert isinstance(items[-1], Failure) and "truncated" in items[-1].reason, (cut, items)


# --- Parquet parts are checked before they are trusted ----------------------------------------------------

PART_STORIES = {
    "harbour": STORY,
    "bridge": "City engineer Tomasz Wrona warned that the old bridge needed urgent repairs.\n"
              "“The cables are older than I am,” he said at a council meeting on Thursday.\n",
    "orchard": "Growers expect a poor apple harvest, farm leader Ruth Adeyemi said on Friday.\n"
               "“Three frosts in April did the damage,” Adeyemi said.\n",
    "schools": "Head teacher Samuel Brandt said the new timetable had cut absences.\n"
               "“Pupils come in when lessons start later,” Brandt told parents.\n",
    "ferries": "Ferry operator Lena Okafor said winter crossings would be halved.\n"
               "“We cannot sail empty boats through January,” Okafor said.\n",
}


def write_dumps(root: Path) -> list[str]:
    """One JSONL dump per story: one part each."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in PART_STORIES.items():
        (root / f"{name}.jsonl").write_text(json.dumps({"id": name, "text": text, "url": f"https://news.example/{name}"})
                                            + "\n", encoding="utf-8")
    return sorted(str(path) for path in root.glob("*.jsonl"))


@pytest.fixture(scope="module")
def good_parts(tmp_path_factory) -> Path:
    """A parts directory with one part per story, as `extract --format parquet` writes it."""
    root = tmp_path_factory.mktemp("parts")
    report = engine.extract_parts(write_dumps(root / "dumps"), engine.Settings(str(root / "out")), local.run_tasks)
    assert len(report.written) == len(PART_STORIES) and not report.tally.failed
    return root / "out"


def part_of(out: Path, story: str) -> str:
    [part] = [path.stem for path in (out / "articles").glob(f"{story}_jsonl-*.parquet")]
    return part


def rewrite(path: Path, change) -> None:
    """The table at path, changed by change(rows) and written back with quotetrail's schema."""
    table = pq.read_table(path)
    pq.write_table(pa.Table.from_pylist(change(table.to_pylist()), schema=table.schema), path)


def damage(out: Path) -> dict[str, str]:
    """Four parts damaged four ways; what the reason for each must say."""
    harbour, bridge, orchard, schools = (part_of(out, story) for story in ("harbour", "bridge", "orchard", "schools"))
    quotations = out / "quotations" / f"{harbour}.parquet"
    quotations.write_bytes(quotations.read_bytes()[:100])  # truncated
    articles = pq.read_table(out / "articles" / f"{bridge}.parquet")
    pq.write_table(articles.drop_columns(["text"]), out / "articles" / f"{bridge}.parquet")  # no text
    rewrite(out / "quotations" / f"{orchard}.parquet",
            lambda rows: [{**row, "start": row["start"] + 10_000, "end": row["end"] + 10_000} for row in rows])
    (out / "sources" / f"{schools}.parquet").write_bytes(b"")  # empty
    return {harbour: "unreadable", bridge: "another schema", orchard: "outside its text", schools: "unreadable"}


def test_ingest_stores_the_good_parts_and_names_each_bad_one_with_its_reason(good_parts, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(good_parts, out)
    reasons = damage(out)
    db = tmp_path / "corpus.db"
    assert main(["ingest", str(out), "--db", str(db)]) == 1
    errors = capsys.readouterr().err
    for part, reason in reasons.items():
        [line] = [line for line in errors.splitlines() if f"{part}.parquet" in line]
        assert "bad part" in line and reason in line, line
    assert "Traceback" not in errors
    with Corpus(db) as corpus:
        assert corpus.stats().articles == 1  # the ferries part, whole
        assert corpus.search("empty boats")[0].speaker == "Lena Okafor"
        assert not corpus.search("cables") and not corpus.search("frosts")


def test_a_part_whose_quotations_no_longer_match_its_text_is_refused(good_parts, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(good_parts, out)
    ferries = part_of(out, "ferries")
    rewrite(out / "quotations" / f"{ferries}.parquet",
            lambda rows: [{**row, "start": row["start"] + 1, "end": row["end"] + 1} for row in rows])
    assert "does not match its text" in parts.check_part(out, ferries)
    rewrite(out / "quotations" / f"{ferries}.parquet", lambda rows: rows[1:])
    assert "quotations file holds" in parts.check_part(out, ferries)
    assert parts.check_part(good_parts, ferries) is None


def test_resume_checks_parts_and_redoes_the_damaged_ones(good_parts, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(good_parts, out)
    sources = sorted(str(path) for path in (good_parts.parent / "dumps").glob("*.jsonl"))  # the parts' names
    reasons = damage(out)
    untouched = {path: path.stat().st_mtime_ns for path in out.rglob("*.parquet")
                 if path.stem == part_of(out, "ferries")}
    errors = tmp_path / "errors.jsonl"
    assert main(["extract", *sources, "--format", "parquet", "-o", str(out), "--resume",
                 "--errors", str(errors)]) == 0
    assert "4 parts written" in (summary := capsys.readouterr().err) and "4 damaged parts extracted again" in summary
    assert all(parts.check_part(out, part) is None for part in parts.done_parts(out))
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in untouched.items())
    bad: list[Failure] = []
    assert len(list(parts.read_articles(out, bad.append))) == len(PART_STORIES) and not bad
    assert sorted(parts.done_parts(out)) == sorted(parts.done_parts(good_parts))
    assert len(reasons) == 4


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "out"
    parts.start_output(out)
    article = quotetrail.extract(STORY)
    article.meta["id"] = "harbour"

    def disk_full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        with parts.PartWriter(out, "harbour-1") as writer:
            writer.add(article)
            monkeypatch.setattr(pq.ParquetWriter, "write_table", disk_full)
            monkeypatch.setattr(pq.ParquetWriter, "close", disk_full)
            writer.commit()
    monkeypatch.undo()
    assert not [path for path in out.rglob("*") if path.is_file() and path.name != parts.MARKER]


# --- workers die with the process that started them ------------------------------------------------------

@pytest.mark.skipif(not Path("/proc").is_dir(), reason="Linux process table")
@pytest.mark.parametrize("command", ["ingest", "extract", "extract-dask"])
def test_kill_9_of_a_2_worker_run_leaves_no_process_after_5_s(tmp_path, command):
    import os
    import signal
    import subprocess
    import sys
    import time

    psutil = pytest.importorskip("psutil")
    articles = tmp_path / "articles"
    articles.mkdir()
    for number in range(400):  # enough work that both workers are busy when the kill comes
        (articles / f"story{number}.txt").write_text(STORY.replace("Monday", f"day {number}"), encoding="utf-8")
    arguments = (["ingest", str(articles), "--db", str(tmp_path / "corpus.db")] if command == "ingest" else
                 ["extract", str(articles), "--format", "parquet", "-o", str(tmp_path / "out")])
    if command == "extract-dask":  # a local Dask cluster: its nannies and workers
        pytest.importorskip("distributed")
        arguments += ["--engine", "dask"]
    run = subprocess.Popen([sys.executable, "-c", "import sys; from quotetrail.cli import main; sys.exit(main(sys.argv[1:]))",
                            *arguments, "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 120
    while len(workers := parent.children(recursive=True)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(workers) >= 2, "the workers never started"
    time.sleep(2)  # into their first documents
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    gone, alive = psutil.wait_procs(workers, timeout=5)
    for process in alive:  # clean up before failing
        process.kill()
    assert not alive, [process.pid for process in alive]


# --- a time limit that holds per document ---------------------------------------------------------------

def one_long_line(size: int) -> str:
    """News prose without a line break, every fourth sentence quoted: slow to parse and analyse,
    with far fewer quotation marks than the cap."""
    names = ("Ilona Varga", "Tobias Lindqvist", "Kofi Mensah")
    sentences = []
    while sum(map(len, sentences)) < size:
        number = len(sentences)
        name = names[number % 3]
        sentences.append(f"“We will reopen depot {number} next week,” {name} said. " if number % 4 == 0 else
                         f"According to the Valley Courier, {name} said the council would review plan {number}. ")
    return "".join(sentences)[:size]


def test_one_slow_document_fails_alone_and_holds_none_of_the_others():
    import time

    from quotetrail import batch

    limit = 3.0
    documents = [Document("slow", one_long_line(400_000), {})]
    documents += [Document(f"story{number}", STORY.replace("Monday", f"day {number}"), {}) for number in range(31)]
    started = time.monotonic()
    arrived, pulled = {}, {}

    def read():  # as a reader yields them: when each is taken is when its work starts
        for document in documents:
            pulled[document.id] = time.monotonic() - started
            yield document

    outcomes = []
    for outcome in batch.run(read(), doc_timeout=limit):
        arrived[outcome.id] = time.monotonic() - started
        outcomes.append(outcome)
    assert [outcome.id for outcome in outcomes] == [document.id for document in documents]
    assert outcomes[0].failure is not None and outcomes[0].failure.reason.startswith("timed out: over 3 s")
    assert all(outcome.article is not None and outcome.article.quotes for outcome in outcomes[1:])
    # The slow one is given up at its own limit, not at 32 times it, and each other document
    # comes out as soon as it is done, before the next is even taken, not at the end of a chunk.
    assert arrived["slow"] < 2 * limit, arrived["slow"]
    assert arrived["story0"] <= pulled["story1"] and arrived["story29"] <= pulled["story30"]


def test_the_python_api_takes_a_time_limit_per_text():
    import time

    article = quotetrail.extract(STORY, timeout=30)  # also loads the models, outside the timing below
    started = time.monotonic()
    with pytest.raises(quotetrail.DocumentTimeout):
        quotetrail.extract(one_long_line(400_000), timeout=2)
    assert time.monotonic() - started < 5  # the limit, and the numpy operation under way when it struck
    assert isinstance(quotetrail.DocumentTimeout(), TimeoutError)
    assert [quote.speaker.name for quote in article.quotes if quote.speaker] == ["Maria Delgado", "Maria Delgado"]
    many = list(quotetrail.extract_many([STORY, PART_STORIES["bridge"]], timeout=30))
    assert many[0].to_dict() == article.to_dict()
    assert any("cables" in quote.text for quote in many[1].quotes)


# --- bounded work per document ----------------------------------------------------------------------------

def test_a_text_of_100000_short_quotations_is_refused_with_a_clear_error():
    from quotetrail import batch

    text = '"a" ' * 100_000
    with pytest.raises(quotetrail.TextError, match="too many quotation marks: 200,000"):
        quotetrail.extract(text)
    [outcome] = batch.run([Document("hostile", text, {})])
    assert outcome.failure is not None and outcome.failure.reason.startswith("too many quotation marks")
    assert quotetrail.extract('"Yes," she said. ' * 2_000).quotes  # 4,000 marks: a long text, but one to read


def test_a_long_line_is_parsed_in_pieces_over_the_same_text():
    from quotetrail.nlp import load_nlp
    from quotetrail.parse import PIECE_CHARS, cuts, parse

    text = one_long_line(3 * PIECE_CHARS + 123)
    ends = cuts(text)
    assert len(ends) >= 4 and ends[-1] == len(text)
    assert all(text[end - 1] == " " for end in ends[:-1])  # after a sentence's end, not inside a word
    doc = parse(load_nlp(), text)
    assert doc.text == text and [token.idx for token in doc] == sorted(token.idx for token in doc)
    article = quotetrail.extract(text)
    assert len(article.quotes) > 150
    assert all(text[quote.start:quote.end] == quote.text for quote in article.quotes)


def test_the_taggers_grouping_finds_the_nearest_span_by_bisection():
    import random

    from quotetrail.attribute.learned import Tagged, _gap, _nearest

    chooser = random.Random(23)
    for _ in range(2000):
        spans, position = [], 0
        for _ in range(chooser.randint(1, 9)):
            position += chooser.randint(0, 3)
            length = chooser.randint(1, 4)
            spans.append(Tagged(chooser.choice("CS"), position, position + length, 0))
            position += length
        to = spans.pop(chooser.randrange(len(spans)))
        cues = [span for span in spans if span.label == "C"]
        assert _nearest(cues, to) == min(cues, key=lambda span: (_gap(span, to), span.start), default=None)


def in_a_thread(work):
    """work() run in another thread (as a Dask worker or a web server runs it): its result or exception."""
    import threading

    found: dict = {}

    def run() -> None:
        try:
            found["result"] = work()
        except BaseException as error:  # handed to the test
            found["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    return found


def test_the_time_limit_holds_in_threads_too():
    import time

    from quotetrail import batch

    quotetrail.extract(STORY)  # the models, outside the timing
    documents = [Document("slow", one_long_line(400_000), {}), Document("story", STORY, {})]
    started = time.monotonic()
    found = in_a_thread(lambda: list(batch.run(documents, doc_timeout=2)))
    assert time.monotonic() - started < 4 + 2
    slow, story = found["result"]
    assert slow.failure is not None and slow.failure.reason.startswith("timed out") and story.article is not None
    assert isinstance(in_a_thread(lambda: quotetrail.extract(one_long_line(400_000), timeout=2))["error"],
                      quotetrail.DocumentTimeout)


def test_a_limit_that_expires_as_its_block_ends_never_strikes_after_it():
    import time

    from quotetrail.limits import DocumentTimeout, time_limit

    def many_close_calls() -> tuple[int, int]:
        inside = outside = 0
        for attempt in range(3000):
            try:
                with time_limit(0.0005 * (attempt % 7 + 1)):
                    time.sleep(0.0005 * (attempt % 5))  # 0 to 2 ms, the GIL let go: some blocks end before their limit, some after
            except DocumentTimeout:
                inside += 1
            try:
                sum(range(20_000))  # after the block: a timeout here would hit the caller's code
            except DocumentTimeout:
                outside += 1
        return inside, outside

    inside, outside = in_a_thread(many_close_calls)["result"]
    assert outside == 0 and inside > 0


def test_parquet_output_keeps_the_time_limit_per_document(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "slow.txt").write_text(one_long_line(400_000), encoding="utf-8")
    (articles / "story.txt").write_text(STORY, encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    assert main(["extract", str(articles), "--format", "parquet", "-o", str(tmp_path / "out"),
                 "--doc-timeout", "2", "--errors", str(errors)]) == 1
    [failure] = [json.loads(line) for line in errors.read_text().splitlines()]
    assert failure["id"].endswith("slow.txt") and failure["reason"].startswith("timed out: over 2 s")
    stored = list(parts.read_articles(tmp_path / "out", pytest.fail))
    assert [article.meta["id"] for article in stored] == [str(articles / "story.txt")]


@pytest.mark.parametrize("in_thread", [False, True], ids=["main thread", "other thread"])
def test_a_limit_that_strikes_where_exceptions_are_swallowed_strikes_again(in_thread):
    import gc
    import time

    from quotetrail.limits import DocumentTimeout, time_limit

    calls = []

    def swallowing(phase: str, info: dict) -> None:  # a garbage-collector callback: what it raises is dropped
        if not calls:  # the first collection outlasts the limit: the limit strikes in here
            calls.append(phase)
            deadline = time.monotonic() + 0.4
            while time.monotonic() < deadline:
                pass

    def limited() -> float:
        started = time.monotonic()
        with pytest.raises(DocumentTimeout):
            with time_limit(0.2):
                gc.collect()
                while time.monotonic() < started + 5:
                    sum(range(1000))
        return time.monotonic() - started

    gc.callbacks.append(swallowing)
    try:
        took = in_a_thread(limited)["result"] if in_thread else limited()
    finally:
        gc.callbacks.remove(swallowing)
    assert calls and took < 3  # not the 5 s the loop would run: struck again
