"""RSS and Atom feeds with feedparser: each entry's content when the feed
carries it, else its link, to be fetched."""
from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import feedparser

from ..model import Document, Failure, Skipped
from . import html
from .web import Link


def _date(entry: feedparser.FeedParserDict) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def read_feed(source: str, data: bytes, language: str | None = None) -> Iterator[Document | Link | Failure | Skipped]:
    """The entries of the feed `data` read from `source` (a path or URL)."""
    # Bytes, never a path or URL: given those, feedparser would fetch them itself.
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.bozo:
            yield Failure(source, f"not a feed: {parsed.bozo_exception}")
        else:
            yield Skipped(source, "empty feed")
        return
    feed = parsed.feed
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        id = link or entry.get("id") or f"{source}#{index}"
        meta: dict[str, Any] = {"source": source, "url": link, "title": entry.get("title"),
                                "author": entry.get("author"), "date": _date(entry),
                                "sitename": feed.get("title"), "language": feed.get("language") or language}
        meta = {key: value for key, value in meta.items() if value}
        content = entry.get("content")
        if content:
            body = content[0]
            if body.get("type") == "text/plain":
                yield Document(id=id, text=body.value, meta=meta)
            else:  # an HTML fragment: wrap it so trafilatura reads it as a page
                yield html.page(id, f"<html><body><article>{body.value}</article></body></html>".encode(), meta)
        elif link:
            yield Link(id, link, meta)
        else:
            yield Failure(id, "feed entry has neither content nor link")
