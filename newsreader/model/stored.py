"""What the store holds: rows with their ids (`Folder`, `Feed`, `Entry`, `Comment`,
`FullText`, `Account`) and the kinds their fields take."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from newsreader.model.parsed import Author, Enclosure


@dataclass(frozen=True, slots=True)
class Folder:
    id: int
    name: str
    parent_id: int | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str | None = None
    site_url: str | None = None
    icon_url: str | None = None
    folder_id: int | None = None
    etag: str | None = None
    last_modified: str | None = None  # HTTP Last-Modified, kept verbatim for If-Modified-Since
    last_fetched: datetime | None = None
    next_due: datetime | None = None
    error_count: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    # Why the last fetch failed, told by the error's type (`failures.Cause`, by name).
    error_cause: str | None = None
    interval_minutes: int | None = None  # per-feed override of the global setting
    update_hint_minutes: int | None = None  # from ttl / sy:* / Cache-Control
    disabled: bool = False
    disabled_reason: str | None = None
    added: datetime | None = None
    unread_count: int = 0  # derived when read through list_feeds()
    # sha256 of the last 200 response's body that was parsed and written: the same bytes again
    # are not parsed again (the sync records them like a 304).
    body_sha256: str | None = None
    user_agent: str | None = None  # None: the app's own User-Agent
    # A server's Retry-After: every sync skips the feed until then, unless the user names it.
    retry_not_before: datetime | None = None
    account_id: int | None = None  # the feed-server account that owns the feed; None: local
    full_text: FullTextMode = "auto"  # when the sync fetches entries' full articles

    @property
    def display_title(self) -> str:
        return self.title or self.url


FullTextMode = Literal["auto", "always", "never"]
"""Per feed, which entries' pages the sync fetches for the full article: `auto` those whose
feed text is a teaser (sync/teaser.py), `always` every new entry's, `never` none."""
FULL_TEXT_MODES: tuple[FullTextMode, ...] = ("auto", "always", "never")
FullTextStatus = Literal["ok", "no-article", "failed", "paywalled"]


@dataclass(frozen=True, slots=True)
class FullText:
    """What fetching an entry's page gave (table `full_texts`): the article (`status` ok),
    or why not. Stored beside the feed's own text, never replacing it."""

    entry_id: int
    status: FullTextStatus
    fetched: datetime
    reason: str | None = None  # for the user, when status is not ok
    content: str | None = None  # sanitised HTML, links and images absolute
    text: str | None = None  # plain text, paragraphs separated by blank lines


class CommentOrigin(StrEnum):
    USER = "user"  # written by the user in this app; never touched by a sync
    SITE = "site"  # fetched from the site's comment feed; replaced by later syncs


@dataclass(frozen=True, slots=True)
class Entry:
    id: int  # store row id: what the CLI and the window use
    feed_id: int
    guid: str  # the parser's stable id, unique within its feed
    link: str | None = None
    title: str | None = None
    authors: tuple[Author, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    summary: str | None = None
    content: str | None = None
    read: bool = False
    starred: bool = False
    first_seen: datetime | None = None
    comments_url: str | None = None
    comments_feed: str | None = None
    comment_count: int | None = None  # as announced by the feed
    image: str | None = None
    enclosures: tuple[Enclosure, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # the user's own tags
    feed_title: str | None = None  # joined in for display
    language: str | None = None  # BCP-47 primary tag ("en"), detected at ingest; None unknown
    # The store's date of the entry (published, else updated, else first seen, but never
    # later than the fetch that wrote it: docs/sync.md, "Dates in the future").
    sort_date: datetime | None = None

    @property
    def date(self) -> datetime | None:
        """The date shown and sorted on: the store's `sort_date`; for an entry not read from
        the store, published, else updated, else first seen. `published` and `updated` stay
        the feed's own dates."""
        return self.sort_date or self.published or self.updated or self.first_seen


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    entry_id: int
    body: str  # user comments: plain text; site comments: sanitised HTML
    origin: CommentOrigin = CommentOrigin.USER
    parent_id: int | None = None
    author: str | None = None
    created: datetime | None = None
    edited: datetime | None = None
    deleted: bool = False
    remote_id: str | None = None  # the comment-feed entry id, for site comments
    link: str | None = None
    replies: tuple[Comment, ...] = field(default=())  # filled by thread builders only


class AccountKind(StrEnum):
    """The protocol a feed-server account speaks."""

    GREADER = "greader"  # the Google Reader API (FreshRSS, Miniflux, Inoreader, BazQux, ...)
    FEVER = "fever"  # the Fever API: items and read/saved state; subscriptions read-only

    @property
    def edits_subscriptions(self) -> bool:
        """Whether subscribing, unsubscribing, renaming and moving feeds can be sent."""
        return self is AccountKind.GREADER


class AccountStatus(StrEnum):
    """How the last sync of an account went."""

    NEW = "new"  # never synced
    OK = "ok"
    OFFLINE = "offline"  # the server could not be reached; changes wait in the queue
    LOGIN_FAILED = "login-failed"  # the server refused the user name or password
    ERROR = "error"  # the server answered something unusable (an HTML page, a 500, ...)


@dataclass(frozen=True, slots=True)
class Account:
    """A feed-server account. Its password is in the system keyring, never here."""

    id: int
    kind: AccountKind
    url: str  # the API endpoint, e.g. https://example.net/api/greader.php
    username: str
    added: datetime | None = None
    status: AccountStatus = AccountStatus.NEW
    status_message: str | None = None
    last_attempt: datetime | None = None
    last_sync: datetime | None = None  # the last sync that completed
    pending: int = 0  # local changes waiting to be sent

    @property
    def label(self) -> str:
        return f"{self.username} at {self.url}"
