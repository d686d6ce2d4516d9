"""Discovery as people meet it: generic link titles, comment feeds listed first, feeds that do
not answer, Link headers and plain links, YouTube channels, typed addresses, duplicates."""

from __future__ import annotations

import asyncio

import pytest

from newsreader.errors import AlreadySubscribedError, FetchError
from newsreader.feedurl import typed_addresses
from newsreader.model import DiscoveredFeed
from newsreader.parse.discover import (
    discover_feeds,
    is_comments_feed,
    is_generic_title,
    youtube_feed_url,
)
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.sync.subscribe import find_feeds, subscribe
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import Item, page, rss
from tests.sync.servers import refused_url

RSS = "application/rss+xml"
HTML = "text/html"
CHANNEL = "UCabcdefghijklmnopqrstuv"  # 24 characters, as YouTube's channel ids


def test_generic_titles_comment_feeds_and_dead_candidates(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    announced = [
        ("/comments/feed/", "My Blog » Comments Feed"),
        ("/gone.xml", "Archive"),
        ("/not-a-feed", "Old feed"),
        ("/feed/", "RSS"),
    ]
    server.route("/", Response(body=page(feeds=announced), content_type=HTML))
    server.route("/feed/", Response(body=rss([Item("a")], title="My Blog"), content_type=RSS))
    comments = rss([Item("c")], title="Comments on: My Blog")
    server.route("/comments/feed/", Response(body=comments, content_type=RSS))
    server.route("/not-a-feed", Response(body=b"<html>moved</html>", content_type=HTML))
    found = asyncio.run(find_feeds(data_paths, server.url("/")))
    assert [(f.url, f.title) for f in found.feeds] == [
        (server.url("/feed/"), "My Blog"),  # the feed's own title, not "RSS"
        (server.url("/comments/feed/"), "Comments on: My Blog"),  # listed after
    ]
    added = asyncio.run(subscribe(data_paths, server.url("/")))
    assert added.feed.url == server.url("/feed/") and added.feed.title == "My Blog"
    with pytest.raises(AlreadySubscribedError, match=r"already subscribed to .*My Blog"):
        asyncio.run(subscribe(data_paths, server.url("/")))
    with Store.open(data_paths) as store:
        assert len(store.list_feeds()) == 1


def test_link_headers_and_plain_links_are_found(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    header = {"Link": '</from-header.xml>; rel="alternate"; type="application/atom+xml"'}
    body = b'<html><body><a href="/posts.rss">Subscribe</a> <a href="/about">About</a></body>'
    server.route("/", Response(body=body, content_type=HTML, headers=header))
    server.route("/from-header.xml", Response(body=rss([Item("h")], title="H"), content_type=RSS))
    server.route("/posts.rss", Response(body=rss([Item("p")], title="Posts"), content_type=RSS))
    found = asyncio.run(find_feeds(data_paths, server.url("/")))
    assert [(f.url, f.title) for f in found.feeds] == [
        (server.url("/from-header.xml"), "H"),
        (server.url("/posts.rss"), "Posts"),  # "Subscribe" says nothing: the feed's title
    ]


def test_no_candidate_answering_is_said_and_nothing_is_subscribed(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/", Response(body=page(feeds=[("/missing.xml", "Feed")]), content_type=HTML))
    with pytest.raises(FetchError) as raised:
        asyncio.run(subscribe(data_paths, server.url("/")))
    # the link and why it failed are named, not "1 feed link that did not answer"
    missing = server.url("/missing.xml")
    assert f"(its feed link did not answer with a feed ({missing}: HTTP 404" in str(raised.value)
    with Store.open(data_paths) as store:
        assert store.list_feeds() == []


def test_an_address_typed_without_scheme_falls_back_to_http(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/feed", Response(body=rss([Item("a")], title="Local"), content_type=RSS))
    typed = server.url("/feed").removeprefix("http://")  # 127.0.0.1:PORT/feed
    added = asyncio.run(subscribe(data_paths, typed))
    assert added.feed.url == server.url("/feed") and added.feed.title == "Local"


def test_an_unreachable_typed_address_reads_well(data_paths: DataPaths) -> None:
    typed = refused_url("/feed").removeprefix("http://")
    with pytest.raises(FetchError) as raised:
        asyncio.run(find_feeds(data_paths, typed))
    message = str(raised.value)
    # one reason, said once (it read "over https: connection refused; skipped: ...")
    assert message.startswith(f"cannot reach {typed}: connection refused")
    assert message.endswith("(tried https and http)") and message.count("refused") == 1
    assert "[SSL" not in message


def test_typed_addresses() -> None:
    assert typed_addresses("example.com") == ["https://example.com", "http://example.com"]
    assert typed_addresses("localhost:8765/feed") == [
        "https://localhost:8765/feed",
        "http://localhost:8765/feed",
    ]
    assert typed_addresses("127.0.0.2:8765/page")[1] == "http://127.0.0.2:8765/page"
    assert typed_addresses("https://example.com/x") == ["https://example.com/x"]
    assert typed_addresses("file:///tmp/x.xml") == ["file:///tmp/x.xml"]


def test_youtube_channel_pages_map_to_the_channel_feed() -> None:
    feed = f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"
    assert youtube_feed_url(f"https://www.youtube.com/channel/{CHANNEL}/videos") == feed
    assert youtube_feed_url("https://www.youtube.com/@someone") is None  # needs the page
    handle_page = (
        f'<html><head><link rel="canonical" href="https://www.youtube.com/channel/{CHANNEL}">'
        "</head></html>"
    ).encode()
    assert youtube_feed_url("https://www.youtube.com/@someone", handle_page) == feed
    script_page = f'<script>var x = {{"channelId":"{CHANNEL}"}};</script>'.encode()
    assert youtube_feed_url("https://m.youtube.com/c/someone", script_page) == feed
    assert youtube_feed_url("https://example.org/channel/" + CHANNEL) is None


def test_generic_titles_and_comment_feeds_are_recognised() -> None:
    for generic in ["RSS", "Feed", "Atom", "Blog » Feed", "Comments", "", None, "RSS 2.0"]:
        assert is_generic_title(generic), generic
    for real in ["The Daily Tide", "Harbour news", "Feed the birds: a diary"]:
        assert not is_generic_title(real), real
    assert is_comments_feed(DiscoveredFeed("https://b.example/comments/feed/", "x"))
    assert is_comments_feed(DiscoveredFeed("https://b.example/f", "Blog » Comments Feed"))
    assert not is_comments_feed(DiscoveredFeed("https://b.example/feed/", "Blog » Feed"))


def test_plain_links_are_found_only_when_they_look_like_feeds() -> None:
    html = (
        b'<a href="/feed/">RSS</a><a href="/index.php?feed=rss2">Posts</a>'
        b'<a href="/rss-guide.html">How to use RSS</a><a href="mailto:x@y">feed</a>'
    )
    found = discover_feeds(html, "https://b.example/")
    assert [f.url for f in found] == [
        "https://b.example/feed/",
        "https://b.example/index.php?feed=rss2",
    ]


def test_discovery_says_what_it_does(data_paths: DataPaths, server: LoopbackServer) -> None:
    server.route("/", Response(body=page(feeds=[("/f", "RSS")]), content_type=HTML))
    server.route("/f", Response(body=rss([Item("a")], title="Tide"), content_type=RSS))
    said: list[str] = []
    found = asyncio.run(find_feeds(data_paths, server.url("/"), progress=said.append))
    assert [f.title for f in found.feeds] == ["Tide"]
    assert said == [f"Fetching {server.url('/')}…", "Checking 1 feed link of the page…"]


JSON_FEED = (
    b'{"version": "https://jsonfeed.org/version/1.1", "title": "Jots", '
    b'"items": [{"id": "1", "content_text": "Hi"}]}'
)
WP_REST = b'{"id": 2, "title": {"rendered": "About"}, "content": {"rendered": "<p>x</p>"}}'


def test_a_json_feed_announced_as_application_json_is_found_but_not_wordpress_rest(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """Many sites announce their JSON Feed as `application/json`; WordPress announces its
    REST API pages so too, which are no feeds and no failed feed links either."""
    links = (
        '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">'
        '<link rel="alternate" type="application/json" title="Jots" href="/jots.json">'
    )
    body = f"<html><head>{links}</head><body>Hi</body></html>".encode()
    server.route("/", Response(body=body, content_type=HTML))
    server.route("/jots.json", Response(body=JSON_FEED, content_type="application/json"))
    server.route("/wp-json/wp/v2/pages/2", Response(body=WP_REST, content_type="application/json"))
    found = asyncio.run(find_feeds(data_paths, server.url("/")))
    assert [f.url for f in found.feeds] == [server.url("/jots.json")]
    # a page announcing only the REST link: no feed, and no "feed link that did not answer"
    only_rest = f"<html><head>{links.split('>')[0]}></head></html>".encode()
    server.route("/about/", Response(body=only_rest, content_type=HTML))
    with pytest.raises(FetchError) as raised:
        asyncio.run(find_feeds(data_paths, server.url("/about/")))
    assert "(no feed links, none at the usual paths)" in str(raised.value)


def test_an_address_that_is_none_says_what_was_expected(data_paths: DataPaths) -> None:
    with pytest.raises(FetchError) as raised:
        asyncio.run(find_feeds(data_paths, "not-a-url"))
    message = str(raised.value)
    assert message.startswith("not-a-url is not an address: expected a feed or web page")
    assert "scheme-less" not in message and "127.0.0.1:8457/feed.xml" in message
