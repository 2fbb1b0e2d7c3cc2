"""HTML pages: the article's main text and metadata, with trafilatura.

Readers only wrap the raw bytes (`page`); `extract` runs in the batch worker,
so parsing pages is spread over the worker processes. The quotes' offsets then
point into the extracted text; page furniture that survives extraction is
still marked by the cleaning stage."""
from __future__ import annotations

import logging
import re
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document as Extracted

from ..model import Document, Failure
from ..read import ReadError, decode
from .declutter import declutter
from .language import CONFIDENT, SAMPLE_CHARS, _identifier, primary

# trafilatura and htmldate log every odd page at WARNING or ERROR; what matters
# for the user already comes back as the document's failure reason.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

GENERIC_SITENAMES = {"hosted", "home", "homepage", "index", "news", "article", "articles", "blog", "website", "site",
                     "page", "untitled", "default", "main"}
SITENAME_MAX_WORDS = 5
SITENAME_MAX_CHARS = 40
TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
# "Jane DoeSenior Reporter", "Jane Doe, Staff Writer": the role is not the name.
ROLE_AFTER_NAME = re.compile(
    r"(?:(?<=[a-z])(?=[A-Z])|,\s*|\s+-\s+)(?:(?:senior|chief|staff|contributing|special|political|associate|deputy"
    r"|managing|executive|national|foreign|sports?|business|digital|news)\s+)*(?:reporter|writer|editor|correspondent"
    r"|columnist|contributor|journalist|producer|critic|photographer)s?\b.*$", re.IGNORECASE)
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


def _key(name: str) -> str:
    """'The Saltmere Gazette' and 'saltmere-gazette' alike."""
    return re.sub(r"\W+|^the\s+", "", name.lower())


def plausible_sitename(name: str | None) -> str | None:
    """The site's name, or None for a hosting platform's word or a tagline."""
    if not name:
        return None
    name = " ".join(name.split())
    if name.lower() in GENERIC_SITENAMES or len(name) > SITENAME_MAX_CHARS or len(name.split()) > SITENAME_MAX_WORDS:
        return None
    if re.search(r"[.!?]$|,", name) and not re.search(r"\.(?:com|org|net|co|uk|news)$", name, re.IGNORECASE):
        return None  # a sentence: the site's tagline
    return name


def clean_title(title: str | None, sitename: str | None) -> str | None:
    """The headline without the site's suffix ("Harbour strike ends | Saltmere Gazette")."""
    if not title:
        return title
    parts = TITLE_SEPARATOR.split(title)
    if len(parts) > 1:
        last = parts[-1].strip()
        same_site = sitename is not None and _key(last) == _key(sitename)
        if same_site or (len(last.split()) <= SITENAME_MAX_WORDS and " | " in title):
            return title[: title.rindex(last)].rstrip(" |-–—:").strip() or title
    return title


def author_names(author: str | None, sitename: str | None) -> list[str]:
    """People's names from the page's author field, without link debris
    ("https; Www..."), the outlet's own name, or a role glued to the name."""
    names: list[str] = []
    for part in re.split(r"\s*(?:;|\band\b|&|\|)\s*", author or ""):
        part = ROLE_AFTER_NAME.sub("", part.strip(" ,")).strip(" ,")
        part = re.sub(r"^by\s+", "", part, flags=re.IGNORECASE)
        words = part.split()
        if not 2 <= len(words) <= 4 or re.search(r"https?|www|\d|@|/", part, re.IGNORECASE):
            continue
        if sitename and _key(part) == _key(sitename) or not all(word[0].isupper() for word in words):
            continue
        if part not in names:
            names.append(part)
    return names


def checked_language(declared: str | None, text: str) -> str | None:
    """The declared language, unless the text is confidently another one
    (an English article under a site-wide lang="de")."""
    code = primary(declared)
    if code is None:
        return declared
    guess, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return guess if guess != code and probability >= CONFIDENT else declared


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
    declutter(tree)
    # Tables (results, figures) hold no quotations and would break into odd one-cell lines.
    result = trafilatura.bare_extraction(tree, url=document.meta.get("url"), with_metadata=True,
                                         include_comments=False, include_tables=False)
    if not isinstance(result, Extracted) or not result.text or len(result.text.split()) < MIN_WORDS:
        return Failure(document.id, f"no article text: fewer than {MIN_WORDS} words extracted")
    if len(result.text) > MAX_TEXT_CHARS:
        return Failure(document.id, f"too long: {len(result.text):,} characters of text extracted "
                                    f"(limit {MAX_TEXT_CHARS:,} for a page)")
    sitename = plausible_sitename(result.sitename)
    authors = author_names(result.author, sitename)
    found = {"title": clean_title(result.title, sitename), "author": "; ".join(authors) or None,
             "bylines": authors, "date": result.date, "sitename": sitename,
             "canonical_url": result.url, "language": checked_language(language, result.text),
             "encoding": encoding}
    # What the page says about itself wins over what the feed or archive said.
    meta = {**document.meta, **{key: value for key, value in found.items() if value}, "extracted_from": "html"}
    return Document(id=document.id, text=result.text, meta=meta)
