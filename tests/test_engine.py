"""Extraction to Parquet parts: the local engine and a Dask cluster (a scheduler
and 2 worker processes, started here) write the same articles as an in-process run; parts
load back into the corpus; a deleted part is redone alone on --resume; a task
whose worker dies is retried; failures are reported per document and per task."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import fields
from pathlib import Path

import pytest
from test_inputs import write_warc

from quotetrail import batch
from quotetrail.cli import main
from quotetrail.corpus import Corpus
from quotetrail.inputs import Fetcher, InputOptions, Preparer, read_inputs
from quotetrail.model import Article, Document, Entity, Item, Quote, Source

pq = pytest.importorskip("pyarrow.parquet")
engine = pytest.importorskip("quotetrail.engine")
from quotetrail.engine import dask as dask_engine  # noqa: E402 - after the skip for a missing pyarrow
from quotetrail.engine import local, parts, tasks  # noqa: E402

ARTICLES = {
    "ferries.txt": "Ferry operator Lena Okafor said in an interview with the regional broadcaster Harbour Radio "
                   "that winter crossings would be halved.\n"
                   "According to the Saltmere Gazette, Okafor said the union had rejected the plan.\n"
                   "“We cannot sail empty boats through January,” SaltmereGazette notes.\n"
                   "Sources: Saltmere Gazette, Harbour Radio\n",
    "bridge.txt": "City engineer Tomasz Wrona warned that the old bridge needed urgent repairs.\n"
                  "“The cables are older than I am,” he said at a council meeting on Thursday.\n"
                  "Mayor Ines Carvalho said the council would find the money.\n",
    "orchard.txt": "Growers expect a poor apple harvest, farm leader Ruth Adeyemi said on Friday.\n"
                   "“Three frosts in April did the damage,” Adeyemi said.\n"
                   "She added that prices would rise by autumn, the Valley Ledger reports.\n",
    "schools.txt": "Head teacher Samuel Brandt said the new timetable had cut absences.\n"
                   "“Pupils come in when lessons start later,” Brandt told parents.\n",
}
TESTS = str(Path(__file__).parent)
FEED_STORY = {"id": "wire-7", "text": "Rail unions said the strike would go ahead. “Talks have failed,” "
                                     "union spokesman Idris Mensah told the Northern Wire.\n",
              "url": "https://wire.example/rail", "title": "Rail strike on", "sitename": "Northern Wire"}


def write_inputs(root: Path) -> list[str]:
    """A directory of text files (with an empty and a binary one), a JSONL dump and a WARC."""
    articles = root / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    (articles / "empty.txt").write_text("")
    (articles / "scan.txt").write_bytes(b"\x00\x01PK\x03\x04" * 10)
    dump = root / "wire.jsonl"
    dump.write_text(json.dumps(FEED_STORY) + "\n" + json.dumps({"id": "wire-8"}) + "\n", encoding="utf-8")
    write_warc(root / "crawl.warc.gz")
    return [str(articles), str(dump), str(root / "crawl.warc.gz")]


def comparable(article: Article) -> dict:
    """All of an article; its entities sorted: the link stage lists people of equally long names
    in an order that varies from process to process (string hashing)."""
    data = article.to_dict(include_text=True)
    return {**data, "entities": sorted(data["entities"], key=lambda entity: entity["name"])}


def in_process(sources: list[str]) -> dict[str, dict]:
    """What `quotetrail extract --format jsonl` writes, by document id."""
    with Fetcher() as fetcher:
        outcomes = batch.run(read_inputs(sources, InputOptions(), fetcher), prepare=Preparer())
        return {outcome.id: comparable(outcome.article) for outcome in outcomes if outcome.article}


def from_parts(out: Path) -> dict[str, dict]:
    bad: list = []
    loaded = {article.meta["id"]: comparable(article) for article in parts.read_articles(out, bad.append)}
    assert not bad
    return loaded


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    return write_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def expected(inputs) -> dict[str, dict]:
    return in_process(inputs)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """docs/scale.md's multi-machine recipe on one machine: `dask scheduler`, and `dask worker` with
    2 worker processes, each its own process as on separate hosts. Shared by the Dask tests."""
    distributed = pytest.importorskip("distributed")
    root = tmp_path_factory.mktemp("cluster")
    dask_command = str(Path(sys.executable).parent / "dask")
    logs = (root / "dask.log").open("w")
    # Scheduler and workers import this module to unpickle CrashWorkerOnce, as a deployment ships its code.
    # Beside the code under test (PYTHONPATH, when set: a source tree other than the installed one).
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (TESTS, os.environ.get("PYTHONPATH"))))}
    started = [subprocess.Popen([dask_command, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(root / "scheduler.json")], stdout=logs, stderr=logs,
                                env=environment)]
    try:
        deadline = time.monotonic() + 60
        while not (root / "scheduler.json").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        started.append(subprocess.Popen([dask_command, "worker", "--scheduler-file", str(root / "scheduler.json"),
                                         "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
                                        stdout=logs, stderr=logs, env=environment))
        with distributed.Client(scheduler_file=str(root / "scheduler.json"), timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            address = client.scheduler.address
        yield address
    finally:
        for process in reversed(started):  # workers first, then the scheduler
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        logs.close()


def test_from_dict_inverts_to_dict_and_tolerates_other_versions(extract):
    article = extract(ARTICLES["ferries.txt"] + ARTICLES["bridge.txt"])
    article.meta["id"] = "ferries"
    assert article.quotes and article.sources and article.entities
    data = article.to_dict(include_text=True)
    assert Article.from_dict(data) == article
    newer = json.loads(json.dumps(data))
    newer["quotes"][0]["method"] = "model"  # a field a later version adds
    newer["quotes"][0]["speaker"]["wikidata"] = "Q1"
    del newer["quotes"][0]["confidence"], newer["quotes"][0]["reported_by"]  # fields an older one lacked
    loaded = Article.from_dict(newer)
    assert loaded.quotes[0].text == article.quotes[0].text and loaded.quotes[0].reported_by == []
    assert loaded.quotes[0].speaker == article.quotes[0].speaker
    assert Article.from_dict({"quotes": [], "entities": [], "sources": []}).text == ""


def test_parquet_schema_has_a_column_for_every_field():
    """A field added to the model without a column would be dropped from every part."""
    columns = {table: set(schema.names) for table, schema in parts.SCHEMAS.items()}
    assert {f.name for f in fields(Quote)} <= columns["quotations"]
    assert {f.name for f in fields(Source)} <= columns["sources"]
    assert {f.name for f in fields(Article)} - {"quotes", "sources"} <= columns["articles"]
    entity = parts.SCHEMAS["articles"].field("entities").type.value_type
    assert {f.name for f in fields(Entity)} == {entity.field(i).name for i in range(entity.num_fields)}


def test_plan_cuts_inputs_into_tasks_with_stable_names(tmp_path):
    sources = write_inputs(tmp_path)
    (tmp_path / "news.rss").write_text("<rss></rss>")
    named = [*sources, str(tmp_path / "news.rss"), "https://news.example/story", str(tmp_path / "missing.txt"),
             str(tmp_path / "none-*.html")]
    planned, failures = tasks.plan(named, files_per_task=4)
    assert [failure.reason for failure in failures] == ["no such file", "no files match"]
    by_sources = {task.sources: task for task in planned}
    assert (sources[1],) in by_sources and (sources[2],) in by_sources  # one task per JSONL, per WARC
    chunks = [task for task in planned if task.sources[0].startswith(sources[0])]
    assert [len(task.sources) for task in chunks] == [4, 2]  # six files in the directory, four a task
    fetched = [task for task in planned if task.local_only]
    assert len(fetched) == 1 and fetched[0].sources == (str(tmp_path / "news.rss"), "https://news.example/story")
    assert tasks.plan(named, files_per_task=4)[0] == planned
    assert len({task.part for task in planned}) == len(planned)
    out = tmp_path / "out"
    assert main(["extract", *named, "--engine", "dask", "--format", "parquet", "-o", str(out)]) == 2
    assert not out.exists()  # refused before anything was written or started


def test_local_parquet_matches_in_process_and_loads_into_corpus(inputs, expected, tmp_path):
    out, errors = tmp_path / "out", tmp_path / "errors.jsonl"
    assert main(["extract", *inputs, "--format", "parquet", "-o", str(out), "--errors", str(errors)]) == 1
    assert from_parts(out) == expected
    failed = {record["id"]: record["reason"] for record in map(json.loads, errors.read_text().splitlines())}
    assert failed[str(Path(inputs[0]) / "empty.txt")] == "empty input"
    assert "binary" in failed[str(Path(inputs[0]) / "scan.txt")]
    assert "no text" in failed["wire-8"]
    # The tables read as datasets, the way DuckDB and Spark read them.
    quotations = pq.read_table(out / "quotations")
    assert quotations.num_rows == sum(len(article["quotes"]) for article in expected.values())
    assert quotations.schema.equals(parts.SCHEMAS["quotations"])
    speakers = {(row["article_id"], row["name"]): row["quotes"] for row in pq.read_table(out / "speakers").to_pylist()}
    assert speakers == Counter((id, quote["speaker"]["name"]) for id, article in expected.items()
                               for quote in article["quotes"] if quote["speaker"])
    assert speakers[str(Path(inputs[0]) / "ferries.txt"), "Lena Okafor"] == 3
    sources = pq.read_table(out / "sources").to_pylist()
    assert {"name": "Saltmere Gazette", "roles": ["relay", "listed"]} in [
        {"name": row["name"], "roles": row["roles"]} for row in sources]
    articles = {row["id"]: row for row in pq.read_table(out / "articles").to_pylist()}
    assert articles["wire-7"]["outlet"] == "Northern Wire" and articles["wire-7"]["url"] == "https://wire.example/rail"
    assert not list(out.rglob(".*.tmp"))

    # Loading the parts makes the corpus that extracting the inputs again would make.
    from_out, from_inputs = tmp_path / "parts.db", tmp_path / "inputs.db"
    assert main(["ingest", str(out), "--db", str(from_out)]) == 0
    assert main(["ingest", *inputs, "--db", str(from_inputs)]) == 1  # the same three failures
    with Corpus(from_out) as loaded, Corpus(from_inputs) as extracted:
        assert loaded.stats() == extracted.stats() and loaded.stats().quotes > 10
        assert loaded.search("empty boats")[0].speaker == "Lena Okafor"
        assert loaded.search("cables") == extracted.search("cables")
    assert main(["extract", *inputs, "--format", "parquet", "-o", str(out)]) == 2  # no silent overwrite


def test_dask_cluster_matches_in_process(inputs, expected, scheduler, tmp_path):
    out = tmp_path / "out"
    status = main(["extract", *inputs, "--engine", "dask", "--scheduler", scheduler, "--format", "parquet",
                   "-o", str(out), "--errors", str(tmp_path / "errors.jsonl")])
    assert status == 1  # the empty, binary and textless documents
    assert from_parts(out) == expected
    assert len((tmp_path / "errors.jsonl").read_text().splitlines()) == 3


def test_dask_resume_redoes_only_a_deleted_part(inputs, expected, scheduler, tmp_path):
    settings = engine.Settings(str(tmp_path / "out"))
    run = lambda todo, settings: dask_engine.run_tasks(todo, settings, scheduler=scheduler)  # noqa: E731
    first = engine.extract_parts(inputs, settings, run)
    assert len(first.written) == 3 and first.failed_tasks == 0
    files = {path: path.stat().st_mtime_ns for path in (tmp_path / "out").rglob("*.parquet")}
    deleted = tmp_path / "out" / "articles" / f"{first.written[1]}.parquet"
    deleted.unlink()
    second = engine.extract_parts(inputs, settings, run, resume=True)
    assert second.written == [first.written[1]] and second.already_done == 2
    unchanged = [path for path, mtime in files.items() if first.written[1] not in path.name]
    assert all(path.stat().st_mtime_ns == files[path] for path in unchanged)
    assert from_parts(tmp_path / "out") == expected
    with pytest.raises(parts.PartError, match="--resume"):
        engine.extract_parts(inputs, settings, run)


class CrashWorkerOnce:
    """Kills the worker process the first time it prepares `victim`, as an out-of-memory kill would."""

    def __init__(self, victim: str, flag: str) -> None:
        self.victim, self.flag = victim, flag

    def __call__(self, document: Document) -> Item:
        if document.id == self.victim and not os.path.exists(self.flag):
            Path(self.flag).touch()
            os._exit(137)
        return Preparer()(document)


def test_dask_retries_the_task_of_a_killed_worker(inputs, expected, scheduler, tmp_path):
    flag = tmp_path / "crashed"
    victim = str(Path(inputs[0]) / "orchard.txt")
    settings = engine.Settings(str(tmp_path / "out"), prepare=CrashWorkerOnce(victim, str(flag)))
    failures = []
    report = engine.extract_parts(inputs, settings, lambda todo, settings: dask_engine.run_tasks(
        todo, settings, scheduler=scheduler), on_failure=failures.append)
    assert flag.exists(), failures  # a worker died on it
    assert report.failed_tasks == 0 and len(report.written) == 3
    assert from_parts(tmp_path / "out") == expected
    assert not list((tmp_path / "out").rglob(".*.tmp"))  # the killed worker's half-written files too


def test_a_task_that_keeps_failing_is_retried_then_reported_for_its_inputs(scheduler, tmp_path):
    sources = write_inputs(tmp_path)
    warc = Path(sources[2])

    def run_after_the_archive_moved(todo, settings):  # gone between planning and running
        warc.rename(tmp_path / "elsewhere.warc.gz")
        return dask_engine.run_tasks(todo, settings, scheduler=scheduler, retries=1)

    failures = []
    report = engine.extract_parts(sources, engine.Settings(str(tmp_path / "out")), run_after_the_archive_moved,
                                  on_failure=failures.append)
    assert report.failed_tasks == 1 and len(report.written) == 2
    [lost] = [failure for failure in failures if failure.id == str(warc)]
    assert lost.reason.startswith("task failed: PartError: ") and "is not visible on" in lost.reason
    assert "(part crawl_warc_gz-" in lost.reason and report.tally.failed["task failed"] == 1
    with pytest.raises(parts.PartError, match="fetched by the local engine only"):
        list(dask_engine.run_tasks(tasks.plan(["https://news.example/a"])[0], engine.Settings(str(tmp_path / "out")),
                                   scheduler=scheduler))
