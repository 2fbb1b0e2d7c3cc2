"""Evaluation: gold corpora in, precision/recall/F1 per tool out.

`run_eval` is the whole pipeline; `add_eval_arguments` and `main_eval` let a
CLI mount it as a subcommand.
"""
from __future__ import annotations

from .adapters import load_gold
from .gold import GoldArticle, GoldQuote
from .runner import add_eval_arguments, main_eval, run_eval
from .scorer import Score, score_article

__all__ = [
    "GoldArticle",
    "GoldQuote",
    "Score",
    "add_eval_arguments",
    "load_gold",
    "main_eval",
    "run_eval",
    "score_article",
]
