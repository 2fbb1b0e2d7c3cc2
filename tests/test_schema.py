"""The corpus schema: one current definition and upgrades from older versions, which
give the same database; an upgrade complete when it returns; a corpus nobody can
write still read by every reader."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from test_corpus_incremental import v1_corpus

import quotetrail
from quotetrail.corpus import Corpus, schema
from quotetrail.corpus.database import connect

V1_SCHEMA = Path(__file__).with_name("schema_v1.sql")


def structure(path: Path) -> dict[str, dict]:
    """Every table, index, trigger and view as SQLite describes it, not as its SQL was
    written: an upgrade's ALTER TABLE appends to the CREATE statement's text."""
    conn = sqlite3.connect(path)
    found: dict[str, dict] = {"": {"user_version": conn.execute("PRAGMA user_version").fetchone()[0]}}
    # Less the planner's statistics (sqlite_stat1), which ANALYZE makes once there is data to count.
    for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                               "WHERE name NOT LIKE 'sqlite_stat%'"):
        entry: dict = {"type": kind, "table": table}
        if kind == "table":
            entry["columns"] = conn.execute(f"PRAGMA table_xinfo('{name}')").fetchall()
            entry["foreign keys"] = conn.execute(f"PRAGMA foreign_key_list('{name}')").fetchall()
            entry["indexes"] = sorted(row[1:] for row in conn.execute(f"PRAGMA index_list('{name}')"))
            entry["kind"] = conn.execute(f"PRAGMA table_list('{name}')").fetchone()[2:]  # type, columns, without rowid, strict
            if sql.startswith("CREATE VIRTUAL"):
                entry["sql"] = " ".join(sql.split())
        elif kind == "index":
            entry["columns"] = conn.execute(f"PRAGMA index_xinfo('{name}')").fetchall()
        else:
            entry["sql"] = " ".join(sql.split())
        found[name] = entry
    conn.close()
    return found


def test_a_new_database_and_an_upgraded_v1_one_are_the_same(tmp_path):
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript(V1_SCHEMA.read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    connect(old, timeout=5, create=False).close()
    connect(tmp_path / "new.db", timeout=5, create=True).close()
    new, upgraded = structure(tmp_path / "new.db"), structure(old)
    assert new[""]["user_version"] == schema.VERSION
    assert sorted(new) == sorted(upgraded)
    for name in new:
        assert new[name] == upgraded[name], name
    for what in ("stale", "stale_families", "unclustered"):  # nothing left to rebuild in either
        for path in (old, tmp_path / "new.db"):
            with sqlite3.connect(path) as conn:
                assert conn.execute(f"SELECT count(*) FROM {what}").fetchone() == (0,), (path, what)


def test_every_older_version_has_an_upgrade():
    assert sorted(schema.UPGRADES) == list(range(1, schema.VERSION))


def test_an_upgrade_is_complete_when_it_returns(tmp_path, capsys):
    from quotetrail.cli import main

    path = tmp_path / "v1.db"
    v1_corpus(path)
    assert main(["speakers", "list", "--db", str(path), "--format", "json"]) == 0  # the first command to open it
    listed = {speaker["name"]: speaker["quotes"] for speaker in json.loads(capsys.readouterr().out)}
    assert listed == {"Tomas Varga": 3, "Maria Delgado": 1}
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM stale_families").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM unclustered").fetchone() == (0,)
    with Corpus(path) as corpus:
        assert corpus.speaker("Maria Delgado")[0].quotes == 1


def test_schema_and_speakers_do_not_import_each_other():
    code = ("import sys; import quotetrail.corpus.schema; "
            "assert 'quotetrail.corpus.speakers' not in sys.modules, 'schema imports speakers'")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    source = Path(quotetrail.__file__).parent / "corpus" / "schema.py"
    assert "speakers" not in "".join(line for line in source.read_text().splitlines() if "import" in line)


# --- a corpus in a directory nobody may write ---------------------------------------------------------------

STORIES = ["Harbour chief Maria Delgado said the port would reopen on Monday after a week of talks.\n"
           "“We have the cranes back and the crews are ready,” Delgado said.\n",
           "City engineer Tomasz Wrona warned that the old bridge needed urgent repairs.\n"
           "“The cables are older than I am,” he said at a council meeting on Thursday.\n"]

READ_ONLY_COMMANDS = [["search", "cranes"], ["trace", "The cables are older than I am"], ["speaker", "Delgado"],
                      ["speakers", "list"], ["export", "--format", "jsonl"]]
SERVE = ("import sys; from fastapi.testclient import TestClient; from quotetrail.web.app import create_app; "
         "client = TestClient(create_app(sys.argv[1]), base_url='http://localhost'); page = client.get('/', params={'q': 'cranes'}); "
         "assert page.status_code == 200 and 'cranes' in page.text, page.text[:500]; print('served')")


@pytest.fixture
def read_only_corpus():
    """A corpus in a directory (and a file) without write permission."""
    folder = Path(tempfile.mkdtemp(prefix="quotetrail-ro-"))
    db = folder / "corpus.db"
    with Corpus(db) as corpus:
        articles = []
        for number, text in enumerate(STORIES):
            article = quotetrail.extract(text)
            article.meta.update({"url": f"https://news.example/{number}", "sitename": "News"})
            articles.append(article)
        corpus.ingest_articles(articles)
    assert not list(folder.glob("*-wal"))
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRWXU & ~stat.S_IWUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    yield db
    folder.chmod(stat.S_IRWXU)
    shutil.rmtree(folder)


def run_as_reader(*arguments: str) -> subprocess.CompletedProcess:
    """Python with arguments, bound by file permissions: as root, without the capability to override them."""
    unprivileged = []
    if os.getuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root, and no setpriv to give up overriding file permissions")
        unprivileged = ["setpriv", "--inh-caps=-dac_override", "--bounding-set=-dac_override"]
    return subprocess.run([*unprivileged, sys.executable, *arguments], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_readers_work_on_a_corpus_nobody_may_write(read_only_corpus):
    for command in READ_ONLY_COMMANDS:
        done = run_as_reader("-c", "import sys; from quotetrail.cli import main; sys.exit(main(sys.argv[1:]))",
                             *command, "--db", str(read_only_corpus))
        assert done.returncode == 0, (command, done.stderr)
        assert "readonly" not in done.stderr and done.stdout.strip(), command
    served = run_as_reader("-c", SERVE, str(read_only_corpus))
    assert served.returncode == 0 and "served" in served.stdout, served.stderr
    story = Path(tempfile.mkdtemp()) / "story.txt"
    story.write_text(STORIES[0].replace("cranes", "tugs"), encoding="utf-8")
    refused = run_as_reader("-c", "import sys; from quotetrail.cli import main; sys.exit(main(sys.argv[1:]))",
                            "ingest", str(story), "--db", str(read_only_corpus))
    assert refused.returncode == 2 and "cannot be written here" in refused.stderr, refused.stderr
    shutil.rmtree(story.parent)
    assert sorted(path.name for path in read_only_corpus.parent.iterdir()) == ["corpus.db"]
