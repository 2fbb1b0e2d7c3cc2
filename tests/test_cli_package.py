"""The command line as one package: commands load only what they use, shared options
are the same everywhere, the corpus lock wait is its own flag, options travel as
settings rather than environment variables, and docs/cli.md is current."""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quotetrail.cli import build_parser, main
from quotetrail.cli.docs import render
from quotetrail.settings import RULES_ONLY_ENV

sys.path.insert(0, str(Path(__file__).parent))
from web_corpus import FERRY, build  # noqa: E402

HEAVY = ("spacy", "trafilatura", "httpx", "quotetrail.inputs", "quotetrail.pipeline", "quotetrail.batch")
DOCS = Path(__file__).parent.parent / "docs" / "cli.md"


def _loaded_after(code: str, *args: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running code (argv: args)."""
    probe = f"{code}\nimport sys\nprint(sorted(name for name in {HEAVY!r} if name in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1].replace("'", '"'))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("cli") / "corpus.db")


def test_building_every_parser_loads_no_model_and_no_reader():
    assert _loaded_after("from quotetrail.cli import build_parser; build_parser()") == []


@pytest.mark.parametrize("command", [
    ["search", "ferry"], ["search", "--speaker", "Varga"], ["trace", FERRY], ["speaker", "Varga"], ["speakers", "list"],
    ["outlets"], ["outlets", "--relaying", "Saltmere Gazette"], ["export", "--format", "jsonl"],
    ["search", "ferry", "--outlet", "Saltmere Gazette"]])
def test_corpus_commands_load_no_model_and_no_reader(corpus, command):
    code = "import sys; from quotetrail.cli import main\nassert main([*sys.argv[1:-1], '--db', sys.argv[-1]]) == 0"
    assert _loaded_after(code, *command, str(corpus)) == []


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def _command(name: str) -> argparse.ArgumentParser:
    (subparsers,) = [action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)]
    return subparsers.choices[name]


def _failure(argv: list[str], capsys) -> tuple[int, str]:
    """Exit status and stderr of a command that should fail (usage errors exit through argparse)."""
    try:
        status = main(argv)
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    assert captured.out == ""
    return status, captured.err


@pytest.mark.parametrize("argv, flag", [
    (["search", "ferry", "--db", "{missing}"], "--db"),
    (["speaker", "Varga", "--db", "{missing}"], "--db"),
    (["serve", "--db", "{missing}"], "--db"),
    (["search", "ferry", "--db", "{db}", "--since", "2024-13-01"], "--since"),
    (["search", "ferry", "--db", "{db}", "--until", "next week"], "--until"),
    (["search", "ferry", "--db", "{db}", "--kinds", "quips"], "--kinds"),
    (["export", "--db", "{db}", "--kinds", "quips"], "--kinds"),
    (["extract", "{article}", "--spacy-model", "xx_no_such_model"], "--spacy-model"),
    (["extract", "{article}", "--model", "quick"], "--model"),
    (["serve", "--db", "{db}", "--workers", "0"], "--workers"),
])
def test_a_common_failure_is_one_line_naming_the_flag(corpus, tmp_path, capsys, argv, flag):
    article = tmp_path / "ferry.txt"
    article.write_text("“The ferry will run,” said Ilse Varga.\n", encoding="utf-8")
    places = {"missing": str(tmp_path / "absent.db"), "db": str(corpus), "article": str(article)}
    status, err = _failure([arg.format(**places) for arg in argv], capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("quotetrail") and ": error: " in err and flag in err
    assert not (tmp_path / "absent.db").exists()


def test_ingest_takes_every_input_and_extraction_option_of_extract():
    only_extract = {"--format", "-o", "--output", "--engine", "--scheduler", "--resume", "--errors"}
    assert _options(_command("extract")) - only_extract <= _options(_command("ingest"))
    assert {"--urls", "--language", "--text-field", "--deadline", "--model", "--spacy-model",
            "--doc-timeout"} <= _options(_command("ingest"))


def test_lock_timeout_is_its_own_flag_and_the_error_names_it(corpus, tmp_path, capsys):
    db = tmp_path / "locked.db"
    db.write_bytes(corpus.read_bytes())
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        assert main(["speakers", "merge", "Varga", "Ilse Varga", "--db", str(db), "--lock-timeout", "0.1"]) == 2
        error = capsys.readouterr().err.strip()
        assert len(error.splitlines()) == 1
        assert "locked by another process (gave up after 0.1 s)" in error and "--lock-timeout" in error
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # In ingest, as in extract, --timeout is the HTTP timeout; the lock wait is --lock-timeout.
    ingest = _command("ingest").parse_args(["page.html", "--timeout", "3", "--lock-timeout", "9"])
    assert (ingest.timeout, ingest.lock_timeout) == (3.0, 9.0)


def test_ingest_with_nothing_named_creates_no_database(tmp_path, capsys):
    assert main(["ingest", "--db", str(tmp_path / "new.db")]) == 2
    assert "nothing to ingest" in capsys.readouterr().err and not (tmp_path / "new.db").exists()


def test_options_reach_the_extraction_without_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(RULES_ONLY_ENV, raising=False)
    article = tmp_path / "mayor.txt"  # the tagger finds this quotation; the rules alone do not (test_attribution_model)
    article.write_text("Mayor Ilse Varga expressed alarm that hundreds of families would lose their income.\n",
                       encoding="utf-8")
    assert main(["ingest", str(article), "--db", str(tmp_path / "c.db"), "--rules-only"]) == 0
    assert RULES_ONLY_ENV not in os.environ
    stored = [text for (text,) in sqlite3.connect(tmp_path / "c.db").execute("SELECT text FROM quotations")]
    assert not any("hundreds of families" in text for text in stored)


def test_serve_rules_only_reaches_the_analyse_worker(corpus, monkeypatch):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from quotetrail.cli.options import analysis
    from quotetrail.web.app import create_app

    monkeypatch.delenv(RULES_ONLY_ENV, raising=False)
    args = build_parser("serve").parse_args(["serve", "--db", str(corpus), "--rules-only"])
    text = "Mayor Ilse Varga expressed alarm that hundreds of families would lose their income.\n"
    with TestClient(create_app(args.db, analysis=analysis(args)), base_url="http://localhost") as client:  # as serve builds it
        found = client.post("/api/v1/analyse", json={"text": text}).json()["quotes"]
    assert RULES_ONLY_ENV not in os.environ
    assert not any("hundreds of families" in quote["text"] for quote in found)


def test_docs_cli_md_is_current():
    assert DOCS.read_text(encoding="utf-8") == render(), "regenerate: python -m quotetrail.cli.docs > docs/cli.md"
