"""`quotetrail serve` as a user runs it: several serving processes by default, each reading
the corpus on its own, answering as one server, all stopped with it."""
from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from web_corpus import FERRY, build  # noqa: E402

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _serving_processes(pid: int) -> list[int]:
    """The spawned serving processes under the server (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid and b"multiprocessing.spawn" in command:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_serve_with_two_processes_answers_as_the_library_does(tmp_path):
    from quotetrail.corpus import Corpus

    db = build(tmp_path / "corpus.db")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "quotetrail.cli", "serve", "--db", str(db), "--port", str(port),
                               "--workers", "2"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = _get(port, "/api/v1/search?q=ferry")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "serve never answered"
                time.sleep(0.2)
        assert status == 200
        with Corpus(db) as corpus:
            expected = [record.id for record in corpus.search("ferry")]
        assert [quote["id"] for quote in json.loads(body)["quotes"]] == expected and FERRY in body.decode()
        while len(_serving_processes(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = _serving_processes(server.pid)
        assert len(workers) == 2
        for path in ("/", "/speaker?name=Varga", "/quotes/1/trace", "/outlets"):
            assert _get(port, path)[0] == 200, path
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert all(not Path(f"/proc/{pid}").exists() for pid in workers)  # stopped with the server
