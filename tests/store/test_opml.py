"""OPML reading (real files, nesting, hostile input) and writing."""

from __future__ import annotations

import pytest

from newsreader.errors import HostileDocumentError, ParseError
from newsreader.model import OutlineFeed
from newsreader.parse.opml import MAX_OPML_BYTES, parse_opml, write_opml
from tests.conftest import REAL_WORLD

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Mine</title></head>
  <body>
    <outline text="Top feed" xmlUrl="https://top.example/feed" htmlUrl=""/>
    <outline text="Tech" title="Technology">
      <outline title="Python" text="ignored when title is set">
        <outline text="Planet" type="rss" xmlUrl=" https://planet.example/rss " htmlUrl="https://planet.example/"/>
      </outline>
      <outline text="A link, not a feed" type="link" url="https://example.org/"/>
      <outline type="rss" xmlUrl="https://untitled.example/feed"/>
    </outline>
    <outline text="">
      <outline text="In a nameless folder" xmlurl="https://lower.example/feed"/>
    </outline>
  </body>
</opml>
"""


def test_nested_outlines_become_folder_paths() -> None:
    assert parse_opml(NESTED) == [
        OutlineFeed("https://top.example/feed", "Top feed", None, ()),
        OutlineFeed(
            "https://planet.example/rss",
            "Planet",
            "https://planet.example/",
            ("Technology", "Python"),
        ),
        OutlineFeed("https://untitled.example/feed", None, None, ("Technology",)),
        OutlineFeed("https://lower.example/feed", "In a nameless folder", None, ()),
    ]


def test_write_then_read_round_trips() -> None:
    feeds = [
        OutlineFeed("https://a.example/feed", "A & B <news>", "https://a.example/", ("X", "Y")),
        OutlineFeed("https://b.example/feed", None, None, ()),
        OutlineFeed("https://c.example/feed", "C", None, ("X",)),
    ]
    data = write_opml(feeds, "My subscriptions")
    assert data.startswith(b"<?xml") and b"<title>My subscriptions</title>" in data
    read = parse_opml(data)
    assert {f.url: f.folder for f in read} == {f.url: f.folder for f in feeds}
    assert read[0].title == "A & B <news>"
    assert (
        next(f for f in read if f.url == "https://b.example/feed").title == "https://b.example/feed"
    )


@pytest.mark.parametrize("name", ["Subs.opml", "SubsNoTitleAttributes.opml"])
def test_real_world_subscription_lists(name: str) -> None:
    path = REAL_WORLD / name
    if not path.exists():
        pytest.skip("real-world corpus not available")
    feeds = parse_opml(path.read_bytes())
    assert len(feeds) > 100
    assert all(f.url.startswith("http") for f in feeds)
    assert all(f.title for f in feeds)  # from title, else from text
    assert {f.folder for f in feeds} > {()}  # some feeds sit in folders


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<opml><body><outline text="&b;" xmlUrl="https://x/"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<opml><body><outline text="&xxe;" xmlUrl="https://x/"/></body></opml>',
        b"<opml>" + b" " * (MAX_OPML_BYTES + 1) + b"</opml>",
    ],
)
def test_hostile_documents_are_refused(data: bytes) -> None:
    with pytest.raises(HostileDocumentError):
        parse_opml(data)


def test_external_dtd_is_never_loaded() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "http://127.0.0.1:9/never.dtd">'
        b'<opml><body><outline text="ok" xmlUrl="https://x/"/></body></opml>'
    )
    assert parse_opml(data) == [OutlineFeed("https://x/", "ok")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<rss><channel/></rss>", "root element is <rss>"),
        (b"<opml><head/></opml>", "no <body>"),
        (b"\x00\x01 definitely not xml", "not an OPML document"),
        (b"", "not an OPML document"),
    ],
)
def test_non_opml_is_a_parse_error(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_opml(data)


def test_stray_ampersands_and_html_entities_are_read() -> None:
    data = (
        b'<opml><body><outline text="Q &amp; A&nbsp;&eacute;&bogus;" '
        b'xmlUrl="https://qa.example/?a=1&b=2"/></body></opml>'
    )
    assert parse_opml(data) == [
        OutlineFeed("https://qa.example/?a=1&b=2", "Q & A\u00a0\u00e9&bogus;")
    ]


def test_feed_scheme_urls_become_web_urls() -> None:
    data = (
        b'<opml><body><outline text="a" xmlUrl="feed://a.example/rss"/>'
        b'<outline text="b" xmlUrl="feed:https://b.example/atom"/>'
        b'<outline text="c" xmlUrl="https://c.example/feed"/></body></opml>'
    )
    assert [f.url for f in parse_opml(data)] == [
        "http://a.example/rss",
        "https://b.example/atom",
        "https://c.example/feed",
    ]
