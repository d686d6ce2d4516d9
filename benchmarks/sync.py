"""Sync speed: 300 feeds of 30 entries on 20 loopback hosts with 50 ms latency per response.

A server process (so it does not share our GIL) serves the feeds on 127.0.0.1-127.0.0.20, one
port per address, answering conditional requests with 304. We measure a cold sync into an
empty store, then a warm sync (every feed answers 304), then an "unchanged" sync where the
server ignores validators and sends every feed's same bytes again with 200 (the body hash
spares the parse): wall time, peak memory (max RSS),
requests made, the latency floor (feeds / concurrency x latency), and the longest stall of the
event loop (a heartbeat task measuring its own lateness). When newsboat is installed, it runs
on the same URLs with the same concurrency (reload-threads) and the ratios are printed.
Targets at concurrency 16: cold <= 2.0 s, warm <= 1.2 s, stall <= 50 ms, cold <= 0.6x and
warm <= 0.25x newsboat.

The dead-hosts scenario (issue 10) syncs the same feeds, cold, where every entry also shows
three images on hosts that do not answer (names under `.invalid`; names under `slow.invalid`,
whose name server never answers: `slow_lookup` fails them after 5 s; a server that accepts
connections and never answers) and announces a comment feed under `.invalid`: once as the
command line runs it (3 s follow-up budget), beside newsboat on the same feeds; once as the
window runs it (a qasync loop, follow-up unbounded, cancelled after `--gui-follow-up` seconds
as a user closing the window would), measuring the loop's lateness with `gui_loop`.
Target: command line <= 0.6x newsboat, window stall <= 50 ms.

    .venv/bin/python benchmarks/sync.py [--feeds 300] [--entries 30] [--latency 0.05]
        [--only plain|dead|gui] [--no-newsboat]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gui_loop import Lateness, run_on_window_loop
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import (
    FollowUpStarted,
    SyncEvent,
    SyncFinished,
    SyncSummary,
)
from newsreader.sync.transport import system_lookup

HOSTS = 20
SILENT_HOST = "127.0.0.21"  # accepts connections, never answers
SLOW_LOOKUP_SECONDS = 5.0  # a name server that does not answer (captive or offline network)
LAST_MODIFIED = "Mon, 01 Jun 2026 12:00:00 GMT"
TARGETS = {
    "cold": 2.0,
    "warm": 1.2,
    "stall": 0.050,
    "cold_ratio": 0.6,
    "warm_ratio": 0.25,
    "dead_ratio": 0.6,
}
WORDS = [
    "harbour",
    "ferry",
    "tide",
    "lamp",
    "keeper",
    "pier",
    "boat",
    "crew",
    "storm",
    "weather",
    "morning",
    "evening",
    "market",
    "town",
    "council",
    "bridge",
    "road",
    "river",
    "island",
    "coast",
    "sailor",
    "fisher",
    "net",
    "catch",
    "season",
    "summer",
    "winter",
    "news",
]


# --- the server (runs in its own process) ----------------------------------------------------


def feed_document(number: int, entries: int, silent: str | None = None) -> bytes:
    """A news feed. With `silent` (host:port of a server that never answers), every entry
    also shows images and announces a comment feed on hosts that do not answer: names under
    `.invalid` (they do not resolve), names under `slow.invalid` (the benchmark's name server
    never answers them; see `slow_lookup`) and the silent server."""
    items = []
    for i in range(entries):
        words = " ".join(WORDS[(number + i + k) % len(WORDS)] for k in range(60))
        extra = comments = ""
        if silent is not None:
            extra = (
                f"&lt;img src='http://img{number % 7}.invalid/{number}/{i}.png'&gt;"
                f"&lt;img src='http://cdn{number % 5}.slow.invalid/{number}/{i}.jpg'&gt;"
                f"&lt;img src='http://{silent}/{number}/{i}.png'&gt;"
            )
            comments = (
                f"<wfw:commentRss>http://talk{number % 7}.invalid/{number}/{i}</wfw:commentRss>"
                f"<slash:comments>{1 + i % 9}</slash:comments>"
            )
        items.append(
            f"<item><guid isPermaLink='false'>feed{number}-item{i}</guid>"
            f"<title>Story {i} of feed {number}</title>"
            f"<link>https://site{number}.example/story/{i}</link>"
            f"<pubDate>Mon, {1 + i % 28:02d} Jun 2026 10:{i % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{words}&lt;/p&gt;&lt;p&gt;&lt;a href='/more/{i}'&gt;"
            f"more&lt;/a&gt; &lt;em&gt;{words[:80]}&lt;/em&gt;&lt;/p&gt;{extra}</description>"
            f"{comments}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel>'
        f"<title>Feed {number}</title><link>https://site{number}.example/</link>"
        f"<description>Benchmark feed {number}</description>{''.join(items)}</channel></rss>"
    ).encode()


@dataclass
class _Served:
    requests: int = 0
    not_modified: int = 0
    validators: bool = True  # False: answer every request 200 with the full body


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accepts the connection, reads the request, never answers."""
    try:
        while await reader.read(65536):
            pass
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _serve(feeds: int, entries: int, latency: float, pipe: Connection) -> None:
    silent_server = await asyncio.start_server(_silent, SILENT_HOST, 0)
    silent = f"{SILENT_HOST}:{silent_server.sockets[0].getsockname()[1]}"
    bodies = {f"/feed/{n}.xml": feed_document(n, entries) for n in range(feeds)}
    bodies |= {f"/dead/{n}.xml": feed_document(n, entries, silent) for n in range(feeds)}
    etags = {path: '"' + hashlib.sha1(body).hexdigest()[:16] + '"' for path, body in bodies.items()}
    served = _Served()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                await asyncio.sleep(latency)
                served.requests += 1
                body = bodies.get(path)
                if body is None:
                    status, payload, extra = "404 Not Found", b"", ""
                elif served.validators and (
                    headers.get("if-none-match") == etags[path]
                    or headers.get("if-modified-since") == LAST_MODIFIED
                ):
                    served.not_modified += 1
                    status, payload, extra = "304 Not Modified", b"", f"ETag: {etags[path]}\r\n"
                else:
                    status, payload = "200 OK", body
                    extra = (
                        f"ETag: {etags[path]}\r\nLast-Modified: {LAST_MODIFIED}\r\n"
                        "Content-Type: application/rss+xml\r\n"
                    )
                writer.write(
                    f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, f"127.0.0.{h + 1}", 0) for h in range(HOSTS)]
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    pipe.send(ports)
    loop = asyncio.get_running_loop()
    while True:
        command = await loop.run_in_executor(None, pipe.recv)
        if command == "stats":
            pipe.send((served.requests, served.not_modified))
            served.requests = served.not_modified = 0
        elif command in {"no-validators", "validators"}:
            served.validators = command == "validators"
            pipe.send("ok")
        else:
            break
    for server in [*servers, silent_server]:
        server.close()


def _server_main(feeds: int, entries: int, latency: float, pipe: Connection) -> None:
    asyncio.run(_serve(feeds, entries, latency, pipe))


# --- the measurements ------------------------------------------------------------------------


@dataclass
class Measured:
    seconds: float
    stall: float
    requests: int
    not_modified: int
    summary: SyncSummary | None = None
    cpu: float = 0.0  # CPU seconds of this process (all threads) during the sync
    worker_cpu: float = 0.0  # CPU seconds of our worker processes (the parse process)
    feeds_done: float | None = None  # seconds until every feed was stored (follow-up began)
    feeds_cpu: tuple[float, float] | None = None  # CPU of this process / the parse process then


@dataclass
class _FeedStage:
    """When the feed stage ended (seconds from the sync's start) and the CPU seconds this
    process and the parse process had used by then."""

    seconds: float
    cpu: float
    worker_cpu: float


async def slow_lookup(host: str, port: int) -> list[str]:
    """The system resolver, except for names under `slow.invalid`, whose name server never
    answers: the lookup fails after SLOW_LOOKUP_SECONDS, as getaddrinfo does on a network
    whose DNS server is unreachable. (Simulated: making the machine's real resolver time out
    would mean changing /etc/resolv.conf for every program on it.)"""
    if host.endswith(".slow.invalid"):
        await asyncio.sleep(SLOW_LOOKUP_SECONDS)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    return await system_lookup(host, port)


async def _timed_sync(
    paths: DataPaths, server_pid: int | None, options: SyncOptions | None = None
) -> tuple[float, float, SyncSummary, _FeedStage | None]:
    """Wall time of a sync of every feed, the longest lateness of a 5 ms heartbeat, and the
    feed stage's end (when the feeds were stored; CPU so far)."""
    longest = 0.0
    running = True
    feeds_done: list[_FeedStage] = []

    def note(event: SyncEvent) -> None:
        if isinstance(event, FollowUpStarted):
            seconds = time.perf_counter() - start
            feeds_done.append(_FeedStage(seconds, time.process_time(), worker_cpu(server_pid)))

    async def heartbeat() -> None:
        nonlocal longest
        loop = asyncio.get_running_loop()
        while running:
            before = loop.time()
            await asyncio.sleep(0.005)
            longest = max(longest, loop.time() - before - 0.005)

    beat = asyncio.create_task(heartbeat())
    start = time.perf_counter()
    summary = await sync(paths, options or SyncOptions(all_feeds=True), [note])
    seconds = time.perf_counter() - start
    running = False
    await beat
    return seconds, longest, summary, feeds_done[0] if feeds_done else None


def worker_cpu(server_pid: int | None) -> float:
    """CPU seconds used so far by our live child processes other than the server (the sync's
    parse process), read from /proc (0 where there is none)."""
    total = 0.0
    for child in multiprocessing.active_children():
        if child.pid == server_pid:
            continue
        try:
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(
    paths: DataPaths, pipe: Connection, server_pid: int | None, options: SyncOptions | None = None
) -> Measured:
    cpu, workers = time.process_time(), worker_cpu(server_pid)
    seconds, stall, summary, stage = asyncio.run(_timed_sync(paths, server_pid, options))
    cpu_used = time.process_time() - cpu
    workers_used = worker_cpu(server_pid) - workers
    pipe.send("stats")
    requests, not_modified = pipe.recv()
    return Measured(
        seconds,
        stall,
        requests,
        not_modified,
        summary,
        cpu_used + workers_used,
        workers_used,
        stage.seconds if stage else None,
        (stage.cpu - cpu, stage.worker_cpu - workers) if stage else None,
    )


@dataclass
class WindowRun:
    """The dead-hosts sync as the window runs it, cancelled some seconds into its follow-up."""

    feeds_done: float
    cancelled_after: float  # seconds from the cancel until the sync task ended
    lateness: Lateness
    queued: int  # follow-up jobs still queued afterwards


def measure_window(paths: DataPaths, pipe: Connection, follow_up_seconds: float) -> WindowRun:
    """A cold sync on the window's loop (qasync), follow-up unbounded, `responsive` as the
    window sets it; the task is cancelled `follow_up_seconds` into the follow-up stage."""
    lateness = Lateness(("feeds", "follow-up"))
    marks: dict[str, float] = {}

    async def one_sync() -> None:
        loop = asyncio.get_running_loop()
        options = SyncOptions(
            all_feeds=True, follow_up_unbounded=True, responsive=True, lookup=slow_lookup
        )
        task: asyncio.Task[SyncSummary] | None = None

        def cancel() -> None:
            marks["cancel"] = time.perf_counter()
            assert task is not None
            task.cancel()

        def note(event: SyncEvent) -> None:
            if isinstance(event, FollowUpStarted):
                marks["feeds"] = time.perf_counter()
                lateness.phase = "follow-up"
                loop.call_later(follow_up_seconds, cancel)
            elif isinstance(event, SyncFinished):
                marks["end"] = time.perf_counter()

        lateness.start()
        marks["start"] = time.perf_counter()
        task = asyncio.create_task(sync(paths, options, [note]))
        try:
            await task
        except asyncio.CancelledError:
            if not task.cancelled():
                raise
        marks.setdefault("cancel", time.perf_counter())
        ended = time.perf_counter()
        lateness.stop()
        marks["ended"] = ended

    run_on_window_loop(one_sync)
    pipe.send("stats")
    pipe.recv()
    with Store.open(paths) as store:
        queued = store.count_follow_ups(["icon", "image", "comments"])
    return WindowRun(
        marks["feeds"] - marks["start"], marks["ended"] - marks["cancel"], lateness, queued
    )


def newsboat(
    urls: list[str], threads: int, workdir: Path, pipe: Connection, runs: int = 2
) -> list[Measured]:
    """Cold then warm `newsboat -x reload` with its own config and cache (`runs` of them)."""
    binary = shutil.which("newsboat")
    assert binary is not None
    (workdir / "urls").write_text("\n".join(urls) + "\n")
    (workdir / "config").write_text(f"reload-threads {threads}\nshow-read-feeds yes\n")
    measured = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [
                binary,
                "-x",
                "reload",
                "-u",
                str(workdir / "urls"),
                "-c",
                str(workdir / "cache.db"),
                "-C",
                str(workdir / "config"),
            ],
            check=True,
            capture_output=True,
            env={"HOME": str(workdir), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        )
        seconds = time.perf_counter() - start
        pipe.send("stats")
        requests, not_modified = pipe.recv()
        measured.append(Measured(seconds, 0.0, requests, not_modified))
    return measured


def add_feeds(paths: DataPaths, settings: Settings, urls: list[str]) -> None:
    with Store.open(paths) as store:
        store.save_settings(settings)
        for url in urls:
            # Feed sync alone: its 74-word summaries are teasers, whose article pages (on
            # hosts that do not exist here) would fill the follow-up budget.
            store.set_feed_full_text(store.add_feed(url).id, "never")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--entries", type=int, default=30)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--no-newsboat", action="store_true")
    parser.add_argument(
        "--only",
        choices=("plain", "dead", "gui"),
        action="append",
        help="run only these scenarios (repeatable): plain feeds, dead hosts as the command "
        "line runs them (with newsboat), dead hosts on the window's loop",
    )
    parser.add_argument(
        "--gui-follow-up",
        type=float,
        default=8.0,
        help="seconds of the window's follow-up stage before it is cancelled",
    )
    args = parser.parse_args(argv)
    scenarios = set(args.only or ("plain", "dead", "gui"))
    with_newsboat = not args.no_newsboat and shutil.which("newsboat") is not None

    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(
        target=_server_main, args=(args.feeds, args.entries, args.latency, theirs), daemon=True
    )
    server.start()
    ports = ours.recv()
    urls = [
        f"http://127.0.0.{n % HOSTS + 1}:{ports[n % HOSTS]}/feed/{n}.xml" for n in range(args.feeds)
    ]
    dead_urls = [url.replace("/feed/", "/dead/") for url in urls]
    settings = Settings()
    floor = args.feeds / settings.concurrency * args.latency
    plain: tuple[Measured, Measured, Measured] | None = None
    dead: Measured | None = None
    queued = 0
    window: WindowRun | None = None
    board: list[Measured] = []
    dead_board: list[Measured] = []
    peak_mb = 0.0
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp:
        if "plain" in scenarios:
            paths = DataPaths(Path(tmp) / "data").ensure()
            add_feeds(paths, settings, urls)
            cold = measure(paths, ours, server.pid)
            warm = measure(paths, ours, server.pid)
            ours.send("no-validators")
            ours.recv()
            same = measure(paths, ours, server.pid)
            ours.send("validators")
            ours.recv()
            plain = (cold, warm, same)
            if with_newsboat:
                workdir = Path(tmp) / "newsboat"
                workdir.mkdir()
                board = newsboat(urls, settings.concurrency, workdir, ours)
        if "dead" in scenarios:
            dead_paths = DataPaths(Path(tmp) / "dead").ensure()
            add_feeds(dead_paths, settings, dead_urls)
            dead = measure(
                dead_paths, ours, server.pid, SyncOptions(all_feeds=True, lookup=slow_lookup)
            )
            with Store.open(dead_paths) as store:
                queued = store.count_follow_ups(["icon", "image", "comments"])
            if with_newsboat:
                dead_dir = Path(tmp) / "newsboat-dead"
                dead_dir.mkdir()
                dead_board = newsboat(dead_urls, settings.concurrency, dead_dir, ours, runs=1)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if "gui" in scenarios:
            window_paths = DataPaths(Path(tmp) / "window").ensure()
            add_feeds(window_paths, settings, dead_urls)
            window = measure_window(window_paths, ours, args.gui_follow_up)
    ours.send("stop")
    server.join(timeout=5)

    print(
        f"sync benchmark: {args.feeds} feeds x {args.entries} entries on {HOSTS} hosts, "
        f"{args.latency * 1000:.0f} ms latency, concurrency {settings.concurrency} "
        f"(per host {settings.per_host_concurrency})"
    )
    print(f"  latency floor (feeds / concurrency x latency): {floor:.2f} s")
    ok = True
    if plain is not None:
        ok &= report_plain(*plain, board)
    if dead is not None:
        ok &= report_dead(dead, queued, settings, dead_board)
    if window is not None:
        ok &= report_window(window, args.gui_follow_up)
    print(f"  peak memory (max RSS of this process, before the window run): {peak_mb:.0f} MB")
    print(f"  machine load average (other work slows every figure): {os.getloadavg()[0]:.2f}")
    if with_newsboat is False:
        print("  newsboat: not run (not installed or --no-newsboat)")
    print("  result:", "all targets met" if ok else "some targets missed")
    return 0


def feed_stage(run: Measured) -> str:
    """When the feeds were stored and the CPU each process had used by then: on a quiet
    2-core machine the feed stage lasts about as long as the busier of the two (the main
    process: event loop and writer thread; the parse process), or the latency floor."""
    if run.feeds_done is None or run.feeds_cpu is None:
        return "n/a"
    main, worker = run.feeds_cpu
    return f"{run.feeds_done:.2f} s (CPU by then: {main:.2f} s here, {worker:.2f} s parse process)"


def report_plain(cold: Measured, warm: Measured, same: Measured, board: list[Measured]) -> bool:
    ok = True
    for name, run in (("cold", cold), ("warm", warm)):
        assert run.summary is not None
        target = TARGETS[name]
        ok &= run.seconds <= target and run.stall <= TARGETS["stall"]
        print(
            f"  {name}: {run.seconds:.2f} s (target <= {target} s; {run.cpu:.2f} s CPU, "
            f"{run.worker_cpu:.2f} s of it in the parse process), "
            f"{run.requests} requests "
            f"({run.not_modified} answered 304), {run.summary.new_entries} new entries, "
            f"{len(run.summary.failures)} failures, longest loop stall "
            f"{run.stall * 1000:.1f} ms (target <= {TARGETS['stall'] * 1000:.0f} ms)"
        )
        if run.summary.new_entries:
            print(f"    feeds stored after {feed_stage(run)}")
    assert same.summary is not None
    print(
        f"  unchanged (200, same bytes, no validators): {same.seconds:.2f} s "
        f"({same.cpu:.2f} s CPU), {same.requests} requests, {same.summary.unchanged} feeds "
        f"unchanged without parsing, longest loop stall {same.stall * 1000:.1f} ms"
    )
    if board:
        for name, ours_run, their_run in (("cold", cold, board[0]), ("warm", warm, board[1])):
            ratio = ours_run.seconds / their_run.seconds
            target = TARGETS[f"{name}_ratio"]
            ok &= ratio <= target
            print(
                f"  newsboat {name}: {their_run.seconds:.2f} s, {their_run.requests} requests "
                f"({their_run.not_modified} answered 304); ratio {ratio:.2f}x "
                f"(target <= {target}x)"
            )
        if board[1].not_modified == 0:
            print(
                "  (newsboat sent no ETag/If-Modified-Since on its second run: its warm run "
                "downloads and parses every feed again)"
            )
    return ok


def report_dead(
    dead: Measured, queued: int, settings: Settings, dead_board: list[Measured]
) -> bool:
    assert dead.summary is not None
    print(
        f"  cold with dead hosts, command line (each entry: images on names that do not "
        f"resolve, on names whose name server never answers ({SLOW_LOOKUP_SECONDS:g} s, "
        f"simulated), on a host that never answers; a comment feed on names that do not "
        f"resolve): {dead.seconds:.2f} s, feeds stored after {feed_stage(dead)} "
        f"({dead.cpu:.2f} s CPU in all), {dead.summary.new_entries} new entries, "
        f"{len(dead.summary.failures)} failures; follow-up budget "
        f"{settings.follow_up_seconds} s: {dead.summary.follow_ups_left} jobs not reached, "
        f"{dead.summary.follow_ups_retrying} failed on dead hosts (retried later), {queued} "
        f"queued after; longest loop stall {dead.stall * 1000:.1f} ms"
    )
    if not dead_board:
        return True
    ratio = dead.seconds / dead_board[0].seconds
    target = TARGETS["dead_ratio"]
    print(
        f"  newsboat cold on the same dead-host feeds: {dead_board[0].seconds:.2f} s; "
        f"ratio {ratio:.2f}x (target <= {target}x)"
    )
    return ratio <= target


def report_window(window: WindowRun, follow_up_seconds: float) -> bool:
    print(
        f"  cold with dead hosts, the window's way (qasync loop, follow-up unbounded, "
        f"cancelled {follow_up_seconds:g} s into it): feeds stored after "
        f"{window.feeds_done:.2f} s, the cancel took {window.cancelled_after * 1000:.0f} ms, "
        f"{window.queued} follow-up jobs queued after"
    )
    for line in window.lateness.report(TARGETS["stall"] * 1000):
        print("    " + line)
    worst = max((max(s, default=0.0) for s in window.lateness.samples.values()), default=0.0)
    return worst <= TARGETS["stall"] * 1000


if __name__ == "__main__":
    sys.exit(main())
