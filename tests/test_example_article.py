"""Acceptance test on the annotated example article in ../shared/examples."""
from __future__ import annotations

import json
import re

import pytest

WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def overlap(gold: str, predicted: str) -> float:
    gold_words, predicted_words = words(gold), set(words(predicted))
    return sum(word in predicted_words for word in gold_words) / max(len(gold_words), 1)


def same_speaker(gold: str | None, predicted) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return predicted["name"].lower() == gold.lower() or gold.lower().endswith(predicted["name"].lower())


@pytest.fixture(scope="module")
def example(shared_dir, extract):
    pairs = sorted((shared_dir / "examples").glob("*.gold.json"))
    if not pairs:
        pytest.skip("no annotated example")
    gold_path = pairs[0]
    text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text("utf-8")
    return json.loads(gold_path.read_text("utf-8")), extract(text).to_dict()


def best_match(gold_quote: dict, predicted: list[dict]) -> dict | None:
    scored = [(overlap(gold_quote["text"], quote["text"]), quote) for quote in predicted]
    scored = [pair for pair in scored if pair[0] >= 0.5 and overlap(pair[1]["text"], gold_quote["text"]) >= 0.5]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def test_quotes_found_with_right_speaker(example):
    gold, article = example
    found = [q for q in gold["quotes"]
             if (match := best_match(q, article["quotes"])) and same_speaker(q["speaker"], match["speaker"])]
    assert len(found) >= 19, [q["text"] for q in gold["quotes"] if q not in found]


def test_few_unannotated_quotes(example):
    gold, article = example
    annotated = gold["quotes"] + gold.get("optional_quotes", [])
    extra = [q["text"] for q in article["quotes"]
             if not any(overlap(g["text"], q["text"]) >= 0.5 or overlap(q["text"], g["text"]) >= 0.5 for g in annotated)]
    assert len(extra) <= 1, extra


def test_outlet_notes_quote_is_relayed_not_spoken(example):
    _, article = example
    quote = next(q for q in article["quotes"] if q["text"].startswith("I think that in the near future"))
    assert quote["speaker"]["name"] == "Alexander Lukashenko"
    assert quote["cue"]["text"] == "notes"
    assert "TVP World" in quote["reported_by"]


def test_furniture_lines_removed(example):
    gold, article = example
    assert sorted(f["text"] for f in article["furniture"]) == sorted(gold["furniture_lines"])
    assert [h["text"] for h in article["headings"]] == gold["headings"]


def test_sources_and_origin(example):
    gold, article = example
    names = {source["name"]: source for source in article["sources"]}
    assert set(gold["sources"]) <= set(names)
    assert "origin" in names["Newsmax"]["roles"]
    assert "relay" in names["TVP World"]["roles"] and "TVPWorld" in names["TVP World"]["aliases"]


def test_offsets_point_into_input(shared_dir, example):
    _, article = example
    text = next((shared_dir / "examples").glob("*.txt")).read_text("utf-8")
    for quote in article["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]
        if quote["speaker"]:
            assert text[quote["speaker"]["start"]:quote["speaker"]["end"]] == quote["speaker"]["mention"]


def test_newsmax_interview_is_the_setting_of_its_statements_and_the_origin(shared_dir, example):
    """Lukashenko's words all come from the Newsmax interview: each carries it as its setting (the
    words pointing into the text), and the interviewing outlet is the reporting chain's origin."""
    _, article = example
    text = next((shared_dir / "examples").glob("*.txt")).read_text("utf-8")
    his = [quote for quote in article["quotes"] if quote["speaker"] and quote["speaker"]["name"] == "Alexander Lukashenko"]
    assert len(his) >= 19
    for quote in his:
        setting = quote["setting"]
        assert (setting["kind"], setting["outlet"]) == ("interview", "Newsmax"), quote["text"]
        assert text[setting["start"]:setting["end"]] == setting["text"] and "interview with US outlet Newsmax" in setting["text"]
    newsmax = next(source for source in article["sources"] if source["name"] == "Newsmax")
    assert newsmax["roles"][0] == "origin"
    assert any("interview with US outlet Newsmax" in evidence["text"] for evidence in newsmax["evidence"])
    assert [origin["outlet"] for origin in article["meta"]["origin"]] == ["Newsmax"]
