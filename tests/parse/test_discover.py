"""Feed discovery in HTML pages and the cheap feed sniff."""

from __future__ import annotations

import pytest

from newsreader.model import DiscoveredFeed
from newsreader.parse import discover_feeds, looks_like_feed

PAGE = "https://www.site.example/blog/post/"


def test_alternate_links_in_page_order_deduplicated_and_resolved() -> None:
    html = b"""<!doctype html><html><head><title>Blog</title>
    <link rel="stylesheet" href="/style.css">
    <link rel="alternate" type="application/rss+xml" title="RSS &amp; more" href="/feed.rss">
    <link rel="alternate" type="application/atom+xml" href="atom.xml">
    <link rel="alternate" type="application/feed+json" title="JSON" href="//cdn.example/f.json">
    <link rel="alternate" type="application/rss+xml" href="https://www.site.example/feed.rss">
    <link rel="alternate" hreflang="fr" href="/fr/">
    <link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">
    <link rel="Alternate Feed" type="Application/RSS+XML; charset=utf-8" href="/comments.rss">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body><link rel="alternate" type="application/atom+xml" href="/late.atom"></body>
    </html>"""
    assert discover_feeds(html, PAGE) == [
        DiscoveredFeed("https://www.site.example/feed.rss", "RSS & more", "application/rss+xml"),
        DiscoveredFeed("https://www.site.example/blog/post/atom.xml", None, "application/atom+xml"),
        DiscoveredFeed("https://cdn.example/f.json", "JSON", "application/feed+json"),
        # a candidate only: discovery keeps it when it answers with a JSON Feed (WordPress's
        # REST API answers with other JSON: sync/discovery.py)
        DiscoveredFeed("https://www.site.example/wp-json/wp/v2/posts/1", None, "application/json"),
        DiscoveredFeed("https://www.site.example/comments.rss", None, "application/rss+xml"),
        DiscoveredFeed("https://www.site.example/late.atom", None, "application/atom+xml"),
    ]


def test_base_href_is_used_and_resolved_against_the_page() -> None:
    html = (
        b'<html><head><base href="/sub/"><base href="https://ignored.example/">'
        b'<link rel="alternate" type="application/rss+xml" href="feed.xml"></head></html>'
    )
    (feed,) = discover_feeds(html, PAGE)
    assert feed.url == "https://www.site.example/sub/feed.xml"


def test_http_charset_decodes_titles() -> None:
    html = (
        '<html><head><link rel="alternate" type="application/rss+xml" title="Ελληνικά" href="/f">'
    )
    (feed,) = discover_feeds(
        html.encode("iso-8859-7"), PAGE, {"Content-Type": "text/html; charset=iso-8859-7"}
    )
    assert feed.title == "Ελληνικά"


def test_pages_without_feeds() -> None:
    assert discover_feeds(b"<html><head></head><body>nothing</body></html>", PAGE) == []
    assert discover_feeds(b"", PAGE) == []
    assert discover_feeds(b"<!-- only a comment -->", PAGE) == []
    assert discover_feeds(b"\x00\xff\xfe binary", PAGE) == []


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel>',
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><feed xmlns="http://www.w3.org/2005/Atom">',
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<?xml version="1.0" encoding="utf-16"?><rss>'.encode("utf-16"),
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        b'{"version":"https:\\/\\/jsonfeed.org\\/version\\/1","items":[]}',
        b'{"title": "x", "feed_url": "https://a.example/f.json", "items": [',
        b'{"rss": {"version": "2.0"}}',
    ],
)
def test_looks_like_feed(data: bytes) -> None:
    assert looks_like_feed(data)


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><head><title>feed</title></head><body><feed>",
        b"<html><body>rss</body></html>",
        b'{"hello": "world"}',
        b"",
        b"\x00\x01\x02",
    ],
)
def test_does_not_look_like_feed(data: bytes) -> None:
    assert not looks_like_feed(data)
