"""Full articles at sync time: 300 feeds, 50 of them teaser-only, the teasers' article pages
served by loopback web servers in another process, some of them slow.

The pages and feeds are written by this script (`site.py`-like generator below, nothing
copied): each article page is a news page as sites make them — a header and menu of links, a
cookie banner, the article (6 to 18 paragraphs) with a lead image, a "most read" box,
comments, a footer of links, inline scripts and styles; every seventh page carries a large
inline JSON blob as single-page sites do (~1 MB). The feeds are spread over 60 hosts
(127.0.0.2 to 127.0.0.61: per-host politeness applies as on the web); each teaser feed's pages
are on its own host, and 5 of those hosts answer page requests only after `--slow` seconds.
The servers run in a child process, so their threads do not take the GIL from the loop being
measured.

Two modes, one cold sync each into an empty store, with no parse process running at first:

- `cli`: `newsreader sync` as the command line runs it (asyncio.run, the follow-up stage bounded
  by the settings' budget, 3 s, and its 1 s idle end). Printed: pages queued, fetched,
  extracted and stored within the budget, left for the next sync.
- `gui`: the window's way: a qasync loop on a Qt application (offscreen), the follow-up stage
  unbounded as the window runs it; a 5 ms precise QTimer records how late each tick comes
  (the GUI loop's stall: what a user feels as a frozen window). Printed: the worst and
  99th-percentile lateness, during the feeds and during the follow-up stage, how long until
  every page was extracted, and for the latest ticks what the gap was spent on: the loop's
  thread, this process's other threads (holding the GIL), or neither (the machine did not
  run the process: other programs' load). The most CPU the process used within one gap is
  the stall it causes itself. Cyclic garbage is collected on the loop's thread by the
  window's timer (`gui/garbage.py`), as in the window (`--automatic-gc`: by CPython, in any
  thread). `--attribute` names where the loop's time went (`loop_costs.py`): each loop
  callback's CPU with its task's coroutine chain, the loop thread's stack while one runs
  long, every garbage collection's time, the threads that used the busiest gap.

Both print wall time and peak memory (max RSS of this process and of its parse process).

    .venv/bin/python benchmarks/fulltext_sync.py --mode gui [--feeds 300] [--teasers 50]
        [--attribute] [--automatic-gc]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gui_loop import Lateness, run_on_window_loop
from benchmarks.loop_costs import CallbackCosts, ThreadLateness

HOSTS = 60
SLOW_HOSTS = 5
WORDS = [
    "harbour",
    "ferry",
    "tide",
    "lamp",
    "keeper",
    "pier",
    "storm",
    "gull",
    "net",
    "quay",
    "rope",
    "sail",
    "mast",
    "dock",
    "council",
    "island",
    "school",
    "market",
    "winter",
    "bridge",
    "river",
    "mayor",
    "budget",
    "road",
    "station",
    "train",
    "weather",
    "farmer",
    "orchard",
    "bakery",
    "library",
    "museum",
    "festival",
    "minister",
    "report",
    "survey",
    "repairs",
    "residents",
    "morning",
    "evening",
    "week",
    "month",
    "year",
    "plans",
    "service",
    "closed",
    "opened",
    "said",
]


def png(width: int = 64, height: int = 40) -> bytes:
    """A plain-coloured PNG, the articles' lead image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x28\x5a\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# --- the sites (run in the server process) --------------------------------------------------


def sentence(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 6)))


def links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(
        f"<li><a href='{prefix}/{rng.randint(1, 9999)}'>{sentence(rng, 4)}</a></li>"
        for _ in range(count)
    )


def article_page(feed: int, entry: int) -> bytes:
    """A news article page as sites serve it (see the module's docstring)."""
    rng = random.Random(feed * 1000 + entry)
    title = f"Story {entry} of feed {feed}"
    body = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(rng.randint(6, 18)))
    comments = "".join(
        f"<div class='comment'><b>reader{n}</b><p>{sentence(rng, 12)}</p></div>"
        for n in range(rng.randint(0, 12))
    )
    blob = ""
    if (feed + entry) % 7 == 0:  # a single-page site's state, inline
        state = [{"id": n, "text": sentence(rng, 12)} for n in range(9000)]
        blob = f"<script id='__STATE__' type='application/json'>{json.dumps(state)}</script>"
    script = "function track(e){return e}" * 400
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | The Daily Loopback</title>"
        f"<meta property='og:image' content='/img/{feed}-{entry}.png'>"
        f"<style>{'.x{color:red}' * 300}</style><script>{script}</script></head><body>"
        f"<header><a href='/'>The Daily Loopback</a><ul class='menu'>{links(rng, 40, '/s')}</ul>"
        "</header><div class='cookie-banner'><p>We use cookies to improve your experience. "
        "Accept all cookies or manage your settings.</p><button>Accept</button></div>"
        f"<main><article><h1>{title}</h1><p class='byline'>By {rng.choice(WORDS).title()} "
        f"Reporter</p><figure><img src='/img/{feed}-{entry}.png' alt=''>"
        f"<figcaption>{sentence(rng, 8)} Photo: Agency</figcaption></figure>{body}</article>"
        f"<aside><h2>Most read</h2><ol>{links(rng, 10, '/a')}</ol></aside>"
        f"<section class='comments'><h2>Comments</h2>{comments}</section></main>"
        f"<footer><ul>{links(rng, 60, '/f')}</ul><p>Copyright The Daily Loopback</p></footer>"
        f"{blob}</body></html>"
    ).encode()


def feed_document(base: str, feed: int, entries: int, teaser: bool) -> bytes:
    rng = random.Random(feed)
    items = []
    for entry in range(entries):
        if teaser:
            text = f"&lt;p&gt;{sentence(rng, 14)}… Read more&lt;/p&gt;"
        else:
            text = "".join(f"&lt;p&gt;{paragraph(rng)}&lt;/p&gt;" for _ in range(4))
        items.append(
            f"<item><guid>f{feed}-e{entry}</guid><title>Story {entry} of feed {feed}</title>"
            f"<link>{base}/article/{feed}/{entry}</link><description>{text}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Feed {feed}</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def serve(feeds: int, teasers: int, entries: int, slow: float) -> None:
    """The server process: starts the hosts, prints the feeds as one JSON line, serves until
    its standard input closes."""
    from tests.loopback import LoopbackServer, Response
    from tests.sync.servers import delayed

    servers = [LoopbackServer(host=f"127.0.0.{2 + n}").__enter__() for n in range(HOSTS)]
    slow_hosts = set(range(0, teasers, max(1, teasers // SLOW_HOSTS))[:SLOW_HOSTS])  # feeds
    listed = []
    for feed in range(feeds):
        server = servers[feed % HOSTS]  # teaser feed n is on host n, alone with its pages
        teaser = feed < teasers
        base = server.url("").rstrip("/")
        server.route(f"/feed/{feed}.xml", Response(body=feed_document(base, feed, entries, teaser)))
        for entry in range(entries if teaser else 0):
            page = Response(body=article_page(feed, entry), content_type="text/html")
            route: Response | Callable[..., Response] = page
            if feed in slow_hosts:
                route = delayed(page, slow)
            server.route(f"/article/{feed}/{entry}", route)
            image = Response(body=png(), content_type="image/png")
            server.route(f"/img/{feed}-{entry}.png", image)
        listed.append({"url": server.url(f"/feed/{feed}.xml"), "teaser": teaser})
    print(json.dumps({"feeds": listed, "slow": sorted(slow_hosts)}), flush=True)
    sys.stdin.read()
    for server in servers:
        server.__exit__(None, None, None)


# --- the measurement -------------------------------------------------------------------------


def run_gui(
    paths: object, attribute: bool, automatic_gc: bool
) -> tuple[float, Lateness, CallbackCosts | None]:
    """One sync on the window's loop. As the window does, cyclic garbage is collected on its
    thread by `gui.garbage`'s timer (`automatic_gc`: left to CPython, in any thread). With
    `attribute`, every loop callback is timed (`loop_costs`)."""
    from PySide6.QtWidgets import QApplication

    from newsreader.gui.garbage import collect_on_gui_thread
    from newsreader.sync.engine import SyncOptions, sync
    from newsreader.sync.events import FollowUpStarted, SyncEvent

    lateness = ThreadLateness() if attribute else Lateness()
    costs = CallbackCosts(lateness) if attribute else None
    app = QApplication.instance() or QApplication([])
    if not automatic_gc:
        collect_on_gui_thread(app)

    def follow(event: SyncEvent) -> None:
        if isinstance(event, FollowUpStarted):
            lateness.phase = "follow-up"

    async def one_sync() -> float:
        if costs is not None:
            costs.install()
        lateness.start()
        started = time.perf_counter()
        options = SyncOptions(all_feeds=True, follow_up_unbounded=True)
        await sync(paths, options, subscribers=[follow])  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
        lateness.stop()
        if costs is not None:
            costs.stop()
        return elapsed

    return run_on_window_loop(one_sync), lateness, costs


def run_cli(paths: object) -> float:
    from newsreader.sync.engine import SyncOptions, sync

    started = time.perf_counter()
    asyncio.run(sync(paths, SyncOptions(all_feeds=True)))  # type: ignore[arg-type]
    return time.perf_counter() - started


def parse_process_peak_mb() -> float | None:
    """The parse process's peak resident memory (VmHWM), while it still runs."""
    from newsreader.sync import parsers

    pool = parsers.processes.ready()
    if pool is None:
        return None
    for process in list(pool._processes.values()):  # type: ignore[attr-defined]
        status = Path(f"/proc/{process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("cli", "gui"), default="gui")
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--teasers", type=int, default=50)
    parser.add_argument("--entries", type=int, default=3)
    parser.add_argument("--slow", type=float, default=5.0, help="seconds the slow hosts take")
    parser.add_argument(
        "--attribute",
        action="store_true",
        help="gui: time every loop callback, sample the longest, time garbage collections, "
        "name the threads of the busiest gap (benchmarks/loop_costs.py)",
    )
    parser.add_argument(
        "--automatic-gc",
        action="store_true",
        help="gui: leave cyclic collection to CPython (in any thread), not the window's timer",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.feeds, args.teasers, args.entries, args.slow)
        return 0

    from newsreader.paths import DataPaths
    from newsreader.settings import Settings
    from newsreader.store import Store

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", *sys.argv[1:]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a fetch cut short is a broken pipe there, by design
        text=True,
    )
    try:
        assert server.stdout is not None
        listing = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            paths = DataPaths(Path(tmp) / "data").ensure()
            settings = Settings()
            with Store.open(paths) as store:
                store.save_settings(settings)
                for feed in listing["feeds"]:
                    store.add_feed(feed["url"])
            lateness = costs = None
            if args.mode == "gui":
                elapsed, lateness, costs = run_gui(paths, args.attribute, args.automatic_gc)
            else:
                elapsed = run_cli(paths)
            with Store.open(paths) as store:
                counts = dict(
                    store._conn.execute("SELECT status, count(*) FROM full_texts GROUP BY status")
                )
                left = store.count_follow_ups(["page"])
            child = parse_process_peak_mb()
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(10)
    queued = args.teasers * args.entries
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load average after: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    print(
        f"{args.mode}: {args.feeds} feeds ({args.teasers} teaser-only, "
        f"{SLOW_HOSTS} of their hosts {args.slow:g} s slow) x {args.entries} entries: "
        f"sync {elapsed:.2f} s"
        + (f" (follow-up budget {settings.follow_up_seconds} s)" if args.mode == "cli" else "")
    )
    others = {status: count for status, count in counts.items() if status != "ok"}
    print(
        f"article pages: {queued} queued, {counts.get('ok', 0)} extracted and stored, "
        f"other outcomes {others or 'none'}, {left} left for the next sync"
    )
    if lateness is not None:
        print("\n".join(lateness.report()))
    if isinstance(lateness, ThreadLateness):
        print("\n".join(lateness.thread_report()))
    if costs is not None:
        print("\n".join(costs.report()))
    in_child = "not running" if child is None else f"{child:.0f} MB"
    print(f"peak memory: {own:.0f} MB, parse process {in_child}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
