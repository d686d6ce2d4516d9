"""One connection pool per origin, behind the sync's single `httpx.AsyncClient`.

httpcore's pool walks every connection it holds each time a request starts or a response
closes, asking each idle one whether its socket is readable (a `getpeername` and a `select`
per connection). A sync keeps connections to dozens of hosts open, so with one shared pool
that walk was a fifth of the event loop's work in a cold sync. Routing each origin to its own
small pool (at most `per_host_concurrency` connections) makes the walk a couple of steps.

Proxies from the environment need httpx's own routing: `make_client` uses this transport
only when no proxy is configured.
"""

from __future__ import annotations

import ssl
import urllib.request

import httpx


def environment_proxies() -> bool:
    """Whether the environment names a proxy (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY ...), as
    httpx reads it; NO_PROXY alone is not one."""
    return any(scheme != "no" for scheme in urllib.request.getproxies())


class PerOriginTransport(httpx.AsyncBaseTransport):
    """Sends each request through the pool of its (scheme, host, port), created on first use
    with the same TLS context and limits."""

    def __init__(self, *, verify: ssl.SSLContext, limits: httpx.Limits) -> None:
        self._verify = verify
        self._limits = limits
        self._pools: dict[tuple[str, str, int | None], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        origin = (url.scheme, url.host, url.port)
        pool = self._pools.get(origin)
        if pool is None:
            pool = httpx.AsyncHTTPTransport(verify=self._verify, limits=self._limits)
            self._pools[origin] = pool
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        pools = list(self._pools.values())
        self._pools.clear()
        for pool in pools:
            await pool.aclose()
