"""JSON Lines dumps from scrapers: one article per line, its text or HTML in
a configurable field (plain or gzip-compressed files)."""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from io import BufferedReader
from typing import Any

from ..model import Document, Failure
from ..read import PAGE_FLAG, too_large
from ..sanitize import clean_value
from . import html

# Record fields copied into the document's meta when present.
META_FIELDS = ("url", "title", "author", "date", "sitename", "language")
SKIP_BLOCK = 1 << 20  # bytes read at a time while passing over a line that is too long


@dataclass(frozen=True)
class Fields:
    text: str = "text"
    html: str = "html"
    id: str = "id"


def _record(record: Any, line_id: str, path: str, fields: Fields, max_bytes: int) -> Document | Failure:
    if not isinstance(record, dict):
        return Failure(line_id, f"not a JSON object but {type(record).__name__}")
    id = str(record[fields.id]) if record.get(fields.id) not in (None, "") else line_id
    meta = {"source": path, **{key: record[key] for key in META_FIELDS if isinstance(record.get(key), str)}}
    markup, text = record.get(fields.html), record.get(fields.text)
    if isinstance(markup, str) and markup.strip():
        return html.page(id, markup.encode("utf-8"), {**meta, "encoding": "utf-8"})
    if isinstance(text, str) and text.strip():
        if len(text) > max_bytes:
            return Failure(id, too_large(f"{len(text):,}", max_bytes))
        return Document(id=id, text=text, meta=meta)
    return Failure(id, f"no text in field {fields.text!r} or {fields.html!r}")


def _open(path: str) -> gzip.GzipFile | BufferedReader:
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _lines(stream: gzip.GzipFile | BufferedReader, limit: int) -> Iterator[bytes | int]:
    """Each line; for a line over limit bytes, its size instead, found without ever
    holding it whole (a small .gz file can unpack to one line of gigabytes)."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while (rest := stream.readline(SKIP_BLOCK)) and not rest.endswith(b"\n"):
            size += len(rest)
        yield size + len(rest)


def read_jsonl(path: str, fields: Fields, max_bytes: int, max_line_bytes: int) -> Iterator[Document | Failure]:
    """A document, or a Failure naming the line, for each non-blank line; a Failure
    for a file without any."""
    number = records = 0
    try:
        with _open(path) as stream:
            for number, line in enumerate(_lines(stream, max_line_bytes), 1):
                line_id = f"{path}:{number}"
                if isinstance(line, int) or len(line) > max_line_bytes:
                    records += 1
                    size = line if isinstance(line, int) else len(line)
                    yield Failure(line_id, too_large(f"{size:,}", max_line_bytes, PAGE_FLAG))
                elif line.strip():
                    records += 1
                    try:
                        record = clean_value(json.loads(line))  # "\ud800" escapes in any field
                    except ValueError as error:  # also bad UTF-8
                        yield Failure(line_id, f"not JSON: {error}")
                    else:
                        yield _record(record, line_id, path, fields, max_bytes)
    except (OSError, EOFError) as error:  # missing, unreadable, or a gzip cut short
        yield Failure(path if not number else f"{path}:{number + 1}", getattr(error, "strerror", None) or str(error))
        return
    if not records:
        yield Failure(path, "empty input: no JSON lines")
