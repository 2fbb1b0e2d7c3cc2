"""Regression guard: accuracy on the hand-annotated dev set may not fall
more than two points below the committed baseline. The guard is on
quotations (direct, mixed, indirect) only: the other kinds in the gold
(stance, belief, no_comment) have their own targets, not this baseline."""
import json
from pathlib import Path

import pytest

from quotetrail.evaluate import Score, load_gold, score_article

DEV_SET = Path(__file__).parent / "dev-set"
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def figures(extract):
    total = Score()
    for article in load_gold(str(DEV_SET)):
        total += score_article(article, extract(article.text).to_dict())
    return total.figures()


def test_dev_set_has_the_promised_size():
    articles = load_gold(str(DEV_SET))
    assert len(articles) >= 15
    assert sum(len(article.quotes) for article in articles) >= 150


@pytest.mark.parametrize("metric,key", [("quotations_quote_and_speaker", "quote_and_speaker_f1"),
                                        ("quotations_overlap", "overlap_f1")])
def test_f1_not_below_baseline(figures, metric, key):
    baseline = json.loads((DEV_SET / "baseline.json").read_text())[key]
    assert figures[metric]["f1"] >= baseline - TOLERANCE, (metric, figures[metric])
