"""The accurate tier's windows: cut with overlap over wordpieces, joined so each
piece is labelled once, and mapped back to exact character offsets."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest
import spacy

from quotetrail.accurate.tagger import to_tagged
from quotetrail.accurate.windows import (LABEL_IDS, LABELS, MIN_CONFIDENCE, best_labels, close_quotes, decode,
                                         owners, piece_labels, predict_scored_spans, predict_spans, windows)
from quotetrail.errors import ModelMissingError

ARTICLE = ("Harbour fees will double next spring, the port authority said on Tuesday.\n"
           "“We have no choice,” said Ingrid Aalto, its director. Fishermen fear the rise will ruin them.\n"
           "The council declined to comment.")


def word_pieces(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Words and punctuation as pieces, with their offsets: a stand-in wordpiece tokenizer."""
    matches = list(re.finditer(r"\w+|[^\w\s]", text))
    return [1000 + index for index in range(len(matches))], [match.span() for match in matches]


def test_windows_cover_every_piece_with_the_overlap_asked() -> None:
    spans = windows(1000, max_pieces=130, overlap=32)
    assert spans[0][0] == 0 and spans[-1][1] == 1000
    assert all(end - first == 128 for first, end in spans)
    for (first, end), (next_first, _) in zip(spans, spans[1:]):
        assert end - next_first >= 32  # neighbours share at least the overlap
    assert windows(50, max_pieces=130, overlap=32) == [(0, 50)]
    with pytest.raises(ValueError):
        windows(1000, max_pieces=34, overlap=32)


def test_each_piece_is_read_in_the_window_where_it_has_most_context() -> None:
    spans = windows(300, max_pieces=102, overlap=40)
    chosen = owners(300, spans)
    for index, (window, position) in enumerate(chosen):
        first, end = spans[window]
        assert first + position == index
        margin = min(index - first, end - 1 - index)
        assert all(margin >= min(index - a, b - 1 - index) for a, b in spans if a <= index < b)


def test_labels_round_trip_to_the_exact_characters() -> None:
    ids, offsets = word_pieces(ARTICLE)
    authority = ARTICLE.index("the port")
    gold = [("CONTENT", 0, ARTICLE.index(", the")), ("SOURCE", authority, authority + 18),
            ("CUE", authority + 19, authority + 23),
            ("SOURCE", ARTICLE.index("Ingrid"), ARTICLE.index(", its")),
            ("CUE", ARTICLE.index("fear"), ARTICLE.index("fear") + 4)]
    labels = piece_labels(offsets, gold)
    assert labels[0] == LABEL_IDS["B-CONTENT"] and labels[1] == LABEL_IDS["I-CONTENT"]
    assert sorted(decode(ARTICLE, offsets, labels), key=lambda span: span[1]) == sorted(gold, key=lambda span: span[1])
    assert [ARTICLE[start:end] for _, start, end in decode(ARTICLE, offsets, labels)][:3] == [
        "Harbour fees will double next spring", "the port authority", "said"]


def test_a_span_never_runs_over_a_line_break() -> None:
    ids, offsets = word_pieces(ARTICLE)
    inside = [LABEL_IDS["I-CONTENT"]] * len(ids)
    found = decode(ARTICLE, offsets, inside)
    assert len(found) == 3  # one per line
    assert all("\n" not in ARTICLE[start:end] for _, start, end in found)


def test_windows_joined_give_what_one_long_window_gives() -> None:
    """A run labelled piece by piece from its ids must come out the same,
    however the article is cut: every piece is labelled exactly once."""
    text = " ".join([ARTICLE.replace("\n", " ")] * 12)
    ids, offsets = word_pieces(text)
    said = {index for index, (start, end) in enumerate(offsets) if text[start:end] in ("said", "fear")}

    def run(rows: list[list[int]]) -> list[np.ndarray]:
        return [np.log(np.array([one_hot("B-CUE" if piece - 1000 in said else "O") for piece in row]))
                for row in rows]

    whole = predict_spans(run, [text], [(ids, offsets)], cls=1, sep=2, max_pieces=len(ids) + 2, overlap=0)
    cut = predict_spans(run, [text], [(ids, offsets)], cls=1, sep=2, batch=3, max_pieces=40, overlap=12)
    assert cut == whole
    assert len(whole[0]) == 36 and {text[start:end] for _, start, end in whole[0]} == {"said", "fear"}


def one_hot(label: str, sure: float = 0.9) -> list[float]:
    return [sure if name == label else (1 - sure) / (len(LABELS) - 1) for name in LABELS]


def test_each_span_carries_the_tagger_s_confidence_in_its_role() -> None:
    """A span's confidence is the mean probability of its role over its pieces: a sure
    content scores high, a doubtful source low; the merge gets every span, predict_spans
    leaves out those under MIN_CONFIDENCE."""
    text = "Harbour fees will double next spring, the port authority said."
    ids, offsets = word_pieces(text)
    words = [text[start:end] for start, end in offsets]
    source = {words.index("the"), words.index("port"), words.index("authority")}

    def label(index: int) -> tuple[str, float]:
        if index < words.index(","):
            return ("B-CONTENT" if index == 0 else "I-CONTENT"), 0.96
        if index in source:
            return ("B-SOURCE" if words[index] == "the" else "I-SOURCE"), 0.5
        return ("B-CUE", 0.9) if words[index] == "said" else ("O", 0.9)

    def run(rows: list[list[int]]) -> list[np.ndarray]:
        return [np.log(np.array([one_hot(*label(piece - 1000)) if piece >= 1000 else one_hot("O") for piece in row]))
                for row in rows]

    (scored,) = predict_scored_spans(run, [text], [(ids, offsets)], cls=1, sep=2)
    found = {text[start:end]: (role, confidence) for role, start, end, confidence in scored}
    assert found["Harbour fees will double next spring"][0] == "CONTENT"
    assert found["Harbour fees will double next spring"][1] == pytest.approx(0.96 + 0.04 / 6)
    assert found["the port authority"] == ("SOURCE", pytest.approx(0.5 + 0.5 / 6))
    assert 0.5 + 0.5 / 6 < MIN_CONFIDENCE
    (kept,) = predict_scored_spans(run, [text], [(ids, offsets)], cls=1, sep=2, min_confidence=MIN_CONFIDENCE)
    assert kept == [span for span in scored if text[span[1]:span[2]] != "the port authority"]
    assert [span[:3] for span in kept] == predict_spans(run, [text], [(ids, offsets)], cls=1, sep=2)[0]


def test_the_span_filter_keeps_a_content_its_cue_frames_and_drops_a_lone_one() -> None:
    """A filter that counts a cue beside a content keeps the framed content and turns down
    a content as sure of itself with no cue near; its figures survive a round trip to JSON."""
    from quotetrail.accurate.span_filter import FEATURES, SpanFilter, span_features
    from quotetrail.accurate.windows import ROLES, decoded_runs

    text = ("Harbour fees will double next spring, the port authority said. The harbour opened in 1890 and was "
            "rebuilt twice after the great storm of that year. Fishing boats crowd the quay at dawn.")
    ids, offsets = word_pieces(text)
    words = [text[start:end] for start, end in offsets]
    labels = ["O"] * len(words)
    labels[0:6] = ["B-CONTENT"] + ["I-CONTENT"] * 5
    labels[words.index("said")] = "B-CUE"
    boats = words.index("Fishing")
    labels[boats:boats + 7] = ["B-CONTENT"] + ["I-CONTENT"] * 6
    scores = np.log(np.array([one_hot(label) for label in labels]))
    runs = decoded_runs(text, offsets, scores)
    assert [text[start:end] for _, start, end, _ in runs] == [
        "Harbour fees will double next spring", "said", "Fishing boats crowd the quay at dawn"]
    features = span_features(text, scores, runs)
    near_cue = FEATURES.index("near_cue")
    assert features[0, near_cue] > 0.5 and features[2, near_cue] < 0.25
    assert features[0, FEATURES.index("mean")] == pytest.approx(features[2, FEATURES.index("mean")])
    weights = np.zeros(len(FEATURES) + 1)
    weights[near_cue], weights[-1] = 8.0, -3.0
    framed = SpanFilter({role: weights for role in ROLES}, {role: 0.5 for role in ROLES})
    assert framed(text, scores, runs) == [True, False, False]  # the cue itself has no cue near
    again = SpanFilter.from_json(json.loads(json.dumps(framed.to_json())))
    assert again(text, scores, runs) == [True, False, False]
    with pytest.raises(ValueError, match="features"):
        SpanFilter.from_json({**framed.to_json(), "features": ["mean"]})


def test_the_fitted_regression_separates_what_a_feature_tells_apart() -> None:
    from quotetrail.train.span_filter import fit_logistic

    rng = np.random.default_rng(5)
    features = rng.normal(size=(400, 3))
    labels = (features[:, 1] + 0.3 * rng.normal(size=400) > 0.2).astype(float)
    weights = fit_logistic(features, labels)
    assert weights[1] > 2 and abs(weights[0]) < 0.5 and abs(weights[2]) < 0.5
    guessed = features @ weights[:-1] + weights[-1] > 0
    assert (guessed == labels.astype(bool)).mean() > 0.9


def test_the_label_sequence_obeys_bio() -> None:
    """A stray I- (here I-CONTENT after O, then I-CUE inside a content) cannot
    stand: the best sequence BIO allows is taken instead of each piece's best."""
    guesses = [("O", 0.9), ("I-CONTENT", 0.5), ("I-CONTENT", 0.9), ("I-CUE", 0.45), ("I-CONTENT", 0.9)]
    scores = np.log(np.array([one_hot(label, sure) for label, sure in guesses]))
    scores[1, LABEL_IDS["B-CONTENT"]] = np.log(0.3)  # the runners-up
    scores[3, LABEL_IDS["I-CONTENT"]] = np.log(0.3)
    assert [LABELS[label] for label in best_labels(scores)] == [
        "O", "B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT"]
    assert best_labels(np.zeros((0, len(LABELS)))) == []


def test_a_span_is_not_restarted_on_the_next_piece() -> None:
    """A B-CONTENT that the tagger slightly prefers in the middle of a content does not
    cut it in two: the restart is not allowed, the span runs on."""
    guesses = [("B-CONTENT", 0.9), ("I-CONTENT", 0.9), ("B-CONTENT", 0.5), ("I-CONTENT", 0.9), ("O", 0.9)]
    scores = np.log(np.array([one_hot(label, sure) for label, sure in guesses]))
    scores[2, LABEL_IDS["I-CONTENT"]] = np.log(0.4)
    assert [LABELS[label] for label in best_labels(scores)] == [
        "B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT", "O"]
    # Another role may follow at once: a cue right after a source.
    guesses = [("B-SOURCE", 0.9), ("B-CUE", 0.9), ("B-CONTENT", 0.9)]
    assert [LABELS[label] for label in best_labels(np.log(np.array([one_hot(*guess) for guess in guesses])))] == [
        "B-SOURCE", "B-CUE", "B-CONTENT"]


def test_a_content_runs_on_to_the_quotation_mark_it_leaves_open() -> None:
    """A content that opens a quotation and stops short of its closing mark ends at the
    mark; one that closes a quotation opened before it starts at the opening mark; not
    over another span, not past the line, and paired marks are left as they are."""
    text = ('\u201cWe will not wait, not for a month,\u201d said Aalto.\n'
            'She called it "a disgrace to the port" and left.\n'
            '\u201cNever,\u201d he said, \u201cnot while I\u2019m here.')
    ids, offsets = word_pieces(text)

    def run(span: str, role: str = "CONTENT") -> tuple[str, int, int, list[int]]:
        start = text.index(span)
        end = start + len(span)
        return role, start, end, [index for index, (first, last) in enumerate(offsets) if start <= first and last <= end]

    def widened(*runs: tuple[str, int, int, list[int]]) -> list[str]:
        return [text[start:end] for _, start, end, _ in close_quotes(text, offsets, list(runs))]

    assert widened(run("\u201cWe will not wait, not for a month")) == ["\u201cWe will not wait, not for a month,\u201d"]
    assert widened(run('disgrace to the port"')) == ['"a disgrace to the port"']
    assert widened(run("\u201cWe will not wait"), run("not for a month", "SOURCE")) == [
        "\u201cWe will not wait", "not for a month"]  # another span lies between
    assert widened(run("\u201cnot while I\u2019m here.")) == ["\u201cnot while I\u2019m here."]  # no mark on its line
    assert widened(run("\u201cNever,\u201d")) == ["\u201cNever,\u201d"]
    assert widened(run("said Aalto", "CUE")) == ["said Aalto"]
    (role, start, end, pieces), = close_quotes(text, offsets, [run("\u201cWe will not wait, not for a month")])
    assert [offsets[index] for index in pieces] == [span for span in offsets if start <= span[0] and span[1] <= end]


def test_spans_become_token_spans_of_the_doc_within_one_paragraph() -> None:
    doc = spacy.blank("en")(ARTICLE)
    breaks = [token.i for token in doc if "\n" in token.text]
    paragraphs = [range(0, breaks[0]), range(breaks[0] + 1, breaks[1]), range(breaks[1] + 1, len(doc))]
    start = ARTICLE.index("authority said")
    # A span ending mid-token widens to the whole token; one over a line break is cut at it.
    tagged = to_tagged(doc, paragraphs, [("CUE", start + 10, start + 12, 0.9),
                                         ("CONTENT", ARTICLE.index("Tuesday"), ARTICLE.index("have"), 0.6)])
    assert [(t.label, doc[t.start:t.end].text, t.paragraph, t.confidence) for t in tagged] == [
        ("CUE", "said", 0, 0.9), ("CONTENT", "Tuesday.", 0, 0.6), ("CONTENT", "“We", 1, 0.6)]


needs_runtime = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None
                                   or importlib.util.find_spec("tokenizers") is None,
                                   reason="the accurate extra (onnxruntime, tokenizers) is not installed")


def test_a_missing_model_names_what_is_missing(tmp_path: Path) -> None:
    from quotetrail.accurate.tagger import AccurateTagger

    with pytest.raises(ModelMissingError, match="model.onnx, tokenizer.json, labels.json"):
        AccurateTagger(tmp_path)


@needs_runtime
def test_the_shipped_model_tags_an_invented_article() -> None:
    from quotetrail.nlp import accurate_model_path, load_accurate_tagger

    if not (accurate_model_path() / "model.onnx").is_file():
        pytest.skip("no accurate model shipped in this tree")
    tagger = load_accurate_tagger()
    (found,) = tagger.spans([ARTICLE])
    texts = {(role, ARTICLE[start:end]) for role, start, end in found}
    assert ("CUE", "said") in texts
    assert any(role == "SOURCE" and "port authority" in text for role, text in texts)
    # Offsets index the text given: non-ASCII marks and all.
    assert all(0 <= start < end <= len(ARTICLE) and ARTICLE[start:end].strip() == ARTICLE[start:end]
               for _, start, end in found)


def test_a_worker_process_runs_the_tagger_on_one_thread() -> None:
    """Several worker processes share the cores: each runs ONNX Runtime on one thread;
    one process alone keeps the runtime's default (a thread per core)."""
    from concurrent.futures import ProcessPoolExecutor

    from quotetrail.accurate.tagger import session_threads

    assert session_threads() is None and session_threads(3) == 3
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(threads_in_this_process, range(2))) == [1, 1]


def threads_in_this_process(_: int) -> int | None:
    from quotetrail.accurate.tagger import session_threads

    return session_threads()
