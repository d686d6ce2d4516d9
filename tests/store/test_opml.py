"""OPML reading (real files, nesting, hostile input) and writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.errors import HostileDocumentError, ParseError
from newsreader.model import Outline, OutlineFeed, OutlinePage, OutlineSkipped
from newsreader.parse.opml import MAX_OPML_BYTES, feed_key, parse_opml, read_outline, write_opml
from newsreader.paths import DataPaths
from newsreader.store import Store
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


ACCENTED = (
    '<opml version="2.0"><body><outline text="Économie &amp; Société" '
    'xmlUrl="https://eco.example/rss?lang=fr&amp;full=1"/>'
    '<outline text="Déjà vu, à la française" xmlUrl="https://vu.example/feed"/></body></opml>'
)
ACCENTED_DECLARED = '<?xml version="1.0" encoding="{}"?>' + ACCENTED
EXPECTED_ACCENTED = [
    OutlineFeed("https://eco.example/rss?lang=fr&full=1", "Économie & Société"),
    OutlineFeed("https://vu.example/feed", "Déjà vu, à la française"),
]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + ACCENTED_DECLARED.format("UTF-16").encode("utf-16-le"),
        b"\xfe\xff" + ACCENTED_DECLARED.format("UTF-16").encode("utf-16-be"),
        b"\xef\xbb\xbf" + ACCENTED.encode("utf-8"),
        ACCENTED_DECLARED.format("ISO-8859-1").encode("latin-1"),
        ACCENTED_DECLARED.format("windows-1252").encode("cp1252"),
        ACCENTED.encode("latin-1"),  # undeclared and not UTF-8: the detector's turn
        ACCENTED.encode("utf-8"),
    ],
    ids=["utf16le-bom", "utf16be-bom", "utf8-bom", "latin1-declared", "cp1252", "latin1", "utf8"],
)
def test_encodings_by_bom_declaration_and_detector(data: bytes) -> None:
    assert parse_opml(data) == EXPECTED_ACCENTED


def test_pages_relative_addresses_and_what_is_skipped() -> None:
    data = (
        b'<opml version="2.0"><body>'
        b'<outline text="Site only" htmlUrl="https://site.example/"/>'
        b'<outline text="Bookmark" type="link" url="https://mark.example/post"/>'
        b'<outline text="Relative" xmlUrl="feeds/r.xml" htmlUrl="/r/"/>'
        b'<outline text="Scripted" xmlUrl="javascript:alert(1)"/>'
        b'<outline text="Empty feed" type="rss"/>'
        b'<outline text="An empty folder"/>'
        b"</body></opml>"
    )
    without_base = read_outline(data)
    assert without_base.feeds == ()
    assert without_base.pages == (
        OutlinePage("https://site.example/", "Site only"),
        OutlinePage("https://mark.example/post", "Bookmark"),
    )
    assert without_base.skipped == (
        OutlineSkipped(
            "Relative",
            "its feed address 'feeds/r.xml' is relative and the file's own address is unknown",
        ),
        OutlineSkipped("Scripted", "its feed address 'javascript:alert(1)' is not a web address"),
        OutlineSkipped("Empty feed", "it is marked as a feed but has no address"),
    )
    with_base = read_outline(data, "https://lists.example/me/subs.opml")
    assert with_base.feeds == (
        OutlineFeed("https://lists.example/me/feeds/r.xml", "Relative", "https://lists.example/r/"),
    )
    assert len(with_base.skipped) == 2


def test_a_relative_address_that_cannot_be_joined_is_skipped_not_raised() -> None:
    """A broken IPv6 host in a protocol-relative address made urljoin raise ValueError."""
    data = (
        b'<opml version="2.0"><body>'
        b'<outline text="Broken host" xmlUrl="//[::1/feed.xml"/>'
        b'<outline text="Fine" xmlUrl="/ok.xml"/>'
        b"</body></opml>"
    )
    outline = read_outline(data, "https://lists.example/subs.opml")
    assert [f.url for f in outline.feeds] == ["https://lists.example/ok.xml"]
    assert outline.skipped == (
        OutlineSkipped("Broken host", "its feed address '//[::1/feed.xml' is not a valid address"),
    )


def test_folders_categories_and_repeated_feeds() -> None:
    data = (
        b'<opml version="2.0"><body>'
        b'<outline text="Top first" xmlUrl="https://a.example/feed"/>'
        b'<outline text="News"><outline text="Nested" xmlUrl="HTTPS://A.Example/feed/"/>'
        b'<outline text="Nested with category" xmlUrl="https://b.example/feed"'
        b' category="/Ignored/Here"/></outline>'
        b'<outline text="Categorised" xmlUrl="https://c.example/feed"'
        b' category="/Tech/Python, /Other"/>'
        b'<outline text="Tagged" xmlUrl="https://d.example/feed" category="Science,Space"/>'
        b'<outline text="Again" xmlUrl="http://b.example/feed"/>'
        b"</body></opml>"
    )
    outline = read_outline(data)
    assert outline == Outline(
        feeds=(
            OutlineFeed("https://a.example/feed", "Top first", None, ("News",)),
            OutlineFeed("https://b.example/feed", "Nested with category", None, ("News",)),
            OutlineFeed("https://c.example/feed", "Categorised", None, ("Tech", "Python")),
            OutlineFeed("https://d.example/feed", "Tagged", None, ("Science",)),
            OutlineFeed("http://b.example/feed", "Again", None, ()),  # http is not https
        ),
        repeated=1,
    )


def test_feed_key() -> None:
    assert feed_key("HTTPS://Example.COM/Feed/") == "https://example.com/Feed"
    assert feed_key("https://example.com/feed#top") == "https://example.com/feed"
    assert feed_key("https://example.com/?q=1") == "https://example.com?q=1"
    assert feed_key("http://example.com/feed") != feed_key("https://example.com/feed")
    # a login is case-sensitive: only scheme and host are lower-cased
    assert feed_key("HTTPS://Ann:PassWord@Example.COM/f") == "https://Ann:PassWord@example.com/f"
    assert feed_key("https://ann@example.com/f") != feed_key("https://Ann@example.com/f")


def test_an_outline_keeps_the_login_as_written() -> None:
    data = (
        b'<opml version="2.0"><body><outline text="L" '
        b'xmlUrl="HTTPS://Ann:PassWord@Example.COM/Feed"/></body></opml>'
    )
    assert parse_opml(data) == [OutlineFeed("https://Ann:PassWord@example.com/Feed", "L")]


def test_import_counts_only_feeds_subscribed_before(data_paths: DataPaths) -> None:
    feeds = [
        OutlineFeed("https://one.example/feed", "One"),
        OutlineFeed("https://one.example/feed", "One again"),
        OutlineFeed("https://two.example/feed/", "Two", folder=("F",)),
    ]
    with Store.open(data_paths) as store:
        first = store.import_outline(feeds)
        assert (len(first.added_feed_ids), first.existing, first.folders_created) == (2, 0, 1)
        store.add_feed("https://three.example/feed")
        second = store.import_outline(
            [
                OutlineFeed("HTTPS://TWO.example/feed", "Two"),
                OutlineFeed("https://three.example/feed/", "Three"),
                OutlineFeed("https://four.example/feed", "Four"),
            ]
        )
        assert (len(second.added_feed_ids), second.existing) == (1, 2)
        assert len(store.list_feeds()) == 4


def test_feed_links_in_an_outline_read_as_the_command_line_reads_them() -> None:
    """`feed:` links follow one rule (`feedurl.unwrap_feed_scheme`) in an OPML file and on the
    command line: OPML read `feed://https://h/x` as `http://https://h/x` and left `feeds:`
    alone."""
    from newsreader.feedurl import parse_open_target

    links = [
        "feed://https://h.example/x",
        "feeds://H.example/y",
        "feed:https://h.example/z",
        "feed://h.example/w",
    ]
    outlines = "".join(f'<outline text="{n}" xmlUrl="{link}"/>' for n, link in enumerate(links))
    doc = f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()
    read = [feed.url for feed in read_outline(doc).feeds]
    assert read == [
        "https://h.example/x",
        "https://h.example/y",
        "https://h.example/z",
        "http://h.example/w",
    ]
    assert read == [parse_open_target(link, Path.cwd()).value for link in links]
