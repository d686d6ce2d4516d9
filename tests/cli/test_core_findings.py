"""End to end through the command line and a real loopback server: entry identity (a live
blog's items share one link), and deleted comments in the command line and exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.loopback import LoopbackServer, Request, Response
from tests.store.builders import entry, feed, fetch


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


def test_deleted_comments_leave_the_command_line_and_every_export(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """As in the window: a deleted comment without replies is gone; one with a reply stays
    as the place its reply hangs from, without its text or "edited"."""
    with Store.open(data_paths.ensure()) as store:
        feed_id = store.add_feed("https://harbor.example/feed.xml").id
        written = store.apply_parsed_feed(
            feed_id,
            feed(entry("h1", title="Harbor opens", summary="<p>The pier opened.</p>")),
            fetch(),
        )
        (entry_id,) = written.new_entry_ids
        root = store.add_comment(entry_id, "Root words", author="Me")
        store.add_comment(entry_id, "Reply words", author="You", parent_id=root.id)
        alone = store.add_comment(entry_id, "Lonely words", author="Me")
        store.edit_comment(alone.id, "Lonely words, edited")
        store.edit_comment(root.id, "Root words, edited")
    assert run(data_paths, capsys, "comment", "delete", str(alone.id))[0] == 0
    assert run(data_paths, capsys, "comment", "delete", str(root.id))[0] == 0

    code, out, _ = run(data_paths, capsys, "comments", str(entry_id))
    assert code == 0
    assert f"#{alone.id}" not in out and "Lonely" not in out
    assert f"#{root.id}" in out and "[deleted]" in out and "(edited)" not in out
    assert "Reply words" in out and "Root words" not in out
    code, out, _ = run(data_paths, capsys, "comments", str(entry_id), "--json")
    [stub] = json.loads(out)
    assert (stub["id"], stub["deleted"], stub["body"]) == (root.id, True, None)
    assert [r["body"] for r in stub["replies"]] == ["Reply words"]

    for fmt, name in (("md", "a.md"), ("txt", "a.txt"), ("html", "a.html"), ("json", "a.json")):
        out_path = tmp_path / name
        code, _, err = run(
            data_paths,
            capsys,
            "export",
            "--format",
            fmt,
            "--entry",
            str(entry_id),
            "--with-comments",
            "--out",
            str(out_path),
        )
        assert code == 0, err
        text = out_path.read_text()
        assert "Lonely" not in text, fmt
        assert "Reply words" in text and "Root words" not in text, fmt
        stubs = text.count('"deleted": true') if fmt == "json" else text.count("comment deleted")
        assert stubs == 1, (fmt, text)

    # the reply deleted too: nothing is left of the thread
    with Store.open(data_paths) as store:
        reply_id = store.list_comments(entry_id)[1].id
    assert run(data_paths, capsys, "comment", "delete", str(reply_id))[0] == 0
    code, out, _ = run(data_paths, capsys, "comments", str(entry_id))
    assert code == 0 and "no comments on entry" in out
    out_path = tmp_path / "b.md"
    args = ["export", "--format", "md", "--entry", str(entry_id), "--with-comments"]
    assert run(data_paths, capsys, *args, "--out", str(out_path))[0] == 0
    assert "deleted" not in out_path.read_text() and "Me" not in out_path.read_text()
