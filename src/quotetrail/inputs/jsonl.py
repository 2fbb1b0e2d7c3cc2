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
from . import html

# Record fields copied into the document's meta when present.
META_FIELDS = ("url", "title", "author", "date", "sitename", "language")


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


def read_jsonl(path: str, fields: Fields, max_bytes: int, max_line_bytes: int) -> Iterator[Document | Failure]:
    """A document, or a Failure naming the line, for each non-blank line."""
    number = 0
    try:
        with _open(path) as lines:
            for number, line in enumerate(lines, 1):
                line_id = f"{path}:{number}"
                if len(line) > max_line_bytes:
                    yield Failure(line_id, too_large(f"{len(line):,}", max_line_bytes, PAGE_FLAG))
                elif line.strip():
                    try:
                        record = json.loads(line)
                    except ValueError as error:  # also bad UTF-8
                        yield Failure(line_id, f"not JSON: {error}")
                    else:
                        yield _record(record, line_id, path, fields, max_bytes)
    except (OSError, EOFError) as error:  # missing, unreadable, or a gzip cut short
        yield Failure(path if not number else f"{path}:{number + 1}", getattr(error, "strerror", None) or str(error))
