"""Fetching URLs over HTTP with httpx: a clear user agent, timeouts, retries
with backoff, a per-host politeness delay, a size limit, and one clear reason
per URL that cannot be had."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from .. import __version__
from ..model import Failure
from ..read import DEFAULT_MAX_PAGE_BYTES, PAGE_FLAG, too_large

USER_AGENT = f"quotetrail/{__version__} (+https://github.com/quotetrail/quotetrail)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 2
DEFAULT_DELAY = 1.0  # seconds between two requests to one host
RETRY_STATUS = {429, 500, 502, 503, 504}  # the server may answer next time; other errors will not change


@dataclass
class Link:
    """A document still to be fetched; its id is known before fetching, so
    --resume can skip it without a request."""

    id: str
    url: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    content: bytes
    content_type: str  # the media type alone, lower case
    charset: str | None
    language: str | None  # Content-Language


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def read_url_list(path: str) -> list[str]:
    """URLs from a file, one per line; blank lines and # comments are ignored."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class Fetcher:
    """One HTTP client for the whole batch, so connections are reused and the
    politeness delay is kept per host across all inputs."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
                 delay: float = DEFAULT_DELAY, max_bytes: int = DEFAULT_MAX_PAGE_BYTES, backoff: float = 1.0) -> None:
        self.timeout, self.retries, self.delay = timeout, retries, delay
        self.max_bytes, self.backoff = max_bytes, backoff
        self._client: httpx.Client | None = None  # made on first use: most batches fetch nothing
        self._next_request: dict[str, float] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self._client is not None:
            self._client.close()

    def fetch(self, url: str) -> Response | Failure:
        """The response for url, retrying what may pass on a later try, or why it failed."""
        try:
            host = httpx.URL(url).host
        except httpx.InvalidURL as error:
            return Failure(url, f"invalid URL: {error}")
        if not host:
            return Failure(url, "invalid URL: no host")
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait_for(host)
            try:
                return self._get(url)
            except _ServerBusy as error:
                reason = str(error)
            except httpx.TimeoutException:
                reason = f"timed out: no answer within {self.timeout:g} s"
            except httpx.TransportError as error:  # refused, reset, DNS, bad TLS
                reason = f"connection failed: {error or type(error).__name__}"
            except (httpx.HTTPError, httpx.InvalidURL) as error:  # too many redirects, a bad one: final
                return Failure(url, f"request failed: {error or type(error).__name__}")
        tries = f" (after {self.retries + 1} tries)" if self.retries else ""
        return Failure(url, reason + tries)

    def _wait_for(self, host: str) -> None:
        pause = self._next_request.get(host, 0.0) - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._next_request[host] = time.monotonic() + self.delay

    def _get(self, url: str) -> Response | Failure:
        if self._client is None:
            self._client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=self.timeout,
                                        follow_redirects=True)
        with self._client.stream("GET", url) as response:
            if response.status_code >= 400:
                reason = f"HTTP {response.status_code}: {response.reason_phrase}"
                if response.status_code in RETRY_STATUS:
                    raise _ServerBusy(reason)
                return Failure(url, reason)
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.max_bytes:
                return Failure(url, too_large(f"{declared:,}", self.max_bytes, PAGE_FLAG))
            body = bytearray()
            for chunk in response.iter_bytes():  # decompressed: the limit also guards against gzip bombs
                body += chunk
                if len(body) > self.max_bytes:
                    return Failure(url, too_large(f"over {self.max_bytes:,}", self.max_bytes, PAGE_FLAG))
            media_type, _, _ = response.headers.get("content-type", "").partition(";")
            return Response(url=str(response.url), content=bytes(body), content_type=media_type.strip().lower(),
                            charset=response.charset_encoding, language=response.headers.get("content-language"))


class _ServerBusy(Exception):
    """An HTTP error that a later try may not get (server error, rate limit)."""
