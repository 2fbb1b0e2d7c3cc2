"""Wordpiece windows over a whole article and the way back to characters.

A transformer reads at most a few hundred wordpieces at once, and an article
holds thousands: the pieces are cut into windows that overlap, every piece is
labelled by the window in which it sits farthest from an edge (the most
context on both sides), and the BIO labels become character spans in the
text the user gave. Pure Python with no model, so that training and run time
cut and join windows the same way and the tests can check it without the
run-time extra.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

ROLES = ("SOURCE", "CUE", "CONTENT")
LABELS = ("O", *(f"{prefix}-{role}" for role in ROLES for prefix in ("B", "I")))
LABEL_IDS = {label: index for index, label in enumerate(LABELS)}
MAX_PIECES = 256  # per window, [CLS] and [SEP] included
OVERLAP = 64  # pieces two neighbouring windows share

Offsets = Sequence[tuple[int, int]]  # each wordpiece's characters in the text
ScoredSpan = tuple[str, int, int, float]  # role, start, end, the tagger's confidence (span_confidence)
Run = tuple[str, int, int, list[int]]  # a decoded span: role, start, end, the indexes of its pieces
# The tagger's spans (predict_spans, AccurateTagger.spans) leave out those it gives less confidence
# than this: most such are wrong. Chosen on PolNeAR train (mean per-role F1: every span 69.6, from
# 0.5 69.9, 0.6 70.6, 0.65 70.7, 0.7 70.6; precision up, recall down). The pipeline takes every
# span with its confidence (predict_scored_spans) and weighs it in its own merge
# (admission.py): the cut there cost PolNeAR dev's whole-pipeline quote+speaker F1 0.7.
MIN_CONFIDENCE = 0.65


def windows(count: int, max_pieces: int = MAX_PIECES, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    """(first, end) piece ranges covering count pieces, each at most
    max_pieces - 2 long (room for [CLS] and [SEP]), neighbours sharing overlap."""
    width = max_pieces - 2
    if width <= overlap:
        raise ValueError(f"a window of {width} pieces cannot overlap its neighbour by {overlap}")
    if count <= width:
        return [(0, count)]
    step = width - overlap
    spans = [(first, first + width) for first in range(0, count - width, step)]
    spans.append((count - width, count))  # the last window ends at the last piece, full width
    return spans


def owners(count: int, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """For every piece, (window number, position in that window) of the window
    in which the piece is farthest from either edge. (A mean of the overlapping windows'
    log-probabilities weighted by that distance raised PolNeAR train's mean per-role F1
    by 0.2 but lowered the whole pipeline's PolNeAR dev quote+speaker F1 by 0.3: its
    smoother confidences pass Admission's thresholds less often.)"""
    best: list[tuple[int, int, int]] = [(-1, -1, -1)] * count  # margin, window, position
    for number, (first, end) in enumerate(spans):
        for index in range(first, end):
            margin = min(index - first, end - 1 - index)
            if margin > best[index][0]:
                best[index] = (margin, number, index - first)
    return [(window, position) for _, window, position in best]


def piece_labels(offsets: Offsets, spans: Sequence[tuple[str, int, int]]) -> list[int]:
    """BIO label ids per piece from (role, start, end) character spans: a piece
    inside a span takes its role, B on the span's first piece."""
    labels = [LABEL_IDS["O"]] * len(offsets)
    for role, start, end in sorted(spans, key=lambda span: (span[1], span[1] - span[2])):
        first = True
        for index, (piece_start, piece_end) in enumerate(offsets):
            if piece_end <= start or piece_start >= end or piece_start == piece_end:
                continue
            labels[index] = LABEL_IDS[f"{'B' if first else 'I'}-{role}"]
            first = False
    return labels


def _runs(text: str, offsets: Offsets, labels: Sequence[int]) -> list[Run]:
    """decode's spans, each with the indexes of the pieces it holds."""
    found: list[Run] = []
    role: str | None = None
    start = end = 0
    pieces: list[int] = []
    for index, ((piece_start, piece_end), label_id) in enumerate(zip(offsets, labels)):
        label = LABELS[label_id]
        if piece_start == piece_end:
            continue
        continues = (role is not None and label == f"I-{role}"
                     and "\n" not in text[end:piece_start])
        if continues:
            end = piece_end
            pieces.append(index)
            continue
        if role is not None:
            found.append((role, start, end, pieces))
        role = None if label == "O" else label[2:]
        start, end, pieces = piece_start, piece_end, [index]
    if role is not None:
        found.append((role, start, end, pieces))
    return found


QUOTE_PAIRS = (("\u201c", "\u201d"), ('"', '"'))  # opening and closing marks: curly, straight


def close_quotes(text: str, offsets: Offsets, runs: list[Run]) -> list[Run]:
    """Contents that open a quotation and stop before its closing mark (or close one that
    opened before them) run on to the mark, within their line and over no other span:
    a content's quotation marks come in pairs in nearly all of PolNeAR's gold (98%), in
    the tagger's spans less often, and those unpaired are mostly wrong (72% on PolNeAR
    train; closing them raised its Content F1 by 0.3)."""
    taken = [(start, end) for _, start, end, _ in runs]
    closed = []
    for role, start, end, pieces in runs:
        if role == "CONTENT":
            new_start, new_end = _quotation_bounds(text, start, end)
            if (new_start, new_end) != (start, end) and not any(
                    (other_start, other_end) != (start, end) and other_start < new_end and new_start < other_end
                    for other_start, other_end in taken):
                start, end = new_start, new_end
                pieces = [index for index, (piece_start, piece_end) in enumerate(offsets)
                          if piece_start < piece_end and start <= piece_start and piece_end <= end]
        closed.append((role, start, end, pieces))
    return closed


def _quotation_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) widened to the quotation marks its text leaves unpaired, if the
    line holds them; else as given."""
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    inside = text[start:end]
    for opening, closing in QUOTE_PAIRS:
        if opening != closing:
            opens, closes = inside.count(opening), inside.count(closing)
            if opens > closes and (mark := text.find(closing, end, line_end)) >= 0:
                return start, mark + 1
            if closes > opens and (mark := text.rfind(opening, line_start, start)) >= 0:
                return mark, end
        elif inside.count(opening) % 2:
            if inside.lstrip().startswith(opening) and (mark := text.find(closing, end, line_end)) >= 0:
                return start, mark + 1
            if inside.rstrip().endswith(closing) and (mark := text.rfind(opening, line_start, start)) >= 0:
                return mark, end
    return start, end


def decode(text: str, offsets: Offsets, labels: Sequence[int]) -> list[tuple[str, int, int]]:
    """(role, start, end) character spans from per-piece BIO label ids. A span
    starts at a B, or at an I whose role differs from the span before it; it
    never runs over a line break (paragraphs are the unit of annotation)."""
    return [(role, start, end) for role, start, end, _ in _runs(text, offsets, labels)]


def span_confidence(scores: np.ndarray, role: str, pieces: Sequence[int]) -> float:
    """The tagger's confidence in a span: the mean, over its pieces, of the probability
    that the piece belongs to the span's role (B- or I-: where a span starts is a lesser doubt)."""
    inside = np.exp(scores[list(pieces)][:, [LABEL_IDS[f"B-{role}"], LABEL_IDS[f"I-{role}"]]]).sum(-1)
    return float(inside.mean())


def _transitions() -> tuple[np.ndarray, np.ndarray]:
    """BIO's rule as additive scores (0 allowed, -inf not): I-X only after B-X or I-X, and
    B-X never right after B-X or I-X. PolNeAR rarely has two spans of one role touching,
    but the tagger often restarts a span mid-way (a content cut in two at a B-CONTENT);
    forbidding the restart raised PolNeAR train mean per-role F1 from 68.5 to 69.5.
    Returns (previous x next matrix, first-label row)."""
    inside = [label.startswith("I-") for label in LABELS]
    matrix = np.zeros((len(LABELS), len(LABELS)))
    for after, label in enumerate(LABELS):
        if label == "O":
            continue
        begin, within = LABEL_IDS[f"B-{label[2:]}"], LABEL_IDS[f"I-{label[2:]}"]
        if inside[after]:
            matrix[:, after] = -np.inf
            matrix[begin, after] = matrix[within, after] = 0.0
        else:
            matrix[begin, after] = matrix[within, after] = -np.inf
    return matrix, np.where(inside, -np.inf, 0.0)


_TRANSITIONS, _FIRST = _transitions()


def best_labels(scores: np.ndarray) -> list[int]:
    """The most likely label sequence that BIO allows, from per-piece log-probabilities
    (pieces x labels): a Viterbi pass, so that a stray I- inside or after another
    role's span does not cut the span or start one with no beginning, and a stray B-
    inside a span does not cut it in two."""
    if not len(scores):
        return []
    back = np.zeros(scores.shape, dtype=np.int64)
    best = scores[0] + _FIRST
    for index in range(1, len(scores)):
        total = best[:, None] + _TRANSITIONS
        back[index] = total.argmax(0)
        best = total.max(0) + scores[index]
    path = [int(best.argmax())]
    for index in range(len(scores) - 1, 0, -1):
        path.append(int(back[index, path[-1]]))
    return path[::-1]


# Which of an article's runs to keep, from its text, its pieces' log-probabilities and its runs
# (span_filter.SpanFilter); None keeps every one.
KeepRuns = Callable[[str, np.ndarray, Sequence[Run]], Sequence[bool]]


def article_scores(score_windows: Callable[[list[list[int]]], Sequence[np.ndarray]],
                   encoded: Sequence[tuple[Sequence[int], Offsets]], cls: int, sep: int, batch: int = 32,
                   max_pieces: int = MAX_PIECES, overlap: int = OVERLAP) -> list[np.ndarray]:
    """Per text, its pieces' label log-probabilities (pieces x labels), each piece's from the
    window that gives it most context (owners). encoded holds each text's wordpiece ids and offsets (no special tokens);
    score_windows gives, for a batch of id rows ([CLS] ... [SEP], ragged), each row's
    log-probabilities (positions x labels)."""
    cuts = [windows(len(ids), max_pieces, overlap) if len(ids) else [] for ids, _ in encoded]
    jobs = [(number, first, end) for number, spans in enumerate(cuts) for first, end in spans]
    jobs.sort(key=lambda job: job[2] - job[1])  # rows of like length batch with little padding
    scored: dict[tuple[int, int], np.ndarray] = {}
    for at in range(0, len(jobs), batch):
        chunk = jobs[at:at + batch]
        rows = [[cls, *encoded[number][0][first:end], sep] for number, first, end in chunk]
        for (number, first, end), scores in zip(chunk, score_windows(rows)):
            scored[number, first] = np.asarray(scores)[1:1 + end - first]
    return [np.array([scored[number, cuts[number][window][0]][position]
                      for window, position in owners(len(ids), cuts[number])]).reshape(len(ids), len(LABELS))
            for number, (ids, _) in enumerate(encoded)]


def decoded_runs(text: str, offsets: Offsets, scores: np.ndarray) -> list[Run]:
    """The spans the pieces' log-probabilities give (best_labels, close_quotes), each with its pieces."""
    return close_quotes(text, offsets, _runs(text, offsets, best_labels(scores)))


def predict_scored_spans(score_windows: Callable[[list[list[int]]], Sequence[np.ndarray]],
                  texts: Sequence[str], encoded: Sequence[tuple[Sequence[int], Offsets]], cls: int, sep: int,
                  batch: int = 32, max_pieces: int = MAX_PIECES, overlap: int = OVERLAP,
                  min_confidence: float = 0.0, keep: KeepRuns | None = None) -> list[list[ScoredSpan]]:
    """(role, start, end, confidence) character spans per text (span_confidence), those
    under min_confidence, or that keep turns down, left out (article_scores for the arguments)."""
    results = []
    for text, (_, offsets), scores in zip(texts, encoded, article_scores(score_windows, encoded, cls, sep, batch,
                                                                         max_pieces, overlap)):
        found = decoded_runs(text, offsets, scores)
        kept = keep(text, scores, found) if keep is not None else [True] * len(found)
        results.append([(role, start, end, confidence) for (role, start, end, pieces), wanted in zip(found, kept)
                        if wanted and (confidence := span_confidence(scores, role, pieces)) >= min_confidence])
    return results


def predict_spans(score_windows: Callable[[list[list[int]]], Sequence[np.ndarray]],
                  texts: Sequence[str], encoded: Sequence[tuple[Sequence[int], Offsets]], cls: int, sep: int,
                  batch: int = 32, max_pieces: int = MAX_PIECES, overlap: int = OVERLAP,
                  min_confidence: float = MIN_CONFIDENCE) -> list[list[tuple[str, int, int]]]:
    """predict_scored_spans without the confidences, those under min_confidence left out:
    (role, start, end) per text."""
    return [[(role, start, end) for role, start, end, _ in spans]
            for spans in predict_scored_spans(score_windows, texts, encoded, cls, sep, batch, max_pieces, overlap,
                                              min_confidence)]


__all__ = ["ROLES", "LABELS", "LABEL_IDS", "MAX_PIECES", "OVERLAP", "MIN_CONFIDENCE", "windows", "owners", "piece_labels",
           "decode", "best_labels", "close_quotes", "span_confidence", "article_scores", "decoded_runs", "predict_scored_spans",
           "predict_spans", "ScoredSpan", "Run", "KeepRuns"]
