"""One HTTP GET the careful way: politeness slots, conditional headers, redirects by hand,
bounded bodies, and errors that say what went wrong in words a user understands.

Everything network-related that can fail becomes a `FetchError` subclass; `NetworkError` marks
failures where no server answered at all (offline, DNS, refused, timeout, TLS), which lets the
command line tell "offline" apart from "some feeds are broken".
"""

from __future__ import annotations

import asyncio
import errno
import functools
import importlib
import ipaddress
import socket
import ssl
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import anyio
import httpx

from newsreader import APP_NAME, __version__, urls
from newsreader.errors import (
    BodyTooLargeError,
    FetchError,
    HostLookupError,
    HTTPStatusError,
    NetworkError,
    NetworkFailure,
    TruncatedBodyError,
    UnexpectedContentTypeError,
    UnresolvableHostError,
)
from newsreader.settings import Settings
from newsreader.sync import origins
from newsreader.sync.credentials import Credentials
from newsreader.sync.decode import BoundedDecoder, decode_unlabelled
from newsreader.sync.transport import (
    Lookup,
    PerOriginTransport,
    Resolver,
    environment_proxies,
    system_lookup,
)

USER_AGENT = (
    f"{APP_NAME}/{__version__} (+https://github.com/newsreader-app/newsreader; desktop feed reader)"
)
ACCEPT_FEED = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
ACCEPT_IMAGE = "image/avif, image/webp, image/png, image/jpeg, image/gif, image/*;q=0.8"
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
FETCHABLE_SCHEMES = {"http", "https", "file"}
WEB_SCHEMES = {"http", "https"}
MAX_HOST_FAILURES = 3  # network failures in a row before a sync stops asking that host
_DRAIN_LIMIT = 64 * 1024  # unread bodies up to this size are read to keep the connection


@dataclass(frozen=True, slots=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # one feed, redirects and body included
    max_bytes: int = Settings().max_feed_bytes
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        return cls(max_bytes=settings.max_feed_bytes)


@dataclass(frozen=True, slots=True)
class Conditional:
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: int  # 200 (or another 2xx) with a body, or 304 without one
    url: str  # where the body finally came from
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    permanent_url: str | None = None  # set when every redirect on the way was permanent

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


CredentialsLookup = Callable[[], Awaitable[Credentials | None]]


class Politeness:
    """A global limit and a per-host limit on requests in flight, and a circuit breaker: once
    a host failed to answer MAX_HOST_FAILURES times in a row, or its name did not resolve
    once (or its name server did not answer), the rest of this sync skips it instead of
    waiting out a timeout per request.

    Keys, on purpose: the concurrency limit and the lookup verdict are per host name (one
    machine, one DNS answer, whatever the port), the failure count is per server, host:port
    (a dead port, say :8080, says nothing of the site on :443).

    With a `resolver` (the one the client's transport uses), a host name is looked up before
    a request takes its slots: a name server that takes seconds to answer (or never does)
    holds no slot another host's request could use, and the verdict is known to `skipped`.
    """

    def __init__(self, concurrency: int, per_host: int, resolver: Resolver | None = None) -> None:
        self._global = asyncio.Semaphore(max(1, concurrency))
        self.per_host = max(1, per_host)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.per_host)
        )
        self._failures: defaultdict[str, int] = defaultdict(int)
        self._unresolved: dict[str, str] = {}  # host name -> why it did not resolve
        self._resolver = resolver

    @classmethod
    def from_settings(cls, settings: Settings, resolver: Resolver | None = None) -> Politeness:
        return cls(settings.concurrency, settings.per_host_concurrency, resolver)

    def skipped(self, url: str) -> str | None:
        """Why a request to `url` would be skipped at once in this sync (its host did not
        resolve, or its server did not answer several requests in a row), or None."""
        return self._verdict(*_host_and_server(url))

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        host, server = _host_and_server(url)
        self._check(host, server)
        await self._look_up(url, host)
        # Host first: a task waiting for a busy host must not sit on a global slot.
        async with self._hosts[host], self._global:
            self._check(host, server)  # it may have failed while we waited
            try:
                yield
            except UnresolvableHostError as error:
                self._unresolved[host] = str(error)
                raise
            except NetworkError:
                self._failures[server] += 1
                raise
            except TruncatedBodyError as error:
                # A server that starts answering and then stalls is as good as dead.
                self._failures[server] = self._failures[server] + 1 if error.timed_out else 0
                raise
            except FetchError:
                self._failures[server] = 0  # it answered, if not as hoped
                raise
            self._failures[server] = 0

    async def _look_up(self, url: str, host: str) -> None:
        """Waits for the host's addresses (shared by every request to it; the transport
        then connects without asking again); raises UnresolvableHostError."""
        parts = urls.split(url)
        if self._resolver is None or parts is None or not host or _is_address(host):
            return
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return  # an invalid port: the request fails on its own
        try:
            await self._resolver.addresses(host, port)
        except HostLookupError as error:
            self._unresolved[host] = str(error)
            raise UnresolvableHostError(host, self._unresolved[host]) from None

    def _verdict(self, host: str, server: str) -> str | None:
        unresolved = self._unresolved.get(host)
        if unresolved is not None:
            return f"skipped: {unresolved}"
        if self._failures.get(server, 0) >= MAX_HOST_FAILURES:
            return f"skipped: {server} did not answer {MAX_HOST_FAILURES} requests in a row"
        return None

    def _check(self, host: str, server: str) -> None:
        verdict = self._verdict(host, server)
        if verdict is None:
            return
        if host in self._unresolved:
            raise UnresolvableHostError(host, verdict)
        raise NetworkError(verdict)


def _host_and_server(url: str) -> tuple[str, str]:
    """The URL's host name (the key of limits and lookups) and host:port without login (the
    key of failure counts)."""
    found = origins.origin(url)
    return found.host or "", found.netloc.rpartition("@")[2]


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@functools.cache
def system_tls_context() -> ssl.SSLContext:
    """The verifying TLS context (certifi, or $SSL_CERT_FILE/$SSL_CERT_DIR), built once per
    process: loading the CA bundle takes ~50-100 ms, too much to repeat on every sync."""
    return httpx.create_ssl_context(trust_env=True)


def make_client(
    settings: Settings,
    *,
    verify: ssl.SSLContext | bool = True,
    limits: FetchLimits | None = None,
    resolver: Resolver | None = None,
) -> httpx.AsyncClient:
    """The one client of a sync: redirects off (handled here), proxies from the environment,
    host names looked up once each (by `resolver`, shared with the sync's `Politeness`; by
    default a new one over the system resolver, bounded by the connect timeout).

    Slow the first time in a process (CA bundle, and the transport modules httpcore would
    otherwise import on the first request): call it off the event loop."""
    limits = limits or FetchLimits.from_settings(settings)
    if verify is True:
        verify = system_tls_context()
    _import_lazy_parts()
    # Idle keep-alive connections to every host of a sync stay open: closing and reopening
    # them would cost a connect per request once hosts outnumber the pool.
    pool = max(settings.concurrency * settings.per_host_concurrency * 4, 100)
    pool_limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
    transport = None
    if not environment_proxies():
        if not isinstance(verify, ssl.SSLContext):
            verify = httpx.create_ssl_context(verify=verify)
        resolver = resolver or make_resolver(None, limits)
        transport = PerOriginTransport(verify=verify, limits=pool_limits, resolver=resolver)
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br"},
        timeout=httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=None,
        ),
        limits=pool_limits,
        transport=transport,
        follow_redirects=False,
        trust_env=True,
        verify=verify,
    )


def make_resolver(lookup: Lookup | None, limits: FetchLimits) -> Resolver:
    """The host-name lookups of one sync (`lookup`, by default the system resolver), each
    bounded by the connect timeout."""
    return Resolver(lookup or system_lookup, timeout=limits.connect_timeout)


@functools.cache
def _import_lazy_parts() -> None:
    """httpcore's anyio backend imports its parts on first use, i.e. inside the first request
    on the event loop (10-30 ms of stall); touching every public name imports them now."""
    importlib.import_module("httpcore._backends.anyio")
    importlib.import_module("sniffio")
    for name in dir(anyio):
        getattr(anyio, name)


def check_scheme(url: str, *, allow_file: bool) -> str:
    """The URL's scheme if we may fetch it. `file` only where the user named the address
    (a subscription), never for URLs a document supplied (comment feeds, images, redirects)."""
    if urls.split(url) is None:
        raise FetchError(f"cannot fetch {url}: not a valid address")
    scheme = urls.scheme(url)
    allowed = FETCHABLE_SCHEMES if allow_file else WEB_SCHEMES
    if scheme not in allowed:
        shown = scheme or "scheme-less"
        names = ", ".join(sorted(allowed))
        raise FetchError(f"cannot fetch {url}: {shown} URLs are not supported here ({names})")
    return scheme


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    politeness: Politeness,
    limits: FetchLimits,
    conditional: Conditional | None = None,
    accept: str = ACCEPT_FEED,
    accept_types: tuple[str, ...] = (),
    credentials: CredentialsLookup | None = None,
    allow_file: bool = False,
    user_agent: str | None = None,
) -> FetchResult:
    """GETs `url`, following up to `limits.max_redirects` redirects, within the total timeout.

    `accept_types` (prefixes such as "image/") rejects other content types before the body is
    read. `credentials` is awaited once, only if the server answers 401. `allow_file` permits
    a file URL (one the user gave, never one a document named). `user_agent` replaces the
    app's own (a feed's setting, for sites that refuse unknown clients).
    """
    if check_scheme(url, allow_file=allow_file) == "file":
        return await _read_file(url, limits.max_bytes)
    headers = {"Accept": accept, **(conditional.headers() if conditional else {})}
    if user_agent:
        headers["User-Agent"] = user_agent
    return await _follow(client, url, politeness, limits, headers, accept_types, credentials)


class _Budget:
    """The total time one fetch may spend with servers, over all its redirects. Time spent
    waiting for a politeness slot does not count: in a sync of thousands of feeds a feed may
    wait its turn far longer than any server may take."""

    def __init__(self, seconds: float) -> None:
        self.total = seconds
        self.left = seconds

    @asynccontextmanager
    async def spend(self, url: str) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(self.left):
                yield
        except TimeoutError:
            raise NetworkError(f"{_host(url)} took longer than {self.total:g} s in total") from None
        finally:
            self.left = max(0.0, self.left - (loop.time() - started))


async def fetch_image(
    client: httpx.AsyncClient, url: str, *, politeness: Politeness, limits: FetchLimits
) -> FetchResult:
    """GETs an image: only an `image/*` answer counts (anything else is a `FetchError`)."""
    return await fetch(
        client,
        url,
        politeness=politeness,
        limits=limits,
        accept=ACCEPT_IMAGE,
        accept_types=("image/",),
    )


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    politeness: Politeness,
    limits: FetchLimits,
    headers: dict[str, str],
    accept_types: tuple[str, ...],
    credentials: CredentialsLookup | None,
) -> FetchResult:
    visited = [url]
    current = url
    permanent: str | None = None
    all_permanent = True
    auth: httpx.BasicAuth | None = None
    asked_for_login = False
    budget = _Budget(limits.total_timeout)
    while True:
        async with politeness.slot(current), budget.spend(current):
            request = client.build_request("GET", current, headers=headers)
            if auth is not None:
                request = next(auth.auth_flow(request))
            response = await _send(client, request, current)
            try:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    joined = urls.join(current, response.headers["location"])
                    if joined is None:
                        raise FetchError(f"{current} redirects to an invalid address")
                    target = joined
                elif response.status_code == 401 and credentials and not asked_for_login:
                    asked_for_login = True
                    login = await credentials()
                    if login is None:
                        raise HTTPStatusError(current, 401)
                    auth = httpx.BasicAuth(login.username, login.password)
                    continue
                else:
                    return await _finish(response, current, permanent, limits, accept_types)
            finally:
                await _release(response)
        check_scheme(target, allow_file=False)
        if target in visited:
            raise FetchError("redirect loop: " + " -> ".join([*visited, target]))
        if len(visited) > limits.max_redirects:
            raise FetchError(f"more than {limits.max_redirects} redirects starting at {url}")
        all_permanent = all_permanent and response.status_code in PERMANENT_REDIRECTS
        if all_permanent:
            permanent = target
        visited.append(target)
        current = target
        auth = None


async def _release(response: httpx.Response) -> None:
    """Closes the response, first reading the rest of a small announced body: httpcore only
    returns a connection to the pool once the whole message was read (even an empty 304), so
    closing early would cost a new connection per request."""
    try:
        if not response.is_stream_consumed and _small_rest(response):
            async for _ in response.aiter_raw():
                pass
    except httpx.HTTPError:
        pass  # the connection is dropped below; nothing was promised to the caller
    finally:
        await response.aclose()


def _small_rest(response: httpx.Response) -> bool:
    if response.status_code in {204, 304} or response.request.method == "HEAD":
        return True
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= _DRAIN_LIMIT


async def _send(client: httpx.AsyncClient, request: httpx.Request, url: str) -> httpx.Response:
    try:
        return await client.send(request, stream=True)
    except httpx.HTTPError as error:
        raise _network_error(error, url) from None


async def _finish(
    response: httpx.Response,
    url: str,
    permanent: str | None,
    limits: FetchLimits,
    accept_types: tuple[str, ...],
) -> FetchResult:
    headers = {k.lower(): v for k, v in response.headers.items()}
    status = response.status_code
    if status == 304:
        return FetchResult(304, url, b"", headers, permanent)
    if status >= 300:
        raise HTTPStatusError(url, status, headers.get("retry-after"))
    content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if accept_types and not content_type.startswith(accept_types):
        raise UnexpectedContentTypeError(url, content_type)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise BodyTooLargeError(limits.max_bytes)
    decoder = BoundedDecoder(headers.get("content-encoding"), limits.max_bytes)
    chunks: list[bytes] = []
    received = 0
    try:
        async for raw in response.aiter_raw():  # as received, so `received` is exact
            received += len(raw)
            chunks.append(decoder.feed(raw))
    except httpx.HTTPError as error:
        # The server answered, then the body broke off: an error of that server (never
        # "offline"), and nothing of the partial body is used.
        timed_out = isinstance(error, httpx.TimeoutException)
        host = _host(url)
        if timed_out:
            reason = f"{host} stopped sending after {received} bytes of the response (timed out)"
        else:
            reason = f"{host} closed the connection after {received} bytes of the response"
        raise TruncatedBodyError(reason, received=received, timed_out=timed_out) from None
    body = b"".join(chunks)
    if not accept_types:  # images are never sent gzipped twice; feeds and pages are
        body = decode_unlabelled(body, limits.max_bytes)
    return FetchResult(status, url, body, headers, permanent)


async def _read_file(url: str, limit: int) -> FetchResult:
    parts = urls.split(url)
    path = Path(unquote(parts.path if parts else ""))

    def read() -> bytes:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise BodyTooLargeError(limit)
        return data

    try:
        body = await asyncio.to_thread(read)
    except OSError as error:
        raise FetchError(f"cannot read {path}: {error.strerror or error}") from None
    return FetchResult(200, url, body)


_NOT_TLS_REASONS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"})
"""OpenSSL's reasons when the server answered a TLS hello in plain HTTP (1.1 and 3.x)."""


def _host(url: str) -> str:
    return urls.host(url) or url


def _network_error(error: httpx.HTTPError, url: str) -> FetchError:
    host = _host(url)
    chain = _causes(error)
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or "untrusted certificate"
            return NetworkError(
                f"certificate verify failed for host {host}: {reason}", NetworkFailure.CERTIFICATE
            )
    text = "; ".join(dict.fromkeys(str(c) for c in chain if str(c)))
    if isinstance(error, httpx.ConnectTimeout):
        return NetworkError(f"connecting to {host} timed out", NetworkFailure.TIMEOUT)
    if isinstance(error, httpx.TimeoutException):
        return NetworkError(f"{host} stopped sending data (timed out)", NetworkFailure.TIMEOUT)
    if isinstance(error, httpx.ConnectError):
        return _connect_error(chain, host, text)
    if isinstance(error, httpx.ProxyError):
        return NetworkError(f"the proxy refused {url}: {text}")
    if isinstance(error, httpx.RemoteProtocolError):
        return NetworkError(f"{host} broke the connection or sent invalid HTTP ({text})")
    if isinstance(error, httpx.UnsupportedProtocol):
        return FetchError(f"cannot fetch {url}: unsupported protocol")
    return NetworkError(f"{host}: {text or type(error).__name__}")


def _connect_error(chain: list[BaseException], host: str, text: str) -> NetworkError:
    """The connect failure told by the types in the cause chain (httpx and httpcore chain the
    original `ssl.SSLError`, `socket.gaierror` or `OSError`), never by message text."""
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            if cause.reason in _NOT_TLS_REASONS:
                return NetworkError(
                    f"{host} does not speak HTTPS (TLS) there; the address may need http://"
                )
            reason = (cause.reason or str(cause)).replace("_", " ").lower()
            return NetworkError(f"the secure connection (TLS) to {host} failed: {reason}")
        if isinstance(cause, HostLookupError):
            return UnresolvableHostError(host, str(cause))
    if any(isinstance(c, socket.gaierror) for c in chain):
        return UnresolvableHostError(host, f"cannot resolve host name {host}")
    if any(
        isinstance(c, ConnectionRefusedError)
        or (isinstance(c, OSError) and c.errno == errno.ECONNREFUSED)
        for c in chain
    ):
        return NetworkError(f"connection refused by {host}", NetworkFailure.REFUSED)
    return NetworkError(f"cannot connect to {host}: {text or 'no details'}")


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
