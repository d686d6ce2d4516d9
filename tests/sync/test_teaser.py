"""The teaser rule of a feed's Full article setting `auto` (sync/teaser.py)."""

from __future__ import annotations

import pytest

from newsreader.model import ParsedEntry
from newsreader.parse import parse_feed
from newsreader.sync.teaser import is_teaser, wants_full_text
from tests.conftest import REAL_WORLD

WHOLE_POST = "<p>" + " ".join(f"word{n}" for n in range(200)) + ".</p>"


def entry(
    summary: str | None = None,
    content: str | None = None,
    link: str | None = "https://news.example/a",
) -> ParsedEntry:
    return ParsedEntry(id="g", title="T", link=link, summary=summary, content=content)


@pytest.mark.parametrize(
    ("summary", "content", "teaser"),
    [
        (None, None, True),
        ("<p>Two sentences of summary only. Nothing more.</p>", None, True),
        (None, "<p>A short lead paragraph of content.</p>", True),
        (WHOLE_POST, None, False),
        (None, WHOLE_POST, False),
        (None, WHOLE_POST[:-5] + " and then…</p>", True),
        (None, WHOLE_POST[:-5] + ' <a href="/a">Read more</a></p>', True),
        (None, WHOLE_POST[:-5] + " Continue reading &rarr;</p>", True),
        (None, WHOLE_POST[:-5] + " [...]</p>", True),
        (None, WHOLE_POST[:-5] + " To read this article in full, please click here</p>", True),
        ("<p>" + "字" * 40 + "</p>", None, True),
        ("<p>" + "字" * 300 + "</p>", None, False),
    ],
)
def test_what_counts_as_a_teaser(summary: str | None, content: str | None, teaser: bool) -> None:
    assert is_teaser(entry(summary, content)) is teaser


def test_the_feeds_setting_decides_and_only_web_links_are_fetched() -> None:
    short, whole = entry("<p>Short.</p>"), entry(None, WHOLE_POST)
    assert wants_full_text("auto", short) and not wants_full_text("auto", whole)
    assert wants_full_text("always", whole)
    assert not wants_full_text("never", short)
    assert not wants_full_text("always", entry(link=None))
    assert not wants_full_text("always", entry(link="mailto:a@news.example"))


@pytest.mark.parametrize(
    ("name", "teasers"),
    [
        ("livemint.xml", "all"),
        ("medscape.rss", "all"),
        ("russcox.atom", "none"),
        ("allthis.atom", "none"),
    ],
)
def test_real_world_news_teasers_and_whole_posts(name: str, teasers: str) -> None:
    path = REAL_WORLD / name
    if not path.exists():
        pytest.skip("../shared/corpus/real-world/ is absent")
    entries = parse_feed(path.read_bytes(), "https://example.org/").entries
    flags = {is_teaser(e) for e in entries}
    assert flags == ({True} if teasers == "all" else {False})
