"""Fetching URLs over HTTP with httpx: a clear user agent, timeouts, retries
with backoff, a per-host politeness delay, a size limit, and one clear reason
per URL that cannot be had.

Safe to point at URLs someone else chose: every connection, on every redirect
hop, goes only to addresses that were resolved and found public just before
(no loopback, private, link-local or reserved ones unless allow_private), so a
redirect or a DNS answer cannot steer a fetch inside the network. robots.txt
is honoured, and one overall deadline bounds each URL however slowly a server
trickles its answer."""
from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpcore
import httpx

from .. import __version__
from ..model import Failure, Skipped
from ..read import DEFAULT_MAX_PAGE_BYTES, PAGE_FLAG, too_large
from ..settings import Fetching

USER_AGENT = f"quotetrail/{__version__} (+https://github.com/quotetrail/quotetrail)"
DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_DELAY, DEFAULT_DEADLINE = (
    Fetching.timeout, Fetching.retries, Fetching.delay, Fetching.deadline)  # declared once, in settings
ROBOTS_AGENT = "quotetrail"  # the token robots.txt rules name
MAX_ROBOTS_BYTES = 512_000  # RFC 9309 asks parsers to read at least 500 KiB
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


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A connection the address policy does not allow: not retried."""


class DeadlinePassed(Exception):
    """The URL's overall deadline passed while waiting on the server."""


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address host resolves to (numbers in any form inet_aton takes, such as
    2130706433 or 0177.0.0.1, resolve to themselves without a query)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(sockaddr[0].partition("%")[0]) for *_, sockaddr in found))


def refusal(host: str, address: IPAddress) -> str | None:
    """Why the policy refuses a connection to address (host resolved to it), or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_global and not address.is_multicast:
        return None
    kind = next((name for name, test in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                                         ("multicast", address.is_multicast), ("unspecified", address.is_unspecified),
                                         ("private", address.is_private)) if test), "reserved")
    shown = host if host == str(address) else f"{host} ({address})"
    return f"refused: {shown} is a {kind} address, not a public one (see --allow-private)"


class _Clock:
    """The current URL's deadline, shared by every stream of the client."""

    def __init__(self) -> None:
        self.deadline = float("inf")

    def cap(self, timeout: float | None) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassed()
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """Each read and write waits at most until the deadline: a server that sends
    a byte now and then never times out a single read, but runs out of time here."""

    def __init__(self, stream: httpcore.NetworkStream, clock: _Clock) -> None:
        self._stream, self._clock = stream, clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._clock.cap(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._clock.cap(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, self._clock.cap(timeout)), self._clock)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves each host itself, checks every address, then connects to the
    checked address, so a second DNS answer cannot slip a private one in."""

    def __init__(self, allow_private: bool, clock: _Clock) -> None:
        self.allow_private, self.clock = allow_private, clock
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port)
        except socket.gaierror as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error.strerror}") from error
        if not self.allow_private:
            for address in addresses:
                if reason := refusal(host, address):
                    raise AddressRefused(reason)
        last: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                stream = self._sockets.connect_tcp(str(address), port, self.clock.cap(timeout), local_address,
                                                   socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
            else:
                return _DeadlineStream(stream, self.clock)
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise AddressRefused("refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport on the guarded backend (httpx has no public hook for one)."""

    def __init__(self, backend: _GuardedBackend) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=backend)


def _permanent(error: BaseException) -> bool:
    """Errors a retry cannot mend: a name that does not exist, a TLS failure."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or isinstance(seen, ssl.CertificateError):
            return True
        if isinstance(seen, socket.gaierror) and seen.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Fetcher:
    """One HTTP client for the whole batch, so connections are reused and the
    politeness delay and robots.txt rules are kept per host across all inputs."""

    @classmethod
    def of(cls, fetching: Fetching, max_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> Fetcher:
        """A fetcher as the settings say (they travel to engine workers; a Fetcher does not)."""
        return cls(fetching.timeout, fetching.retries, fetching.delay, max_bytes, deadline=fetching.deadline,
                   allow_private=fetching.allow_private, respect_robots=fetching.respect_robots)

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
                 delay: float = DEFAULT_DELAY, max_bytes: int = DEFAULT_MAX_PAGE_BYTES, backoff: float = 1.0,
                 *, deadline: float = DEFAULT_DEADLINE, allow_private: bool = False, respect_robots: bool = True) -> None:
        self.timeout, self.retries, self.delay = timeout, retries, delay
        self.max_bytes, self.backoff, self.deadline = max_bytes, backoff, deadline
        self.respect_robots = respect_robots
        self._clock = _Clock()
        self._backend = _GuardedBackend(allow_private, self._clock)
        self._client: httpx.Client | None = None  # made on first use: most batches fetch nothing
        self._next_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}  # None: no rules

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self._client is not None:
            self._client.close()

    def fetch(self, url: str) -> Response | Failure | Skipped:
        """The response for url, retrying what may pass on a later try, or why it failed
        (or, where robots.txt forbids it, why it was skipped)."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            return Failure(url, f"invalid URL: {error}")
        if not parsed.host:
            return Failure(url, "invalid URL: no host")
        self._clock.deadline = time.monotonic() + self.deadline
        try:
            if self.respect_robots and not self._robots_allow(parsed):
                return Skipped(url, f"robots.txt disallows {parsed.raw_path.decode('ascii', 'replace')} for {ROBOTS_AGENT}")
            return self._tries(url, parsed.host)
        except AddressRefused as error:
            return Failure(url, str(error))
        except DeadlinePassed:
            return Failure(url, self._late())

    def _late(self) -> str:
        return f"deadline: not fetched within {self.deadline:g} s (see --deadline)"

    def _tries(self, url: str, host: str) -> Response | Failure:
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), max(0.0, self._clock.deadline - time.monotonic())))
            self._wait_for(host)
            try:
                return self._get(url)
            except _ServerBusy as error:
                reason = str(error)
            except httpx.TimeoutException:
                if time.monotonic() >= self._clock.deadline:
                    raise DeadlinePassed() from None
                reason = f"timed out: no answer within {self.timeout:g} s"
            except httpx.TransportError as error:  # refused, reset, DNS, bad TLS
                reason = f"connection failed: {error or type(error).__name__}"
                if _permanent(error):
                    return Failure(url, reason)
            except (httpx.HTTPError, httpx.InvalidURL) as error:  # too many redirects, a bad one: final
                return Failure(url, f"request failed: {error or type(error).__name__}")
        tries = f" (after {self.retries + 1} tries)" if self.retries else ""
        return Failure(url, reason + tries)

    def _robots_allow(self, url: httpx.URL) -> bool:
        """Whether the site's robots.txt lets us fetch url; asked once per site. A missing
        robots.txt (4xx) allows everything; one that cannot be had now is not held against the page."""
        site = f"{url.scheme}://{url.netloc.decode('ascii')}"
        if site not in self._robots:
            self._wait_for(url.host)
            rules = None
            try:
                response = self._get(f"{site}/robots.txt", MAX_ROBOTS_BYTES)
            except (_ServerBusy, httpx.HTTPError, httpx.InvalidURL):
                response = None
            if isinstance(response, Response):
                rules = urllib.robotparser.RobotFileParser()
                rules.parse(response.content.decode("utf-8", "replace").splitlines())
            self._robots[site] = rules
        rules = self._robots[site]
        return rules is None or rules.can_fetch(ROBOTS_AGENT, str(url))

    def _wait_for(self, host: str) -> None:
        pause = self._next_request.get(host, 0.0) - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._next_request[host] = time.monotonic() + self.delay

    def _get(self, url: str, max_bytes: int | None = None) -> Response | Failure:
        limit = self.max_bytes if max_bytes is None else max_bytes
        if self._client is None:
            # trust_env=False: a proxy from the environment would bypass the address policy.
            self._client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=self.timeout,
                                        follow_redirects=True, transport=_GuardedTransport(self._backend),
                                        trust_env=False)
        with self._client.stream("GET", url) as response:
            if response.status_code >= 400:
                reason = f"HTTP {response.status_code}: {response.reason_phrase}"
                if response.status_code in RETRY_STATUS:
                    raise _ServerBusy(reason)
                return Failure(url, reason)
            declared = int(response.headers.get("content-length") or 0)
            if declared > limit:
                return Failure(url, too_large(f"{declared:,}", limit, PAGE_FLAG))
            body = bytearray()
            for chunk in response.iter_bytes():  # decompressed: the limit also guards against gzip bombs
                body += chunk
                if len(body) > limit:
                    return Failure(url, too_large(f"over {limit:,}", limit, PAGE_FLAG))
            media_type, _, _ = response.headers.get("content-type", "").partition(";")
            return Response(url=str(response.url), content=bytes(body), content_type=media_type.strip().lower(),
                            charset=response.charset_encoding, language=response.headers.get("content-language"))


class _ServerBusy(Exception):
    """An HTTP error that a later try may not get (server error, rate limit)."""
