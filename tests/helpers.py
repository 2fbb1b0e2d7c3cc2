"""Small lookups over extracted articles for readable assertions."""
from __future__ import annotations

from quotetrail.attribute.learned import Tagged
from quotetrail.model import Article, Quote


def quote_with(article: Article, fragment: str) -> Quote:
    matches = [quote for quote in article.quotes if fragment in quote.text]
    assert matches, f"no quote contains {fragment!r}; found {[q.text for q in article.quotes]}"
    return matches[0]


def speaker_of(article: Article, fragment: str) -> str | None:
    speaker = quote_with(article, fragment).speaker
    return speaker.name if speaker else None


def tagged_span(doc, label: str, words: str) -> Tagged:
    """The tagger's span of `label` over the first occurrence of `words` in the Doc."""
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words))
    return Tagged(label, span.start, span.end, 0)


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
