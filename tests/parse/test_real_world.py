"""Every real-world feed and page in the shared corpus (read in place, never copied)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsreader.parse import discover_feeds, looks_like_feed, parse_feed
from tests.conftest import REAL_WORLD

FEED_SUFFIXES = {".rss", ".atom", ".xml", ".rdf", ".json"}
# Its items carry only ids and authors (it tests author inheritance): no title, URL or text.
WITHOUT_TITLES_OR_LINKS = {"authors.json"}
PAGE_URL = "https://page.example/some/page.html"
UNSAFE_URL = re.compile(r"=\"\s*(?:javascript|vbscript|data:text)", re.IGNORECASE)


def corpus(suffixes: set[str]) -> list[Path]:
    if not REAL_WORLD.is_dir():
        return []
    return sorted(p for p in REAL_WORLD.iterdir() if p.suffix in suffixes)


def skip_if_absent() -> None:
    if not REAL_WORLD.is_dir():
        pytest.skip(f"the real-world corpus is not at {REAL_WORLD}")


@pytest.mark.parametrize("path", corpus(FEED_SUFFIXES), ids=lambda p: p.name)
def test_real_world_feed_parses_with_titles_and_links(path: Path) -> None:
    data = path.read_bytes()
    feed = parse_feed(data, f"https://feeds.example/{path.name}")
    assert feed.entries, "no entries"
    assert looks_like_feed(data)
    assert feed.title
    for entry in feed.entries:
        assert entry.id
        if path.name not in WITHOUT_TITLES_OR_LINKS:
            assert entry.title, entry.id
            assert entry.link, entry.id
        for html in (entry.summary, entry.content):
            if html:
                assert "<script" not in html.lower()
                assert not UNSAFE_URL.search(html)


def test_real_world_feeds_exist() -> None:
    skip_if_absent()
    assert len(corpus(FEED_SUFFIXES)) >= 40


@pytest.mark.parametrize("path", corpus({".html"}), ids=lambda p: p.name)
def test_real_world_page_discovery_finds_every_announced_feed(path: Path) -> None:
    data = path.read_bytes()
    found = discover_feeds(data, PAGE_URL)
    assert found, "no feed discovered"
    # Independently: every <link rel=alternate> with an RSS/Atom/JSON feed type, by regex.
    text = data.decode("utf-8", errors="replace")
    announced = [
        tag
        for tag in re.findall(r"<link\b[^>]*>", text, re.IGNORECASE)
        if re.search(r'rel=["\']?alternate', tag, re.IGNORECASE)
        and re.search(r"(rss|atom)\+xml|feed\+json", tag, re.IGNORECASE)
    ]
    # Plain <a> links to feeds come after, untyped; the announced ones are typed.
    typed = [feed for feed in found if feed.type is not None]
    assert len(typed) == len(announced)
    for tag, feed in zip(announced, typed, strict=True):
        href = re.search(r'href=["\']([^"\']+)', tag)
        assert href is not None
        assert feed.url.endswith(href.group(1).lstrip("/").split("//")[-1])
    assert not looks_like_feed(data)


def test_known_pages_give_known_feeds() -> None:
    skip_if_absent()
    gruber = discover_feeds((REAL_WORLD / "DaringFireball.html").read_bytes(),
                            "https://daringfireball.net/")  # fmt: skip
    assert [f.url for f in gruber] == ["https://daringfireball.net/feeds/main"]
    atlantic = discover_feeds(
        (REAL_WORLD / "coco.html").read_bytes(), "https://www.theatlantic.com/"
    )
    assert [f.title for f in atlantic] == ["The Atlantic", "Best of The Atlantic"]
