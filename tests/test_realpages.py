"""The real-page gold adapter: gold annotated on a reference text, scored on
what our HTML extraction makes of the saved page."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from quotetrail.evaluate import run_eval
from quotetrail.evaluate.adapters import find_adapter, load_gold, realpages
from quotetrail.evaluate.adapters.realpages import Locator, check_against_truth
from quotetrail.evaluate.kinds import KINDS

DEV_SET = Path(__file__).parent / "realnews-dev"

PARAGRAPHS = [
    "Harbour chief Maria Delgado said the port would reopen on Monday after a week of talks.",
    "“We have a deal with the union and the ships will move again,” she told reporters on Tuesday.",
    "Union leader Omar Fenn said the agreement was “a fair one” for dock workers.",
]
LOST = "“Nobody wins a strike that lasts a winter,” Fenn added."
# The reference text: curly marks and a paragraph the saved page lacks (an extractor can lose no more).
BODY = "\n\n".join(PARAGRAPHS + [LOST])
GOLD = {
    "page": "port.html.gz",
    "entities": {"Maria Delgado": {"type": "PERSON", "aliases": ["Delgado"]},
                 "Omar Fenn": {"type": "PERSON", "aliases": ["Fenn"]}},
    "quotes": [
        {"kind": "indirect", "text": "the port would reopen on Monday after a week of talks",
         "speaker": "Maria Delgado", "cue": "said", "reported_by": []},
        {"kind": "direct", "text": "We have a deal with the union and the ships will move again",
         "speaker": "Maria Delgado", "cue": "told", "reported_by": []},
        {"kind": "mixed", "text": "the agreement was “a fair one” for dock workers",
         "speaker": "Omar Fenn", "cue": "said", "reported_by": []},
        {"kind": "direct", "text": "Nobody wins a strike that lasts a winter", "speaker": "Omar Fenn",
         "cue": "added", "reported_by": []},
    ],
}


def saved_page() -> bytes:
    """The page as a site serves it: straight marks, a line break inside a sentence, furniture around."""
    paragraphs = [text.replace("“", '"').replace("”", '"').replace("week of talks", "week of<br/>talks")
                  for text in PARAGRAPHS]
    body = "".join(f"<p>{text}</p>\n" for text in paragraphs)
    return gzip.compress(f"""<!DOCTYPE html><html lang="en"><head><title>Port to reopen</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Port to reopen</h1>{body}</article>
<footer><a href="/privacy">Privacy</a></footer></body></html>""".encode())


def make_corpus(root: Path, gold: dict | None = None) -> Path:
    """root/tests/realnews-dev with one gold file; root/../shared... is where the pages go."""
    folder = root / "repo" / "tests" / "realnews-dev"
    folder.mkdir(parents=True)
    (folder / "port.gold.json").write_text(json.dumps(gold or GOLD), encoding="utf-8")
    return folder


def add_pages(root: Path) -> Path:
    pages = root / "shared" / "eval" / "realnews" / "pages"
    pages.mkdir(parents=True)
    (pages / "port.html.gz").write_bytes(saved_page())
    (pages.parent / "truth.json").write_text(json.dumps({"port.html": {"url": "", "body": BODY}}), encoding="utf-8")
    return pages


def test_gold_is_located_tolerantly_in_the_extracted_text_and_lost_quotes_are_misses(tmp_path):
    folder = make_corpus(tmp_path)
    add_pages(tmp_path)  # found by looking above the gold folder
    assert find_adapter(folder) is realpages
    [article] = load_gold(folder)
    assert article.corpus == "realpages" and "Home" not in article.text
    located = [quote for quote in article.quotes if quote.located]
    assert len(located) == 3
    assert article.text[located[0].start:located[0].end] == "the port would reopen on Monday after a week of\ntalks"
    assert article.text[located[2].start:located[2].end] == 'the agreement was "a fair one" for dock workers'
    [lost] = [quote for quote in article.quotes if not quote.located]
    assert lost.text == "Nobody wins a strike that lasts a winter" and (lost.start, lost.end) == (0, 0)

    results = run_eval([str(folder)], ["quotetrail"])
    figures = results["corpora"]["realpages"]["tools"]["quotetrail"]
    assert figures["figures"]["quotes_overlap"]["gold"] == 4
    assert figures["figures"]["quotes_overlap"]["found"] <= 3  # the lost quote cannot be found
    assert [error["text"] for error in figures["not_in_extracted_text"]] == [lost.text]


def test_a_gold_quote_not_in_the_reference_body_is_an_error(tmp_path):
    typo = dict(GOLD, quotes=[dict(GOLD["quotes"][0], text="the port would reopen on Tuesday")])
    add_pages(tmp_path)
    with pytest.raises(ValueError, match="not in the page's truth.json body"):
        load_gold(make_corpus(tmp_path, typo))


def test_without_the_pages_the_corpus_is_skipped_with_the_reason(tmp_path, capsys):
    folder = make_corpus(tmp_path)
    results = run_eval([str(folder), str(folder)], ["quotetrail"], pages=str(tmp_path / "nowhere"))
    assert results["corpora"] == {}
    err = capsys.readouterr().err
    assert err.count("skipping") == 2 and "the saved pages are not at" in err and "--pages" in err


def test_locator_folds_marks_dashes_and_whitespace():
    locator = Locator('He said: "It\'s over -- done." Then:\n“Again…”')
    text = locator.text
    start, end = locator.find("It’s over -- done.", 0, set())
    assert text[start:end] == "It's over -- done."
    start, end = locator.find("Again...", 0, set())
    assert text[start:end] == "Again…"
    assert locator.find("Then: “Again", 0, set()) is not None  # a line break read as a space
    assert locator.find("Never said", 0, set()) is None
    joined = Locator("the minister saidthe plan was dead")  # inline markup lost a space
    start, end = joined.find("said the plan", 0, set())
    assert joined.text[start:end] == "saidthe plan"


def test_every_dev_set_quote_is_in_its_pages_reference_body(shared_dir):
    truth_path = shared_dir / "eval" / "realnews" / "truth.json"
    if not truth_path.is_file():
        pytest.skip(f"{truth_path} is absent")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    files = sorted(DEV_SET.glob("*.gold.json"))
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        assert data["page"] == file.name.removesuffix(".gold.json") + ".html.gz"
        assert (shared_dir / "eval" / "realnews" / "pages" / data["page"]).is_file()
        check_against_truth(data, truth, str(file))
        for quote in data["quotes"]:
            assert quote["kind"] in KINDS, (file.name, quote["text"])
            assert {"speaker", "cue", "reported_by"} <= set(quote), (file.name, quote["text"])
