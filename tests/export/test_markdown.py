"""The Markdown writer's output read back by a CommonMark parser (markdown-it-py, commonmark
preset): structure survives, and text that looks like Markdown stays text."""

from __future__ import annotations

import lxml.html
from markdown_it import MarkdownIt

from newsreader.export.items import ExportItem
from newsreader.export.markdown import article_markdown, html_to_markdown
from newsreader.model import Comment, CommentOrigin, Entry


def commonmark(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(MarkdownIt("commonmark").render(text), create_parent="div")


def test_structure_round_trips() -> None:
    source = (
        "<h2>Heading</h2><p>Some <strong>bold</strong>, <em>italic</em> and <code>x`y</code>.</p>"
        '<p>A <a href="https://example.org/a_(b)" title="T">link</a> and '
        '<img src="assets/p.png" alt="pic">.</p>'
        '<ul><li>one</li><li>two<ol start="3"><li>three</li></ol></li></ul>'
        "<blockquote><p>quoted</p><p>twice</p></blockquote>"
        "<pre>line 1\n  ```\nline 3</pre><p>a<br>b</p><hr>"
    )
    page = commonmark(html_to_markdown(source))

    assert page.findtext("h2") == "Heading"
    assert page.findtext(".//strong") == "bold" and page.findtext(".//em") == "italic"
    assert page.findtext(".//p/code") == "x`y"
    link = page.find(".//a")
    assert (link.get("href"), link.get("title"), link.text) == (
        "https://example.org/a_%28b%29",
        "T",
        "link",
    )
    assert page.find(".//img").get("src") == "assets/p.png"
    # an item holding a nested list makes the list "loose" (items in <p>): same content
    assert [li.xpath("string(./p)") for li in page.xpath("./ul/li")] == ["one", "two"]
    nested = page.find("./ul/li/ol")
    assert nested.get("start") == "3" and nested.xpath("string(li)").strip() == "three"
    assert [p.text for p in page.xpath("./blockquote/p")] == ["quoted", "twice"]
    assert page.findtext("./pre/code") == "line 1\n  ```\nline 3\n"
    assert page.find(".//br") is not None and page.find("hr") is not None


def test_text_that_looks_like_markdown_stays_text() -> None:
    tricky = (
        "<p># not a heading</p><p>1. not a list</p><p>*not emphasis* [not](a link) <b>x</b>_</p>"
    )
    page = commonmark(html_to_markdown(tricky))

    assert [p.text_content() for p in page.findall("p")] == [
        "# not a heading",
        "1. not a list",
        "*not emphasis* [not](a link) x_",
    ]
    assert page.find(".//h1") is None and page.find(".//ol") is None and page.find(".//a") is None


def test_article_with_comments() -> None:
    entry = Entry(
        id=1,
        feed_id=1,
        guid="g",
        title="Title with <angle> & *stars*",
        link="https://example.org/post",
        content="<p>Body text.</p>",
    )
    reply = Comment(id=2, entry_id=1, body="<p>Site <em>reply</em></p>", origin=CommentOrigin.SITE)
    root = Comment(id=1, entry_id=1, body="First line\n\nSecond", author="Me", replies=(reply,))
    document = article_markdown(ExportItem(entry, "Feed", (root,)), lambda url: None)
    body = document.split("---\n", 2)[2]
    page = commonmark(body)

    assert page.findtext("h1") == "Title with <angle> & *stars*"
    assert (
        page.xpath("string(.//a[@href='https://example.org/post'])") == "https://example.org/post"
    )
    [thread] = page.xpath("./ul")
    first = thread.find("li")
    assert first.findtext("p/strong") == "Me"
    assert [p.text_content() for p in first.findall("p")][1:] == ["First line", "Second"]
    assert first.find("ul/li/p/strong").text == "Anonymous"
    assert first.find("ul/li").xpath("string(.//em)") == "reply"
