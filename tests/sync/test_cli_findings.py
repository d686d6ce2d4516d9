"""A newcomer's command-line findings (session 11): `--json` on every command that reports
something (README says so), a feed named alike by both front ends, `rules` and `searches`
listing without an action, the wording of errors and listings."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.cli import build_parser
from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.subscribe import find_feeds, subscribe
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import Item, rss

RSS = "application/rss+xml"
HTML = "text/html"
NO_JSON = {"install-desktop-entry", "uninstall-desktop-entry"}  # they only print a path


def run(paths: DataPaths, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main([*args, "--data-dir", str(paths.root)])
    except SystemExit as stopped:  # argparse's usage errors
        code = int(stopped.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def harbor(server: LoopbackServer) -> str:
    """A page announcing its feed under a longer name than the feed's own; its address."""
    link = '<link rel="alternate" type="application/rss+xml" title="Harbor Times - All news"'
    body = f'<html><head>{link} href="/harbor/feed.xml"></head><body>Hi</body></html>'
    server.route("/harbor/", Response(body=body.encode(), content_type=HTML))
    feed = rss([Item("Tide tables"), Item("Pier reopens")], title="Harbor Times")
    server.route("/harbor/feed.xml", Response(body=feed, content_type=RSS))
    return server.url("/harbor/")


def test_every_command_that_reports_takes_json() -> None:
    """README: "Every command prints readable text, or JSON with `--json`"; `add`, `sync`,
    `export`, `feed set` and `account remove` answered 'unrecognized arguments: --json'."""

    def leaves(parser: argparse.ArgumentParser, name: str) -> list[tuple[str, bool]]:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            return [(name, "--json" in parser._option_string_actions)]
        return [leaf for word, sub in subs[0].choices.items() for leaf in leaves(sub, word)]

    found = leaves(build_parser(), "")
    missing = [name for name, has in found if not has and name not in NO_JSON]
    assert missing == []
    assert len(found) > 40


def test_add_sync_feed_set_and_export_answer_in_json(
    data_paths: DataPaths,
    server: LoopbackServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    code, out, _ = run(data_paths, capsys, "add", harbor(server), "--json")
    assert code == 0
    added = json.loads(out)
    assert added["feed"]["url"] == server.url("/harbor/feed.xml")
    assert added["feed"]["full_text"] == "auto" and added["feed"]["user_agent"] is None
    assert added["found"] == [
        {"url": server.url("/harbor/feed.xml"), "title": "Harbor Times - All news", "type": RSS}
    ]
    assert added["is_feed"] is False and added["picked"] == 1
    assert added["first_fetch"] == {"new_entries": 2, "error": None}
    feed_id = added["feed"]["id"]

    code, out, _ = run(data_paths, capsys, "sync", "--all", "--json")
    assert code == 0
    synced = json.loads(out)  # one document: no per-feed lines before it
    assert synced["feeds"]["checked"] == 1 and synced["feeds"]["failures"] == []
    assert synced["accounts"] == [] and synced["nothing_reached"] is False

    code, out, _ = run(
        data_paths, capsys, "feed", "set", str(feed_id), "--full-text", "never", "--json"
    )
    assert code == 0 and json.loads(out)["full_text"] == "never"

    code, out, _ = run(data_paths, capsys, "feeds", "--json")
    assert json.loads(out)[0]["full_text"] == "never"

    target = tmp_path / "out.json"
    code, out, _ = run(
        data_paths, capsys, "export", "--format", "json", "--feed", str(feed_id),
        "--out", str(target), "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {"format": "json", "articles": 2, "files": [str(target)]}
    code, _, err = run(
        data_paths, capsys, "export", "--format", "json", "--feed", str(feed_id),
        "--out", "-", "--json",
    )  # fmt: skip
    assert code == 2 and "standard output is the export itself" in err


def test_a_markdown_export_names_its_file_in_full(
    data_paths: DataPaths,
    server: LoopbackServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(data_paths, capsys, "add", harbor(server))[0] == 0
    monkeypatch.chdir(tmp_path)
    # a digest file; a folder of one file per article (named relative on main: `to md`)
    for form, name in (("md", "digest.md"), ("html", "digest.html"), ("md", "md"), ("txt", "t")):
        code, out, _ = run(data_paths, capsys, "export", "--format", form, "--feed", "1",
                           "--out", name)  # fmt: skip
        assert code == 0 and out.strip().endswith(f" to {tmp_path / name}"), out


def test_a_feed_is_named_alike_by_the_command_line_and_the_window(
    data_paths: DataPaths,
    server: LoopbackServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """`add PAGE` named the feed by the page's <link title> ("Harbor Times - All news", kept
    as the user's own title for good), the window's Add feed dialog (which subscribes by the
    feed's address) by the feed's own ("Harbor Times")."""
    page = harbor(server)
    code, out, _ = run(data_paths, capsys, "add", page)
    assert code == 0 and "Subscribed to Harbor Times (feed 1" in out
    with Store.open(data_paths) as store:
        assert [f.title for f in store.list_feeds()] == ["Harbor Times"]
    # the window's path (app.subscribe): the dialog's discovery, then the chosen feed's URL
    window = DataPaths(tmp_path / "window")
    found = asyncio.run(find_feeds(window.ensure(), page))
    chosen = found.feeds[0]
    assert chosen.title == "Harbor Times - All news"  # as the dialog lists it
    added = asyncio.run(subscribe(window, chosen.url, fetched=found.fetched))
    assert added.feed.title == "Harbor Times"
    # the page's name is no title of the user's: the feed's own renames show at the next sync
    renamed = rss([Item("Tide tables")], title="Harbor Times Daily")
    server.route("/harbor/feed.xml", Response(body=renamed, content_type=RSS))
    assert run(data_paths, capsys, "sync", "--all")[0] == 0
    with Store.open(data_paths) as store:
        assert [f.title for f in store.list_feeds()] == ["Harbor Times Daily"]


def test_rules_and_searches_without_an_action_list(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("rules", "searches", "account"):
        code, out, err = run(data_paths, capsys, command)
        assert code == 0 and err == "" and out.startswith(("no ", "No ")), (command, out)
        code, out, err = run(data_paths, capsys, command, "--json")
        assert (code, out, err) == (0, "[]\n", ""), command
    assert run(data_paths, capsys, "searches", "add", "Summits", "title:summit")[0] == 0
    for words in (("searches", "--json"), ("searches", "--json", "list"), ("searches", "list",
                  "--json")):  # fmt: skip
        code, out, _ = run(data_paths, capsys, *words)
        assert [s["name"] for s in json.loads(out)] == ["Summits"], words
    code, out, _ = run(data_paths, capsys, "searches")
    assert "Summits" in out


def test_the_dash_hint_reads_well(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(data_paths, capsys, "rules", "--jsno")
    assert code == 2 and "goes after --" not in err
    code, _, err = run(data_paths, capsys, "folder", "--json")
    assert code == 2 and "goes after --" not in err  # a missing ACTION: no `-- '--json'`
    code, _, err = run(data_paths, capsys, "tag", "-x")
    assert code == 2 and "; an entry that starts with - goes after --" in err


def test_a_feed_never_fetched_reads_new(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """It showed STATUS `ok` and NEXT `-`, as if fetched and then never again."""
    with Store.open(data_paths.ensure()) as store:
        store.add_feed("https://alpha.example/feed.xml", title="Alpha")
    code, out, _ = run(data_paths, capsys, "feeds")
    row = out.splitlines()[1].split()
    assert code == 0 and row[1:5] == ["new", "0", "next", "sync"], out
    code, out, _ = run(data_paths, capsys, "feeds", "--json")
    assert json.loads(out)[0]["status"] == "new"


def test_purge_mark_fetch_article_and_search_say_what_they_did(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader.cli.fulltext_cmds import _line
    from newsreader.model import FullText
    from tests.gui.conftest import add_feed

    with Store.open(data_paths.ensure()) as store:
        add_feed(store, "alpha", 2)
        first, _second = sorted(e.id for e in store.list_entries(EntryQuery()))
    code, out, _ = run(data_paths, capsys, "purge", "--days", "0")
    assert code == 0 and "--days 0 keeps every entry" in out and "retention_days" not in out
    code, _, err = run(data_paths, capsys, "mark", "read", str(first), "99999")
    assert code == 1
    assert "no entry with id 99999; the other 1 entry was not marked either" in err
    code, out, _ = run(data_paths, capsys, "search", "alpha")
    assert code == 0 and out.splitlines()[-1].startswith("2 entries, best matches first")
    line = _line(
        15,
        FullText(entry_id=15, status="no-article", fetched=datetime.now(UTC), reason="a PDF"),
        None,
    )
    assert line == "15: no article found on the page: a PDF"
