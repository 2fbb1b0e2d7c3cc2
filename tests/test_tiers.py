"""The user's choice of tier: --model fast|accurate on the command line, model= in
the Python API; the spaCy package under --spacy-model; a missing accurate tier named
in one line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from helpers import accurate_tier_missing
import quotetrail
from quotetrail.accurate import MODEL_FILES, model_directory
from quotetrail.cli import main

ARTICLE = ("Ferry tickets on the Lindholm crossing will cost a third more from March, the operator said on Monday.\n"
           "“Fuel has never been dearer,” said Petra Lund, its chief executive. Islanders fear the rise will "
           "empty the island.\n"
           "Councillor Aron Vik warned that families could not afford the trip, according to the Island Post. "
           "The ministry declined to comment.\n")
needs_accurate = pytest.mark.skipif(accurate_tier_missing() is not None, reason=str(accurate_tier_missing()))


def assert_offsets_hold(article: quotetrail.Article, text: str) -> None:
    for quote in article.quotes:
        assert 0 <= quote.start < quote.end <= len(text) and text[quote.start:quote.end] == quote.text
        if quote.cue is not None:
            assert text[quote.cue.start:quote.cue.end] == quote.cue.text
        if quote.speaker is not None and quote.speaker.end > quote.speaker.start:
            assert text[quote.speaker.start:quote.speaker.end] == quote.speaker.mention


@needs_accurate
def test_the_accurate_tier_gives_attributions_whose_spans_are_the_text() -> None:
    article = quotetrail.extract(ARTICLE, model="accurate")
    assert_offsets_hold(article, ARTICLE)
    speakers = {quote.speaker.name for quote in article.quotes if quote.speaker is not None}
    assert "Petra Lund" in speakers and "Aron Vik" in speakers
    assert any(quote.method in ("both", "model") for quote in article.quotes)  # the tagger took part
    assert all(0.0 <= quote.confidence <= 1.0 for quote in article.quotes)


def test_an_unknown_model_is_refused_before_anything_loads() -> None:
    with pytest.raises(ValueError, match="fast or accurate"):
        quotetrail.extract(ARTICLE, model="huge")


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "Traceback" not in error
    return error


def test_a_missing_accurate_model_is_one_line_naming_the_file(article_file, tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "tokenizer.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("QUOTETRAIL_ACCURATE_MODEL", str(tmp_path / "model"))
    for command in (["extract", str(article_file)], ["ingest", str(article_file), "--db", str(tmp_path / "c.db")],
                    ["serve", "--db", str(tmp_path / "c.db")]):
        assert main([*command, "--model", "accurate"]) == 2
        error = one_error_line(capsys)
        assert "missing model.onnx, labels.json" in error and "--model fast" in error


def test_missing_run_time_packages_name_the_extra(article_file, tmp_path, capsys, monkeypatch) -> None:
    for name in MODEL_FILES:  # the files are there; onnxruntime is not
        (tmp_path / name).write_text("{}", encoding="utf-8")
    monkeypatch.setenv("QUOTETRAIL_ACCURATE_MODEL", str(tmp_path))
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if it were not installed
    assert main(["extract", str(article_file), "--model", "accurate"]) == 2
    error = one_error_line(capsys)
    assert "onnxruntime" in error and "pip install 'quotetrail[accurate]'" in error
    # The library says the same, as a typed error.
    with pytest.raises(quotetrail.errors.ModelMissingError, match=r"quotetrail\[accurate\]"):
        quotetrail.extract(ARTICLE, model="accurate")
    # --rules-only leaves every tagger out: nothing of the tier is needed.
    assert main(["extract", str(article_file), "--model", "accurate", "--rules-only"]) == 0


def test_model_names_a_tier_and_spacy_model_the_package(article_file, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["extract", str(article_file), "--model", "en_core_web_sm"])
    assert "--spacy-model" in capsys.readouterr().err
    assert main(["extract", str(article_file), "--spacy-model", "no_such_spacy_model"]) == 2
    error = one_error_line(capsys)
    assert "no_such_spacy_model" in error and "--spacy-model" in error


@needs_accurate
def test_extract_and_ingest_with_accurate_in_worker_processes(tmp_path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number, name in enumerate(["Petra Lund", "Maja Holm", "Ebba Strand"]):
        (folder / f"{number}.txt").write_text(ARTICLE.replace("Petra Lund", name), encoding="utf-8")
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        assert main(["extract", str(folder), "--model", "accurate", "--workers", workers, "--format", "jsonl",
                     "-o", str(out)]) == 0
        found = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        outputs[workers] = {Path(article["meta"]["id"]).name: article["quotes"] for article in found}
    assert outputs["1"] == outputs["2"] and len(outputs["2"]) == 3
    fast = tmp_path / "fast.jsonl"
    assert main(["extract", str(folder / "0.txt"), "--format", "jsonl", "-o", str(fast)]) == 0
    assert json.loads(fast.read_text(encoding="utf-8"))["quotes"] != outputs["1"]["0.txt"]  # another tagger answered
    assert main(["ingest", str(folder), "--db", str(tmp_path / "c.db"), "--model", "accurate", "--workers", "2"]) == 0
    assert "stored 3 articles" in capsys.readouterr().err


def test_accurate_workers_are_spawned_not_forked() -> None:
    # A worker forked while the parent's ONNX Runtime session holds a lock hangs for
    # ever; the timing is too rare to provoke, so the start method is what is checked.
    from quotetrail.batch import worker_context
    from quotetrail.settings import Analysis

    assert worker_context(Analysis(tier="accurate")).get_start_method() == "spawn"
    assert worker_context(Analysis(tier="accurate", rules_only=True)) is None
    assert worker_context(Analysis()) is None


@needs_accurate
def test_the_accurate_tagger_reads_its_own_calibration_table(tmp_path) -> None:
    from quotetrail.accurate.tagger import CALIBRATION_FILE, AccurateTagger
    from quotetrail.attribute.merge import CALIBRATION_KEY

    for name in MODEL_FILES:
        (tmp_path / name).symlink_to(model_directory() / name)
    assert CALIBRATION_KEY not in AccurateTagger(tmp_path).meta
    table = {"model/indirect": {"precision": 0.5, "mean_confidence": 0.7, "quotes": 40}}
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps(table), encoding="utf-8")
    assert AccurateTagger(tmp_path).meta[CALIBRATION_KEY] == table
