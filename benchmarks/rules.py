"""Rules and search-language speed.

1. Sync: the cold 300-feed sync of benchmarks/sync.py (loopback hosts, 50 ms latency) into a
   fresh store, with no rules and with 20 rules (words, fields, patterns, scopes, several
   actions), alternating, several rounds; CPU seconds of this process and its parse process.
   Target: 20 rules add <= 10 % CPU.
2. The 100,000-entry store of benchmarks/store.py (200 feeds x 500 entries): the unread counts
   of twelve saved searches as the tree reads them (`list_saved_searches`, counts kept up to
   date by the writes), and each search counted from scratch as before they were kept.
   Target <= 50 ms a count.
3. On that store, searches with fields and a pattern: the newest 50 entries (as the command
   line lists them) and the first 300 ids (as the window opens a view; the rest of the ids
   follow on its background thread). Target p95 <= 100 ms.
4. What keeping those twelve counts costs the writer: `--searches` makes the sync comparison
   of 1. one without and with the twelve saved searches instead of the rules; `--ingest`:
   CPU seconds of storing 300 feeds x 30 entries (the sync benchmark's size, the longer text
   of benchmarks/store.py) into a fresh store with no saved searches and with the twelve,
   alternating, several rounds.

    .venv/bin/python benchmarks/rules.py [--rounds 3] [--feeds 200] [--entries-per-feed 500]
        [--skip-sync] [--searches] [--skip-store] [--ingest] [--keep DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.store import SEED, TextMaker, make_feeds  # noqa: E402
from benchmarks.sync import HOSTS, WORDS, _server_main, measure  # noqa: E402
from newsreader.model import ParsedFeed  # noqa: E402
from newsreader.paths import DataPaths  # noqa: E402
from newsreader.settings import Settings  # noqa: E402
from newsreader.store import EntryQuery, FetchInfo, Store  # noqa: E402

SYNC_FEEDS, SYNC_ENTRIES, LATENCY = 300, 30, 0.05
TARGET_CPU = 0.10
TARGET_COUNT_MS = 50.0
TARGET_SEARCH_P95_MS = 100.0
WINDOW_ROWS = 300
"""Ids the window reads at once when it opens a view (`gui.article_model.HEAD_ROWS`; the rest
follow on its background store thread)."""
BUILT = "benchmark-library-built"


def sync_rules(folder_id: int, feed_id: int) -> list[tuple[str, str, list[str], dict[str, int]]]:
    """Twenty rules of the kinds people write (name, query, actions, scope). Every generated
    entry holds every word of `WORDS`, so each word is paired with a condition that picks a
    few entries, as real rules pick a few articles out of many: a rule that matched every
    entry would measure writing tags and flags on all of them, not running rules."""
    w = WORDS
    return [
        ("mute storms", f'{w[8]} {w[9]} title:"story 3 of"', ["hide"], {}),
        ("ferries", f'"{w[0]} {w[1]}" title:"story 7 of"', ["tag:ferries"], {}),
        ("no council", f"-{w[14]} {w[15]}", ["read"], {}),
        ("titles 17", 'title:"story 17 of"', ["star"], {}),
        ("story regex", "title~/^Story 1[0-2] of/", ["tag:teens"], {}),
        ("feed 3 unread", "feed:3 is:unread", ["notify"], {}),
        ("island or coast", f'({w[18]} OR {w[19]}) title:"story 5 of"', ["tag:shore"], {}),
        ("prefix", f'{w[20][:4]}* title:"story 9 of"', ["tag:sail"], {}),
        ("folder scope", f'{w[12]} title:"story 2 of"', ["read"], {"folder_id": folder_id}),
        ("feed scope", f"{w[2]}", ["star"], {"feed_id": feed_id}),
        ("old", "age:>400d", ["read"], {}),
        ("june", "after:2026-06-10 before:2026-06-12", ["tag:june"], {}),
        ("author regex", "author~/bot$/i", ["delete"], {}),
        ("link regex", "link~/story\\/2[0-2]$/", ["tag:twenties"], {}),
        ("group", f'({w[3]} OR {w[4]}) -{w[5]} title:"story 4 of"', ["tag:lamps"], {}),
        ("fields", f'title:"story 6 of" summary:{w[6]}', ["read"], {}),
        ("has enclosure", "has:enclosure", ["tag:audio"], {}),
        ("starred notify", "is:starred", ["notify"], {}),
        ("word and regex", f"{w[22]} title~/feed 1\\d$/", ["tag:netted"], {}),
        ("tagged", "tag:ferries is:unread", ["star"], {}),
    ]


def cold_sync_cpu(extra: str, urls: list[str], pipe: object, server_pid: int | None) -> float:
    """CPU seconds of one cold sync of every feed into a fresh store; `extra`: "rules" (the
    twenty of `sync_rules`), "searches" (the twelve saved searches of `saved_searches`, their
    counts kept by the writes) or "" (neither)."""
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp:
        paths = DataPaths(Path(tmp) / "data").ensure()
        with Store.open(paths) as store:
            store.save_settings(Settings())
            folder = store.ensure_folder_path(["Local"])
            assert folder is not None
            ids = [
                store.add_feed(url, folder_id=folder if n % 3 == 0 else None).id
                for n, url in enumerate(urls)
            ]
            if extra == "rules":
                for name, query, actions, scope in sync_rules(folder, ids[4]):
                    store.add_rule(
                        name,
                        query,
                        actions,
                        feed_id=scope.get("feed_id"),
                        folder_id=scope.get("folder_id"),
                    )
            if extra == "searches":
                for name, query in saved_searches(list(WORDS[:6]), WORDS[7]).items():
                    store.add_saved_search(name, query)
        run = measure(paths, pipe, server_pid)  # type: ignore[arg-type]
        assert run.summary is not None and not run.summary.failures
        if extra == "rules":
            with Store.open(paths) as store:
                failing = [r.name for r in store.list_rules() if r.error_count]
                assert not failing, failing
        return run.cpu


def sync_figures(rounds: int, extra: str) -> tuple[list[float], list[float]]:
    """CPU seconds of cold syncs without and with `extra` (see `cold_sync_cpu`),
    alternating, after a warm-up sync."""
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(
        target=_server_main, args=(SYNC_FEEDS, SYNC_ENTRIES, LATENCY, theirs), daemon=True
    )
    server.start()
    ports = ours.recv()
    urls = [
        f"http://127.0.0.{n % HOSTS + 1}:{ports[n % HOSTS]}/feed/{n}.xml" for n in range(SYNC_FEEDS)
    ]
    without: list[float] = []
    with_extra: list[float] = []
    try:
        cold_sync_cpu("", urls, ours, server.pid)  # warm-up: imports, caches
        for _ in range(rounds):
            without.append(cold_sync_cpu("", urls, ours, server.pid))
            with_extra.append(cold_sync_cpu(extra, urls, ours, server.pid))
    finally:
        ours.send("stop")
        server.join(timeout=5)
    return without, with_extra


def subscribe(store: Store, count: int) -> list[int]:
    """Adds the benchmark's `count` feeds (a quarter of them in "News"); their ids."""
    news = store.ensure_folder_path(["News"])
    return [
        store.add_feed(
            f"https://feed{i}.example.org/feed", folder_id=news if i % 4 == 0 else None
        ).id
        for i in range(count)
    ]


def build_store(root: Path, made: list[ParsedFeed]) -> None:
    """The benchmark library in `root`: the feeds ingested as a sync writes them (half the
    entries read, 2,000 starred, 3,000 tagged "later", a quarter of the feeds in "News")."""
    with Store.open(DataPaths(root).ensure()) as store:
        ids = subscribe(store, len(made))
        fetched = FetchInfo(fetched_at=datetime(2026, 3, 1, tzinfo=UTC))
        for feed_id, parsed in zip(ids, made, strict=True):
            store.apply_parsed_feed(feed_id, parsed, fetched)
        rng = random.Random(7)
        all_ids = store.entry_ids(EntryQuery())
        store.set_read(rng.sample(all_ids, len(all_ids) // 2), True)
        store.set_starred(rng.sample(all_ids, 2000), True)
        store.tag_entries(rng.sample(all_ids, 3000), "later")
    (root / BUILT).write_text("done\n")


def saved_searches(words: list[str], category: str) -> dict[str, str]:
    """Twelve saved searches of the kinds people keep, by name: the words are drawn from the
    library's titles; `common word` is the word found in nearly every entry."""
    common = TextMaker(random.Random(SEED)).words[0]  # the most frequent of make_feeds' words
    return {
        "unread later": "tag:later",
        "starred news": "is:starred folder:news",
        "word": words[0],
        "two words": f"{words[1]} OR {words[2]}",
        "common word": common,
        "title word": f"title:{words[3]}",
        "feed": 'feed:"Feed 12"',
        "recent": "age:<30d -tag:later",
        "exclusion": f"-{words[4]} is:starred",
        "date range": "after:2026-02-01 before:2026-03-01",
        "pattern": f"feed:7 title~/{words[5][:3]}/i",
        "category": f"category:{category}",
    }


def ingest_figures(rounds: int) -> tuple[list[float], list[float]]:
    """CPU seconds of storing 300 feeds x 30 entries into a fresh store, without saved
    searches and with the twelve of `saved_searches`, alternating."""
    made = make_feeds(SYNC_FEEDS, SYNC_ENTRIES)
    words = [max((e.title or "").lower().split(), key=len) for e in made[0].entries[:6]]
    category = next(c for f in made for e in f.entries for c in e.categories)
    without: list[float] = []
    with_counts: list[float] = []
    for run in range(2 * rounds + 1):
        kept = run % 2 == 1
        with (
            tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp,
            Store.open(DataPaths(Path(tmp) / "data").ensure()) as store,
        ):
            ids = subscribe(store, len(made))
            if kept:
                for name, query in saved_searches(words, category).items():
                    store.add_saved_search(name, query)
            fetched = FetchInfo(fetched_at=datetime(2026, 3, 1, tzinfo=UTC))
            began = time.process_time()
            for feed_id, parsed in zip(ids, made, strict=True):
                store.apply_parsed_feed(feed_id, parsed, fetched)
            spent = time.process_time() - began
        if run:  # the first run warms imports and caches
            (with_counts if kept else without).append(spent)
    return without, with_counts


def store_figures(
    feeds: int, per_feed: int, kept: Path | None
) -> tuple[dict[str, float], dict[str, list[float]], list[str]]:
    """Saved-search counts (median of 5, ms, by name), search latencies (ms: the newest 50
    entries, as the command line lists them; the first `WINDOW_ROWS` ids, as the window
    opens a view, on its GUI thread) and the searches, on the benchmark library: built in a
    temporary folder, or in `kept` once and reused by later runs (building it takes minutes;
    measuring, seconds)."""
    root = kept if kept is not None else Path(tempfile.mkdtemp(prefix="newsreader-bench-"))
    try:
        if not (root / BUILT).exists():
            print(f"building the {feeds * per_feed:,}-entry store in {root} …", flush=True)
            build_store(root, make_feeds(feeds, per_feed))
        with Store.open(DataPaths(root).ensure()) as store:
            rng = random.Random(8)
            # entry ids follow the generated order: titles drawn by position, as from the feeds
            ids = sorted(store.entry_ids(EntryQuery()))
            drawn = store.entries_by_ids([ids[i] for i in rng.sample(range(len(ids)), 40)])
            words = [max((e.title or "").lower().split(), key=len) for e in drawn]
            category = next(c for e in drawn for c in e.categories)
            saved = saved_searches(words, category)
            for name in saved:
                if not any(s.name == name for s in store.list_saved_searches(counts=False)):
                    store.add_saved_search(name, saved[name])
            listing: list[float] = []
            for _ in range(5):
                began = time.perf_counter()
                store.list_saved_searches()
                listing.append((time.perf_counter() - began) * 1000)
            counts: dict[str, float] = {"all kept": statistics.median(listing)}
            for name, query in saved.items():
                samples = []
                for _ in range(3):
                    began = time.perf_counter()
                    store.count_entries(EntryQuery(search=query, unread_only=True))
                    samples.append((time.perf_counter() - began) * 1000)
                counts[name] = statistics.median(samples)
            searches = []
            for index in range(100):
                a, b = words[6 + index % 30], words[(7 + index) % 40]
                kind = index % 5
                if kind == 0:
                    searches.append(f"title:{a} title~/{a[:3]}/i")
                elif kind == 1:
                    searches.append(f'feed:"Feed {index}" title~/^[a-m]/')
                elif kind == 2:
                    searches.append(f"{a} -{b} author~/^{b[0]}/i")
                elif kind == 3:
                    searches.append(f"is:unread folder:news title~/{a[:2]}\\w+ {b[:2]}/i")
                else:
                    searches.append(f"({a} OR {b}) age:<60d title~/\\b{a[:4]}/i")
            latencies: dict[str, list[float]] = {"newest 50": [], "window's first 300": []}
            for query in searches:
                began = time.perf_counter()
                store.list_entries(EntryQuery(search=query, limit=50))
                latencies["newest 50"].append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                store.entry_ids(EntryQuery(search=query, limit=WINDOW_ROWS))
                latencies["window's first 300"].append((time.perf_counter() - began) * 1000)
    finally:
        if kept is None:
            shutil.rmtree(root, ignore_errors=True)
    return counts, latencies, searches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries-per-feed", type=int, default=500)
    parser.add_argument("--skip-sync", action="store_true")
    parser.add_argument("--skip-store", action="store_true")
    parser.add_argument("--ingest", action="store_true", help="measure what kept counts cost")
    parser.add_argument(
        "--searches",
        action="store_true",
        help="the sync comparison with 12 saved searches' kept counts instead of 20 rules",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the 100,000-entry library here once and reuse it on later runs",
    )
    args = parser.parse_args()

    if not args.skip_sync:
        extra = "searches" if args.searches else "rules"
        without, with_extra = sync_figures(args.rounds, extra)
        base, more = statistics.median(without), statistics.median(with_extra)
        print(
            f"sync:   cold {SYNC_FEEDS} feeds x {SYNC_ENTRIES}: CPU without {extra} "
            f"{', '.join(f'{s:.2f}' for s in without)} s, with "
            f"{'12 kept saved-search counts' if args.searches else '20 rules'} "
            f"{', '.join(f'{s:.2f}' for s in with_extra)} s; medians {base:.2f} / {more:.2f} s "
            f"= {more / base - 1:+.1%} (target <= +{TARGET_CPU:.0%} for rules)"
        )
    if args.ingest:
        without, with_counts = ingest_figures(args.rounds)
        base, kept = statistics.median(without), statistics.median(with_counts)
        print(
            f"ingest: {SYNC_FEEDS} feeds x {SYNC_ENTRIES} entries, CPU without saved searches "
            f"{', '.join(f'{s:.2f}' for s in without)} s, with 12 kept counts "
            f"{', '.join(f'{s:.2f}' for s in with_counts)} s; medians {base:.2f} / {kept:.2f} s "
            f"= {kept / base - 1:+.1%}"
        )
    if not args.skip_store:
        counts, latencies, searches = store_figures(args.feeds, args.entries_per_feed, args.keep)
        live = {name: ms for name, ms in counts.items() if name != "all kept"}
        worst = max(live, key=lambda k: live[k])
        print(
            f"counts: all 12 saved searches' unread counts as the tree reads them (kept up to "
            f"date by the writes; `recent` has age:, so it is counted at the read), median of "
            f"5: {counts['all kept']:.1f} ms (target <= {TARGET_COUNT_MS:.0f} ms a count)"
        )
        print(
            "        each counted from scratch, median of 3: "
            + ", ".join(f"{name} {ms:.1f}" for name, ms in live.items())
            + f" ms; worst {worst!r} {live[worst]:.1f} ms"
        )
        for kind, measured in latencies.items():
            p50, p95 = (
                statistics.quantiles(measured, n=100, method="inclusive")[p - 1] for p in (50, 95)
            )
            print(
                f"search: fields + pattern, {kind}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
                f"max {max(measured):.1f} ms (target p95 <= {TARGET_SEARCH_P95_MS:.0f} ms)"
            )
            slowest = sorted(zip(measured, searches, strict=True), reverse=True)[:3]
            print("        slowest: " + "; ".join(f"{q!r} {ms:.0f} ms" for ms, q in slowest))


if __name__ == "__main__":
    main()
