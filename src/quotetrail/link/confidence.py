"""A quote's confidence: the measured chance that it is a real quotation with
the right speaker, by how the speaker was found (the resolution path) and whether
the quote is direct. Calibrated on real pages with bench/calibration.py's outcomes:
tests/realnews-dev (42 pages) and the direct quotations of the long pieces in
tests/realnews-long (743 predicted quotes, 2026-12-06, with the discourse-aware
resolver of link/resolve.py; the direct rates re-measured on 798 after the frame and agreement
rules of issue 19's second pass, where direct quotes found by pronoun or description were right
96-100% of the time); each rate shrunk towards the overall 0.84 by four
pseudo-quotes so that rare paths do not get extreme values; capped at 0.97. A path
without figures of its own for a kind takes DEFAULT."""
from __future__ import annotations

from dataclasses import replace

from ..model import Article, QuoteKind

# resolved_by -> (direct quotes, mixed, indirect and other quotes)
CONFIDENCE: dict[str, tuple[float, float]] = {
    "named": (0.97, 0.75),
    "alias": (0.97, 0.80),
    "previous-sentence": (0.97, 0.60),
    "pronoun": (0.97, 0.82),
    "continuation": (0.96, 0.80),
    "relay-continuation": (0.89, 0.80),
    "title": (0.87, 0.73),
    "previous-paragraph": (0.62, 0.56),
    "description": (0.97, 0.63),
    "organisation": (0.82, 0.61),
}
DEFAULT = (0.84, 0.70)
UNRESOLVED = 0.1  # no speaker found: on the real pages, never a right quote+speaker (0 of 11)


def confidence(resolved_by: str | None, kind: QuoteKind) -> float:
    if resolved_by is None:
        return UNRESOLVED
    direct, other = CONFIDENCE.get(resolved_by, DEFAULT)
    return direct if kind == "direct" else other


def keep_confident(article: Article, minimum: float) -> Article:
    """The article with only the quotes whose confidence reaches `minimum`."""
    if minimum <= 0:
        return article
    return replace(article, quotes=[quote for quote in article.quotes if quote.confidence >= minimum])
