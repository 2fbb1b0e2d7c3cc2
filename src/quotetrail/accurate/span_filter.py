"""Which of the accurate tagger's spans to keep: a logistic regression per role over
what the tagger's scores say about each span, fitted on PolNeAR train
(train/span_filter.py) and stored beside the model (span_filter.json, 36 numbers).

A span's mean role probability alone (windows.MIN_CONFIDENCE) misses what tells a
right span from a wrong one as often: whether its edges are sharp (the piece after it
is surely not its role, the piece before it surely not), its weakest piece, and
whether the other roles lie near it (a content with no cue beside it is seldom an
attribution). On PolNeAR train the filter raised the mean per-role F1 of the
tagger's spans from 70.2 (the 0.65 cut) to 71.7.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .windows import LABEL_IDS, ROLES, Run

FILE = "span_filter.json"
FEATURES = ("mean", "least", "begins", "clear_before", "clear_after", "log_pieces",
            "near_source", "near_cue", "near_content", "quoted")
NEAR = 8.0  # pieces: a span of another role this far off counts e^-1 as much as one touching it
QUOTE_MARKS = "\"“”‘’'"


def span_features(text: str, scores: np.ndarray, runs: Sequence[Run]) -> np.ndarray:
    """One row of FEATURES per run, from its article's piece log-probabilities (pieces x labels):
    the mean and least probability of its role over its pieces, its first piece's B- probability,
    how surely the pieces just before and after it are not of its role, its length (log pieces),
    how near the nearest other span of each role lies (e^(-distance/NEAR)), and whether it
    opens or closes with a quotation mark."""
    probabilities = np.exp(scores)
    placed = [(role, pieces[0], pieces[-1]) for role, _, _, pieces in runs if pieces]
    rows = np.zeros((len(runs), len(FEATURES)))
    for number, (role, start, end, pieces) in enumerate(runs):
        if not pieces:
            continue
        begin, inside = LABEL_IDS[f"B-{role}"], LABEL_IDS[f"I-{role}"]
        of_role = probabilities[pieces][:, [begin, inside]].sum(-1)
        first, last = pieces[0], pieces[-1]
        before = 1.0 - probabilities[first - 1, [begin, inside]].sum() if first > 0 else 1.0
        after = 1.0 - probabilities[last + 1, inside] if last + 1 < len(probabilities) else 1.0
        near = [np.exp(-min((max(other_first - last, first - other_last, 0)
                             for other_role, other_first, other_last in placed
                             if other_role == wanted and (other_first, other_last) != (first, last)),
                            default=np.inf) / NEAR) for wanted in ROLES]
        words = text[start:end].strip()
        quoted = float(words[:1] in QUOTE_MARKS or words[-1:] in QUOTE_MARKS) if words else 0.0
        rows[number] = [of_role.mean(), of_role.min(), probabilities[first, begin], before, after,
                        np.log(len(pieces)), *near, quoted]
    return rows


def chance_right(features: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The regression's probability for rows of FEATURES (or one row): weights per feature, then the intercept."""
    return 1.0 / (1.0 + np.exp(-(features @ weights[:-1] + weights[-1])))


@dataclass(frozen=True)
class SpanFilter:
    """Per role, the regression's weights (one per FEATURES, then the intercept) and the
    least probability of being right at which a span is kept (chosen for F1 on train)."""

    weights: dict[str, np.ndarray]
    thresholds: dict[str, float]

    def probabilities(self, text: str, scores: np.ndarray, runs: Sequence[Run]) -> np.ndarray:
        """Each run's probability of being exactly a gold span of its role."""
        features = span_features(text, scores, runs)
        return np.array([chance_right(features[number], self.weights[role])
                         for number, (role, _, _, _) in enumerate(runs)])

    def __call__(self, text: str, scores: np.ndarray, runs: Sequence[Run]) -> list[bool]:
        """windows.KeepRuns: whether to keep each run."""
        if not runs:
            return []
        return [bool(chance >= self.thresholds[role])
                for chance, (role, _, _, _) in zip(self.probabilities(text, scores, runs), runs)]

    def to_json(self) -> dict:
        return {"features": list(FEATURES),
                "roles": {role: {"weights": [round(float(value), 5) for value in self.weights[role]],
                                 "threshold": self.thresholds[role]} for role in ROLES}}

    @classmethod
    def from_json(cls, data: dict) -> SpanFilter:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"span filter features {data['features']} are not {list(FEATURES)}")
        return cls({role: np.array(data["roles"][role]["weights"], dtype=float) for role in ROLES},
                   {role: float(data["roles"][role]["threshold"]) for role in ROLES})


def load(directory: Path) -> SpanFilter | None:
    """The model directory's span filter, or None where it has none (windows.MIN_CONFIDENCE then)."""
    path = directory / FILE
    if not path.is_file():
        return None
    return SpanFilter.from_json(json.loads(path.read_text(encoding="utf-8")))


__all__ = ["FILE", "FEATURES", "SpanFilter", "chance_right", "span_features", "load"]
