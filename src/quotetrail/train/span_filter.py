"""Fit the accurate tagger's span filter (accurate/span_filter.py) on PolNeAR train.

The model in place tags the first N train articles; each span it decodes is a
positive when it is exactly a gold span of its role (as bench/accurate.py scores
them: whole spaCy tokens of each paragraph). A logistic regression per role is
fitted to those, and the threshold per role that gives that role's best F1 on
the same articles is kept. Dev is never read. Needs only the run-time extra.

    python -m quotetrail.train.span_filter [--polnear ../shared/eval/polnear] [--articles 400] [--model DIR]
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import spacy

from ..accurate.span_filter import FILE, SpanFilter, chance_right, span_features
from ..accurate.windows import ROLES, decoded_runs
from .accurate import Article, read_split, snap

ARTICLES = 400  # of train's 840: about 10 minutes of a busy 2-core CPU for the tagger
L2 = 1.0  # ridge penalty on the weights (not the intercept)
THRESHOLDS = np.arange(0.2, 0.8, 0.025)


def fit_logistic(features: np.ndarray, labels: np.ndarray, l2: float = L2, steps: int = 50) -> np.ndarray:
    """Weights (one per column, then the intercept) of an L2-penalised logistic regression, by
    Newton's method. Written here because ten features need no scikit-learn install."""
    design = np.hstack([features, np.ones((len(features), 1))])
    penalty = l2 * np.diag([*np.ones(features.shape[1]), 0.0])
    weights = np.zeros(design.shape[1])
    for _ in range(steps):
        chance = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (chance - labels) + penalty @ weights
        hessian = design.T @ (design * (chance * (1.0 - chance))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def labelled_spans(tagger, articles: Sequence[Article], batch: int = 16):
    """Per article: its text, piece log-probabilities and decoded runs, and per run whether it
    is exactly a gold span of its role."""
    for at in range(0, len(articles), batch):
        chunk = articles[at:at + batch]
        texts = [article.text for article in chunk]
        encoded = tagger.encode(texts)
        for article, (_, offsets), scores in zip(chunk, encoded, tagger.article_scores(encoded)):
            runs = decoded_runs(article.text, offsets, scores)
            gold = {(number, span) for number, paragraph in enumerate(article.paragraphs) for span in paragraph.gold}
            right = []
            for role, start, end, _ in runs:
                tokens = {(number, span) for number, spans in enumerate(snap(article, [(role, start, end)]))
                          for span in spans}
                right.append(bool(tokens) and tokens <= gold)
            yield article.text, scores, runs, right


def f1(chances: np.ndarray, right: np.ndarray, gold: int, threshold: float) -> float:
    kept = chances >= threshold
    correct, predicted = int(right[kept].sum()), int(kept.sum())
    return 2 * correct / (gold + predicted) if gold + predicted else 0.0


def fit(tagger, articles: Sequence[Article]) -> tuple[SpanFilter, dict]:
    """The filter for tagger fitted on articles, and per role the F1 before (every span) and after."""
    features = {role: [] for role in ROLES}
    right = {role: [] for role in ROLES}
    for text, scores, runs, labels in labelled_spans(tagger, articles):
        for (role, _, _, _), row, label in zip(runs, span_features(text, scores, runs), labels):
            features[role].append(row)
            right[role].append(label)
    weights, thresholds, report = {}, {}, {}
    for role in ROLES:
        rows, labels = np.array(features[role]), np.array(right[role], dtype=float)
        gold = sum(span[0] == role for article in articles for paragraph in article.paragraphs
                   for span in paragraph.gold)
        weights[role] = fit_logistic(rows, labels)
        chances = chance_right(rows, weights[role])
        best = max(THRESHOLDS, key=lambda threshold: f1(chances, labels, gold, threshold))
        thresholds[role] = round(float(best), 3)
        report[role] = {"spans": len(labels), "gold": gold, "f1_every_span": round(100 * f1(chances, labels, gold, 0.0), 1),
                        "f1_filtered": round(100 * f1(chances, labels, gold, best), 1), "threshold": thresholds[role]}
    return SpanFilter(weights, thresholds), report


def main(argv: Sequence[str] | None = None) -> None:
    from ..nlp import load_accurate_tagger

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=Path(__file__).resolve().parents[4] / "shared" / "eval" / "polnear")
    parser.add_argument("--articles", type=int, default=ARTICLES, help="the first N train articles")
    parser.add_argument("--model", type=Path, default=None, help="accurate model directory (default: the shipped one)")
    args = parser.parse_args(argv)
    tagger = load_accurate_tagger(args.model)
    articles = read_split(args.polnear / "train", spacy.blank("en").tokenizer, args.articles)
    found, report = fit(tagger, articles)
    data = found.to_json() | {"fitted_on": f"PolNeAR train, first {len(articles)} articles", "train_f1": report}
    (tagger.directory / FILE).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report))
    print(f"wrote {tagger.directory / FILE}")


if __name__ == "__main__":
    main()
