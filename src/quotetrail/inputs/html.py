"""HTML pages: the article's main text and metadata, with trafilatura.

Readers only wrap the raw bytes (`page`); `extract` runs in the batch worker,
so parsing pages is spread over the worker processes. The quotes' offsets then
point into the extracted text; page furniture that survives extraction is
still marked by the cleaning stage."""
from __future__ import annotations

import logging
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document as Extracted

from ..model import Document, Failure
from ..read import ReadError, decode

# trafilatura and htmldate log every odd page at WARNING or ERROR; what matters
# for the user already comes back as the document's failure reason.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

MIN_WORDS = 10  # fewer extracted words than this: a hub, index or error page, not an article
# The longest news articles run to about 100,000 characters; past this it is a dump, not an article.
MAX_TEXT_CHARS = 200_000
# Where a page declares its language, in order of trust.
LANGUAGE_XPATH = ("/html/@lang", "//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content",
                  "//meta[@property='og:locale']/@content")


def page(id: str, data: bytes, meta: dict[str, Any]) -> Document:
    """A raw page for the worker to extract; meta["encoding"] may carry the declared charset."""
    return Document(id=id, text="", meta=meta, html=data)


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    if declared:
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: detect instead
    return decode(data)


def _declared_language(tree: HtmlElement) -> str | None:
    for path in LANGUAGE_XPATH:
        values = [value.strip() for value in tree.xpath(path) if value.strip()]
        if values:
            return values[0]
    return None


def extract(document: Document) -> Document | Failure:
    """The page's article text and metadata, or why there is none."""
    try:
        markup, encoding = _decode(document.html or b"", document.meta.get("encoding"))
    except ReadError as error:
        return Failure(document.id, str(error))
    tree = trafilatura.load_html(markup)
    if tree is None:
        return Failure(document.id, "not HTML: the page could not be parsed")
    language = _declared_language(tree)  # before extraction, which prunes the tree
    # Tables (results, figures) hold no quotations and would break into odd one-cell lines.
    result = trafilatura.bare_extraction(tree, url=document.meta.get("url"), with_metadata=True,
                                         include_comments=False, include_tables=False)
    if not isinstance(result, Extracted) or not result.text or len(result.text.split()) < MIN_WORDS:
        return Failure(document.id, f"no article text: fewer than {MIN_WORDS} words extracted")
    if len(result.text) > MAX_TEXT_CHARS:
        return Failure(document.id, f"too long: {len(result.text):,} characters of text extracted "
                                    f"(limit {MAX_TEXT_CHARS:,} for a page)")
    found = {"title": result.title, "author": result.author, "date": result.date, "sitename": result.sitename,
             "canonical_url": result.url, "language": language, "encoding": encoding}
    # What the page says about itself wins over what the feed or archive said.
    meta = {**document.meta, **{key: value for key, value in found.items() if value}, "extracted_from": "html"}
    return Document(id=document.id, text=result.text, meta=meta)
