"""Window benchmark: a store of 100,000 entries over 200 feeds, measured in fresh processes.

Prints, for the real window and (as the floor) a bare QMainWindow:
- start: process start to the window shown with the feed tree and article list filled
- switch: selecting "All" again from another view (query + repaint)
- open: selecting an article (reader rendered, related articles, comments, marked read)
- next unread: the n key (find the next unread article, open it)
- select all: Ctrl+A over every row, then what each reload during a sync spends on the GUI
  thread to keep those rows selected
- peak memory (max RSS of the window process)
- the store statements each common action runs (open, mark, star, switch view, a sync
  finishing), on the GUI thread and on the background store thread
- the longest UI-thread stall while a 300-feed sync runs against a loopback HTTP server
  (a 5 ms Qt timer; the stall is the longest gap between its ticks, minus 5 ms), into an empty
  store and into the 100,000-entry one (where every refresh of counts reads more)

Targets: start <= 1.5 s, switch <= 150 ms, open <= 50 ms, peak <= 350 MB, stall <= 50 ms.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui.py [--store PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FEEDS, PER_FEED = 200, 500
SYNC_FEEDS, SYNC_ENTRIES = 300, 20
TICK_MS = 5


def build_store(root: Path) -> None:
    """Fills the store at `root` to FEEDS x PER_FEED entries; resumable: feeds already
    written are skipped, so a store kept with --store can be built over several runs."""
    from newsreader.model import Author, ParsedEntry, ParsedFeed
    from newsreader.paths import DataPaths
    from newsreader.store import EntryQuery, FetchInfo, Store

    now = datetime.now(UTC)
    words = ("harbour", "lights", "council", "budget", "river", "storm", "election", "rail")
    with Store.open(DataPaths(root).ensure()) as store:
        folders = [_folder(store, f"Folder {i}") for i in range(10)]
        for f in range(FEEDS):
            feed = store.add_feed(f"https://feed{f}.example/rss", folder_id=folders[f % 10])
            if store.count_entries(EntryQuery(feed_ids=(feed.id,))) == PER_FEED:
                continue
            entries = tuple(
                ParsedEntry(
                    id=f"f{f}-{i}",
                    title=f"{words[(f + i) % 8].title()} report {i} from feed {f} "
                    f"on the {words[i % 8]} and the {words[(i * 3) % 8]}",
                    link=f"https://feed{f}.example/{i}",
                    published=now - timedelta(minutes=(i * FEEDS + f)),
                    authors=(Author(name=f"Writer {f}"),),
                    content=f"<p>Paragraph one of story {i}.</p><p>{' '.join(words) * 8}</p>",
                )
                for i in range(PER_FEED)
            )
            parsed = ParsedFeed(format="rss20", title=f"Feed {f}", entries=entries)
            store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=now))


def _folder(store: Any, name: str) -> int:
    found = [f.id for f in store.list_folders() if f.name == name]
    return found[0] if found else int(store.add_folder(name).id)


def sync_feed_body(n: int) -> bytes:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><guid>s{n}-{i}</guid><title>Sync story {i} of feed {n}</title>"
        f"<link>https://sync{n}.example/{i}</link>"
        f"<pubDate>{(now - timedelta(minutes=i)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        f"</pubDate><description>&lt;p&gt;Body {i}&lt;/p&gt;</description></item>"
        for i in range(SYNC_ENTRIES)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Sync {n}</title>'
        f"<link>https://sync{n}.example/</link>{items}</channel></rss>"
    ).encode()


# --- child processes -------------------------------------------------------------------------


def child_bare(started: float) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    return {"start": time.time() - started}


def wait_complete(app: Any, model: Any) -> None:
    """Lets the background reader deliver the full id list of the current view."""
    while not model.complete:
        app.processEvents()
        time.sleep(0.001)


def child_window(started: float, root: str) -> dict[str, float]:
    import resource

    from PySide6.QtWidgets import QApplication

    from newsreader.gui.app import Session
    from newsreader.gui.views import View, ViewKind
    from newsreader.paths import DataPaths
    from newsreader.store import Store

    app = QApplication(sys.argv)
    paths = DataPaths(Path(root))
    store = Store.open(paths)
    session = Session(store, paths, tray=False)
    window = session.window
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    start = time.time() - started
    model = window.articles.model
    assert model.rowCount() > 0
    wait_complete(app, model)
    start_full = time.time() - started
    assert model.rowCount() == FEEDS * PER_FEED

    switches, fills = [], []
    for feed_id in (1, 2, 3, 4, 5):
        window.feed_tree.select_view(View(ViewKind.FEED, feed_id))
        wait_complete(app, model)
        t = time.perf_counter()
        window.feed_tree.select_view(View(ViewKind.ALL))
        app.processEvents()
        switches.append(time.perf_counter() - t)
        wait_complete(app, model)
        fills.append(time.perf_counter() - t)

    opens = []
    for row in (10, 500, 20_000, 60_000, 99_000, 11, 12, 13):
        t = time.perf_counter()
        window.articles.select_row(row)
        app.processEvents()
        opens.append(time.perf_counter() - t)
    nexts = []
    for _ in range(8):
        t = time.perf_counter()
        window.articles.next_unread()
        app.processEvents()
        nexts.append(time.perf_counter() - t)
    # Ctrl+A, then what each reload during a sync costs the GUI thread to keep the selection
    t = time.perf_counter()
    window.articles.table.selectAll()
    app.processEvents()
    select_all = time.perf_counter() - t
    keeps = []
    for _ in range(5):
        t = time.perf_counter()
        window.presenter._kept()
        keeps.append(time.perf_counter() - t)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "select_all": select_all,
        "keep_all": statistics.median(keeps),
        "start": start,
        "start_full": start_full,
        "switch": statistics.median(switches),
        "switch_full": statistics.median(fills),
        "switch_max": max(switches),
        "open": statistics.median(opens),
        "open_max": max(opens),
        "next_unread": statistics.median(nexts),
        "peak_mb": peak_mb,
    }


def sqlite_internal(statement: str) -> bool:
    """A statement SQLite runs inside another (FTS5 reading its index and row sizes for one
    search), as the trace reports it: not a query of ours."""
    return statement.startswith("--") or "'main'." in statement


def child_queries(root: str) -> dict[str, float]:
    """The store statements each common action runs on the GUI thread's connection (the
    background thread's reads are counted apart: they never stall the window); SQLite's own
    statements inside a full-text search are counted apart too."""
    from PySide6.QtWidgets import QApplication

    from newsreader.gui.app import Session
    from newsreader.gui.views import View, ViewKind
    from newsreader.paths import DataPaths
    from newsreader.store import Store

    app = QApplication(sys.argv)
    paths = DataPaths(Path(root))
    store = Store.open(paths)
    session = Session(store, paths, tray=False)
    window = session.window
    window.show()
    app.processEvents()
    model = window.articles.model
    wait_complete(app, model)
    gui: list[str] = []
    background: list[str] = []
    worker: list[Any] = []

    def trace_worker(worker_store: Any) -> None:
        worker.append(worker_store)
        worker_store.trace_statements(background.append)

    window.background.submit(trace_worker, lambda _none: None)
    while not worker:
        app.processEvents()
    store.trace_statements(gui.append)

    def settle() -> None:
        done: list[None] = []
        window.background.submit(lambda _s: None, done.append)
        while not done:
            app.processEvents()
        app.processEvents()

    def measure(action: Any) -> tuple[int, int, int]:
        """Statements of ours on the GUI thread, of ours in the background, SQLite's own."""
        settle()
        gui.clear()
        background.clear()
        action()
        app.processEvents()
        settle()
        own = [s for s in gui + background if not sqlite_internal(s)]
        on_gui = sum(1 for s in gui if not sqlite_internal(s))
        return on_gui, len(own) - on_gui, len(gui) + len(background) - len(own)

    counts: dict[str, float] = {}
    actions = {
        "open": lambda: window.articles.select_row(20),
        "mark (M)": window.toggle_read,
        "star (S)": window.toggle_star,
        "switch view": lambda: window.feed_tree.select_view(View(ViewKind.STARRED)),
        "switch back": lambda: window.feed_tree.select_view(View(ViewKind.ALL)),
        "sync finishing": window.reload_after_sync,
    }
    for name, action in actions.items():
        on_gui, on_worker, inner = measure(action)
        counts[f"{name}|gui"] = on_gui
        counts[f"{name}|background"] = on_worker
        counts[f"{name}|fts"] = inner
    store.trace_statements(None)
    return counts


def child_sync(root: str) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from newsreader.gui.app import Session
    from newsreader.gui.tasks import close_loop, install_loop
    from newsreader.paths import DataPaths
    from newsreader.store import Store
    from newsreader.sync.engine import SyncOptions

    app = QApplication(sys.argv)
    loop = install_loop(app)  # as gui.app.run: the sync runs on the GUI thread's loop
    paths = DataPaths(Path(root))
    store = Store.open(paths)
    session = Session(store, paths, sync_options=SyncOptions(lock_wait=30), tray=False)
    session.window.show()
    app.processEvents()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    def quit_when_done() -> None:
        if not session.sync.running:
            app.quit()

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.timeout.connect(quit_when_done)
    timer.start()
    loopback = tuple(f.url for f in store.list_feeds() if f.url.startswith("http://127.0.0.1"))
    last[0] = t = time.perf_counter()
    session.sync.start(feeds=loopback)
    app.exec()  # Qt's own loop, as in the app: the sync's task runs inside it
    elapsed = time.perf_counter() - t
    timer.stop()
    summary = session.sync.last_summary
    assert summary is not None and summary.checked == SYNC_FEEDS, summary
    session.window.close()
    close_loop(loop)
    session.close()
    stall = max(gaps) - TICK_MS / 1000
    return {"sync_seconds": elapsed, "stall": stall, "ticks": len(gaps)}


# --- the parent ------------------------------------------------------------------------------


def spawn(*args: str) -> dict[str, float]:
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args, repr(started)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    from newsreader.gui.state import WindowState
    from newsreader.paths import DataPaths
    from newsreader.store import Store
    from tests.loopback import LoopbackServer, Response

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store",
        type=Path,
        help="keep the 100,000-entry store here and reuse it (built or completed if needed); "
        "the sync into it is measured on a copy",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        t = time.perf_counter()
        if args.store is not None:
            build_store(args.store)
            shutil.copytree(args.store, big)
        else:
            build_store(big)
        print(f"store of {FEEDS * PER_FEED:,} entries ready in {time.perf_counter() - t:.1f} s")
        WindowState(DataPaths(big)).mark_first_run_done()

        bare = [spawn("bare")["start"] for _ in range(3)]
        runs = [spawn("window", str(big)) for _ in range(3)]
        queries = spawn("queries", str(big))
        best = min(runs, key=lambda r: r["start"])

        with LoopbackServer() as server:
            for n in range(SYNC_FEEDS):
                server.route(f"/feed{n}.xml", Response(body=sync_feed_body(n)))
            sync_root = Path(tmp) / "sync"
            synced: dict[str, dict[str, float]] = {}
            for name, root in (("empty", sync_root), ("large", big)):
                with Store.open(DataPaths(root).ensure()) as store:
                    for n in range(SYNC_FEEDS):
                        store.add_feed(server.url(f"/feed{n}.xml"))
                WindowState(DataPaths(root)).mark_first_run_done()
                synced[name] = spawn("sync", str(root))

    print(f"bare QMainWindow start (floor): {min(bare):.2f} s (best of 3)")
    print(
        f"window start, lists filled:    {best['start']:.2f} s (best of 3)  target <= 1.5 s; "
        f"all {FEEDS * PER_FEED:,} ids in place at {best['start_full']:.2f} s"
    )
    print(
        f'switch to "All":               {best["switch"] * 1000:.0f} ms median, '
        f"{best['switch_max'] * 1000:.0f} ms max  target <= 150 ms; full list after "
        f"{best['switch_full'] * 1000:.0f} ms (background)"
    )
    print(
        f"open an article:               {best['open'] * 1000:.0f} ms median, "
        f"{best['open_max'] * 1000:.0f} ms max  target <= 50 ms"
    )
    print(f"next unread (n):               {best['next_unread'] * 1000:.0f} ms median")
    print(
        f"select all (Ctrl+A):           {best['select_all'] * 1000:.0f} ms (Qt's own work); "
        f"keeping it on each reload {best['keep_all'] * 1000:.0f} ms median (GUI thread)"
    )
    print(
        f"peak memory:                   {max(r['peak_mb'] for r in runs):.0f} MB  target <= 350 MB"
    )
    print(
        f"store statements per action on {FEEDS * PER_FEED:,} entries (GUI thread / background;"
        " + SQLite's own lookups inside a full-text search):"
    )
    for key in queries:
        name, where = key.split("|")
        if where == "gui":
            inner = queries[name + "|fts"]
            print(
                f"  {name + ':':<16} {queries[key]:.0f} / {queries[name + '|background']:.0f}"
                + (f" + {inner:.0f}" if inner else "")
            )
    for name, where in (("empty", "an empty store"), ("large", f"{FEEDS * PER_FEED:,} entries")):
        print(
            f"longest UI stall, {SYNC_FEEDS}-feed sync into {where}: "
            f"{synced[name]['stall'] * 1000:.0f} ms "
            f"(sync took {synced[name]['sync_seconds']:.1f} s)  target <= 50 ms"
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        started = float(rest[-1])
        if kind == "bare":
            result = child_bare(started)
        elif kind == "window":
            result = child_window(started, rest[0])
        elif kind == "queries":
            result = child_queries(rest[0])
        else:
            result = child_sync(rest[0])
        print(json.dumps(result))
        sys.exit(0)
    sys.exit(main())
