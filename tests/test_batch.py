"""The batch engine at scale: bad inputs reported one by one while the rest is
written, the summary, and a run killed mid-way then resumed without losing or
duplicating a document."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_inputs import FRENCH, STORY, page, write_warc

from quotetrail import batch
from quotetrail.cli import main
from quotetrail.model import Document, Failure, Item, Skipped

NAMES = ["Maria Delgado", "Kwame Osei", "Helena Varga", "Jonas Albrecht", "Amara Nwosu", "Paolo Ferrante"]


def story(number: int) -> str:
    name = NAMES[number % len(NAMES)]
    return (f"Port chief {name} said on Monday that berth {number} would reopen after repairs.\n"
            f"“We expect the first ships within {number % 9 + 2} days,” {name.split()[1]} told reporters.\n")


def refuse_second(document: Document) -> Item:
    if document.id == "second":
        raise RuntimeError("extractor bug")
    return document


def test_run_keeps_order_and_isolates_a_failing_preparation():
    items: list[Item] = [Document("first", story(1)), Failure("unreadable", "no such file"),
                         Document("second", story(2)), Skipped("photo", "not html: image/png"), Document("third", story(3))]
    outcomes = list(batch.run(items, prepare=refuse_second))
    assert [outcome.id for outcome in outcomes] == ["first", "unreadable", "second", "photo", "third"]
    assert outcomes[0].article.meta["id"] == "first" and outcomes[4].article is not None
    assert outcomes[1].failure.reason == "no such file" and outcomes[3].skipped.reason == "not html: image/png"
    assert outcomes[2].failure.reason == "preparation failed: RuntimeError: extractor bug"


def test_tally_groups_reasons():
    tally = batch.Tally()
    for outcome in batch.run([Failure("a", "HTTP 404: Not Found"), Failure("b", "HTTP 404: Not Found"),
                              Failure("c", "too large: 5 bytes"), Skipped("d", "language=fr")]):
        tally.add(outcome)
    summary = tally.summary()
    assert summary.startswith("4 documents in ")
    assert summary.endswith("0 processed, 1 skipped (language=fr: 1), 3 failed (HTTP 404: 2, too large: 1)")


def test_completed_ids_cut_a_partial_last_line(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"meta": {"id": "a"}}) + "\n" + json.dumps({"meta": {"id": "b"}}) + '\n{"quotes": [{"ki')
    assert batch.completed_ids(out) == {"a", "b"}
    assert out.read_text().endswith('"b"}}\n')
    assert batch.completed_ids(tmp_path / "absent.jsonl") == set()


def test_every_bad_input_is_reported_and_the_rest_is_written(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "01_good.txt").write_text(story(1), encoding="utf-8")
    (inbox / "02_good.html").write_text(page(STORY), encoding="utf-8")
    (inbox / "03_broken_tags.html").write_text(
        "<html><body><div><p>Minister Anna Berg said the budget would be balanced next year, "
        "officials confirmed on Friday.</div></span><p>“No new taxes,” she said.", encoding="utf-8")
    (inbox / "04_malformed.html").write_text("<<<!!!>>>" * 200, encoding="utf-8")
    (inbox / "05_no_article.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (inbox / "06_huge.html").write_text(("<p>" + "The mayor said the bridge would open. " * 25 + "</p>\n") * 55_000)
    warc = inbox / "07_cut.warc.gz"
    write_warc(warc)
    data = warc.read_bytes()
    warc.write_bytes(data[: len(data) - 200])
    (inbox / "08_feed.xml").write_text("this is { not xml", encoding="utf-8")
    (inbox / "09_dump.jsonl").write_text(json.dumps({"id": "j1", "text": story(9)}) + "\n{oops\n", encoding="utf-8")
    (inbox / "10_french.html").write_text(page(FRENCH, lang="fr"), encoding="utf-8")
    assert (inbox / "06_huge.html").stat().st_size > 50_000_000
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    status = main(["extract", str(inbox), "--format", "jsonl", "-o", str(out), "--errors", str(errors)])
    assert status == 1
    written = [json.loads(line)["meta"]["id"] for line in out.read_text().splitlines()]
    assert written[:3] == [str(inbox / name) for name in ("01_good.txt", "02_good.html", "03_broken_tags.html")]
    assert written[3].startswith("<urn:uuid:") and written[4] == "j1"  # the WARC's records before the cut
    assert len(written) == 5
    reasons = {Path(failure["id"]).name: failure["reason"] for failure in map(json.loads, errors.read_text().splitlines())}
    assert reasons["04_malformed.html"] == "not HTML: the page could not be parsed"
    assert reasons["05_no_article.html"].startswith("no article text")
    assert reasons["06_huge.html"].startswith("too large: ")
    assert reasons["07_cut.warc.gz"].startswith("truncated or corrupt WARC: ")
    assert reasons["07_cut.warc.gz"].endswith("(after 3 records)")
    assert reasons["08_feed.xml"].startswith("not a feed")
    assert reasons["09_dump.jsonl:2"].startswith("not JSON")
    assert len(reasons) == 6
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "5 processed" in err[0] and "6 failed" in err[0]
    assert "3 skipped (" in err[0] and "language=fr: 1" in err[0]


def test_resume_requires_a_jsonl_output(tmp_path, capsys):
    assert main(["extract", str(tmp_path), "--resume"]) == 2
    assert "--resume needs --format jsonl and -o OUT" in capsys.readouterr().err


def test_killed_run_resumes_without_losing_or_duplicating(tmp_path):
    dump = tmp_path / "dump.jsonl"
    count = 240
    dump.write_text("".join(json.dumps({"id": f"doc-{n:03}", "text": story(n)}) + "\n" for n in range(count)))
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "quotetrail.cli", "extract", str(dump), "--format", "jsonl", "-o", str(out)]
    # Its own process group, so the kill reaches the worker processes too.
    run = subprocess.Popen([*command, "--workers", "2"], stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while (not out.exists() or not out.read_bytes().count(b"\n")) and time.monotonic() < deadline:
        assert run.poll() is None, "the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    first = out.read_bytes().count(b"\n")
    assert 0 < first < count
    with out.open("a") as file:
        file.write('{"quotes": [{"kind": "dir')  # as if killed in the middle of a line
    resumed = subprocess.run([*command, "--resume", "--workers", "1"], capture_output=True, text=True, timeout=300,
                             check=False)
    assert resumed.returncode == 0, resumed.stderr
    ids = [json.loads(line)["meta"]["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == [f"doc-{n:03}" for n in range(count)]  # each exactly once
    assert f"{count} documents" in resumed.stderr and f"{first} skipped (already in output: {first})" in resumed.stderr
