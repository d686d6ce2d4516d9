"""Inputs that crashed the parser entry points under fuzzing (issue 16), rewritten as small
documents of our own. A URL that cannot be parsed is dropped and the document kept."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from newsreader import urls
from newsreader.errors import ParseError
from newsreader.parse import discover_feeds, parse_feed, sanitize_html
from newsreader.parse.opml import parse_opml
from tests.parse.helpers import FEED_URL, parse, rss

BAD_URLS = [
    "a://[b]",
    "http://[x]/",
    "http://[::1",
    "https://[not-an-ip]:80/p",
    "http://a b/",
    "http://a\u2100b.example/x",  # a host name NFKC turns into one with a slash
    "http://a.example:99999/x",  # a port out of range (join let it through, split refused it)
    "http://a.example:x/y",  # a port that is not a number
    "https://login@a.example:70000/",
]


@pytest.mark.parametrize("bad", BAD_URLS)
def test_urls_that_cannot_be_parsed_have_no_parts(bad: str) -> None:
    assert urls.split(bad) is None
    assert urls.scheme(bad) == ""
    assert urls.host(bad) is None
    assert urls.join("https://site.example/", bad) is None
    assert urls.join(bad, "x.html") is None
    assert urls.resolve("https://site.example/", bad) is None


def test_urls_join_and_resolve_the_usual_shapes() -> None:
    base = "https://site.example/blog/post.html"
    assert urls.join(base, "/root") == "https://site.example/root"
    assert urls.join(base, "other.html") == "https://site.example/blog/other.html"
    assert urls.join(base, "//cdn.example/x") == "https://cdn.example/x"
    assert urls.join(base, "../up") == "https://site.example/up"
    assert urls.resolve(base, "javascript:x") is None
    assert urls.resolve(base, "java\tscript:x") is None
    assert urls.resolve(base, "mailto:a@b.example") == "mailto:a@b.example"
    assert urls.host("http://[::1]:8080/x") == "::1"
    assert urls.browser_scheme("\x01 JaVa\tScRiPt:x") == "javascript"
    assert urls.browser_scheme("\ufffdjavascript:x") == ""


@pytest.mark.parametrize(
    "relative",
    ["", "#", "#f", "?q=1", "x.html", "/x", "//cdn.example/x", "a/../b", "/a/./b/../c",
     "./x", "../x", ".hidden", "a/.hidden", "a/..b", "x y.html", "\u00e9.html", "a\\b"],
)  # fmt: skip
def test_urls_join_is_urljoin_whatever_shortcut_it_takes(relative: str) -> None:
    """The one URL joiner answers as `urljoin` on every shape, its cached shortcuts included
    (it had answered "" with the directory and kept dot segments after a slash)."""
    for base in ("https://site.example/blog/post.html", "https://site.example"):
        assert urls.join(base, relative) == urljoin(base, relative)


def test_joining_an_absolute_url_still_refuses_what_urlsplit_refuses() -> None:
    # Plain ASCII http(s) URLs without brackets are taken without being split; a bracketed
    # host or a host name NFKC turns into "aa/cb.example" is still checked and refused.
    assert urls.join("https://site.example/", "https://cdn.example/a b.jpg?x=1#f") == (
        "https://cdn.example/a b.jpg?x=1#f"
    )
    assert urls.join("https://site.example/", "https://a\u2100b.example/") is None
    assert urls.join("https://site.example/", "https://[not-an-ip]/p") is None
    assert urls.join(None, "http://[::1/") is None


@pytest.mark.parametrize("bad", BAD_URLS)
def test_a_feed_with_a_bad_link_keeps_its_entries(bad: str) -> None:
    feed = parse(
        rss(
            f"<item><title>bad</title><link>{bad}</link><guid>1</guid></item>"
            "<item><title>good</title><link>https://news.example/2</link></item>"
        )
    )
    assert [e.title for e in feed.entries] == ["bad", "good"]
    assert feed.entries[0].link is None
    assert feed.entries[1].link == "https://news.example/2"


def test_a_bad_xml_base_is_ignored() -> None:
    feed = parse(
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://[x]/"><title>t</title>'
        '<entry><title>e</title><link href="/a"/><id>urn:1</id></entry></feed>'
    )
    assert [e.title for e in feed.entries] == ["e"]


def test_a_json_feed_with_a_bad_url_keeps_the_item() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "home_page_url": "a://[b]",
        "items": [{"id": "1", "url": "http://[x]/", "content_text": "hello"}],
    }
    feed = parse_feed(json.dumps(document).encode(), FEED_URL)
    assert feed.entries[0].link is None and feed.entries[0].content


def test_discovery_skips_a_bad_link_and_a_bad_base() -> None:
    page = (
        b'<html><head><base href="http://[x]/"><link rel="alternate" '
        b'type="application/rss+xml" href="http://[y]/feed">'
        b'<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>'
    )
    found = discover_feeds(page, "https://site.example/page")
    assert [f.url for f in found] == ["https://site.example/atom.xml"]


def test_a_bad_srcset_candidate_is_dropped() -> None:
    clean = sanitize_html('<img src="a.png" srcset="http://[x]/b.png 2x, c.png 3x">', FEED_URL)
    assert 'srcset="https://news.example/feeds/c.png 3x"' in clean


def test_a_bad_base_leaves_urls_relative() -> None:
    assert 'href="x.html"' in sanitize_html('<a href="x.html">x</a>', "http://[x]/")


def test_opml_with_an_undeclared_prefix_skips_that_element() -> None:
    document = (
        b'<opml version="2.0"><head><dc:x>1</dc:x></head><body>'
        b'<outline text="A" xmlUrl="https://a.example/feed"/>'
        b'<dc:outline text="B" xmlUrl="https://b.example/feed"/></body></opml>'
    )
    assert [f.url for f in parse_opml(document)] == ["https://a.example/feed"]


def test_opml_whose_root_has_an_undeclared_prefix_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_opml(b'<x:opml><body><outline xmlUrl="https://a.example/"/></body></x:opml>')


def test_a_tag_in_a_comment_before_the_root_is_not_the_root() -> None:
    # the HTML entity and the latin-1 declaration send the document down the repair path
    document = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n<!-- <br> a <b>note</b> -->\n'
        '<rss version="2.0"><channel><title>Caf&eacute;</title>'
        "<item><title>one</title></item></channel></rss>"
    ).encode("latin-1")
    feed = parse_feed(document, FEED_URL)
    assert feed.title == "Café" and [e.title for e in feed.entries] == ["one"]


@pytest.mark.parametrize(
    "fragment",
    [
        '<video src="v.mp4">&#1;fallback</video><p>keep</p>',
        '<p>keep<img src="t.gif" width="1">&#1;after</p>',
        '<p>keep</p><object data="o.swf">&#2;<param name="x"></object>',
        # a raw-text element left open at the end, its text holding one: lxml refused to
        # take the wrapper's end tags off it (ValueError out of parse_feed)
        '<video src="v.mp4"></video><p>keep</p><textarea>a&#1;b',
        '<img data-src="/r.jpg" src="data:x"><p>keep</p><textarea>&#1;',
    ],
)
def test_character_references_to_control_characters_do_not_crash(fragment: str) -> None:
    clean = sanitize_html(fragment, FEED_URL)
    assert "keep" in clean and "\x01" not in clean and "\x02" not in clean


def test_a_link_with_a_bad_host_is_no_feed_link() -> None:
    page = b'<html><body><a href="http://[x]/feed.xml">feed</a></body></html>'
    assert discover_feeds(page, "https://site.example/") == []


def test_a_whole_page_with_a_media_tag_is_sanitised() -> None:
    page = "<html><head><title>t</title></head><body><p>keep</p><iframe src=x></iframe>"
    assert "keep" in sanitize_html(page + "</body></html>" + "<body><p>more</p>", FEED_URL)


def test_a_link_title_with_control_characters_and_markup_keeps_its_words() -> None:
    page = (
        b"<html><head><link rel='alternate' type='application/rss+xml' href='/feed.xml'"
        b" title='News\x01 <p>and \x02more</p>'></head><body></body></html>"
    )
    [found] = discover_feeds(page, "https://site.example/")
    assert found.url == "https://site.example/feed.xml"
    assert found.title == "News and more"
