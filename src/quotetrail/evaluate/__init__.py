"""Evaluation: gold corpora in, precision/recall/F1 per tool out.

`run_eval` is the whole pipeline (`quotetrail eval` is its command line, in
quotetrail.cli.evaluate). Names are imported on first use, so that the command
line can read the tools' names (peers.TOOLS) without loading the readers."""
from __future__ import annotations

from importlib import import_module

_EXPORTS = {"GoldArticle": "gold", "GoldQuote": "gold", "Score": "scorer", "load_gold": "adapters",
            "run_eval": "runner", "score_article": "scorer"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
