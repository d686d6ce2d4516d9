"""The shared renderer: clean HTML whatever the feed sent, images only through the resolver."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html

from newsreader.export.render import render_article
from newsreader.model import Author, Comment, CommentOrigin, Entry

HOSTILE = (
    '<p onclick="steal()">Hello <script>alert(1)</script><b style="background:url(https://t.example/x)">'
    "bold</b></p>"
    '<iframe src="https://evil.example/"></iframe><object data="https://evil.example/o"></object>'
    '<img src="https://cdn.example/a.png" srcset="https://cdn.example/b.png 2x" '
    'onerror="x()" alt="A">'
    '<img src="data:image/png;base64,AAAA" alt="inline">'
    '<a href="javascript:alert(1)">js</a> <a href="relative/page">rel</a>'
    "<svg><image href='https://evil.example/s.png'/></svg><style>body{}</style>"
    '<video poster="https://evil.example/p.png" src="https://evil.example/v.mp4"></video>'
    "control\x01char"
)


def _entry(**fields: object) -> Entry:
    values: dict[str, object] = {
        "id": 1,
        "feed_id": 1,
        "guid": "g",
        "link": "https://site.example/posts/1",
        "title": "T",
        "content": HOSTILE,
    }
    values.update(fields)
    return Entry(**values)  # type: ignore[arg-type]


def test_hostile_body_is_cleaned() -> None:
    asked: list[str] = []

    def resolve(url: str) -> str | None:
        asked.append(url)
        return "local:a" if url.endswith("/a.png") else None

    article = render_article(_entry(), "Feed", (), resolve)
    root = lxml.html.fragment_fromstring(article.html, create_parent="div")

    assert not root.xpath("//script | //iframe | //object | //svg | //style | //video")
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("on") or a == "style"]
    assert [img.get("src") for img in root.iter("img")] == ["local:a"]
    assert root.find(".//img").get("srcset") is None
    # data: and other schemes never reach it; a video is a link around its poster image
    assert asked == ["https://cdn.example/a.png", "https://evil.example/p.png"]
    hrefs = [a.get("href") for a in root.iter("a")]
    assert "https://site.example/posts/relative/page" in hrefs
    assert not [h for h in hrefs if h and h.startswith("javascript")]
    assert "\x01" not in article.html and "Hello" in article.body_html


def test_header_facts() -> None:
    entry = _entry(
        title="  ",
        authors=(Author(name="Ann"), Author(email="bo@example.org")),
        published=datetime(2025, 5, 1, 8, 30, tzinfo=UTC),
        feed_title="Joined title",
        link="javascript:alert(1)",
    )
    article = render_article(entry, None, (), lambda url: None)

    assert article.facts.title == "Untitled"
    assert article.facts.source == "Joined title"
    assert article.facts.author == "Ann, bo@example.org"
    assert article.facts.date_text == "2025-05-01 08:30 UTC"
    assert article.facts.link is None  # only http(s)/mailto links are shown
    assert '<time datetime="2025-05-01T08:30:00Z">' in article.header_html


def test_comments_threaded_user_text_escaped_site_html_cleaned() -> None:
    site = Comment(
        id=2,
        entry_id=1,
        body="<p>Site <script>x()</script><em>reply</em></p>",
        origin=CommentOrigin.SITE,
        author="Bob",
    )
    gone = Comment(id=3, entry_id=1, body="secret", deleted=True)
    root = Comment(
        id=1,
        entry_id=1,
        body="<b>not html</b>\nsecond line",
        author="Me",
        created=datetime(2025, 5, 2, tzinfo=UTC),
        replies=(site, gone),
    )
    article = render_article(_entry(content="<p>x</p>"), "F", (root,), lambda url: None)
    section = lxml.html.fragment_fromstring(article.comments_html)

    first = section.find(".//li")
    assert first.find_class("comment-author")[0].text == "Me"
    assert first.find_class("comment-date")[0].text == "2025-05-02 00:00 UTC"
    assert "&lt;b&gt;not html&lt;/b&gt;<br>second line" in article.comments_html
    replies = first.findall("./ol/li")
    assert [r.find_class("comment-author")[0].text for r in replies] == ["Bob", "Anonymous"]
    assert replies[0].xpath("string(.//em)") == "reply" and not section.xpath("//script")
    assert "secret" not in article.comments_html and "(comment deleted)" in article.comments_html


def test_a_users_comment_is_text_to_html_as_a_feeds_text_is() -> None:
    """A comment typed in the window (CRLF on some systems, a blank line holding spaces)
    reads as the same paragraphs as a feed's plain-text field: one function does both."""
    body = "First line\r\nsecond line\r\n  \r\nNext paragraph"
    root = Comment(id=1, entry_id=1, body=body, author="Me")
    article = render_article(_entry(content="<p>x</p>"), "F", (root,), lambda url: None)
    section = lxml.html.fragment_fromstring(article.comments_html)
    body_html = section.find_class("comment-body")[0]
    assert [p.text_content() for p in body_html.findall("p")] == [
        "First linesecond line",
        "Next paragraph",
    ]
    assert "\r" not in article.comments_html


def test_one_date_formatter_writes_every_moment_in_utc_with_a_z() -> None:
    """`model.iso_utc` is the one ISO 8601 writer (JSON of the CLI and of exports, `<time>`,
    Markdown front matter, EPUB): a moment given in another zone is written in UTC."""
    from datetime import timedelta, timezone

    from newsreader.model import iso_utc

    berlin = datetime(2025, 5, 1, 10, 30, 0, 250_000, tzinfo=timezone(timedelta(hours=2)))
    assert iso_utc(berlin) == "2025-05-01T08:30:00.250000Z"
    assert iso_utc(berlin, seconds=True) == "2025-05-01T08:30:00Z"
    assert iso_utc(None) is None
    article = render_article(
        _entry(published=berlin, content="<p>x</p>"), "F", (), lambda url: None
    )
    assert '<time datetime="2025-05-01T08:30:00.250000Z">' in article.header_html


def test_the_entrys_picture_leads_a_text_that_shows_no_image() -> None:
    """The picture the feed names for the entry (cached by the sync) is shown above a text
    with no image of its own, through the same resolver; a text with images keeps its own."""
    asked: list[str] = []

    def resolve(url: str) -> str | None:
        asked.append(url)
        return "local:pen"

    plain = _entry(content="<p>The pens are recalled.</p>", image="https://cdn.example/pen.png")
    body = render_article(plain, "Feed", (), resolve).body_html
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    assert [img.get("src") for img in root.iter("img")] == ["local:pen"]
    assert root.xpath("string(.)").strip() == "The pens are recalled."
    assert asked == ["https://cdn.example/pen.png"]

    illustrated = _entry(image="https://cdn.example/pen.png")  # HOSTILE shows images
    asked.clear()
    render_article(illustrated, "Feed", (), resolve)
    assert "https://cdn.example/pen.png" not in asked
