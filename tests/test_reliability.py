"""Issue 23: nothing trusted, nothing lost. Parquet parts validated on read, a time limit
per document, bounded work per document, workers that die with their parent, complete
schema upgrades, read-only corpora, truncated WARC records reported."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotetrail.inputs.warc import read_warc
from quotetrail.model import Document, Failure, Skipped

STORY = ("Harbour chief Maria Delgado said the port would reopen on Monday after a week of talks.\n"
         "“We have the cranes back and the crews are ready,” Delgado said.\n")


# --- a plain WARC cut inside its last record's headers -------------------------------------------------

def plain_warc() -> tuple[bytes, int]:
    """Two HTML responses; also where the second record begins."""
    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=False)
    last = 0
    for name in ("port", "ferry"):
        last = stream.tell()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<html><body><p>{STORY}</p></body></html>".encode()
        writer.write_record(writer.create_warc_record(f"https://meridian.example/{name}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    return stream.getvalue(), last


def test_a_plain_warc_cut_anywhere_in_its_last_records_headers_is_a_failure(tmp_path):
    data, last = plain_warc()
    headers_end = data.index(b"\r\n\r\n", data.index(b"HTTP/1.1 200", last)) + 4
    path = tmp_path / "cut.warc"
    for cut in range(last + 1, headers_end):
        path.write_bytes(data[:cut])
        items = list(read_warc(str(path), 10_000_000))
        assert isinstance(items[0], Document), cut
        assert not any(isinstance(item, Skipped) for item in items), (cut, items)
        assert isinstance(items[-1], Failure) and "truncated" in items[-1].reason, (cut, items)
