"""`quotetrail serve` under load: start-up time, and p50/p95 latency of the search, quotation,
speaker and trace pages and their API calls, 8 clients at once on 127.0.0.1. "counts" is the
request the search page makes once its results show (facets and timeline over the first 1,000
hits: /counts, and the API's search with facets=...&timeline=true).

The corpus is bench/corpus.py's synthetic one (no spaCy): 100,000 quotations in 20,000
articles, about 3,000 speakers, 40 outlets over a year, 3% relayed near-duplicates. Searches
use bench/corpus.py's query mix: one or two words drawn with the bundled texts' word
frequencies (so common words too), half with a speaker, a third with an outlet, a quarter
with a month. Each kind of request runs --requests times (default 200), shared by the clients,
and the whole load stops after --max-seconds. Then each kind runs --cpu-requests times with one
client, for the server's CPU time per request (all its processes), pages and API each on
requests of their own, drawn apart from the load's (a server keeps a search's counts and a
speaker's profile, so a repeated request costs less). The server runs as `serve` does by
default, or with --workers N processes.

    python bench/web.py [--quotes 100000] [--requests 200] [--clients 8] [--workers N] [--db PATH]
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_articles, vocabulary  # noqa: E402  (bench/corpus.py)

from quotetrail.corpus import Corpus  # noqa: E402
from quotetrail.corpus.read import fields  # noqa: E402

KINDS = ("search", "counts", "quote", "speaker", "trace")
COUNTED = f"facets={','.join(fields.facets())}&timeline=true"  # what the search page fetches after its results


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, workers: int | None) -> tuple[subprocess.Popen, int, float]:
    """The server process, its port, and seconds from launch to the first answered request."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "quotetrail.cli", "serve", "--db", str(db), "--port", str(port),
                                *(["--workers", str(workers)] if workers else [])], stderr=subprocess.DEVNULL)
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/static/style.css")
            connection.getresponse().read()
            return process, port, time.perf_counter() - started
        except OSError:
            if process.poll() is not None:
                raise SystemExit("serve exited before answering")
            time.sleep(0.01)


def server_pids(pid: int) -> list[int]:
    """The server's process and its descendants (its serving processes), from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo += children.get(found[-1], [])
    return found


def _status_kb(pid: int, field: str, name: str = "status") -> int:
    for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory_mb(pid: int) -> tuple[float, float]:
    """The server's processes' peak resident memory (VmHWM) summed, pages of the memory-mapped
    database included in each; and their proportional share now (PSS: shared pages counted once)."""
    pids = server_pids(pid)
    return (sum(_status_kb(each, "VmHWM") for each in pids) / 1024,
            sum(_status_kb(each, "Pss", "smaps_rollup") for each in pids) / 1024)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the server's processes so far."""
    total = 0
    for each in server_pids(pid):
        stat = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(stat[11]) + int(stat[12])
    return total / os.sysconf("SC_CLK_TCK")


def import_time(modules: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {modules}"], check=True)
    return time.perf_counter() - started


def requests(db: Path, count: int, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(page path, API path) pairs for each kind of request."""
    import sqlite3

    conn = sqlite3.connect(db)
    quote_ids = [row[0] for row in conn.execute("SELECT id FROM quotations ORDER BY random() LIMIT ?", (count,))]
    relayed = [row[0] for row in conn.execute(
        "SELECT q.id FROM quotations q JOIN relays r ON r.quote_id = q.id ORDER BY random() LIMIT ?", (count // 2,))]
    speakers = [row[0] for row in conn.execute("SELECT name FROM speakers ORDER BY random() LIMIT ?", (count,))]
    conn.close()
    words, weights = vocabulary()
    searches = []
    for n in range(count):
        query = {"q": " ".join(rng.choices(words, weights, k=rng.randint(1, 2)))}
        if n % 2:
            query["speaker"] = rng.choice(speakers)
        if n % 3 == 0:
            query["outlet"] = f"Outlet {rng.randrange(40)}"
        if n % 4 == 0:
            month = rng.randint(1, 11)
            query.update(since=f"2024-{month:02d}-01", until=f"2024-{month + 1:02d}-01")
        searches.append(urlencode(query))
    traced = (relayed + quote_ids)[:count]
    return {
        "search": [(f"/?{query}", f"/api/v1/search?{query}") for query in searches],
        "counts": [(f"/counts?{query}", f"/api/v1/search?{query}&{COUNTED}") for query in searches],
        "quote": [(f"/quotes/{quote_id}", f"/api/v1/quotes/{quote_id}") for quote_id in quote_ids],
        "speaker": [(f"/speaker?{urlencode({'name': name})}", f"/api/v1/speakers?{urlencode({'name': name})}")
                    for name in speakers],
        "trace": [(f"/quotes/{quote_id}/trace", f"/api/v1/quotes/{quote_id}/trace") for quote_id in traced],
    }


def settle(pid: int, quiet: float = 0.05, longest: float = 60) -> None:
    """Wait until the server's processes are up and done warming up (serve loads what trace
    pages need in a thread once listening): a second in which they use under `quiet` s of CPU,
    after the first few."""
    time.sleep(3)
    deadline = time.monotonic() + longest
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(pid)
        if now - before < quiet:
            return
        before = now


def load(port: int, work: list[tuple[str, str, str]], clients: int, max_seconds: float
         ) -> tuple[dict[tuple[str, str], list[float]], int, float]:
    """Run work (kind, page|api, path) with `clients` keep-alive connections; latencies by (kind, side)."""
    timings: dict[tuple[str, str], list[float]] = {}
    failures = 0
    lock = threading.Lock()
    queue = iter(work)
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        nonlocal failures
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            kind, side, path = item
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):  # (a keep-alive the server closed: count it, go on)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    failures += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                if response.status >= 400:  # (a request the bench got wrong would look fast)
                    failures += 1
                timings.setdefault((kind, side), []).append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, failures, time.perf_counter() - started


def ms(samples: list[float], share: float) -> str:
    if len(samples) < 2:
        return "-"
    return f"{statistics.quantiles(samples, n=100, method='inclusive')[round(share * 100) - 1] * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="of each kind, pages and API each")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, help="serve --workers (default: serve's own)")
    parser.add_argument("--startups", type=int, default=3, help="launches timed to the first answer")
    parser.add_argument("--cpu-requests", type=int, default=50, help="of each kind, for CPU time per request")
    parser.add_argument("--db", type=Path, help="reuse or keep the database here (default: a temporary file)")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "web.db"
        if not db.exists():
            started = time.perf_counter()
            with Corpus(db) as corpus:
                report = corpus.ingest_articles(make_articles(args.quotes))
            print(f"built {report.quotes:,} quotations in {time.perf_counter() - started:.0f} s")
        # Start-up: three launches, each beside the bare import of the web stack it needs.
        startups, bare = [], []
        for _ in range(args.startups):
            bare.append(import_time("fastapi, uvicorn, jinja2"))
            process, port, seconds = start_server(db, args.workers)
            startups.append(seconds)
            process.terminate()
            process.wait()
        if startups:
            print(f"start-up to first answer: median {statistics.median(startups):.2f} s "
                  f"(importing fastapi, uvicorn and jinja2 alone: {statistics.median(bare):.2f} s)")

        plan = requests(db, args.requests, rng)
        fresh = requests(db, 2 * args.cpu_requests, rng)  # for CPU time, pages and API each their own
        # A server keeps a speaker's profile: the CPU pass asks for speakers the load did not.
        fresh["speaker"] = [pair for pair in fresh["speaker"] if pair not in plan["speaker"]]
        work = [(kind, side, pair[index]) for kind in KINDS for pair in plan[kind]
                for index, side in enumerate(("page", "api"))]
        rng.shuffle(work)
        process, port, _ = start_server(db, args.workers)
        try:
            settle(process.pid)
            cpu_before = cpu_seconds(process.pid)
            load_average = os.getloadavg()[0]  # (a shared machine: other load slows every request)
            timings, failures, seconds = load(port, work, args.clients, args.max_seconds)
            load_average = (load_average, os.getloadavg()[0])
            cpu_load = cpu_seconds(process.pid) - cpu_before
            peak, pss = memory_mb(process.pid)
            processes = len(server_pids(process.pid))
            cpu = {}
            for kind in KINDS:  # one client: the server's CPU time per request of each kind
                for index, side in enumerate(("page", "api")):
                    start = index * args.cpu_requests
                    paths = [pair[index] for pair in fresh[kind][start:start + args.cpu_requests]]
                    before = cpu_seconds(process.pid)
                    load(port, [(kind, side, path) for path in paths], 1, args.max_seconds)
                    cpu[kind, side] = (cpu_seconds(process.pid) - before) / max(len(paths), 1)
        finally:
            process.terminate()
            process.wait()
        done = sum(len(samples) for samples in timings.values())
        print(f"{done:,} requests by {args.clients} clients in {seconds:.1f} s ({done / seconds:.0f}/s), "
              f"{failures} errors; server: {processes} processes, CPU {1000 * cpu_load / max(done, 1):.1f} ms "
              f"a request, peak RSS {peak:,.0f} MB summed over processes (PSS now {pss:,.0f} MB); "
              f"load average {load_average[0]:.1f} before, {load_average[1]:.1f} after")
        print("| request | page p50 ms | page p95 ms | API p50 ms | API p95 ms | n (page/API) | CPU ms (page/API) |")
        print("|---|---|---|---|---|---|---|")
        for kind in KINDS:
            page, api = timings.get((kind, "page"), []), timings.get((kind, "api"), [])
            print(f"| {kind} | {ms(page, .5)} | {ms(page, .95)} | {ms(api, .5)} | {ms(api, .95)} | "
                  f"{len(page)}/{len(api)} | {1000 * cpu[kind, 'page']:.1f}/{1000 * cpu[kind, 'api']:.1f} |")


if __name__ == "__main__":
    main()
