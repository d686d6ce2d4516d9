"""Sync with a real FreshRSS (../shared/servers/freshrss): an account of 100 feeds and 5,000
items, served to FreshRSS from loopback feeds generated here.

Measures, through the Google Reader API: the first sync into an empty store, a sync with
nothing new, and a sync sending 1,000 read marks made here; prints wall time and HTTP
requests of each. Targets: first sync <= 30 s; no-change sync <= 1 s and <= 3 requests;
<= 10 requests for the 1,000 marks. The time of the marks is mostly FreshRSS's own: on its
SQLite storage, `edit-tag` costs it about 25-30 ms per item id, however they are batched.

With `--compare`, then a first sync into a second store with story matching and language
detection off (as before issue 12), to print what they add on the same machine and load.

    .venv/bin/python benchmarks/server_sync.py [--feeds 100] [--items 50] [--compare]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape

import keyring
import keyring.backend

from newsreader.accounts.engine import AccountSyncResult, sync_account
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.store.storyindex import StoryIndex

SHARED = os.environ.get("NEWSREADER_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared"
FRESHRSS = Path(SHARED) / "servers" / "freshrss"
PASSWORD = "apipass1"
TARGETS = {"first": 30.0, "unchanged": 1.0, "unchanged_requests": 3, "mark_requests": 10}


class SessionKeyring(keyring.backend.KeyringBackend):
    """The desktop's keyring stand-in for this run: the login token a sync keeps for the
    next one lives here (in memory), as it would in the real keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@contextmanager
def stories_off() -> Iterator[None]:
    """Syncs as before stories: no story matching, no language detection."""
    with (
        mock.patch.object(StoryIndex, "add", lambda self, items: None),
        mock.patch("newsreader.store.ingest.entry_language", lambda title, text: None),
    ):
        yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_feeds(folder: Path, port: int, feeds: int, items: int) -> Path:
    """`feeds` RSS files of `items` items each in `folder`, and an OPML naming them."""
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    outlines = []
    for f in range(feeds):
        url = f"http://127.0.0.1:{port}/bench{f}.xml"
        entries = "".join(
            f"<item><title>Feed {f} story {i}</title>"
            f"<link>http://127.0.0.1:{port}/bench{f}/{i}</link>"
            f"<guid isPermaLink='false'>bench-{f}-{i}</guid>"
            f"<pubDate>{format_datetime(start + timedelta(minutes=f * items + i))}</pubDate>"
            f"<description>{escape(f'<p>Paragraph {i} of feed {f}, with some words.</p>')}"
            "</description></item>"
            for i in range(items)
        )
        (folder / f"bench{f}.xml").write_text(
            f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
            f"<title>Bench feed {f}</title><link>http://127.0.0.1:{port}/</link>"
            f"<description>bench</description>{entries}</channel></rss>"
        )
        outlines.append(f'<outline type="rss" text="Bench {f}" title="Bench {f}" xmlUrl="{url}"/>')
    opml = folder.parent / "bench.opml"
    opml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>bench</title>'
        '</head><body><outline text="Group" title="Group">'
        + "".join(outlines)
        + "</outline></body></opml>"
    )
    return opml


def start_server(work: Path, feeds: int, items: int) -> dict[str, str]:
    port = free_port()
    opml = write_feeds(work / "feeds", port, feeds, items)
    environment = {**os.environ, "WORK": str(work), "FEED_PORT": str(port), "FRSS_OPML": str(opml)}
    started = time.perf_counter()
    subprocess.run(
        ["bash", str(FRESHRSS / "start.sh")],
        env=environment,
        check=True,
        capture_output=True,
        timeout=900,
    )
    print(f"FreshRSS started and fetched the feeds in {time.perf_counter() - started:.1f} s")
    return dict(
        line.split("=", 1) for line in (work / "env.sh").read_text().splitlines() if "=" in line
    )


def timed_sync(paths: DataPaths, account_id: int) -> tuple[float, AccountSyncResult]:
    started = time.perf_counter()
    result = asyncio.run(sync_account(paths, account_id, password=PASSWORD))
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"sync failed: {result.message}")
    return elapsed, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--marks", type=int, default=1000)
    parser.add_argument(
        "--compare",
        action="store_true",
        help="then a first sync into another store with story matching and language off",
    )
    args = parser.parse_args()
    if not (FRESHRSS / "start.sh").is_file() or shutil.which("php") is None:
        print(f"needs FreshRSS at {FRESHRSS} and PHP (scripts/system-deps.sh)", file=sys.stderr)
        return 1
    keyring.set_keyring(SessionKeyring())
    work = Path(tempfile.mkdtemp(prefix="newsreader-server-bench-"))
    env: dict[str, str] = {}
    try:
        env = start_server(work / "freshrss", args.feeds, args.items)
        paths = DataPaths(work / "data").ensure()
        with Store.open(paths) as store:
            account_id = store.add_account(
                AccountKind.GREADER, env["GREADER_URL"], env["FRSS_USER"]
            ).id

        first, result = timed_sync(paths, account_id)
        with Store.open(paths) as store:
            count = store.count_entries(EntryQuery())
            feeds = len(store.list_feeds())
        print(
            f"first sync: {first:.2f} s, {result.requests} requests, {feeds} feeds, "
            f"{count} entries (target <= {TARGETS['first']:.0f} s; load "
            f"{os.getloadavg()[0]:.1f})"
        )

        unchanged, quiet = timed_sync(paths, account_id)
        print(
            f"no-change sync: {unchanged * 1000:.0f} ms, {quiet.requests} requests "
            f"(targets <= {TARGETS['unchanged'] * 1000:.0f} ms, "
            f"<= {TARGETS['unchanged_requests']} requests)"
        )

        with Store.open(paths) as store:
            ids = store.entry_ids(EntryQuery(unread_only=True, limit=args.marks))
            store.set_read(ids, True)
        sending, sent = timed_sync(paths, account_id)
        for_marks = sent.requests - quiet.requests
        print(
            f"sync sending {sent.sent} read marks: {sending:.2f} s, {sent.requests} requests, "
            f"{for_marks} of them for the marks (target <= {TARGETS['mark_requests']})"
        )
        after, settled = timed_sync(paths, account_id)
        print(f"no-change sync after the marks: {after * 1000:.0f} ms, {settled.requests} requests")

        if args.compare:
            plain = DataPaths(work / "plain").ensure()
            with Store.open(plain) as store:
                plain_id = store.add_account(
                    AccountKind.GREADER, env["GREADER_URL"], env["FRSS_USER"]
                ).id
            with stories_off():
                without, _ = timed_sync(plain, plain_id)
            print(
                f"first sync without story matching and language (same server, after the "
                f"others): {without:.2f} s; they add {(first / without - 1) * 100:.0f} % "
                f"(load {os.getloadavg()[0]:.1f})"
            )
        return 0
    finally:
        stop = work / "freshrss" / "stop.sh"
        if stop.exists():
            subprocess.run(["sh", str(stop)], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
