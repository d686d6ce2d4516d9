"""`newsreader sync`: output, summary, exit codes; and a sync process killed mid-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newsreader.cli import build_parser, run_command
from newsreader.cli.sync_cmds import Progress
from newsreader.model import CommentOrigin
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.events import (
    FeedOutcome,
    FeedSynced,
    StoriesMatched,
    SyncFinished,
    SyncStarted,
    SyncSummary,
)
from tests.conftest import REPO
from tests.loopback import LoopbackServer, Request, Response
from tests.sync.documents import Item, comment_feed, rss
from tests.sync.servers import delayed, gated, refused_url

RSS = "application/rss+xml"
NOTHING = "newsreader sync: error: nothing could be fetched: "


def cli(paths: DataPaths, *argv: str) -> int:
    return run_command(build_parser().parse_args(["--data-dir", str(paths.root), *argv]))


def test_sync_prints_a_line_per_feed_and_a_summary(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/f", Response(body=rss([Item("a"), Item("b")], title="Good"), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"), title="Good")
        store.add_feed(server.url("/missing"))
    code = cli(data_paths, "sync")
    out = capsys.readouterr().out
    assert code == 0
    assert "Checking 2 feeds" in out
    assert "Good: 2 new, 0 updated" in out
    assert "Checked 2 feeds: 0 unchanged, 1 updated, 2 new entries, 1 failed." in out
    assert f"{server.url('/missing')}: HTTP 404 Not Found" in out
    assert out.count(server.url("/missing")) == 1  # each failure named once
    assert out.count("HTTP 404") == 1
    assert cli(data_paths, "sync") == 0
    assert "No feeds are due" in capsys.readouterr().out


def test_sync_exits_1_when_nothing_could_be_fetched(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_paths) as store:
        store.add_feed(refused_url())
    code = cli(data_paths, "sync", "--all")
    err = capsys.readouterr().err
    assert code == 1
    assert "nothing could be fetched" in err


def test_one_dead_host_is_named_not_blamed_on_being_offline(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sync ID` of the one feed on a host that does not resolve: nothing was fetched (exit
    1), but one host failing says nothing about this computer being offline, and feeds on a
    working server exist (not asked for)."""
    server.route("/f", Response(body=rss([Item("a")], title="Good"), content_type=RSS))
    with Store.open(data_paths) as store:
        good = store.add_feed(server.url("/f"), title="Good")
        dead = store.add_feed("http://wire.example.invalid/feed.xml")
        store.add_feed("https://wire.example.invalid/other.xml")
    assert cli(data_paths, "sync", str(dead.id)) == 1
    err = capsys.readouterr().err
    assert err == f"{NOTHING}cannot reach wire.example.invalid\n"
    # every feed checked on that one host: still the host, not the computer
    with Store.open(data_paths) as store:
        store.delete_feed(good.id)
    assert cli(data_paths, "sync", "--all") == 1
    err = capsys.readouterr().err
    assert err == f"{NOTHING}cannot reach wire.example.invalid\n"


def test_dead_hosts_of_their_own_suggest_being_offline(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_paths) as store:
        store.add_feed(refused_url())
        store.add_feed("http://wire.example.invalid/feed.xml")
    assert cli(data_paths, "sync", "--all") == 1
    assert capsys.readouterr().err == (
        "newsreader sync: error: nothing could be fetched: every feed and account failed "
        "with a network error (is this computer offline?)\n"
    )


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    with path.open("w") as out:
        progress = Progress(out, tty=True)
        progress(SyncStarted(total=2))
        progress(FeedSynced(1, "u1", "t", FeedOutcome.UPDATED, 1, 2, new_entries=3))
        progress(FeedSynced(2, "u2", "t", FeedOutcome.FAILED, 2, 2, error="HTTP 500"))
    text = path.read_bytes().decode()
    assert "\r[" + "#" * 15 + "-" * 15 + "] 1/2 feeds, 3 new, 0 failed" in text
    assert "\r[" + "#" * 30 + "] 2/2 feeds, 3 new, 1 failed" in text


def test_the_grouping_into_stories_has_its_own_line_on_a_terminal(tmp_path: Path) -> None:
    """After the feeds' bar, a line says the articles are being grouped into stories (seconds
    after a large first sync, when the bar is full and nothing seemed to happen); a log (no
    terminal) gets no such line."""
    for tty in (True, False):
        path = tmp_path / f"out-{tty}.txt"
        with path.open("w") as out:
            progress = Progress(out, tty=tty)
            progress(SyncStarted(total=1))
            progress(FeedSynced(1, "u1", "t", FeedOutcome.UPDATED, 1, 1, new_entries=900))
            progress(StoriesMatched(500, 1200))
            progress(StoriesMatched(1200, 1200))
            progress(SyncFinished(SyncSummary(checked=1, updated=1, new_entries=900)))
        text = path.read_bytes().decode()
        if tty:
            bar, stories, end = text.split("\n")
            assert bar.endswith("1/1 feeds, 900 new, 0 failed")
            assert stories == (
                "\rGrouping articles into stories: 500 of 1,200"
                "\rGrouping articles into stories: 1,200 of 1,200"
            )
            assert end == ""
        else:
            assert "stories" not in text


def test_a_sync_killed_mid_way_leaves_a_sound_store(data_paths: DataPaths) -> None:
    count = 12
    with LoopbackServer() as server:
        for i in range(count):
            server.route(f"/f{i}", Response(body=rss([Item(f"old{i}")]), content_type=RSS))
        with Store.open(data_paths) as store:
            feeds = [store.add_feed(server.url(f"/f{i}")) for i in range(count)]
        assert cli(data_paths, "sync") == 0
        with Store.open(data_paths) as store:
            entries = store.list_entries(EntryQuery())
            read_ids = [e.id for e in entries[::2]]
            store.set_read(read_ids, True)
            comment = store.add_comment(entries[0].id, "keep me", author="Me")
        # The second round: every feed grows 20 entries. The first half answers slower and
        # slower, so the kill may come in the middle of a write; the second half answers only
        # after the kill, so some feeds are certainly left untouched however busy the machine.
        after_the_kill = threading.Event()
        for i in range(count):
            grown = Response(
                body=rss([Item(f"old{i}")] + [Item(f"new{i}-{n}") for n in range(20)]),
                content_type=RSS,
            )
            slow = delayed(grown, 0.3 * i) if i < count // 2 else gated(grown, after_the_kill)
            server.route(f"/f{i}", slow)
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsreader",
                "--data-dir",
                str(data_paths.root),
                "sync",
                "--all",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            done = 0
            while done < 3:  # some feeds written, others still waiting for the server
                line = child.stdout.readline()
                assert line, "the sync ended before it could be killed"
                done += line.startswith("[")
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        finally:
            after_the_kill.set()
            if child.poll() is None:
                child.kill()
                child.wait()
            assert child.stdout is not None and child.stderr is not None
            child.stdout.close()
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    with Store.open(data_paths) as store:
        assert store.integrity_check() == []
        per_feed = [store.count_entries(EntryQuery(feed_ids=(f.id,))) for f in feeds]
        assert set(per_feed) <= {1, 21}  # each feed fully written or untouched
        assert 1 in per_feed and 21 in per_feed
        still_read = store.entries_by_ids(read_ids)
        assert all(e.read for e in still_read)
        kept = store.list_comments(entries[0].id)
        assert [(c.body, c.origin) for c in kept] == [("keep me", CommentOrigin.USER)]
        assert kept[0].id == comment.id


def test_a_feed_can_be_fetched_with_its_own_user_agent(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    def picky(request: Request) -> Response:
        if "Mozilla" not in request.headers.get("user-agent", ""):
            return Response(status=403, body=b"no bots", content_type="text/plain")
        return Response(body=rss([Item("a")]), content_type=RSS)

    server.route("/f", picky)
    with Store.open(data_paths) as store:
        feed = store.add_feed(server.url("/f"))
    assert cli(data_paths, "sync") == 0
    assert "HTTP 403 Forbidden" in capsys.readouterr().out
    assert server.requests_for("/f")[0].headers["user-agent"].startswith("Newsreader/")
    browser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    assert cli(data_paths, "feed", "set", str(feed.id), "--user-agent", browser) == 0
    assert f"is fetched as: {browser}" in capsys.readouterr().out
    assert cli(data_paths, "sync", str(feed.id)) == 0
    assert "1 new entry," in capsys.readouterr().out
    assert server.requests_for("/f")[-1].headers["user-agent"] == browser
    assert cli(data_paths, "feed", "set", str(feed.id), "--user-agent", "") == 0
    assert "Newsreader's own (Newsreader/" in capsys.readouterr().out
    assert cli(data_paths, "feed", "set", str(feed.id), "--user-agent", "a\nb") == 1
    assert "one line" in capsys.readouterr().err


def _comment_feed(talk: list[tuple[str, str, str | None]]) -> Response:
    return Response(body=comment_feed(talk), content_type="application/atom+xml")


def _synced_post_with_comments(
    data_paths: DataPaths, server: LoopbackServer, answer: Response, announced: int = 1
) -> int:
    """A feed of one post announcing `announced` comments, its comment feed answering
    `answer`, synced once; the post's entry id."""
    server.route("/c", answer)
    item = Item("post", comments_feed=server.url("/c"), comment_count=announced)
    server.route("/f", Response(body=rss([item]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
    assert cli(data_paths, "sync") == 0
    with Store.open(data_paths) as store:
        (entry,) = store.list_entries(EntryQuery())
    return entry.id


def test_comments_fetch_asks_the_site_now_when_a_sync_would_not(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sync fetches a comment feed only when the entry is new or its announced count
    changed; `comments ENTRY --fetch` is the user asking for it anyway."""
    talk: list[tuple[str, str, str | None]] = [("c1", "<p>First</p>", None)]
    entry_id = _synced_post_with_comments(data_paths, server, _comment_feed(talk))
    assert len(server.requests_for("/c")) == 1
    talk.append(("c2", "<p>Second</p>", None))  # the count in the feed stays 1
    server.route("/c", _comment_feed(talk))
    assert cli(data_paths, "sync", "--all") == 0
    assert len(server.requests_for("/c")) == 1  # not asked again
    capsys.readouterr()
    assert cli(data_paths, "comments", str(entry_id), "--fetch") == 0
    out = capsys.readouterr().out
    assert len(server.requests_for("/c")) == 2
    assert "fetched the site's comments: 1 comment added or changed" in out
    assert "Second" in out and "(from the site)" in out


def test_comments_fetch_that_fails_still_lists_the_stored_comments(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The comment feed's host answers 503: `comments --fetch` warns, exits 1, and lists the
    comments stored earlier (it printed only the error, hiding them)."""
    entry_id = _synced_post_with_comments(
        data_paths, server, _comment_feed([("c1", "<p>First and stored</p>", None)])
    )
    server.route("/c", Response(status=503, body=b"down for maintenance"))
    capsys.readouterr()
    assert cli(data_paths, "comments", str(entry_id), "--fetch") == 1
    captured = capsys.readouterr()
    assert "warning: the site's comments could not be fetched (HTTP 503" in captured.err
    assert "First and stored" in captured.out and "(from the site)" in captured.out


def test_comments_names_the_sites_discussion_it_could_not_load(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The list shows the feed's count (12); when none of it could be stored, `comments`
    says the site has them and how to load them, not just "no comments"."""
    entry_id = _synced_post_with_comments(
        data_paths, server, Response(status=500, body=b"down"), announced=12
    )
    capsys.readouterr()
    assert cli(data_paths, "comments", str(entry_id)) == 0
    out = capsys.readouterr().out.strip()  # the sync's fetch failed (500): it says so
    assert out.startswith(
        f"no comments stored for entry {entry_id}; the site announces 12 comments, but the "
        "last fetch of them failed: the next sync retries it (in "
    )
    with Store.open(data_paths) as store:  # a fetch never tried: how to load them
        store._conn.execute("DELETE FROM follow_ups")
    assert cli(data_paths, "comments", str(entry_id)) == 0
    assert capsys.readouterr().out.strip() == (
        f"no comments stored for entry {entry_id}; the site announces 12 comments: "
        f"`newsreader comments {entry_id} --fetch` loads them"
    )


def test_comments_after_a_failed_fetch_says_when_it_is_retried(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """After `comments 12 --fetch` failed, `comments 12` recommended `--fetch`, the command
    that had just failed: the failure is recorded (a comment job the next sync retries after
    an hour) and `comments` says it failed and when it is tried again. A fetch that works
    removes the record."""
    from datetime import UTC, datetime, timedelta

    entry_id = _synced_post_with_comments(data_paths, server, _comment_feed([]), announced=2)
    with Store.open(data_paths) as store:
        assert store.follow_up_retry("comments", entry_id) is None
    server.route("/c", Response(status=503, body=b"down for maintenance"))
    before = datetime.now(UTC)
    assert cli(data_paths, "comments", str(entry_id), "--fetch") == 1
    with Store.open(data_paths) as store:
        retry = store.follow_up_retry("comments", entry_id)
    assert retry is not None
    assert before + timedelta(minutes=59) < retry < datetime.now(UTC) + timedelta(minutes=61)
    capsys.readouterr()
    assert cli(data_paths, "comments", str(entry_id)) == 0
    out = capsys.readouterr().out
    assert "the site announces 2 comments, but the last fetch of them failed" in out
    assert "the next sync retries it (in " in out
    assert "--fetch" not in out

    talk: list[tuple[str, str, str | None]] = [("c1", "<p>Back again</p>", None)]
    server.route("/c", Response(body=comment_feed(talk), content_type="application/atom+xml"))
    assert cli(data_paths, "comments", str(entry_id), "--fetch") == 0
    assert "Back again" in capsys.readouterr().out
    with Store.open(data_paths) as store:
        assert store.follow_up_retry("comments", entry_id) is None
