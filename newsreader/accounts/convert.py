"""Server articles to the store's records: sanitised like every feed, one guid rule for both
protocols (the article's link, else the server's item id), dates as aware UTC."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from newsreader.accounts.ids import long_form
from newsreader.model import Author, Enclosure, ParsedEntry
from newsreader.parse import sanitize_html


def article(
    item: int,
    *,
    link: str | None,
    title: str | None,
    body: str | None,
    author: str | None,
    published: float | None,
    enclosures: tuple[Enclosure, ...] = (),
) -> ParsedEntry:
    """An article as a parsed entry. Its id is its link (the same article keeps it when a
    server renumbers its items, and under either protocol), else the item's `tag:` id."""
    link = (link or "").strip() or None
    return ParsedEntry(
        id=link or long_form(item),
        title=html.unescape(title).strip() if title else None,
        link=link,
        published=_when(published),
        authors=(Author(name=author.strip()),) if author and author.strip() else (),
        content=sanitize_html(body, link) if body else None,
        enclosures=enclosures,
    )


def _when(seconds: float | None) -> datetime | None:
    if not seconds or seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
