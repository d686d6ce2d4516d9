"""Adding feeds: discovery on pages, the usual paths, icons, --pick, logins; `newsreader add`."""

from __future__ import annotations

import asyncio
import getpass
from pathlib import Path

import pytest

from newsreader.cli import build_parser, run_command
from newsreader.errors import FetchError, PickError
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.credentials import Credentials, load_credentials
from newsreader.sync.discovery import icon_links
from newsreader.sync.subscribe import Subscription, find_feeds, split_login, subscribe
from tests.loopback import LoopbackServer, Request, Response
from tests.sync.documents import PNG, Item, page, rss
from tests.sync.memory_keyring import MemoryKeyring

RSS = "application/rss+xml"
HTML = "text/html"


def add(paths: DataPaths, url: str, **kwargs: object) -> Subscription:
    return asyncio.run(subscribe(paths, url, **kwargs))  # type: ignore[arg-type]


def test_a_feed_url_is_subscribed_and_fetched(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/f", Response(body=rss([Item("a")], title="Direct"), content_type=RSS))
    result = add(data_paths, server.url("/f"), folder=("News", "Tech"))
    assert result.discovery.is_feed
    assert result.feed.url == server.url("/f")
    assert result.feed.title == "Direct"
    assert result.first_sync.new_entries == 1
    assert len(server.requests_for("/f")) == 1  # the first sync reads what discovery fetched
    with Store.open(data_paths) as store:
        folders = {f.id: f.name for f in store.list_folders()}
        assert folders[result.feed.folder_id] == "Tech"  # type: ignore[index]
        assert store.count_entries(EntryQuery(feed_ids=(result.feed.id,))) == 1


def test_a_page_announcing_feeds_lists_them_and_picks(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route(
        "/",
        Response(
            body=page(feeds=[("/posts.xml", "Posts"), ("/links.xml", "Links")], icon="/i.png"),
            content_type=HTML,
        ),
    )
    server.route("/posts.xml", Response(body=rss([Item("p")], title="Posts"), content_type=RSS))
    server.route("/links.xml", Response(body=rss([Item("l")], title="Links"), content_type=RSS))
    server.route("/i.png", Response(body=PNG, content_type="image/png"))
    found = asyncio.run(find_feeds(data_paths, server.url("/")))
    assert [f.url for f in found.feeds] == [server.url("/posts.xml"), server.url("/links.xml")]
    assert found.icon_url == server.url("/i.png")
    result = add(data_paths, server.url("/"), pick=2)
    assert result.feed.url == server.url("/links.xml")
    assert result.feed.icon_url == server.url("/i.png")
    assert result.first_sync.new_entries == 1
    assert len(server.requests_for("/links.xml")) == 2  # find_feeds, then add: once each
    # the window's way: what its dialog's discovery fetched is not fetched again at all
    posts = add(data_paths, server.url("/posts.xml"), fetched=found.fetched)
    assert posts.first_sync.new_entries == 1 and posts.feed.title == "Posts"
    assert len(server.requests_for("/posts.xml")) == 2  # find_feeds, add of "/" pick 2
    with pytest.raises(PickError, match="only 2 feeds were found"):
        add(data_paths, server.url("/"), pick=3)


def test_usual_paths_are_tried_when_a_page_announces_nothing(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/", Response(body=page(), content_type=HTML))
    server.route("/feed", Response(body=b"<html>not a feed</html>", content_type=HTML))
    server.route("/atom.xml", Response(body=rss([Item("x")], title="Found"), content_type=RSS))
    server.route("/favicon.ico", Response(body=PNG, content_type="image/x-icon"))
    result = add(data_paths, server.url("/"))
    assert result.feed.url == server.url("/atom.xml")
    assert result.feed.title == "Found"
    assert result.feed.icon_url == server.url("/favicon.ico")


def test_a_web_page_cannot_point_at_local_files(
    data_paths: DataPaths, server: LoopbackServer, tmp_path: Path
) -> None:
    local = tmp_path / "local.xml"
    local.write_bytes(rss([Item("private")]))
    announced = [(local.as_uri(), "Local"), ("/web.xml", "Web")]
    server.route("/", Response(body=page(feeds=announced), content_type=HTML))
    server.route("/web.xml", Response(body=rss([Item("w")], title="Web"), content_type=RSS))
    found = asyncio.run(find_feeds(data_paths, server.url("/")))
    assert [f.url for f in found.feeds] == [server.url("/web.xml")]


def test_a_local_feed_file_can_be_subscribed(data_paths: DataPaths, tmp_path: Path) -> None:
    local = tmp_path / "saved.xml"
    local.write_bytes(rss([Item("kept")], title="Saved"))
    result = add(data_paths, local.as_uri())
    assert result.feed.title == "Saved"
    assert result.first_sync.new_entries == 1


def test_nothing_found_is_a_clear_error(data_paths: DataPaths, server: LoopbackServer) -> None:
    server.route("/", Response(body=page(), content_type=HTML))
    with pytest.raises(FetchError, match="no feed found at"):
        add(data_paths, server.url("/"))
    with Store.open(data_paths) as store:
        assert store.list_feeds() == []


def test_the_feed_image_is_the_icon_when_the_site_has_none(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/logo.png", Response(body=PNG, content_type="image/png"))
    body = rss([Item("a")], image=server.url("/logo.png"))
    server.route("/f", Response(body=body, content_type=RSS))
    result = add(data_paths, server.url("/f"))
    assert result.feed.icon_url == server.url("/logo.png")


def test_a_login_is_kept_in_the_keyring(
    data_paths: DataPaths, server: LoopbackServer, memory_keyring: MemoryKeyring
) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("authorization") == "Basic YW5uOnBhNTU=":
            return Response(body=rss([Item("secret")]), content_type=RSS)
        return Response(status=401)

    server.route("/private", route)
    result = add(data_paths, server.url("/private"), credentials=Credentials("ann", "pa55"))
    assert result.first_sync.new_entries == 1
    assert load_credentials(server.url("/private")) == Credentials("ann", "pa55")


def test_icon_links_prefers_touch_icons_and_skips_data_urls() -> None:
    html = (
        b'<link rel="icon" href="/small.png"><link rel="apple-touch-icon" href="big.png">'
        b'<link rel="icon" href="data:image/png;base64,AAAA">'
    )
    assert icon_links(html, "https://example.org/blog/") == [
        "https://example.org/blog/big.png",
        "https://example.org/small.png",
    ]


def cli(*argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return run_command(args)


def test_add_command_lists_and_subscribes(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route(
        "/", Response(body=page(feeds=[("/a.xml", "A"), ("/b.xml", "B")]), content_type=HTML)
    )
    server.route("/a.xml", Response(body=rss([Item("1")], title="A"), content_type=RSS))
    server.route("/b.xml", Response(body=rss([Item("1"), Item("2")], title="B"), content_type=RSS))
    code = cli(
        "--data-dir",
        str(data_paths.root),
        "add",
        server.url("/"),
        "--pick",
        "2",
        "--folder",
        "Blogs",
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Found 2 feeds" in out
    assert f"*2. B  {server.url('/b.xml')}" in out
    assert "Subscribed to B (feed 1" in out
    assert "Fetched 2 entries." in out


def test_add_command_counts_one_entry_in_the_singular(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/one.xml", Response(body=rss([Item("1")], title="One"), content_type=RSS))
    assert cli("--data-dir", str(data_paths.root), "add", server.url("/one.xml")) == 0
    assert "Fetched 1 entry." in capsys.readouterr().out


def test_add_command_refuses_a_bracketed_host_that_is_no_address(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """`http://[x]/feed`: urlsplit raises on it; the YouTube check before discovery read it
    raw and the command ended in a traceback."""
    assert cli("--data-dir", str(data_paths.root), "add", "http://[x]/feed") == 1
    assert "not a valid address" in capsys.readouterr().err


def test_add_command_asks_for_the_password_and_never_prints_it(
    data_paths: DataPaths,
    server: LoopbackServer,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.route("/f", Response(body=rss([Item("1")]), content_type=RSS))
    monkeypatch.setattr(getpass, "getpass", lambda prompt: "pa55")
    code = cli("--data-dir", str(data_paths.root), "add", server.url("/f"), "--user", "ann")
    captured = capsys.readouterr()
    assert code == 0
    assert "pa55" not in captured.out + captured.err
    assert load_credentials(server.url("/f")) == Credentials("ann", "pa55")


def test_add_command_reports_errors_in_one_line(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/", Response(body=page(), content_type=HTML))
    code = cli("--data-dir", str(data_paths.root), "add", server.url("/"))
    err = capsys.readouterr().err
    assert code == 1
    # (The test server may log a client hanging up early on stderr too.)
    mine = [line for line in err.splitlines() if line.startswith("newsreader add:")]
    assert len(mine) == 1 and mine[0].startswith("newsreader add: error: no feed found at")


def test_a_login_in_the_url_moves_to_the_keyring(
    data_paths: DataPaths, server: LoopbackServer, memory_keyring: MemoryKeyring
) -> None:
    def route(request: Request) -> Response:
        if request.headers.get("authorization") == "Basic YW5uOnBhIDU1":
            return Response(body=rss([Item("secret")]), content_type=RSS)
        return Response(status=401)

    server.route("/private", route)
    with_login = server.url("/private").replace("http://", "http://ann:pa%2055@")
    result = add(data_paths, with_login)
    assert result.feed.url == server.url("/private")
    assert result.first_sync.new_entries == 1
    assert load_credentials(server.url("/private")) == Credentials("ann", "pa 55")


def test_split_login() -> None:
    assert split_login("https://example.org/feed") == ("https://example.org/feed", None)
    assert split_login("https://a:b@[::1]:8080/f?x=1") == (
        "https://[::1]:8080/f?x=1",
        Credentials("a", "b"),
    )
    assert split_login("HTTPS://Ann:Pass%40W@Example.ORG/Feed") == (
        "https://example.org/Feed",
        Credentials("Ann", "Pass@W"),
    )
