"""JSON Feed 1.0/1.1 and RSS-in-JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from newsreader.model import Author, Enclosure
from tests.parse.helpers import parse


def feed_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def test_json_feed_11() -> None:
    feed = parse(
        feed_bytes(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "JSON &amp; <b>friends</b>",
                "home_page_url": "https://json.example/",
                "feed_url": "https://json.example/feed.json",
                "description": "About JSON",
                "language": "en",
                "icon": "/icon.png",
                "authors": [{"name": "Feed Author", "url": "https://json.example/me"}],
                "items": [
                    {
                        "id": "1",
                        "url": "https://json.example/1",
                        "title": "First",
                        "content_html": '<p>Hello <a href="/x">x</a></p><script>bad()</script>',
                        "summary": "A <summary>",
                        "image": "https://json.example/1.png",
                        "date_published": "2024-02-01T10:00:00+01:00",
                        "date_modified": "2024-02-02T10:00:00Z",
                        "authors": [{"name": "Item Author"}],
                        "tags": ["a", "b", "a"],
                        "attachments": [
                            {"url": "https://json.example/1.mp3", "mime_type": "audio/mpeg",
                             "size_in_bytes": 42},
                            {"url": "javascript:alert(1)", "mime_type": "text/html"},
                        ],
                    },
                    {"id": 2, "content_text": "Line one\nline two & more\n\nPara two"},
                ],
            }
        )
    )  # fmt: skip
    assert feed.format == "json11"
    assert feed.title == "JSON & <b>friends</b>"  # plain text: references decoded, no tag removed
    assert feed.link == "https://json.example/"
    assert feed.subtitle == "About JSON"
    assert feed.language == "en"
    assert feed.image == "https://news.example/icon.png"
    first, second = feed.entries
    assert first.id == "1"
    assert first.content == (
        '<p>Hello <a href="https://news.example/x" rel="noopener noreferrer">x</a></p>'
    )
    assert first.summary == "<p>A &lt;summary&gt;</p>"
    assert first.image == "https://json.example/1.png"
    assert first.published == datetime(2024, 2, 1, 9, tzinfo=UTC)
    assert first.updated == datetime(2024, 2, 2, 10, tzinfo=UTC)
    assert first.authors == (Author(name="Item Author"),)
    assert first.categories == ("a", "b")
    assert first.enclosures == (Enclosure("https://json.example/1.mp3", "audio/mpeg", 42),)
    assert second.id == "2"
    assert second.content == "<p>Line one<br>line two &amp; more</p><p>Para two</p>"
    assert second.authors == (Author(name="Feed Author", uri="https://json.example/me"),)
    assert second.title == "Line one line two & more Para two"


def test_json_feed_10_author_and_external_url() -> None:
    feed = parse(
        feed_bytes(
            {
                "version": "https://jsonfeed.org/version/1",
                "title": "Old JSON",
                "author": {"name": "Solo"},
                "items": [
                    {"id": "x", "title": "Linked", "external_url": "https://elsewhere.example/"},
                    {"id": "y", "title": "Own", "author": {"name": "Guest"}},
                ],
            }
        )
    )
    assert feed.format == "json10"
    linked, own = feed.entries
    assert linked.link == "https://elsewhere.example/"
    assert linked.authors == (Author(name="Solo"),)
    assert own.authors == (Author(name="Guest"),)


def test_json_feed_ignores_values_of_the_wrong_type() -> None:
    feed = parse(
        feed_bytes(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": 12,
                "items": [
                    {"id": True, "title": ["no"], "url": 5, "tags": "notalist",
                     "attachments": [{"url": None}, "x"], "authors": "nobody",
                     "content_html": "<p>ok</p>"},
                    "not an item",
                ],
            }
        )
    )  # fmt: skip
    assert feed.title is None
    (entry,) = feed.entries
    assert entry.id.startswith("sha256:")
    assert entry.link is None and entry.categories == () and entry.enclosures == ()
    assert entry.content == "<p>ok</p>"


def test_truncated_json_feed_keeps_complete_items() -> None:
    data = feed_bytes(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "Cut",
            "items": [{"id": str(n), "title": f"Item {n}", "content_text": "x" * 50}
                      for n in range(3)],
        }
    )  # fmt: skip
    cut = data[: data.index(b'"Item 2"') + 4]
    feed = parse(cut)
    assert feed.title == "Cut"
    assert [e.title for e in feed.entries] == ["Item 0", "Item 1"]


def test_control_characters_inside_json_strings_are_tolerated() -> None:
    data = b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": "a", "title": "x\ty"}]}'
    assert parse(data).entries[0].title == "x y"


def test_rss_in_json() -> None:
    feed = parse(
        feed_bytes(
            {
                "rss": {
                    "version": "2.0",
                    "channel": {
                        "title": "Winer-style",
                        "link": "https://rssjson.example/",
                        "description": "RSS as JSON",
                        "pubDate": "Mon, 26 Jun 2017 19:40:58 GMT",
                        "item": [
                            {
                                "description": "No title here, <b>just</b> text",
                                "pubDate": "Mon, 26 Jun 2017 12:20:05 GMT",
                                "guid": "https://rssjson.example/1",
                                "category": ["x", {"#value": "y"}],
                                "enclosure": {"url": "https://rssjson.example/a.mp3",
                                              "type": "audio/mpeg", "length": "7"},
                            }
                        ],
                    },
                }
            }
        )
    )  # fmt: skip
    assert feed.format == "rss20"
    assert feed.title == "Winer-style"
    assert feed.updated == datetime(2017, 6, 26, 19, 40, 58, tzinfo=UTC)
    (entry,) = feed.entries
    assert entry.link == "https://rssjson.example/1"
    assert entry.title == "No title here, just text"
    assert entry.categories == ("x", "y")
    assert entry.enclosures == (Enclosure("https://rssjson.example/a.mp3", "audio/mpeg", 7),)


def test_json_feed_authors_precedence() -> None:
    feed = parse(
        feed_bytes(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "authors": [{"name": "Root 1"}, {"name": "Root 2"}],
                "author": {"name": "Legacy root"},
                "items": [
                    {"id": "none", "title": "n"},
                    {"id": "legacy", "title": "l", "author": {"name": "Legacy item"}},
                    {"id": "both", "title": "b", "author": {"name": "Legacy item"},
                     "authors": [{"name": "Item 1"}, {"name": "Item 2"}]},
                ],
            }
        )
    )  # fmt: skip
    assert [[a.name for a in e.authors] for e in feed.entries] == [
        ["Root 1", "Root 2"],
        ["Legacy item"],
        ["Item 1", "Item 2"],
    ]
