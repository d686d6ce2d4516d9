"""End to end through the command line and a real loopback server: entry identity (a live
blog's items share one link), and what a reviewer saw go wrong in the core."""

from __future__ import annotations

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.loopback import LoopbackServer, Request, Response


def run(paths: DataPaths, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--data-dir", str(paths.root)])
    out, err = capsys.readouterr()
    return code, out, err


def _item(guid: str, title: str, link: str, date: str) -> str:
    return (
        f'<item><guid isPermaLink="false">{guid}</guid><title>{title}</title>'
        f"<link>{link}</link><pubDate>{date}</pubDate></item>"
    )


def _rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Live blog</title>'
        "<link>https://live.example/</link>" + "".join(items) + "</channel></rss>"
    ).encode()


def test_live_blog_items_sharing_a_link_are_distinct_entries(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    page = "https://live.example/harbor"
    bodies = [
        _rss(
            _item("live-1", "Harbor opens", page, "Mon, 30 Nov 2026 07:00:00 GMT"),
            _item("live-2", "Crowds gather", page, "Mon, 30 Nov 2026 08:00:00 GMT"),
        ),
        # the next fetch: live-1 left the feed, a new post reuses the page
        _rss(
            _item("live-3", "Ferry delayed", page, "Mon, 30 Nov 2026 09:00:00 GMT"),
            _item("live-2", "Crowds gather", page, "Mon, 30 Nov 2026 08:00:00 GMT"),
        ),
    ]

    def answer(_: Request) -> Response:
        return Response(body=bodies[0] if len(bodies) == 2 else bodies[-1])

    with LoopbackServer() as server:
        server.route("/live.xml", answer)
        code, out, _ = run(data_paths, capsys, "add", server.url("/live.xml"))
        assert code == 0 and "Fetched 2 entries" in out
        with Store.open(data_paths) as store:
            store.set_read(store.entry_ids(EntryQuery()), True)
        bodies.pop(0)
        code, out, _ = run(data_paths, capsys, "sync", "--all")
        assert code == 0
    with Store.open(data_paths) as store:
        got = store.entries_by_ids(store.entry_ids(EntryQuery(descending=False)))
    assert [(e.guid, e.title, e.read) for e in got] == [
        ("live-1", "Harbor opens", True),
        ("live-2", "Crowds gather", True),
        ("live-3", "Ferry delayed", False),
    ]
    code, out, _ = run(data_paths, capsys, "entries")
    assert code == 0 and all(t in out for t in ("Harbor opens", "Crowds gather", "Ferry delayed"))
