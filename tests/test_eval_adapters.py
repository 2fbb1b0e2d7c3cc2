"""Corpus adapters (quotetrail gold JSON, PolNeAR brat standoff) and a run through them."""
from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from helpers import accurate_tier_missing
from quotetrail.evaluate import peers, run_eval
from quotetrail.evaluate.adapters import find_adapter, gold_json, load_gold, polnear
from quotetrail.evaluate.kinds import KINDS, classify_contents, quotation_shape
from quotetrail.evaluate.scorer import speaker_matches
from quotetrail.model import Speaker

ARTICLE = (
    'Mayor Ann Lee said the bridge will reopen. "We agree," Bob Marsh said.\n'
    "Also read\n"
    'Later the union said: "We agree." Lee also hopes the works end soon.\n'
)
GOLD = {
    "furniture_lines": ["Also read"],
    "entities": {"Ann Lee": {"type": "PERSON", "aliases": ["Lee", "Mayor Ann Lee"]}},
    "quotes": [
        {"kind": "indirect", "text": "the bridge will reopen", "speaker": "Ann Lee", "cue": "said",
         "reported_by": []},
        {"kind": "direct", "text": "We agree", "speaker": "Bob Marsh", "cue": "said", "reported_by": []},
        {"kind": "direct", "text": "We agree", "speaker": "union", "cue": "said", "reported_by": ["Radio X"]},
        {"kind": "indirect", "text": "the works end soon", "speaker": "Ann Lee", "cue": "hopes",
         "reported_by": []},
    ],
    "optional_quotes": [{"kind": "indirect", "text": "the bridge", "speaker": "Ann Lee", "cue": "said"}],
}


def write_gold(folder: Path, gold: Mapping[str, Any]) -> Path:
    (folder / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "bridge.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def test_gold_json_folder_and_file(tmp_path: Path) -> None:
    path = write_gold(tmp_path, GOLD)
    assert find_adapter(tmp_path) is gold_json and find_adapter(path) is gold_json
    [article] = load_gold(tmp_path)
    assert (article.name, article.corpus) == ("bridge", "quotetrail-gold")
    first, second, third, _ = article.quotes
    assert ARTICLE[first.start:first.end] == "the bridge will reopen"
    # a repeated quote is looked for after the previous one, so each gets its own place
    assert second.start == ARTICLE.index("We agree") and third.start == ARTICLE.rindex("We agree")
    assert third.reported_by == ("Radio X",)
    assert first.speaker_aliases == ("Lee", "Mayor Ann Lee") and second.speaker_aliases == ()
    assert [quote.thought for quote in article.quotes] == [False, False, False, True]
    assert article.optional_quotes[0].reported_by is None  # not annotated there
    assert article.furniture is not None
    assert [ARTICLE[span.start:span.end] for span in article.furniture] == ["Also read"]


def test_gold_json_quote_missing_from_text_is_an_error(tmp_path: Path) -> None:
    broken = dict(GOLD, quotes=[{"kind": "direct", "text": "never said", "speaker": "X", "cue": "said"}])
    write_gold(tmp_path, broken)
    with pytest.raises(ValueError, match="never said"):
        load_gold(tmp_path)


POLNEAR_TEXT = (
    'Headline here\n\n"We will win," Smith said, "and soon."\n'
    "Reports say the vote was close. Jones believes it was fair.\n"
    "Follow us on Twitter.\n"
)


def brat(text: str, lines: list[tuple[str, str, list[tuple[int, int]]]], events: list[str]) -> str:
    """T lines from (id, type, pieces), their text cut from `text`, then E lines."""
    out = []
    for ident, kind, pieces in lines:
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        words = " ".join(text[start:end] for start, end in pieces)
        out.append(f"{ident}\t{kind} {offsets}\t{words}")
    return "\n".join(out + events) + "\n"


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def write_polnear(root: Path) -> Path:
    split = root / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "art-1.txt").write_text(POLNEAR_TEXT, encoding="utf-8")
    t = POLNEAR_TEXT
    chosen = brat(t, [
        ("T1", "Content", [span(t, '"We will win,"'), span(t, '"and soon."')]),  # discontinuous
        ("T2", "Source", [span(t, "Smith")]),
        ("T3", "Cue", [span(t, "said")]),
        ("T4", "Attribution", [span(t, "said")]),
        ("T5", "Cue", [span(t, "Reports say")]),
        ("T6", "Content", [span(t, "the vote was close")]),
        ("T7", "Attribution-no-source", [span(t, "Reports say")]),
        ("T8", "Source", [span(t, "Jones")]),
        ("T9", "Cue", [span(t, "believes")]),
        ("T10", "Content", [span(t, "it was fair")]),
        ("T11", "Attribution", [span(t, "believes")]),
        ("T12", "Discard", [span(t, "Follow us on Twitter.")]),
    ], [
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2",
        "E2\tAttribution-no-source:T7 Cue:T5 Content:T6",
        "E3\tAttribution:T11 Source:T8 Cue:T9 Content:T10",
    ])
    (split / "attributions" / "art-1_aaaa.ann").write_text(chosen, encoding="utf-8")
    # a second annotator, later in alphabetical order, must be ignored
    other = brat(t, [("T1", "Content", [span(t, "the vote was close")])], ["E1\tContent:T1"])
    (split / "attributions" / "art-1_zzzz.ann").write_text(other, encoding="utf-8")
    return split


def test_polnear_root_and_split(tmp_path: Path) -> None:
    split = write_polnear(tmp_path / "polnear")
    assert find_adapter(split) is polnear and find_adapter(tmp_path / "polnear") is polnear
    [article] = load_gold(tmp_path / "polnear")
    assert (article.name, article.corpus, article.furniture) == ("art-1", "polnear", None)
    assert len(article.quotes) == 3  # the first annotator's file, not the second's
    win, vote, fair = article.quotes
    t = POLNEAR_TEXT
    assert (win.start, win.end) == (t.index('"We will win'), t.index("and soon.") + len('and soon."'))
    assert win.fragments == (span(t, '"We will win,"'), span(t, '"and soon."'))
    assert (win.kind, win.speaker, win.cue) == ("direct", "Smith", "said")
    assert win.speaker_spans == (span(t, "Smith"),)
    assert (vote.kind, vote.speaker, vote.cue, vote.thought) == ("indirect", None, "Reports say", False)
    assert (fair.speaker, fair.cue, fair.thought) == ("Jones", "believes", True)
    assert [quote.text for quote in article.optional_quotes] == ["Follow us on Twitter."]


def test_unknown_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing to score", encoding="utf-8")
    with pytest.raises(ValueError, match="not a gold file or corpus"):
        find_adapter(tmp_path)


POLNEAR_DEV = Path(__file__).parents[1].parent / "shared" / "eval" / "polnear" / "dev"


def test_real_polnear_dev_split() -> None:
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"PolNeAR dev split not found at {POLNEAR_DEV}")
    articles = load_gold(POLNEAR_DEV)
    assert len(articles) == 84
    quotes = [quote for article in articles for quote in article.quotes]
    # attributions with a Content span, from the first annotator of each article
    assert len(quotes) == 2192
    # every kind of the rule in evaluate/kinds.py occurs in dev
    assert {quote.kind for quote in quotes} == set(KINDS)
    assert any(quote.thought for quote in quotes) and not all(quote.thought for quote in quotes)
    for article in articles:
        for quote in article.quotes:
            # brat's text is the pieces' text joined by spaces, in the annotator's order
            pieces = " ".join(article.text[a:b] for a, b in quote.pieces)
            assert sorted(pieces.split()) == sorted(quote.text.split())


def test_run_eval_scores_reports_and_skips_a_missing_peer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_gold(tmp_path, GOLD)
    [article] = load_gold(tmp_path)
    oracle = {"quotes": [
        {"kind": quote.kind, "text": quote.text, "start": quote.start, "end": quote.end,
         "speaker": {"name": quote.speaker, "mention": quote.speaker, "start": 0, "end": 0,
                     "resolved_by": "named"},
         "cue": {"text": quote.cue, "lemma": quote.cue, "start": 0, "end": 0},
         "reported_by": list(quote.reported_by or ())}
        for quote in article.quotes
    ]}
    monkeypatch.setitem(peers.TOOLS, "oracle", lambda: lambda text: oracle)
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", None)  # as if textacy were not installed
    results = run_eval([str(tmp_path)], ["oracle", "textacy"], str(tmp_path / "report"), None)
    figures = results["corpora"]["quotetrail-gold"]["tools"]["oracle"]["figures"]
    assert figures["quote_and_speaker"]["f1"] == 1.0 and figures["reported_by_accuracy"]["value"] == 1.0
    assert "'textacy'" in results["skipped_tools"]["textacy"]
    assert "quotetrail[peers]" in results["skipped_tools"]["textacy"]
    assert "| oracle | " in capsys.readouterr().out
    assert json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8")) == results
    assert "## Skipped tools" in (tmp_path / "report" / "report.md").read_text(encoding="utf-8")


def test_polnear_source_with_an_appositive_also_names_the_speaker_before_it() -> None:
    t = "Ray Holm, a harbour pilot, said the channel was silted. He blamed the dredging firm."
    ann = brat(t, [("T1", "Source", [span(t, "Ray Holm, a harbour pilot,")]), ("T2", "Cue", [span(t, "said")]),
                   ("T3", "Content", [span(t, "the channel was silted")]), ("T4", "Attribution", [span(t, "said")])],
               ["E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3"])
    [quote] = polnear._article("art", t, ann).quotes
    assert quote.speaker_aliases == ("Ray Holm",)
    # A speaker named elsewhere ("He" resolved to Ray Holm) is matched by name.
    assert speaker_matches(quote, Speaker("Ray Holm", "He", t.index("He"), t.index("He") + 2, "pronoun"))


@pytest.mark.parametrize("cue,content,kind", [
    ("said", "the plan was dead", "indirect"),
    ("said", "that talks would resume", "indirect"),
    ("urged", "him to resign before the vote", "indirect"),
    ("denied", "the allegations", "stance"),
    ("criticized", "the plan to close the depot", "stance"),
    ("called for", "a full inquiry into the crash", "stance"),
    ("denied", "taking the money", "stance"),
    ("ruled out", "a cut in interest rates", "stance"),
    ("expects", "fees to rise next year", "belief"),
    ("fears", "the mill will close", "belief"),
    ("plans", "to sell the ferry", "belief"),
    ("declined to comment", "declined to comment", "no_comment"),
    ("did not respond", "to a request for comment", "no_comment"),
    ("could not be reached", "could not be reached", "no_comment"),
    ("declined", "to comment on the timing", "no_comment"),
    ("refused", "to endorse the mayor", "indirect"),  # refusing to act is not refusing to answer
    ("disputed", "that characterization", "stance"),  # a demonstrative "that", not a complementiser
])
def test_gold_kind_rule_reads_the_cue_and_the_content_shape(cue: str, content: str, kind: str) -> None:
    assert classify_contents([(cue, "indirect", content)]) == [kind]


def test_gold_kind_rule_keeps_quoted_words_quotations_unless_the_cue_decides() -> None:
    assert classify_contents([("said", "direct", "We will win"), ("added", "mixed", "a “fair” deal"),
                              ("hopes", "direct", "We will win")]) == ["direct", "mixed", "belief"]


def test_polnear_non_response_without_content_is_a_no_comment_on_its_cue() -> None:
    t = "The mayor declined to comment on Friday. Aides denied the report."
    ann = brat(t, [("T1", "Source", [span(t, "The mayor")]), ("T2", "Cue", [span(t, "declined to comment")]),
                   ("T3", "Attribution", [span(t, "declined to comment")]),
                   ("T4", "Source", [span(t, "Aides")]), ("T5", "Cue", [span(t, "denied")]),
                   ("T6", "Content", [span(t, "the report")]), ("T7", "Attribution", [span(t, "denied")]),
                   ("T8", "Cue", [span(t, "on Friday")])],
               ["E1\tAttribution:T3 Source:T1 Cue:T2", "E2\tAttribution:T7 Source:T4 Cue:T5 Content:T6",
                "E3\tCue:T8"])  # E3: a cue alone, not a non-response: no attribution
    silent, denial = polnear._article("art", t, ann).quotes
    assert (silent.kind, silent.text, silent.speaker) == ("no_comment", "declined to comment", "The mayor")
    assert (silent.start, silent.end) == span(t, "declined to comment")
    assert (denial.kind, denial.text) == ("stance", "the report")


DEV_SET = Path(__file__).parent / "dev-set"


def test_gold_kind_rule_agrees_with_the_hand_labels_of_our_dev_set() -> None:
    """The rule that labels PolNeAR must read our hand-labelled gold as its annotators
    did; the differences allowed are of convention (a quoted noun phrase after
    'called it' is mixed by hand, direct by the marks)."""
    articles = load_gold(DEV_SET)
    items = [(quote.cue, quotation_shape(article.text, quote.pieces), article.text[quote.start:quote.end])
             for article in articles for quote in article.quotes]
    labels = [quote.kind for article in articles for quote in article.quotes]
    assert set(labels) >= {"stance", "belief", "no_comment"}
    ruled = classify_contents(items)
    assert sum(rule == label for rule, label in zip(ruled, labels)) >= 0.85 * len(labels)
    for rule, label in zip(ruled, labels):
        if label in ("belief", "no_comment"):
            assert rule == label


def test_the_accurate_tier_is_a_tool_skipped_with_its_reason_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_gold(tmp_path, GOLD)
    monkeypatch.setenv("QUOTETRAIL_ACCURATE_MODEL", str(tmp_path / "no-model"))
    results = run_eval([str(tmp_path)], ["quotetrail-accurate"], None, None)
    assert "missing model.onnx" in results["skipped_tools"]["quotetrail-accurate"]
    assert results["corpora"]["quotetrail-gold"]["tools"] == {}


@pytest.mark.skipif(accurate_tier_missing() is not None, reason=str(accurate_tier_missing()))
def test_the_accurate_tier_scored_beside_the_fast_one(tmp_path: Path) -> None:
    write_gold(tmp_path, GOLD)
    results = run_eval([str(tmp_path)], ["quotetrail", "quotetrail-accurate"], None, None)
    tools = results["corpora"]["quotetrail-gold"]["tools"]
    for tool in ("quotetrail", "quotetrail-accurate"):
        # Plain sentences: each tier finds at least three of the four quotes, each with its speaker.
        assert tools[tool]["figures"]["quote_and_speaker"]["correct"] >= 3
        assert tools[tool]["figures"]["quote_and_speaker"]["precision"] >= 0.75
