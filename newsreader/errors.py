"""The exception tree. Front ends catch `NewsreaderError` and show its message.

NewsreaderError                 an expected failure with a message fit for the user
├── ParseError                  a document is not a feed we can read
│   ├── HostileDocumentError    a document tried something dangerous (bomb, DTD, size)
│   └── NoArticleError          a web page holds no article to extract (full text)
├── StoreError                  the local database
│   ├── StoreCorruptError       quick_check failed; names the last good backup
│   ├── StoreLockedError        another process holds the store (or a sync lock)
│   └── NotFoundError           no such feed, entry, folder or comment
├── SearchQueryError            a full-text query with a syntax error
├── FetchError                  the network (carried per feed, never stops a sync)
├── SyncBusyError               another sync of the same store is running
└── ExportError                 an export could not be written
"""

from __future__ import annotations

from pathlib import Path


class NewsreaderError(Exception):
    """Base of every expected error; `str(error)` is shown to the user as is."""


class ParseError(NewsreaderError):
    pass


class HostileDocumentError(ParseError):
    pass


class NoArticleError(ParseError):
    pass


class StoreError(NewsreaderError):
    pass


class StoreCorruptError(StoreError):
    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        self.path = path
        self.detail = detail
        self.backup = backup
        where = f"the last good backup is {backup}" if backup else "no backup was found"
        super().__init__(f"the store {path} is damaged ({detail}); {where}")


class StoreLockedError(StoreError):
    pass


class NotFoundError(StoreError):
    pass


class SearchQueryError(NewsreaderError):
    pass


class FetchError(NewsreaderError):
    pass


class SyncBusyError(NewsreaderError):
    pass


class ExportError(NewsreaderError):
    pass
