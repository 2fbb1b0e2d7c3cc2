"""Read stage: bytes from a path or stdin into text, with clear reasons for
what cannot be read (missing, empty, binary, undecodable, too large)."""
from __future__ import annotations

import codecs
import gzip
import io
import logging
import os
import stat
import sys
import zlib
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from .model import Document, Failure

log = logging.getLogger(__name__)

# spaCy refuses texts over 1,000,000 characters; no news article comes close.
DEFAULT_MAX_BYTES = 1_000_000
# Web pages carry scripts, styles and inline state: ten times a text's limit. Also for
# feeds, WARC records and JSONL lines.
DEFAULT_MAX_PAGE_BYTES = 10_000_000
PAGE_FLAG = "--max-page-bytes"
# Seconds for one document's extraction and analysis (batch.run): a long article takes
# a few; only a pathological one comes near this.
DEFAULT_DOC_TIMEOUT = 30.0
BINARY_SAMPLE = 8192
CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
# A byte order mark names the encoding; UTF-32's marks first, as they begin with UTF-16's.
BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class ReadError(ValueError):
    pass


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with; UTF-8 first, else detected."""
    if not data.strip():
        raise ReadError("empty input")
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding), encoding  # the codec drops the mark
            except UnicodeDecodeError:
                break  # a binary file that happens to start like a mark
    sample = data[:BINARY_SAMPLE]
    if b"\x00" in sample:
        raise ReadError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or sum(byte in CONTROL_BYTES for byte in sample) > len(sample) // 20:
        raise ReadError("not UTF-8 and no text encoding could be detected (binary?)")
    return str(best), best.encoding


def too_large(size: str, limit: int, flag: str = "--max-bytes") -> str:
    return f"too large: {size} bytes (limit {limit:,}; see {flag})"


def read_bytes(path: str, max_bytes: int, flag: str = "--max-bytes") -> bytes:
    """The bytes of path ("-" is stdin); a ReadError says why they cannot be had."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            try:
                status = os.stat(path)
            except FileNotFoundError:
                raise ReadError("no such file" + (" (a broken symbolic link)" if os.path.islink(path) else "")) from None
            if stat.S_ISDIR(status.st_mode):
                raise ReadError("is a directory")
            if status.st_size > max_bytes:  # checked before reading: the file may be huge
                raise ReadError(too_large(f"{status.st_size:,}", max_bytes, flag))
            data = Path(path).read_bytes()
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from error
    if len(data) > max_bytes:
        raise ReadError(too_large(f"over {max_bytes:,}", max_bytes, flag))
    return data


def gunzip(data: bytes, max_bytes: int, flag: str = "--max-bytes") -> bytes:
    """The uncompressed bytes of a gzip file, checked against the limit as they
    are read: a small file may unpack to a huge one."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:  # not gzip, cut short, or corrupt
        raise ReadError(f"bad gzip file: {error}") from error
    if len(content) > max_bytes:
        raise ReadError(too_large(f"over {max_bytes:,} uncompressed", max_bytes, flag))
    return content


def text_document(id: str, data: bytes, meta: dict[str, Any], max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Failure:
    """A Document for text bytes, or a Failure saying why they are not usable text."""
    if len(data) > max_bytes:
        return Failure(id, too_large(f"{len(data):,}", max_bytes))
    try:
        text, encoding = decode(data)
    except ReadError as error:
        return Failure(id, str(error))
    if encoding != "utf-8":
        log.warning("%s: not UTF-8, decoded as %s", id, encoding)
    return Document(id=id, text=text, meta={**meta, "encoding": encoding})


def read_document(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Failure:
    """A Document for path ("-" is stdin), or a Failure saying why not."""
    try:
        data = read_bytes(path, max_bytes)
    except ReadError as error:
        return Failure(path, str(error))
    return text_document(path, data, {"source": path}, max_bytes)
