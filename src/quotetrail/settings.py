"""What a run is told, in one place: the QUOTETRAIL_* environment variables (read
here and nowhere else) and the frozen settings that carry options to the code that
uses them, worker processes included, instead of environment variables.

Importing this loads nothing heavy: the command line builds its parser from it."""
from __future__ import annotations

import os
from dataclasses import dataclass

MODEL_ENV = "QUOTETRAIL_MODEL"  # spaCy model package (--spacy-model)
ATTRIBUTION_MODEL_ENV = "QUOTETRAIL_ATTRIBUTION_MODEL"  # a model directory from `quotetrail train`
ACCURATE_MODEL_ENV = "QUOTETRAIL_ACCURATE_MODEL"  # an accurate-tier model directory (model.onnx, ...)
RULES_ONLY_ENV = "QUOTETRAIL_RULES_ONLY"  # "1": the hand-written rules alone
DB_ENV = "QUOTETRAIL_DB"  # the corpus when --db is not given
DEFAULT_DB = "quotetrail.db"
TIERS = ("fast", "accurate")  # the attribution tagger a user picks with --model / model=


@dataclass(frozen=True)
class Analysis:
    """How articles are analysed. It travels with the work (pickled to worker
    processes and Dask workers), so what the user asked for holds everywhere."""

    model: str | None = None  # spaCy model package; None: the pinned one
    attribution_model: str | None = None  # tagger directory; None: the one shipped in the package
    rules_only: bool = False  # leave the learned attribution tagger out
    kinds: str = "all"  # which attributions to keep (model.parse_kinds): "all", "quotations", "stance,belief"
    tier: str = "fast"  # which tagger (TIERS): "fast", the spaCy CNN; "accurate", the transformer (docs/accurate.md)
    accurate_model: str | None = None  # the accurate tier's directory; None: the one shipped in the package


@dataclass(frozen=True)
class Fetching:
    """How URLs and feeds are fetched (inputs.web.Fetcher)."""

    timeout: float = 20.0  # seconds a silent server gets
    retries: int = 2  # after a timeout, connection error, 429 or 5xx
    delay: float = 1.0  # seconds between two requests to one host
    deadline: float = 60.0  # seconds for one URL, all tries, redirects and the body together
    allow_private: bool = False  # loopback, private, link-local and reserved addresses
    respect_robots: bool = True


def analysis_from_environment(rules_only: bool | None = None) -> Analysis:
    """The defaults a library call gets: $QUOTETRAIL_MODEL, $QUOTETRAIL_ATTRIBUTION_MODEL,
    $QUOTETRAIL_ACCURATE_MODEL, $QUOTETRAIL_RULES_ONLY ("1": rules only) unless rules_only
    says otherwise; the fast tier."""
    return Analysis(os.environ.get(MODEL_ENV) or None, os.environ.get(ATTRIBUTION_MODEL_ENV) or None,
                    os.environ.get(RULES_ONLY_ENV, "") == "1" if rules_only is None else rules_only,
                    accurate_model=os.environ.get(ACCURATE_MODEL_ENV) or None)


def check_tier(tier: str) -> str:
    """tier, if it is one of TIERS; else ValueError naming them."""
    if tier not in TIERS:
        raise ValueError(f"unknown model {tier!r}: choose {' or '.join(TIERS)}")
    return tier


def default_db() -> str:
    """$QUOTETRAIL_DB, else quotetrail.db."""
    return os.environ.get(DB_ENV) or DEFAULT_DB
