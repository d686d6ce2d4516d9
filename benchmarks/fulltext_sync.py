"""Full articles at sync time: 300 feeds, 50 of them teaser-only, on a loopback server that
also serves the teasers' article pages.

Each feed has `--entries` entries; the 250 full-text feeds carry 200-word posts, the 50 teaser
feeds one sentence ending in "Read more" with a link to an article page on the same server.
One cold sync (feeds, then the follow-up stage under the settings' budget) into an empty store;
printed: wall time, pages fetched and extracted (full_texts ok) against pages queued, pages
left for the next sync, the longest stall of the event loop (a heartbeat task measuring its
own lateness: the window runs the sync on its GUI thread's loop, so this is the GUI's stall),
and peak memory (max RSS, this process and its parse process).

    .venv/bin/python benchmarks/fulltext_sync.py [--feeds 300] [--teasers 50] [--entries 3]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions, sync
from tests.loopback import LoopbackServer, Response

WORDS = (
    "harbour", "ferry", "tide", "lamp", "keeper", "pier", "storm", "gull", "net", "quay",
    "rope", "sail", "mast", "dock",
)  # fmt: skip
HEARTBEAT = 0.005


def words(seed: int, count: int) -> str:
    return " ".join(WORDS[(seed * 7 + k) % len(WORDS)] for k in range(count))


def article_page(feed: int, entry: int) -> bytes:
    paragraphs = "".join(
        f"<p>{words(feed * 31 + entry * 7 + p, 60).capitalize()}.</p>" for p in range(8)
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Story {entry} of feed {feed}</title></head><body><nav><a href='/'>Home</a>"
        f"</nav><article><h1>Story {entry} of feed {feed}</h1>{paragraphs}</article>"
        f"<footer>Copyright</footer></body></html>"
    ).encode()


def feed_document(server: LoopbackServer, feed: int, entries: int, teaser: bool) -> bytes:
    items = []
    for entry in range(entries):
        link = server.url(f"/article/{feed}/{entry}")
        if teaser:
            text = f"&lt;p&gt;{words(feed + entry, 12)}… Read more&lt;/p&gt;"
        else:
            text = f"&lt;p&gt;{words(feed + entry, 200)}.&lt;/p&gt;"
        items.append(
            f"<item><guid>f{feed}-e{entry}</guid><title>Story {entry} of feed {feed}</title>"
            f"<link>{link}</link><description>{text}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Feed {feed}</title><link>{server.url('/')}</link>{''.join(items)}"
        "</channel></rss>"
    ).encode()


async def timed_sync(paths: DataPaths) -> tuple[float, float]:
    """(wall seconds, longest event-loop stall in seconds) of one sync of every feed."""
    stall = 0.0
    running = True

    async def heartbeat() -> None:
        nonlocal stall
        loop = asyncio.get_running_loop()
        while running:
            expected = loop.time() + HEARTBEAT
            await asyncio.sleep(HEARTBEAT)
            stall = max(stall, loop.time() - expected)

    beat = asyncio.create_task(heartbeat())
    started = time.perf_counter()
    await sync(paths, SyncOptions(all_feeds=True))
    elapsed = time.perf_counter() - started
    running = False
    await beat
    return elapsed, stall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--teasers", type=int, default=50)
    parser.add_argument("--entries", type=int, default=3)
    args = parser.parse_args()
    settings = Settings()
    with LoopbackServer() as server, tempfile.TemporaryDirectory() as tmp:
        teasers = set(range(args.teasers))
        for feed in range(args.feeds):
            body = feed_document(server, feed, args.entries, feed in teasers)
            server.route(f"/feed/{feed}.xml", Response(body=body))
            if feed in teasers:
                for entry in range(args.entries):
                    page = Response(body=article_page(feed, entry), content_type="text/html")
                    server.route(f"/article/{feed}/{entry}", page)
        paths = DataPaths(Path(tmp) / "data").ensure()
        with Store.open(paths) as store:
            store.save_settings(settings)
            for feed in range(args.feeds):
                store.add_feed(server.url(f"/feed/{feed}.xml"))
        elapsed, stall = asyncio.run(timed_sync(paths))
        with Store.open(paths) as store:
            counts = dict(
                store._conn.execute("SELECT status, count(*) FROM full_texts GROUP BY status")
            )
            left = store.count_follow_ups(["page"])
        fetched = len(server.requests) - args.feeds
    queued = args.teasers * args.entries
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{args.feeds} feeds ({args.teasers} teaser-only) x {args.entries} entries: "
        f"sync with follow-up {elapsed:.2f} s (follow-up budget {settings.follow_up_seconds} s)"
    )
    others = {status: count for status, count in counts.items() if status != "ok"}
    print(
        f"article pages: {queued} queued, {fetched} fetched, {counts.get('ok', 0)} extracted "
        f"and stored, other outcomes {others}, {left} left for the next sync"
    )
    print(f"longest event-loop stall: {stall * 1000:.0f} ms (target <= 50 ms)")
    print(f"peak memory: {own:.0f} MB (parse process {children:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
