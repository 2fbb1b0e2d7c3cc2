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

ROLES = ("SOURCE", "CUE", "CONTENT")
LABELS = ("O", *(f"{prefix}-{role}" for role in ROLES for prefix in ("B", "I")))
LABEL_IDS = {label: index for index, label in enumerate(LABELS)}
MAX_PIECES = 256  # per window, [CLS] and [SEP] included
OVERLAP = 64  # pieces two neighbouring windows share

Offsets = Sequence[tuple[int, int]]  # each wordpiece's characters in the text


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
    in which the piece is farthest from either edge."""
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


def decode(text: str, offsets: Offsets, labels: Sequence[int]) -> list[tuple[str, int, int]]:
    """(role, start, end) character spans from per-piece BIO label ids. A span
    starts at a B, or at an I whose role differs from the span before it; it
    never runs over a line break (paragraphs are the unit of annotation)."""
    found: list[tuple[str, int, int]] = []
    role: str | None = None
    start = end = 0
    for (piece_start, piece_end), label_id in zip(offsets, labels):
        label = LABELS[label_id]
        if piece_start == piece_end:
            continue
        continues = (role is not None and label == f"I-{role}"
                     and "\n" not in text[end:piece_start])
        if continues:
            end = piece_end
            continue
        if role is not None:
            found.append((role, start, end))
        role = None if label == "O" else label[2:]
        start, end = piece_start, piece_end
    if role is not None:
        found.append((role, start, end))
    return found


def predict_spans(run_windows: Callable[[list[list[int]]], list[list[int]]],
                  texts: Sequence[str], encoded: Sequence[tuple[Sequence[int], Offsets]], cls: int, sep: int,
                  batch: int = 32, max_pieces: int = MAX_PIECES,
                  overlap: int = OVERLAP) -> list[list[tuple[str, int, int]]]:
    """(role, start, end) character spans per text. encoded holds each text's
    wordpiece ids and offsets (no special tokens); run_windows labels a batch
    of id rows ([CLS] ... [SEP], ragged) with one label id per row position."""
    cuts = [windows(len(ids), max_pieces, overlap) if len(ids) else [] for ids, _ in encoded]
    jobs = [(number, first, end) for number, spans in enumerate(cuts) for first, end in spans]
    jobs.sort(key=lambda job: job[2] - job[1])  # rows of like length batch with little padding
    labelled: dict[tuple[int, int], Sequence[int]] = {}
    for at in range(0, len(jobs), batch):
        chunk = jobs[at:at + batch]
        rows = [[cls, *encoded[number][0][first:end], sep] for number, first, end in chunk]
        for (number, first, end), labels in zip(chunk, run_windows(rows)):
            labelled[number, first] = labels[1:1 + end - first]
    results = []
    for number, (ids, offsets) in enumerate(encoded):
        spans = cuts[number]
        labels = [labelled[number, spans[window][0]][position] for window, position in owners(len(ids), spans)]
        results.append(decode(texts[number], offsets, labels))
    return results


__all__ = ["ROLES", "LABELS", "LABEL_IDS", "MAX_PIECES", "OVERLAP", "windows", "owners", "piece_labels", "decode",
           "predict_spans"]
