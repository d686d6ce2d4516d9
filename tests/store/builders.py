"""Builders of parsed feeds and fetch records for the store tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.store import FetchInfo

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def entry(guid: str, **fields: Any) -> ParsedEntry:
    """A parsed entry with a title and link derived from its guid unless given."""
    fields.setdefault("title", f"Entry {guid}")
    fields.setdefault("link", f"https://example.org/{guid}")
    return ParsedEntry(id=guid, **fields)


def feed(*entries: ParsedEntry, title: str | None = "Example", **fields: Any) -> ParsedFeed:
    return ParsedFeed(format="rss20", title=title, entries=entries, **fields)


def fetch(at: datetime = NOW, **fields: Any) -> FetchInfo:
    fields.setdefault("next_due", at + timedelta(minutes=30))
    return FetchInfo(fetched_at=at, **fields)
