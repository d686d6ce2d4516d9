"""RSS 0.90-2.0 and RDF: formats, core elements, namespaces, ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.model import Author, Enclosure
from tests.parse.helpers import parse, rss

NS = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:slash="http://purl.org/rss/1.0/modules/slash/" '
    'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" '
    'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
    'xmlns:atom="http://www.w3.org/2005/Atom"'
)


@pytest.mark.parametrize(
    ("version", "fmt"),
    [("0.91", "rss091"), ("0.92", "rss092"), ("0.93", "rss093"), ("0.94", "rss094"),
     ("2.0", "rss20")],
)  # fmt: skip
def test_rss_versions(version: str, fmt: str) -> None:
    feed = parse(
        rss(
            "<item><title>One</title><link>https://news.example/1</link>"
            "<description>First &lt;b&gt;item&lt;/b&gt;</description></item>",
            version=version,
        )
    )
    assert feed.format == fmt
    assert feed.title == "Test channel"
    assert feed.link == "https://news.example/"
    (entry,) = feed.entries
    assert entry.title == "One"
    assert entry.link == "https://news.example/1"
    assert entry.summary == "First <b>item</b>"


def test_rss_091_netscape_doctype_with_html_entities() -> None:
    feed = parse(
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        '<rss version="0.91"><channel><title>Caf&eacute;&nbsp;news</title>'
        "<link>https://news.example/</link><description>d</description><language>fr</language>"
        "<item><title>Cr&egrave;me &mdash; br&ucirc;l&eacute;e</title>"
        "<link>https://news.example/creme</link></item></channel></rss>"
    )
    assert feed.format == "rss091"
    assert feed.title == "Café news"  # &nbsp; collapses like any other whitespace
    assert feed.language == "fr"
    assert feed.entries[0].title == "Crème — brûlée"


def test_rss_090_rdf() -> None:
    feed = parse(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Old</title>'
        "<link>https://old.example/</link><description>d</description></channel>"
        "<item><title>Item A</title><link>https://old.example/a</link></item>"
        "<item><title>Item B</title><link>https://old.example/b</link></item></rdf:RDF>"
    )
    assert feed.format == "rss090"
    assert [e.title for e in feed.entries] == ["Item A", "Item B"]
    assert [e.id for e in feed.entries] == ["https://old.example/a", "https://old.example/b"]


def test_rss_10_rdf_with_dublin_core_and_content() -> None:
    feed = parse(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">'
        '<channel rdf:about="https://rdf.example/"><title>RDF site</title>'
        "<link>https://rdf.example/</link><description>About things</description>"
        "<dc:language>en</dc:language><dc:date>2024-03-01T12:00:00Z</dc:date>"
        "<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>"
        '<items><rdf:Seq><rdf:li rdf:resource="https://rdf.example/1"/></rdf:Seq></items>'
        "</channel>"
        '<item rdf:about="https://rdf.example/1"><title>First</title>'
        "<link>https://rdf.example/1</link><description>Short</description>"
        "<content:encoded><![CDATA[<p>Long <em>text</em></p>]]></content:encoded>"
        "<dc:creator>Ada Lovelace</dc:creator><dc:subject>Maths</dc:subject>"
        "<dc:date>2024-03-01T10:00:00+01:00</dc:date></item></rdf:RDF>"
    )
    assert feed.format == "rss10"
    assert feed.title == "RDF site"
    assert feed.subtitle == "About things"
    assert feed.language == "en"
    assert feed.updated == datetime(2024, 3, 1, 12, tzinfo=UTC)
    assert feed.update_interval == timedelta(hours=6)
    (entry,) = feed.entries
    assert entry.id == "https://rdf.example/1"
    assert entry.content == "<p>Long <em>text</em></p>"
    assert entry.summary == "Short"
    assert entry.authors == (Author(name="Ada Lovelace"),)
    assert entry.categories == ("Maths",)
    assert entry.published == datetime(2024, 3, 1, 9, tzinfo=UTC)


def test_rss20_namespaces_all_at_once() -> None:
    item = """
    <item>
      <title>Episode 12: &lt;i&gt;Deep&lt;/i&gt;   dive</title>
      <link>https://news.example/ep12?utm=feed</link>
      <feedburner:origLink>https://publisher.example/ep12</feedburner:origLink>
      <guid isPermaLink="false">ep-12</guid>
      <description>&lt;p&gt;Summary &lt;a href="/notes/12"&gt;notes&lt;/a&gt;&lt;/p&gt;
      </description>
      <content:encoded><![CDATA[<p>Full <strong>text</strong>
        <img src="img/12.png" alt="cover"></p>]]></content:encoded>
      <pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate>
      <dcterms:modified>2024-03-06T10:00:00Z</dcterms:modified>
      <author>host@news.example (Pat Host)</author>
      <dc:creator>Sam Guest</dc:creator>
      <itunes:author>The Show</itunes:author>
      <category>Science</category><category domain="x">Space</category>
      <dc:subject>Science</dc:subject>
      <enclosure url="https://cdn.example/ep12.mp3" type="audio/mpeg" length="12345"/>
      <media:content url="https://cdn.example/ep12.mp4" type="video/mp4" fileSize="999"/>
      <media:thumbnail url="https://cdn.example/ep12.jpg"/>
      <itunes:image href="https://cdn.example/other.jpg"/>
      <itunes:duration>1:02:03</itunes:duration>
      <comments>https://news.example/ep12#comments</comments>
      <wfw:comment>https://news.example/ep12/comment-api</wfw:comment>
      <wfw:commentRss>https://news.example/ep12/comments.rss</wfw:commentRss>
      <slash:comments>17</slash:comments>
    </item>"""
    feed = parse(rss(item, namespaces=NS))
    (entry,) = feed.entries
    assert entry.id == "ep-12"
    assert entry.title == "Episode 12: Deep dive"
    assert entry.link == "https://publisher.example/ep12"  # origLink preferred
    assert entry.summary == (
        '<p>Summary <a href="https://news.example/notes/12" rel="noopener noreferrer">notes</a></p>'
    )
    assert entry.content == (
        '<p>Full <strong>text</strong>\n        <img src="https://news.example/feeds/img/12.png" '
        'alt="cover"></p>'
    )
    assert entry.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert entry.updated == datetime(2024, 3, 6, 10, tzinfo=UTC)
    assert entry.authors == (
        Author(name="Pat Host", email="host@news.example"),
        Author(name="Sam Guest"),
        Author(name="The Show"),
    )
    assert entry.categories == ("Science", "Space")
    assert entry.enclosures == (
        Enclosure("https://cdn.example/ep12.mp3", "audio/mpeg", 12345),
        Enclosure("https://cdn.example/ep12.mp4", "video/mp4", 999),
    )
    assert entry.image == "https://cdn.example/ep12.jpg"
    assert entry.duration == timedelta(hours=1, minutes=2, seconds=3)
    assert entry.comments_url == "https://news.example/ep12#comments"
    assert entry.comments_feed == "https://news.example/ep12/comments.rss"
    assert entry.comment_count == 17


def test_wfw_comment_is_the_comments_link_when_there_is_no_rss_comments() -> None:
    feed = parse(
        rss(
            "<item><title>t</title><link>https://news.example/a</link>"
            "<wfw:comment>https://news.example/a/comments</wfw:comment></item>",
            namespaces=NS,
        )
    )
    assert feed.entries[0].comments_url == "https://news.example/a/comments"


def test_media_group_description_and_itunes_summary_as_fallback_summaries() -> None:
    feed = parse(
        rss(
            "<item><title>a</title><link>https://news.example/a</link><media:group>"
            '<media:content url="https://cdn.example/a.jpg" medium="image"/>'
            "<media:description>A &lt;plain&gt; caption</media:description></media:group></item>"
            "<item><title>b</title><link>https://news.example/b</link>"
            "<itunes:summary>Line one\nline two\n\nSecond paragraph</itunes:summary></item>",
            namespaces=NS,
        )
    )
    first, second = feed.entries
    assert first.image == "https://cdn.example/a.jpg"
    assert first.summary == "<p>A &lt;plain&gt; caption</p>"
    assert second.summary == "<p>Line one<br>line two</p><p>Second paragraph</p>"


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("jo@example.com (Jo Doe)", Author(name="Jo Doe", email="jo@example.com")),
        ("Jo Doe <jo@example.com>", Author(name="Jo Doe", email="jo@example.com")),
        ("Jo Doe (jo@example.com)", Author(name="Jo Doe", email="jo@example.com")),
        ("mailto:jo@example.com", Author(email="jo@example.com")),
        ("jo@example.com", Author(email="jo@example.com")),
        ("Jo Doe", Author(name="Jo Doe")),
    ],
)
def test_rss_author_forms(text: str, author: Author) -> None:
    feed = parse(rss(f"<item><title>t</title><author>{text.replace('<', '&lt;')}</author></item>"))
    assert feed.entries[0].authors == (author,)


def test_channel_authors_are_inherited_by_entries_without_one() -> None:
    feed = parse(
        rss(
            "<item><title>a</title></item><item><title>b</title><dc:creator>B</dc:creator></item>",
            channel="<dc:creator>Channel Author</dc:creator>",
            namespaces=NS,
        )
    )
    assert [e.authors for e in feed.entries] == [
        (Author(name="Channel Author"),),
        (Author(name="B"),),
    ]


def test_channel_metadata_image_ttl_and_dates() -> None:
    feed = parse(
        rss(
            "",
            channel="<description>The &lt;b&gt;best&lt;/b&gt; news</description>"
            "<language>en-gb</language><ttl>90</ttl>"
            "<pubDate>Mon, 04 Mar 2024 08:00:00 GMT</pubDate>"
            "<lastBuildDate>Tue, 05 Mar 2024 08:00:00 GMT</lastBuildDate>"
            "<image><url>/logo.png</url><title>x</title><link>https://news.example/</link></image>",
        )
    )
    assert feed.subtitle == "The best news"
    assert feed.language == "en-gb"
    assert feed.update_interval == timedelta(minutes=90)
    assert feed.updated == datetime(2024, 3, 5, 8, tzinfo=UTC)
    assert feed.image == "https://news.example/logo.png"
    assert feed.entries == ()


def test_sy_update_period_without_ttl() -> None:
    feed = parse(
        rss(
            "",
            channel="<sy:updatePeriod>hourly</sy:updatePeriod>"
            "<sy:updateFrequency>2</sy:updateFrequency>",
            namespaces=NS,
        )
    )
    assert feed.update_interval == timedelta(minutes=30)


def test_ids_guid_then_link_then_stable_hash() -> None:
    items = (
        "<item><guid>urn:x:1</guid><link>https://news.example/1</link><title>a</title></item>"
        "<item><link>https://news.example/2</link><title>b</title></item>"
        "<item><title>c</title><description>Body</description>"
        "<pubDate>Mon, 04 Mar 2024 08:00:00 GMT</pubDate></item>"
        "<item><title>d</title><description>Body</description></item>"
    )
    first = parse(rss(items))
    second = parse(rss(items))
    ids = [e.id for e in first.entries]
    assert ids[:2] == ["urn:x:1", "https://news.example/2"]
    assert ids[2].startswith("sha256:") and ids[3].startswith("sha256:")
    assert ids[2] != ids[3]  # the date is part of the hash
    assert ids == [e.id for e in second.entries]  # same input, same ids
    changed = parse(rss(items.replace("<title>c</title>", "<title>C</title>")))
    assert changed.entries[2].id != ids[2]


def test_permalink_guid_is_the_link_when_there_is_no_link() -> None:
    feed = parse(
        rss(
            '<item><title>a</title><guid isPermaLink="true">https://news.example/p/1</guid></item>'
            '<item><title>b</title><guid isPermaLink="false">https://news.example/p/2</guid></item>'
        )
    )
    assert feed.entries[0].link == "https://news.example/p/1"
    assert feed.entries[1].link is None
    assert feed.entries[1].id == "https://news.example/p/2"


def test_untitled_item_is_titled_by_the_start_of_its_text() -> None:
    text = "word " * 40
    feed = parse(rss(f"<item><description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"))
    title = feed.entries[0].title
    assert title is not None and title.endswith("…") and len(title) <= 81
    assert title.startswith("word word")


def test_atom_link_inside_rss() -> None:
    feed = parse(
        rss(
            '<item><title>t</title><atom:link rel="alternate" href="/posts/t"/>'
            '<atom:link rel="replies" type="application/atom+xml" href="/posts/t/comments.atom"/>'
            '<atom:link rel="enclosure" type="image/png" length="5" href="/t.png"/></item>',
            namespaces=NS,
        )
    )
    (entry,) = feed.entries
    assert entry.link == "https://news.example/posts/t"
    assert entry.comments_feed == "https://news.example/posts/t/comments.atom"
    assert entry.enclosures == (Enclosure("https://news.example/t.png", "image/png", 5),)


def test_unsafe_links_are_dropped() -> None:
    feed = parse(
        rss(
            "<item><title>t</title><link>javascript:alert(1)</link>"
            '<enclosure url="data:text/html,x" type="text/html"/></item>'
        )
    )
    (entry,) = feed.entries
    assert entry.link is None
    assert entry.enclosures == ()


def test_unescaped_html_inside_description_is_kept_as_markup() -> None:
    feed = parse(
        rss("<item><title>t</title><description><p>Raw <b>bold</b></p></description></item>")
    )
    assert feed.entries[0].summary == "<p>Raw <b>bold</b></p>"


def test_itunes_image_dcterms_issued_and_channel_itunes_image() -> None:
    feed = parse(
        rss(
            "<item><title>p</title><link>https://news.example/p</link>"
            '<itunes:image href="/art/p.jpg"/><itunes:duration>754</itunes:duration>'
            "<dcterms:issued>2024-01-02T03:04:05Z</dcterms:issued></item>",
            channel='<itunes:image href="https://cdn.example/show.jpg"/>'
            "<itunes:author>Show Host</itunes:author>",
            namespaces=NS,
        )
    )
    assert feed.image == "https://cdn.example/show.jpg"
    (entry,) = feed.entries
    assert entry.image == "https://news.example/art/p.jpg"
    assert entry.duration == timedelta(seconds=754)
    assert entry.published == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert entry.authors == (Author(name="Show Host"),)


def test_an_image_enclosure_is_the_entry_picture() -> None:
    """A news feed that attaches its photo as an enclosure shows it above the text (a newcomer
    saw no picture for `<enclosure type="image/png">`); a typed audio file is no picture, a
    typeless one counts by its extension, and a picture the feed names itself wins."""
    items = (
        '<item><guid>a</guid><enclosure url="/a.mp3" type="audio/mpeg" length="9"/>'
        '<enclosure url="/photo.png" type="image/png" length="5"/></item>'
        '<item><guid>b</guid><enclosure url="/cover.JPG?w=800" length="0"/></item>'
        '<item><guid>c</guid><enclosure url="/talk.mp3" type="audio/mpeg" length="9"/></item>'
        '<item><guid>d</guid><media:thumbnail url="/thumb.jpg"/>'
        '<enclosure url="/photo.png" type="image/png" length="5"/></item>'
    )
    feed = parse(rss(items, namespaces=NS))
    assert [e.image for e in feed.entries] == [
        "https://news.example/photo.png",
        "https://news.example/cover.JPG?w=800",
        None,
        "https://news.example/thumb.jpg",
    ]
