"""One connection pool per origin, behind the sync's single `httpx.AsyncClient`.

httpcore's pool walks every connection it holds each time a request starts or a response
closes, asking each idle one whether its socket is readable (a `getpeername` and a `select`
per connection). A sync keeps connections to dozens of hosts open, so with one shared pool
that walk was a fifth of the event loop's work in a cold sync. Routing each origin to its own
small pool (at most `per_host_concurrency` connections) makes the walk a couple of steps.

Host names are looked up here too (`Resolver`), once per sync and host however many requests
go there: a name that does not resolve, or whose name server does not answer within the
connect timeout, fails every request to it at once, instead of each waiting out its own
lookup. Lookups run in daemon threads (`socket.getaddrinfo` cannot be cancelled), so a hung
name server never keeps the program from exiting; the threads are kept and fed from a queue
(`LookupThreads`), so the event loop never waits for a thread to start.

Proxies from the environment need httpx's own routing: `make_client` uses this transport
only when no proxy is configured (the proxy then looks names up).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import queue
import socket
import ssl
import threading
import typing
import urllib.request
from collections.abc import Awaitable, Callable

import httpcore
import httpx

from newsreader.errors import HostLookupError

log = logging.getLogger(__name__)

Lookup = Callable[[str, int], Awaitable[list[str]]]
"""Host name and port to IP addresses (best first); raises OSError (socket.gaierror) when the
name does not resolve."""


async def system_lookup(host: str, port: int) -> list[str]:
    """The system resolver (`getaddrinfo`) in a daemon thread: cancelling the wait leaves
    the thread to finish on its own, and a hung lookup never delays the program's exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[list[str]] = loop.create_future()

    def settle(result: list[str] | None, error: OSError | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result or [])

    def work() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            answer(None, error)
            return
        except UnicodeError as error:  # a name IDNA cannot encode: no name server asked
            answer(None, OSError(f"not a valid host name ({error})"))
            return
        answer(list(dict.fromkeys(str(info[4][0]) for info in infos)), None)

    def answer(result: list[str] | None, error: OSError | None) -> None:
        # a closed loop: the sync ended while the name was looked up, and nobody waits
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    lookup_threads.submit(work)
    return await future


class LookupThreads:
    """Where `getaddrinfo` runs: daemon threads fed from a queue. A caller only queues a
    lookup: starting a thread waits until the new thread runs, which on a busy machine held
    the event loop (and with qasync the window's paint) 100-200 ms per host name. A
    dispatcher thread starts another worker whenever a lookup is queued and no worker is
    idle, so a hung name server holds only its own worker, never the lookups behind it.
    Workers stay for later lookups (as many as were ever busy at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._queued = threading.Semaphore(0)  # one release per queued lookup
        self._idle = 0  # workers waiting for a lookup that the dispatcher has not promised
        self._dispatcher: threading.Thread | None = None

    def submit(self, job: Callable[[], None]) -> None:
        """Queues `job` (it must not raise); returns at once (but for starting the
        dispatcher, once per process)."""
        with self._lock:
            if self._dispatcher is None:
                self._dispatcher = threading.Thread(
                    target=self._dispatch, name="newsreader-lookups", daemon=True
                )
                self._dispatcher.start()
        self._jobs.put(job)
        self._queued.release()

    def idle_workers(self) -> int:
        """Workers waiting for a lookup (none is looking a name up)."""
        with self._lock:
            return self._idle

    def _dispatch(self) -> None:
        while True:
            self._queued.acquire()
            with self._lock:
                if self._idle:
                    self._idle -= 1  # an idle worker takes this lookup
                    continue
            threading.Thread(target=self._work, name="newsreader-lookup", daemon=True).start()

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:  # a lookup's own bug: this worker goes on with the next
                log.exception("a host name lookup failed")
            with self._lock:
                self._idle += 1


lookup_threads = LookupThreads()


class Resolver:
    """Looks each host name up once (per sync): concurrent and later requests share the
    answer, or the failure. `timeout` bounds a lookup (seconds)."""

    def __init__(self, lookup: Lookup = system_lookup, timeout: float = 10.0) -> None:
        self._lookup = lookup
        self._timeout = timeout
        self._answers: dict[str, asyncio.Task[list[str]]] = {}

    async def addresses(self, host: str, port: int) -> list[str]:
        """The host's IP addresses; raises HostLookupError."""
        key = host.lower()
        task = self._answers.get(key)
        if task is None:
            task = asyncio.ensure_future(self._ask(host, port))
            self._answers[key] = task
        return await asyncio.shield(task)

    async def _ask(self, host: str, port: int) -> list[str]:
        try:
            async with asyncio.timeout(self._timeout):
                found = await self._lookup(host, port)
        except TimeoutError:
            raise HostLookupError(
                host, f"the name server did not answer within {self._timeout:g} s", timed_out=True
            ) from None
        except OSError as error:
            raise HostLookupError(host, error.strerror or str(error)) from error
        if not found:
            raise HostLookupError(host, "no addresses")
        return found


class _ResolvingBackend(httpcore.AsyncNetworkBackend):
    """httpcore's own backend, connecting to the addresses the `Resolver` found (in turn);
    TLS still names the host (httpcore passes it as the server name)."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            try:
                addresses = await self._resolver.addresses(host, port)
            except HostLookupError as error:
                raise httpcore.ConnectError(f"{error}: {error.reason}") from error
        last: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                last = error
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def environment_proxies() -> bool:
    """Whether the environment names a proxy (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY ...), as
    httpx reads it; NO_PROXY alone is not one."""
    return any(scheme != "no" for scheme in urllib.request.getproxies())


class PerOriginTransport(httpx.AsyncBaseTransport):
    """Sends each request through the pool of its (scheme, host, port), created on first use
    with the same TLS context, limits and resolver."""

    def __init__(self, *, verify: ssl.SSLContext, limits: httpx.Limits, resolver: Resolver) -> None:
        self._verify = verify
        self._limits = limits
        self._backend = _ResolvingBackend(resolver)
        self._pools: dict[tuple[str, str, int | None], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        origin = (url.scheme, url.host, url.port)
        pool = self._pools.get(origin)
        if pool is None:
            pool = httpx.AsyncHTTPTransport(verify=self._verify, limits=self._limits)
            # httpx offers no parameter for the network backend: its pool is replaced by
            # the same pool over ours (tests/sync/test_transport.py proves it is used).
            pool._pool = httpcore.AsyncConnectionPool(
                ssl_context=self._verify,
                max_connections=self._limits.max_connections,
                max_keepalive_connections=self._limits.max_keepalive_connections,
                keepalive_expiry=self._limits.keepalive_expiry,
                network_backend=self._backend,
            )
            self._pools[origin] = pool
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        pools = list(self._pools.values())
        self._pools.clear()
        for pool in pools:
            await pool.aclose()
