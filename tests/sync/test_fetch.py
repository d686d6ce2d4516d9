"""fetch(): real HTTP(S) servers on 127.0.0.1, every way a server can answer or fail."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import threading
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import brotli
import pytest
import trustme

from newsreader.errors import (
    BodyTooLargeError,
    FetchError,
    HTTPStatusError,
    NetworkError,
    TruncatedBodyError,
    UnresolvableHostError,
)
from newsreader.settings import Settings
from newsreader.sync.credentials import Credentials
from newsreader.sync.fetch import (
    USER_AGENT,
    Conditional,
    FetchLimits,
    FetchResult,
    Politeness,
    fetch,
    make_client,
)
from tests.loopback import LoopbackServer, Request, Response
from tests.sync.servers import (
    CHUNKED,
    ConcurrencyMeter,
    PeakGate,
    TLSServer,
    chunked,
    client_context,
    gated,
    refused_url,
)

T = TypeVar("T")
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


def run(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await coro

    return asyncio.run(main())


async def get(
    url: str,
    *,
    limits: FetchLimits | None = None,
    settings: Settings | None = None,
    verify: object = True,
    **kwargs: object,
) -> FetchResult:
    settings = settings or Settings()
    limits = limits or FetchLimits()
    async with make_client(settings, verify=verify, limits=limits) as client:  # type: ignore[arg-type]
        return await fetch(
            client,
            url,
            politeness=Politeness.from_settings(settings),
            limits=limits,
            **kwargs,  # type: ignore[arg-type]
        )


def test_200_returns_body_headers_and_sends_user_agent(server: LoopbackServer) -> None:
    server.route("/f", Response(body=FEED, headers={"ETag": '"v1"'}))
    result = run(get(server.url("/f")))
    assert result.status == 200
    assert result.body == FEED
    assert result.headers["etag"] == '"v1"'
    assert result.permanent_url is None
    sent = server.requests_for("/f")[0].headers
    assert sent["user-agent"] == USER_AGENT
    assert sent["user-agent"].startswith("Newsreader/")
    assert "application/rss+xml" in sent["accept"]


def test_conditional_get_sends_validators_and_reports_304(server: LoopbackServer) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(status=304)
        return Response(body=FEED, headers={"ETag": '"v1"'})

    server.route("/f", route)
    conditional = Conditional(etag='"v1"', last_modified="Mon, 02 Jan 2006 15:04:05 GMT")
    result = run(get(server.url("/f"), conditional=conditional))
    assert result.not_modified
    assert result.body == b""
    sent = server.requests_for("/f")[0].headers
    assert sent["if-modified-since"] == "Mon, 02 Jan 2006 15:04:05 GMT"


@pytest.mark.parametrize(
    ("code", "permanent"), [(301, True), (308, True), (302, False), (303, False), (307, False)]
)
def test_redirects_are_followed_and_only_permanent_ones_move_the_feed(
    server: LoopbackServer, code: int, permanent: bool
) -> None:
    server.route("/old", Response(status=code, headers={"Location": "/new"}))
    server.route("/new", Response(body=FEED))
    result = run(get(server.url("/old")))
    assert result.body == FEED
    assert result.url == server.url("/new")
    assert result.permanent_url == (server.url("/new") if permanent else None)


def test_a_temporary_hop_after_a_permanent_one_keeps_the_permanent_target(
    server: LoopbackServer,
) -> None:
    server.route("/a", Response(status=301, headers={"Location": "/b"}))
    server.route("/b", Response(status=302, headers={"Location": "/c"}))
    server.route("/c", Response(body=FEED))
    result = run(get(server.url("/a")))
    assert result.url == server.url("/c")
    assert result.permanent_url == server.url("/b")


def test_redirect_loop_is_detected(server: LoopbackServer) -> None:
    server.route("/a", Response(status=302, headers={"Location": "/b"}))
    server.route("/b", Response(status=302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        run(get(server.url("/a")))


def test_more_than_five_redirects_fail(server: LoopbackServer) -> None:
    for i in range(7):
        server.route(f"/r{i}", Response(status=302, headers={"Location": f"/r{i + 1}"}))
    server.route("/r7", Response(body=FEED))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        run(get(server.url("/r0")))
    assert len(server.requests) == 6


def test_redirect_to_another_scheme_is_refused(server: LoopbackServer) -> None:
    server.route("/a", Response(status=302, headers={"Location": "ftp://example.org/feed"}))
    with pytest.raises(FetchError, match="ftp URLs are not supported"):
        run(get(server.url("/a")))


@pytest.mark.parametrize("code", [404, 410, 500, 502])
def test_error_statuses_raise_with_the_status(server: LoopbackServer, code: int) -> None:
    server.route("/f", Response(status=code, body=b"no"))
    with pytest.raises(HTTPStatusError) as caught:
        run(get(server.url("/f")))
    assert caught.value.status == code
    assert str(caught.value).startswith(f"HTTP {code} ")


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_is_carried(server: LoopbackServer, code: int) -> None:
    server.route("/f", Response(status=code, headers={"Retry-After": "120"}))
    with pytest.raises(HTTPStatusError) as caught:
        run(get(server.url("/f")))
    assert caught.value.retry_after == "120"


def test_connection_refused_is_a_network_error() -> None:
    with pytest.raises(NetworkError, match=r"connection refused by 127\.0\.0\.1"):
        run(get(refused_url()))


def test_unresolvable_host_is_a_network_error() -> None:
    with pytest.raises(UnresolvableHostError, match=r"^cannot resolve host name no-such-host"):
        run(get("http://no-such-host.invalid/feed"))


def test_https_to_a_plain_http_server_says_so(server: LoopbackServer) -> None:
    server.route("/f", Response(body=FEED))
    with pytest.raises(NetworkError, match=r"127\.0\.0\.1 does not speak HTTPS \(TLS\) there"):
        run(get(server.url("/f").replace("http://", "https://", 1)))


def test_slow_headers_hit_the_read_timeout(server: LoopbackServer) -> None:
    answer = threading.Event()  # the server answers only after the fetch gave up
    server.route("/slow", gated(Response(body=FEED), answer))
    limits = FetchLimits(read_timeout=0.3, total_timeout=60)
    try:
        with pytest.raises(NetworkError, match="stopped sending"):
            run(get(server.url("/slow"), limits=limits))
    finally:
        answer.set()


def test_stalled_body_hits_the_read_timeout(server: LoopbackServer) -> None:
    server.route("/stall", Response(body=b"<rss", headers={"Content-Length": "100000"}))
    limits = FetchLimits(read_timeout=0.3, total_timeout=5)
    with pytest.raises(TruncatedBodyError, match="stopped sending after 4 bytes") as raised:
        run(get(server.url("/stall"), limits=limits))
    assert not isinstance(raised.value, NetworkError)  # a server answered: not "offline"


CLOSE = {"Connection": "close"}


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (FEED[:40], {"Content-Length": str(len(FEED)), **CLOSE}),
        (chunked(FEED)[:-5], {**CHUNKED, **CLOSE}),  # no last chunk
        (b"%x\r\n%s" % (len(FEED), FEED[:40]), {**CHUNKED, **CLOSE}),  # closed mid-chunk
    ],
    ids=["short-of-content-length", "no-last-chunk", "closed-mid-chunk"],
)
def test_a_body_cut_short_is_an_error_of_that_server(
    server: LoopbackServer, body: bytes, headers: dict[str, str]
) -> None:
    server.route("/cut", Response(body=body, headers=headers))
    with pytest.raises(TruncatedBodyError, match=r"closed the connection after \d+ bytes") as e:
        run(get(server.url("/cut")))
    assert not isinstance(e.value, NetworkError)


def test_a_body_gzipped_without_saying_so_or_twice_is_decoded(server: LoopbackServer) -> None:
    server.route("/unlabelled", Response(body=gzip.compress(FEED)))
    twice = gzip.compress(gzip.compress(FEED))
    server.route("/twice", Response(body=twice, headers={"Content-Encoding": "gzip"}))
    assert run(get(server.url("/unlabelled"))).body == FEED
    assert run(get(server.url("/twice"))).body == FEED


def test_an_unlabelled_gzip_bomb_still_stops_at_the_limit(server: LoopbackServer) -> None:
    server.route("/bomb", Response(body=gzip.compress(b"\0" * 5_000_000, 9)))
    with pytest.raises(BodyTooLargeError):
        run(get(server.url("/bomb"), limits=FetchLimits(max_bytes=1_000_000)))


def test_every_member_of_a_multi_member_gzip_body_is_read(server: LoopbackServer) -> None:
    first, second = FEED[:50], FEED[50:]
    body = gzip.compress(first) + gzip.compress(second) + b"\0\0\0"  # and some padding
    server.route("/m", Response(body=body, headers={"Content-Encoding": "gzip"}))
    assert run(get(server.url("/m"))).body == FEED
    # Sent in pieces (chunked), a member boundary may fall anywhere.
    server.route(
        "/mc", Response(body=chunked(body, size=7), headers={**CHUNKED, "Content-Encoding": "gzip"})
    )
    assert run(get(server.url("/mc"))).body == FEED


def move_clock_on(loop: asyncio.AbstractEventLoop, seconds: float) -> None:
    """Moves `loop`'s clock (what timeouts and `loop.time()` read) `seconds` on at once: the
    timers due by then fire on its next turn, and no real time is waited."""
    now = loop.time
    loop.time = lambda: now() + seconds  # type: ignore[method-assign]


def test_total_time_per_feed_is_bounded(server: LoopbackServer) -> None:
    # Each hop of a redirect chain takes 40 s, within the 60 s read timeout, but the third
    # passes the 100 s total. The time is the loop's clock, moved on while each hop's server
    # holds its answer: no real time is waited, so a busy machine changes nothing.
    arrived = [threading.Event() for _ in range(4)]
    answers = [threading.Event() for _ in range(4)]

    def hop(i: int) -> Callable[[Request], Response]:
        def route(request: Request) -> Response:
            arrived[i].set()
            answers[i].wait(60)  # the test answers (60 s: a failed test cannot hang the server)
            return Response(status=302, headers={"Location": f"/h{i + 1}"})

        return route

    for i in range(4):
        server.route(f"/h{i}", hop(i))
    server.route("/h4", Response(body=FEED))
    limits = FetchLimits(read_timeout=60, total_timeout=100)

    async def chain() -> None:
        loop = asyncio.get_running_loop()
        fetching = asyncio.create_task(get(server.url("/h0"), limits=limits))
        for i in range(3):
            await asyncio.to_thread(arrived[i].wait, 60)
            move_clock_on(loop, 40)
            answers[i].set()
        await fetching

    try:
        with pytest.raises(NetworkError, match=r"longer than 100 s in total"):
            run(chain())
    finally:
        for each in answers:
            each.set()
    assert not arrived[3].is_set()


def test_declared_oversize_body_is_refused(server: LoopbackServer) -> None:
    server.route("/big", Response(body=b"x" * 5000))
    with pytest.raises(BodyTooLargeError, match="limit of 4000 bytes"):
        run(get(server.url("/big"), limits=FetchLimits(max_bytes=4000)))


def test_undeclared_oversize_body_stops_while_streaming(server: LoopbackServer) -> None:
    # Chunked transfer: no size is announced up front.
    server.route("/big", Response(body=chunked(b"y" * 300_000), headers=CHUNKED))
    with pytest.raises(BodyTooLargeError):
        run(get(server.url("/big"), limits=FetchLimits(max_bytes=100_000)))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_bodies_are_decoded(server: LoopbackServer, encoding: str) -> None:
    packed = {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "br": brotli.compress,
    }[encoding](FEED)
    server.route("/c", Response(body=packed, headers={"Content-Encoding": encoding}))
    result = run(get(server.url("/c")))
    assert result.body == FEED
    assert "br" in server.requests_for("/c")[0].headers["accept-encoding"]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_decompression_bomb_stops_at_the_limit(server: LoopbackServer, encoding: str) -> None:
    expanded = b"\0" * (64 * 1024 * 1024)
    bomb = gzip.compress(expanded, 9) if encoding == "gzip" else brotli.compress(expanded)
    assert len(bomb) < 200_000
    server.route("/bomb", Response(body=bomb, headers={"Content-Encoding": encoding}))
    with pytest.raises(BodyTooLargeError):
        run(get(server.url("/bomb"), limits=FetchLimits(max_bytes=1_000_000)))


def test_content_type_filter_rejects_before_reading(server: LoopbackServer) -> None:
    server.route("/img", Response(body=b"<html></html>", content_type="text/html"))
    with pytest.raises(FetchError, match="unexpected content type 'text/html'"):
        run(get(server.url("/img"), accept_types=("image/",)))


def test_unsupported_scheme_is_refused() -> None:
    with pytest.raises(FetchError, match="gopher URLs are not supported"):
        run(get("gopher://example.org/feed"))


def test_file_urls_are_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    result = run(get(path.as_uri(), allow_file=True))
    assert result.body == FEED


def test_file_urls_need_the_users_word(tmp_path: Path, server: LoopbackServer) -> None:
    path = tmp_path / "secret.xml"
    path.write_bytes(FEED)
    with pytest.raises(FetchError, match="file URLs are not supported here"):
        run(get(path.as_uri()))
    server.route("/r", Response(status=302, headers={"Location": path.as_uri()}))
    with pytest.raises(FetchError, match="file URLs are not supported here"):
        run(get(server.url("/r"), allow_file=True))


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="cannot read"):
        run(get((tmp_path / "nope.xml").as_uri(), allow_file=True))


def test_basic_auth_is_sent_only_after_a_401(server: LoopbackServer) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("authorization") == "Basic dXNlcjpzM2NyZXQ=":
            return Response(body=FEED)
        return Response(status=401, headers={"WWW-Authenticate": 'Basic realm="feeds"'})

    server.route("/private", route)
    asked: list[bool] = []

    async def lookup() -> Credentials:
        asked.append(True)
        return Credentials("user", "s3cret")

    result = run(get(server.url("/private"), credentials=lookup))
    assert result.body == FEED
    assert asked == [True]
    first, _ = server.requests_for("/private")
    assert "authorization" not in first.headers


def test_401_without_a_login_says_so(server: LoopbackServer) -> None:
    server.route("/private", Response(status=401))

    async def lookup() -> None:
        return None

    with pytest.raises(HTTPStatusError, match="needs a login") as caught:
        run(get(server.url("/private"), credentials=lookup))
    assert caught.value.status == 401


def test_wrong_password_is_not_retried_forever(server: LoopbackServer) -> None:
    server.route("/private", Response(status=401))

    async def lookup() -> Credentials:
        return Credentials("user", "wrong")

    with pytest.raises(HTTPStatusError):
        run(get(server.url("/private"), credentials=lookup))
    assert len(server.requests_for("/private")) == 2


def test_https_with_a_trusted_ca() -> None:
    ca = trustme.CA()
    with TLSServer(ca) as tls:
        tls.route("/f", Response(body=FEED))
        result = run(get(tls.url("/f"), verify=client_context(ca)))
    assert result.body == FEED


def test_bad_certificate_names_the_host() -> None:
    with TLSServer(trustme.CA()) as tls:
        tls.route("/f", Response(body=FEED))
        with pytest.raises(NetworkError, match=r"certificate verify failed for host 127\.0\.0\.1"):
            run(get(tls.url("/f")))


def test_per_host_and_global_limits_are_respected() -> None:
    # The client lets 2 requests to a and 1 to b in flight first (its tasks start in that
    # order): each gate holds them until they are all in flight at once.
    in_flight = PeakGate(expected=3)
    meter_a = ConcurrencyMeter(Response(body=FEED), expected=2, shared=(in_flight,))
    meter_b = ConcurrencyMeter(Response(body=FEED), expected=1, shared=(in_flight,))
    settings = Settings(concurrency=3, per_host_concurrency=2)
    with LoopbackServer() as a, LoopbackServer("127.0.0.2") as b:
        a.route("/f", meter_a)
        b.route("/f", meter_b)

        async def many() -> list[FetchResult]:
            politeness = Politeness.from_settings(settings)
            async with make_client(settings) as client:
                urls = [a.url("/f")] * 6 + [b.url("/f")] * 6
                return await asyncio.gather(
                    *(fetch(client, u, politeness=politeness, limits=FetchLimits()) for u in urls)
                )

        results = run(many())
    assert len(results) == 12
    assert meter_a.peak == 2
    assert meter_b.peak <= 2
    assert meter_a.peak + meter_b.peak >= 3
    assert in_flight.peak == 3


@pytest.mark.parametrize(
    "response",
    [
        Response(status=304),
        Response(status=404, body=b"not here"),
        Response(status=301, body=b"moved", headers={"Location": "/f"}),
    ],
)
def test_connections_are_reused_after_bodiless_or_small_answers(
    server: LoopbackServer, response: Response
) -> None:
    # The test server runs one (uniquely named) thread per connection.
    threads: set[str] = set()

    def route(request: Request) -> Response:
        threads.add(threading.current_thread().name)
        return response

    def feed(request: Request) -> Response:
        threads.add(threading.current_thread().name)
        return Response(body=FEED)

    server.route("/r", route)
    server.route("/f", feed)

    async def sequential() -> None:
        settings = Settings()
        politeness = Politeness.from_settings(settings)
        async with make_client(settings) as client:
            for _ in range(4):
                with contextlib.suppress(HTTPStatusError):
                    await fetch(
                        client, server.url("/r"), politeness=politeness, limits=FetchLimits()
                    )

    run(sequential())
    assert len(threads) == 1


def test_waiting_for_a_slot_does_not_count_against_the_total_time(
    server: LoopbackServer,
) -> None:
    # The host has one slot. The first fetch holds it: its server answers only when the test
    # says so. The second waits for the slot meanwhile. The loop's clock is then moved past
    # the 5 s budget: the first fetch has used up its time with the server and fails; the
    # second, had its waiting counted, would fail too, but gets the slot with its whole budget
    # and an answer at once. No real time is waited, so a busy machine changes nothing.
    arrived, answer = threading.Event(), threading.Event()

    def held(request: Request) -> Response:
        arrived.set()
        answer.wait(60)  # the test answers it (60 s: a failed test cannot hang the server)
        return Response(body=FEED)

    server.route("/held", held)
    server.route("/f", Response(body=FEED))
    settings = Settings(concurrency=1, per_host_concurrency=1)
    limits = FetchLimits(total_timeout=5.0)

    async def queued() -> FetchResult:
        loop = asyncio.get_running_loop()
        politeness = Politeness.from_settings(settings)
        async with make_client(settings, limits=limits) as client:
            first, second = (
                asyncio.create_task(
                    fetch(client, server.url(path), politeness=politeness, limits=limits)
                )
                for path in ("/held", "/f")
            )
            # Both tasks started before the first request could reach the server, so the
            # second is waiting for the slot by the time it has.
            await asyncio.to_thread(arrived.wait, 60)
            assert not second.done()
            move_clock_on(loop, 2 * limits.total_timeout)
            with pytest.raises(NetworkError, match="took longer than 5 s in total"):
                await first
            return await second

    try:
        result = run(queued())
    finally:
        answer.set()
    assert result.status == 200
    assert len(server.requests_for("/f")) == 1
