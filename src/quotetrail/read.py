"""Read stage: bytes from a path or stdin into text, with clear reasons for
what cannot be read (missing, empty, binary, undecodable, too large)."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from charset_normalizer import from_bytes

from .model import Document, Failure

log = logging.getLogger(__name__)

# spaCy refuses texts over 1,000,000 characters; no news article comes close.
DEFAULT_MAX_BYTES = 1_000_000
BINARY_SAMPLE = 8192
CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


class ReadError(ValueError):
    pass


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with; UTF-8 first, else detected."""
    if not data.strip():
        raise ReadError("empty input")
    sample = data[:BINARY_SAMPLE]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or sum(byte in CONTROL_BYTES for byte in sample) > len(sample) // 20:
        raise ReadError("not UTF-8 and no text encoding could be detected (binary?)")
    return str(best), best.encoding


def read_document(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Failure:
    """A Document for path ("-" is stdin), or a Failure saying why not."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            file = Path(path)
            if not file.exists():
                return Failure(path, "no such file")
            if file.is_dir():
                return Failure(path, "is a directory")
            size = file.stat().st_size
            if size > max_bytes:
                return Failure(path, f"too large: {size:,} bytes (limit {max_bytes:,}; see --max-bytes)")
            data = file.read_bytes()
        if len(data) > max_bytes:
            return Failure(path, f"too large: over {max_bytes:,} bytes (see --max-bytes)")
        text, encoding = decode(data)
    except ReadError as error:
        return Failure(path, str(error))
    except OSError as error:
        return Failure(path, error.strerror or str(error))
    if encoding != "utf-8":
        log.warning("%s: not UTF-8, decoded as %s", path, encoding)
    return Document(id=path, text=text, meta={"source": path, "encoding": encoding})
