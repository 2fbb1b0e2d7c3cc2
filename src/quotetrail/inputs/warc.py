"""Web archives (WARC, plain or gzip, e.g. Common Crawl News) with warcio:
each HTML response record becomes a page; other responses are skipped with
the reason counted; request, metadata and warcinfo records are not documents."""
from __future__ import annotations

from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord

from ..model import Document, Failure, Skipped
from ..read import PAGE_FLAG, too_large
from . import html

HTML_TYPES = ("text/html", "application/xhtml+xml")
BLOCK = 65536


class _Truncated(Exception):
    pass


class _CheckedIterator(ArchiveIterator):
    """warcio ends quietly at a gzip member that was cut short, and at a plain
    record cut inside its headers, or trips over it; say so instead."""

    def _next_record(self, next_line: bytes | None) -> ArcWarcRecord:
        try:
            return super()._next_record(next_line)
        except EOFError:
            if next_line:  # a record had begun: the archive ends inside its headers
                raise _Truncated("the last record is cut short inside its headers") from None
            raise  # the end of the archive
        except (AttributeError, TypeError, ValueError) as error:  # headers warcio cannot parse
            raise _Truncated(f"a record's headers are cut short or damaged ({type(error).__name__})") from error

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader is not None else None
        cut_short = decompressor is not None and not getattr(decompressor, "eof", True)
        super().close()
        if cut_short:
            raise _Truncated("the last gzip member is cut short")


def _response(record: ArcWarcRecord, path: str, max_bytes: int) -> Document | Failure | Skipped:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or ""
    id = headers.get_header("WARC-Record-ID") or f"{path}#{url}"
    http = record.http_headers
    if http is None:
        return Skipped(id, "not html: no HTTP headers")
    status = http.get_statuscode() or ""
    if not status.startswith("2"):
        return Skipped(id, f"HTTP {status}")
    content_type = (http.get_header("Content-Type") or "").lower()
    media_type, _, parameters = content_type.partition(";")
    if media_type.strip() not in HTML_TYPES:
        return Skipped(id, f"not html: {media_type.strip() or 'no content type'}")
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Failure(id, too_large(f"over {max_bytes:,}", max_bytes, PAGE_FLAG))
    charset = parameters.partition("charset=")[2].strip(" \"'") or None
    meta = {"source": path, "url": url, "encoding": charset,
            "language": http.get_header("Content-Language")}
    return html.page(id, body, {key: value for key, value in meta.items() if value})


def _check_whole(record: ArcWarcRecord) -> None:
    """Raise _Truncated unless the record holds all its Content-Length promises."""
    id = record.rec_headers.get_header("WARC-Record-ID") or "?"
    # A cut right after "Content-Length:" leaves an empty value, which warcio reads as 0.
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not record.rec_type or record.length is None or not declared.isdigit():
        raise _Truncated(f"record {id} is cut short inside its headers")
    while record.raw_stream.read(BLOCK):  # what the reader left, to reach the record's end
        pass
    if isinstance(record.raw_stream, LimitReader) and record.raw_stream.limit > 0:
        raise _Truncated(f"record {id} is shorter than its Content-Length")


def read_warc(path: str, max_bytes: int) -> Iterator[Document | Failure | Skipped]:
    """The response records of the archive at path, then a Failure if it ends badly."""
    count = 0
    try:
        with open(path, "rb") as stream:
            for record in _CheckedIterator(stream):
                item = _response(record, path, max_bytes) if record.rec_type == "response" else None
                _check_whole(record)  # before yielding: a cut record's headers or body may mislead
                if item is not None:
                    count += 1
                    yield item
    except OSError as error:
        yield Failure(path, error.strerror or str(error))
    except Exception as error:  # warcio fails on damaged archives in many ways; the records before are kept
        yield Failure(path, f"truncated or corrupt WARC: {error or type(error).__name__} (after {count} records)")
