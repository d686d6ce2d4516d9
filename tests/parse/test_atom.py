"""Atom 1.0 and 0.3: text constructs, base64, xml:base, links, threading, authors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from newsreader.model import Author, Enclosure
from tests.parse.helpers import parse

ATOM = "http://www.w3.org/2005/Atom"
THR = "http://purl.org/syndication/thread/1.0"


def atom(entries: str, head: str = "", attrs: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="{ATOM}" xmlns:thr="{THR}" {attrs}>'
        '<title type="text">Atom &amp; Eve</title><id>urn:feed</id>'
        '<link rel="self" href="https://site.example/feed.atom"/>'
        '<link rel="alternate" type="text/html" href="https://site.example/"/>'
        f"<updated>2024-05-01T10:00:00Z</updated>{head}{entries}</feed>"
    )


def test_atom10_feed_and_entry() -> None:
    feed = parse(
        atom(
            "<entry><id>urn:e1</id><title>First</title>"
            '<link rel="alternate" type="text/html" href="https://site.example/1"/>'
            '<link rel="alternate" type="application/json" href="https://site.example/1.json"/>'
            "<published>2024-04-30T08:00:00+02:00</published>"
            "<updated>2024-04-30T09:00:00Z</updated>"
            "<author><name>Eve</name><email>eve@site.example</email>"
            "<uri>https://site.example/eve</uri></author>"
            '<category term="tech" label="Technology"/><category term="misc"/>'
            "<summary>Plain &lt;summary&gt;</summary>"
            '<content type="html">&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</content>'
            "</entry>",
            head="<subtitle>All about &lt;Eve&gt;</subtitle><logo>/logo.png</logo>"
            "<icon>/favicon.ico</icon>",
            attrs='xml:lang="en-US"',
        )
    )
    assert feed.format == "atom10"
    assert feed.title == "Atom & Eve"
    assert feed.subtitle == "All about <Eve>"
    assert feed.link == "https://site.example/"
    assert feed.language == "en-US"
    assert feed.updated == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert feed.image == "https://news.example/logo.png"  # relative to the document URL
    (entry,) = feed.entries
    assert entry.id == "urn:e1"
    assert entry.title == "First"
    assert entry.link == "https://site.example/1"
    assert entry.published == datetime(2024, 4, 30, 6, tzinfo=UTC)
    assert entry.updated == datetime(2024, 4, 30, 9, tzinfo=UTC)
    assert entry.authors == (
        Author(name="Eve", email="eve@site.example", uri="https://site.example/eve"),
    )
    assert entry.categories == ("Technology", "misc")
    assert entry.summary == "<p>Plain &lt;summary&gt;</p>"
    assert entry.content == "<p>Hello <b>world</b></p>"


def test_text_constructs_text_html_xhtml() -> None:
    feed = parse(
        atom(
            '<entry><id>a</id><title type="text">Less &lt;than&gt; more</title>'
            '<content type="text">1 &lt; 2 &amp; 3</content></entry>'
            '<entry><id>b</id><title type="html">&lt;em&gt;Emphasis&lt;/em&gt; &amp;amp; co</title>'
            '<summary type="html">&lt;p onclick="x()"&gt;hi&lt;/p&gt;</summary></entry>'
            '<entry><id>c</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            "<b>Bold</b> title</div></title>"
            '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>An '
            '<a href="/x">XHTML</a> body</p><script>bad()</script></div></content></entry>'
        )
    )
    a, b, c = feed.entries
    assert a.title == "Less <than> more"
    assert a.content == "<p>1 &lt; 2 &amp; 3</p>"
    assert b.title == "Emphasis & co"
    assert b.summary == "<p>hi</p>"
    assert c.title == "Bold title"
    assert c.content == (
        '<p>An <a href="https://news.example/x" rel="noopener noreferrer">XHTML</a> body</p>'
    )


def test_xml_base_resolves_every_link_image_and_anchor() -> None:
    feed = parse(
        atom(
            '<entry xml:base="https://site.example/2024/">'
            "<id>urn:b</id><title>Based</title>"
            '<link href="post.html"/>'
            '<link rel="enclosure" href="../media/a.mp3" type="audio/mpeg" length="10"/>'
            '<content type="html" xml:base="https://cdn.example/assets/">'
            '&lt;a href="page.html"&gt;a&lt;/a&gt;&lt;img src="/i.png" '
            'srcset="i2.png 2x, //other.example/i3.png 3x"&gt;'
            '&lt;video src="v.mp4" poster="p.jpg"&gt;&lt;/video&gt;</content></entry>',
            attrs='xml:base="https://site.example/base/"',
        )
    )
    (entry,) = feed.entries
    assert entry.link == "https://site.example/2024/post.html"
    assert entry.enclosures == (Enclosure("https://site.example/media/a.mp3", "audio/mpeg", 10),)
    assert entry.content == (
        '<a href="https://cdn.example/assets/page.html" rel="noopener noreferrer">a</a>'
        '<img src="https://cdn.example/i.png" srcset="https://cdn.example/assets/i2.png 2x, '
        'https://other.example/i3.png 3x">'
        '<a href="https://cdn.example/assets/v.mp4" rel="noopener noreferrer">'
        '<img src="https://cdn.example/assets/p.jpg" alt="video"></a>'
    )
    # The feed's own alternate link resolves against the feed-level xml:base.
    relative = parse(atom("", attrs='xml:base="https://site.example/base/"').replace(
        'href="https://site.example/"', 'href="home/"'
    ))  # fmt: skip
    assert relative.link == "https://site.example/base/home/"


def test_atom03_with_modes_and_base64() -> None:
    encoded = base64.b64encode("<p>Décodé <i>ok</i></p>".encode()).decode()
    feed = parse(
        '<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
        '<title mode="escaped" type="text/html">Old &amp;lt;Atom&amp;gt;</title>'
        '<tagline>Tagline</tagline><link rel="alternate" type="text/html" '
        'href="https://old.example/"/><modified>2004-01-01T00:00:00Z</modified>'
        "<entry><id>tag:old,2004:1</id><title>One</title>"
        '<link rel="alternate" type="text/html" href="https://old.example/1"/>'
        "<issued>2003-12-31T10:00:00-05:00</issued><modified>2004-01-01T00:00:00Z</modified>"
        "<author><name>Old Timer</name><url>https://old.example/me</url></author>"
        f'<content type="text/html" mode="base64">{encoded}</content>'
        '<summary type="application/xhtml+xml" mode="xml">'
        '<div xmlns="http://www.w3.org/1999/xhtml">In <b>XML</b> mode</div></summary>'
        "</entry></feed>"
    )
    assert feed.format == "atom03"
    assert feed.title == "Old <Atom>"
    assert feed.subtitle == "Tagline"
    assert feed.updated == datetime(2004, 1, 1, tzinfo=UTC)
    (entry,) = feed.entries
    assert entry.published == datetime(2003, 12, 31, 15, tzinfo=UTC)
    assert entry.authors == (Author(name="Old Timer", uri="https://old.example/me"),)
    assert entry.content == "<p>Décodé <i>ok</i></p>"
    assert entry.summary == "In <b>XML</b> mode"


def test_comment_feed_threading() -> None:
    feed = parse(
        atom(
            "<entry><id>urn:post</id><title>Post</title>"
            '<link rel="replies" type="application/atom+xml" href="/post/comments.atom" '
            'thr:count="4"/>'
            '<link rel="http://www.iana.org/assignments/relation/replies" type="text/html" '
            'href="/post#comments"/></entry>'
            "<entry><id>urn:comment-2</id><title>Re: Post</title>"
            '<thr:in-reply-to ref="urn:comment-1" href="https://site.example/c1"/>'
            "<thr:total>0</thr:total></entry>"
            '<entry><id>urn:comment-3</id><title>Re</title><thr:in-reply-to href="/c2"/></entry>'
        )
    )
    post, reply, href_only = feed.entries
    assert post.comments_feed == "https://news.example/post/comments.atom"
    assert post.comments_url == "https://news.example/post#comments"
    assert post.comment_count == 4
    assert reply.in_reply_to == "urn:comment-1"
    assert reply.comment_count == 0
    assert href_only.in_reply_to == "/c2"


def test_feed_author_is_inherited_and_source_author_used() -> None:
    feed = parse(
        atom(
            "<entry><id>a</id><title>a</title></entry>"
            "<entry><id>b</id><title>b</title><source><author><name>Src</name></author>"
            "</source></entry>"
            "<entry><id>c</id><title>c</title><author><name>Own</name></author></entry>",
            head="<author><name>Feed Author</name></author>",
        )
    )
    assert [e.authors for e in feed.entries] == [
        (Author(name="Feed Author"),),
        (Author(name="Src"),),
        (Author(name="Own"),),
    ]


def test_entry_without_link_uses_an_http_id() -> None:
    feed = parse(
        atom(
            '<entry><id>https://site.example/?p=1</id><title>a</title><link href=""/></entry>'
            "<entry><id>urn:x</id><title>b</title></entry>"
        )
    )
    assert feed.entries[0].link == "https://site.example/?p=1"
    assert feed.entries[1].link is None


def test_atom_without_namespace_is_read() -> None:
    feed = parse(
        "<feed><title>Bare</title><entry><id>1</id><title>x</title>"
        '<link href="https://bare.example/1"/></entry></feed>'
    )
    assert feed.format == "atom10"
    assert feed.title == "Bare"
    assert feed.entries[0].link == "https://bare.example/1"


def test_out_of_line_content_has_no_body() -> None:
    feed = parse(
        atom('<entry><id>a</id><title>a</title><content src="https://x.example/a" '
             'type="text/html"/></entry>')
    )  # fmt: skip
    assert feed.entries[0].content is None
