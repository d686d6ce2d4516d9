"""Shared helpers for the parser tests: every feed is written by the tests themselves."""

from __future__ import annotations

from collections.abc import Mapping

from newsreader.model import ParsedFeed
from newsreader.parse import parse_feed

FEED_URL = "https://news.example/feeds/main.xml"


def parse(document: str | bytes, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    data = document.encode("utf-8") if isinstance(document, str) else document
    return parse_feed(data, FEED_URL, headers)


def rss(items: str, channel: str = "", namespaces: str = "", version: str = "2.0") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<rss version="{version}" {namespaces}><channel><title>Test channel</title>'
        f"<link>https://news.example/</link>{channel}{items}</channel></rss>"
    )
