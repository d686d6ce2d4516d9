"""Records shared by every layer. Plain frozen dataclasses; no I/O, no Qt.

Three families, each in its own module:
- `parsed.py`: what the parser makes of one document (`ParsedFeed`, `ParsedEntry`, ...; no
  database ids);
- `sources.py`: feed addresses found on a web page or in an OPML file;
- `stored.py`: rows of the store, with ids (`Folder`, `Feed`, `Entry`, `Comment`, ...).
Their names are imported from here (`from newsreader.model import Feed`); each loads its
module on first use, as `newsreader.parse` does, so that a command parsing a file does not
build the store's records (a dataclass costs ~1 ms to make, docs/cli.md "Start-up").
All datetimes are timezone-aware UTC; absent values are None, never guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, overload

from newsreader.lazy import lazy_names

if TYPE_CHECKING:
    from newsreader.model.parsed import Author, Enclosure, ParsedEntry, ParsedFeed
    from newsreader.model.sources import (
        DiscoveredFeed,
        Outline,
        OutlineFeed,
        OutlinePage,
        OutlineSkipped,
    )
    from newsreader.model.stored import (
        FULL_TEXT_MODES,
        Account,
        AccountKind,
        AccountStatus,
        Comment,
        CommentOrigin,
        Entry,
        Feed,
        Folder,
        FullText,
        FullTextMode,
        FullTextStatus,
    )

_HOMES = {
    "Author": "newsreader.model.parsed",
    "Enclosure": "newsreader.model.parsed",
    "ParsedEntry": "newsreader.model.parsed",
    "ParsedFeed": "newsreader.model.parsed",
    "DiscoveredFeed": "newsreader.model.sources",
    "Outline": "newsreader.model.sources",
    "OutlineFeed": "newsreader.model.sources",
    "OutlinePage": "newsreader.model.sources",
    "OutlineSkipped": "newsreader.model.sources",
    "Account": "newsreader.model.stored",
    "AccountKind": "newsreader.model.stored",
    "AccountStatus": "newsreader.model.stored",
    "Comment": "newsreader.model.stored",
    "CommentOrigin": "newsreader.model.stored",
    "Entry": "newsreader.model.stored",
    "FULL_TEXT_MODES": "newsreader.model.stored",
    "Feed": "newsreader.model.stored",
    "Folder": "newsreader.model.stored",
    "FullText": "newsreader.model.stored",
    "FullTextMode": "newsreader.model.stored",
    "FullTextStatus": "newsreader.model.stored",
}

__all__ = [
    "FULL_TEXT_MODES",
    "Account",
    "AccountKind",
    "AccountStatus",
    "Author",
    "Comment",
    "CommentOrigin",
    "DiscoveredFeed",
    "Enclosure",
    "Entry",
    "Feed",
    "Folder",
    "FullText",
    "FullTextMode",
    "FullTextStatus",
    "Outline",
    "OutlineFeed",
    "OutlinePage",
    "OutlineSkipped",
    "ParsedEntry",
    "ParsedFeed",
    "iso_utc",
]


__getattr__ = lazy_names(__name__, _HOMES)


@overload
def iso_utc(value: datetime, *, seconds: bool = False) -> str: ...
@overload
def iso_utc(value: datetime | None, *, seconds: bool = False) -> str | None: ...
def iso_utc(value: datetime | None, *, seconds: bool = False) -> str | None:
    """An aware datetime as ISO 8601 in UTC with a `Z` ("2026-05-01T08:30:00Z"), as every
    JSON output, export and `<time datetime>` writes a moment; None when absent.
    `seconds=True` leaves out fractions of a second (EPUB's and Markdown's stamps)."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat(timespec="seconds" if seconds else "auto")
    return text.replace("+00:00", "Z")
