"""From what the user names (files, directories, globs, '-', URLs) to one
stream of documents, each from the right reader and keyed by a stable id.

Resuming happens here, before any fetching: a document already in the output
is skipped by its id, so a resumed run makes no request for it."""
from __future__ import annotations

import glob
import logging
import os
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Document, Failure, Item, Skipped
from ..sanitize import clean_item
from ..read import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGE_BYTES,
    PAGE_FLAG,
    ReadError,
    read_bytes,
    gunzip,
    read_document,
    text_document,
)
from . import html, web
from .feeds import read_feed
from .jsonl import Fields, read_jsonl
from .warc import read_warc
from .web import Fetcher, Link, Response

log = logging.getLogger(__name__)
TEXT, HTML, FEED, WARC, JSONL = "text", "html", "feed", "warc", "jsonl"
SUFFIXES = {".txt": TEXT, ".text": TEXT, ".html": HTML, ".htm": HTML, ".xhtml": HTML,
            ".html.gz": HTML, ".htm.gz": HTML,
            ".xml": FEED, ".rss": FEED, ".atom": FEED, ".warc": WARC, ".warc.gz": WARC,
            ".jsonl": JSONL, ".ndjson": JSONL, ".jsonl.gz": JSONL}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
SNIFF_BYTES = 1024
ALREADY_DONE = "already in output"


@dataclass(frozen=True)
class InputOptions:
    max_bytes: int = DEFAULT_MAX_BYTES  # a text document
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES  # an HTML page, feed, WARC record or JSONL line
    fields: Fields = field(default_factory=Fields)


def kind_of(name: str) -> str | None:
    """The reader a file name asks for; None when its suffix says nothing."""
    lower = name.lower()
    return next((kind for suffix, kind in SUFFIXES.items() if lower.endswith(suffix)), None)


def sniff(head: bytes) -> str:
    """HTML, feed, WARC or text, from the first bytes of unnamed or oddly named input."""
    start = head[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"warc/"):
        return WARC
    if not start.startswith(b"<"):
        return TEXT
    if any(tag in start for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return FEED
    return HTML if any(tag in start for tag in (b"<html", b"<!doctype html", b"<head", b"<body")) else TEXT


def _sniff_file(path: str) -> str:
    try:
        with open(path, "rb") as file:
            return sniff(file.read(SNIFF_BYTES))
    except OSError:
        return TEXT  # the text reader reports why the file cannot be read


def _markup(kind: str, id: str, data: bytes, meta: dict[str, Any], options: InputOptions) -> Iterator[Item | Link]:
    if kind == HTML:
        yield html.page(id, data, meta)
    elif kind == FEED:
        yield from read_feed(id, data, meta.get("language"))
    else:
        yield text_document(id, data, meta, options.max_bytes)


def _read_path(path: str, options: InputOptions) -> Iterator[Item | Link]:
    kind = kind_of(path) or _sniff_file(path)
    if kind == TEXT:
        yield read_document(path, options.max_bytes)  # the size limit is checked before reading
    elif kind == WARC:
        yield from read_warc(path, options.max_page_bytes)
    elif kind == JSONL:
        yield from read_jsonl(path, options.fields, options.max_bytes, options.max_page_bytes)
    else:
        try:
            data = read_bytes(path, options.max_page_bytes, PAGE_FLAG)
            if path.lower().endswith(".gz"):  # saved pages, e.g. from a crawler or a benchmark
                data = gunzip(data, options.max_page_bytes, PAGE_FLAG)
        except ReadError as error:
            yield Failure(path, str(error))
            return
        sniffed = sniff(data)  # the content wins over the name: .xml holds feeds and XHTML pages alike
        yield from _markup(sniffed if sniffed in (HTML, FEED) else kind, path, data, {"source": path}, options)


def _read_stdin(options: InputOptions) -> Iterator[Item | Link]:
    try:
        data = read_bytes("-", options.max_page_bytes, PAGE_FLAG)
    except ReadError as error:
        yield Failure("-", str(error))
        return
    kind = sniff(data)
    yield from _markup(kind if kind in (HTML, FEED) else TEXT, "-", data, {"source": "-"}, options)


def directory_files(path: str) -> tuple[list[str], list[Failure]]:
    """The readable files below path, in a stable order, hidden ones and unknown suffixes
    left out; and a Failure for each folder that could not be listed, or for a folder with nothing to read."""
    files: list[str] = []
    unlisted: list[OSError] = []
    seen: set[tuple[int, int]] = set()  # symbolic links may lead back up the tree
    for folder, folders, names in os.walk(path, onerror=unlisted.append, followlinks=True):
        status = os.stat(folder)
        if (status.st_dev, status.st_ino) in seen:
            folders.clear()
            continue
        seen.add((status.st_dev, status.st_ino))
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(os.path.join(folder, name) for name in names
                     if not name.startswith(".") and kind_of(name) and os.path.isfile(os.path.join(folder, name)))
    failures = [Failure(error.filename or path, f"cannot list directory: {error.strerror or error}")
                for error in unlisted]
    if not files and not unlisted:
        failures.append(Failure(path, f"no files to read: none with a known suffix ({', '.join(SUFFIXES)})"))
    return sorted(files), failures


def _directory(path: str, options: InputOptions) -> Iterator[Item | Link]:
    files, failures = directory_files(path)
    for file in files:
        yield from _read_path(file, options)
    yield from failures


def _expand(source: str, options: InputOptions) -> Iterator[Item | Link]:
    if web.is_url(source):
        yield Link(source, source, {"source": source, "url": source})
    elif source == "-":
        yield from _read_stdin(options)
    elif Path(source).is_dir():
        yield from _directory(source, options)
    elif not Path(source).exists() and any(char in source for char in "*?["):  # a pattern the shell did not expand
        matches = sorted(glob.glob(source, recursive=True))
        if not matches:
            yield Failure(source, "no files match")
        for match in matches:
            yield from _expand(match, options)
    else:
        yield from _read_path(source, options)


def _from_response(link: Link, response: Response, options: InputOptions, allow_feed: bool) -> Iterator[Item | Link]:
    meta = {**link.meta, "url": response.url}
    meta.update({key: value for key, value in (("encoding", response.charset), ("language", response.language)) if value})
    media_type = response.content_type
    kind = HTML if media_type in HTML_TYPES else TEXT if media_type == "text/plain" else sniff(response.content)
    if kind == HTML or (kind == FEED and allow_feed) or (kind == TEXT and media_type in ("text/plain", "")):
        yield from _markup(kind, link.id, response.content, meta, options)
    else:  # a PDF, an image, or a feed where a page was expected
        yield Skipped(link.id, f"not html: {media_type or kind}")


def _resolve(items: Iterable[Item | Link], options: InputOptions, fetcher: Fetcher, done: Container[str],
             allow_feed: bool) -> Iterator[Item]:
    for item in items:
        if isinstance(item, (Document, Link)) and item.id in done:
            yield Skipped(item.id, ALREADY_DONE)
        elif isinstance(item, Link):
            response = fetcher.fetch(item.url)
            if isinstance(response, (Failure, Skipped)):
                yield type(response)(item.id, response.reason)
            else:  # a feed behind a link is read, but a feed's own links lead to pages only
                yield from _resolve(_from_response(item, response, options, allow_feed), options, fetcher, done, False)
        else:
            yield item


def read_inputs(sources: Iterable[str], options: InputOptions, fetcher: Fetcher,
                done: Container[str] = frozenset()) -> Iterator[Item]:
    """Every document named by sources, in order; a reason for each that cannot be had.
    Ids in `done` are skipped before they are read or fetched."""
    for source in sources:
        try:
            items = _resolve(map(clean_item, _expand(source, options)), options, fetcher, done, web.is_url(source))
            yield from map(clean_item, items)
        except Exception as error:  # an input no reader foresaw: lose the rest of this source, not the batch
            log.debug("reading %s failed", source, exc_info=True)
            yield clean_item(Failure(source, f"reading failed: {type(error).__name__}: {error}"))
