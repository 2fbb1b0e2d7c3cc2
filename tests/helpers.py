"""Small lookups over extracted articles for readable assertions."""
from __future__ import annotations

from quotetrail.model import Article, Quote


def quote_with(article: Article, fragment: str) -> Quote:
    matches = [quote for quote in article.quotes if fragment in quote.text]
    assert matches, f"no quote contains {fragment!r}; found {[q.text for q in article.quotes]}"
    return matches[0]


def speaker_of(article: Article, fragment: str) -> str | None:
    speaker = quote_with(article, fragment).speaker
    return speaker.name if speaker else None


def texts(article: Article) -> list[str]:
    return [quote.text for quote in article.quotes]


def accurate_tier_missing() -> str | None:
    """Why the accurate tier cannot run here (its model files or run-time packages), or None."""
    from quotetrail.accurate import model_directory, require
    from quotetrail.errors import ModelMissingError

    try:
        require(model_directory())
    except ModelMissingError as missing:
        return str(missing)
    return None
