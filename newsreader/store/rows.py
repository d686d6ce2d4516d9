"""Rows of the store turned into the shared records of `newsreader.model`."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from newsreader.model import (
    Account,
    AccountKind,
    AccountStatus,
    Comment,
    CommentOrigin,
    Enclosure,
    Entry,
    Feed,
    Folder,
)
from newsreader.store.codec import authors_from_json, from_ts, strings_from_json
from newsreader.store.types import CachedImage, PendingChange

FEED_COLUMNS = (
    "id, url, title, site_url, icon_url, folder_id, etag, last_modified, last_fetched, "
    "next_due, error_count, last_error, last_error_at, interval_minutes, update_hint_minutes, "
    "disabled, disabled_reason, added, body_sha256, account_id, user_agent, retry_not_before, "
    "full_text, error_cause"
)
ENTRY_COLUMNS = (
    "e.id, e.feed_id, e.guid, e.link, e.title, e.authors, e.published, e.updated, e.summary, "
    "e.content, e.read, e.starred, e.first_seen, e.comments_url, e.comments_feed, "
    "e.comment_count, e.image, e.categories, coalesce(nullif(f.title, ''), f.url) AS feed_title"
    ", e.language, e.sort_date"
)
COMMENT_COLUMNS = (
    "id, entry_id, body, origin, parent_id, author, created, edited, deleted, remote_id, link"
)
IMAGE_COLUMNS = "url, sha256, path, size, content_type, fetched, last_used"


def folder(row: sqlite3.Row) -> Folder:
    return Folder(id=row["id"], name=row["name"], parent_id=row["parent_id"])


def feed(row: sqlite3.Row, unread_count: int = 0) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        site_url=row["site_url"],
        icon_url=row["icon_url"],
        folder_id=row["folder_id"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetched=from_ts(row["last_fetched"]),
        next_due=from_ts(row["next_due"]),
        error_count=row["error_count"],
        last_error=row["last_error"],
        last_error_at=from_ts(row["last_error_at"]),
        interval_minutes=row["interval_minutes"],
        update_hint_minutes=row["update_hint_minutes"],
        disabled=bool(row["disabled"]),
        disabled_reason=row["disabled_reason"],
        added=from_ts(row["added"]),
        unread_count=unread_count,
        body_sha256=row["body_sha256"],
        user_agent=row["user_agent"],
        retry_not_before=from_ts(row["retry_not_before"]),
        account_id=row["account_id"],
        full_text=row["full_text"],
        error_cause=row["error_cause"],
    )


def entry(
    row: sqlite3.Row, enclosures: Sequence[Enclosure] = (), tags: Sequence[str] = ()
) -> Entry:
    return Entry(
        id=row["id"],
        feed_id=row["feed_id"],
        guid=row["guid"],
        link=row["link"],
        title=row["title"],
        authors=authors_from_json(row["authors"]),
        published=from_ts(row["published"]),
        updated=from_ts(row["updated"]),
        summary=row["summary"],
        content=row["content"],
        read=bool(row["read"]),
        starred=bool(row["starred"]),
        first_seen=from_ts(row["first_seen"]),
        comments_url=row["comments_url"],
        comments_feed=row["comments_feed"],
        comment_count=row["comment_count"],
        image=row["image"],
        enclosures=tuple(enclosures),
        categories=strings_from_json(row["categories"]),
        tags=tuple(tags),
        feed_title=row["feed_title"],
        language=row["language"],
        sort_date=from_ts(row["sort_date"]),
    )


def comment(row: sqlite3.Row) -> Comment:
    return Comment(
        id=row["id"],
        entry_id=row["entry_id"],
        body=row["body"],
        origin=CommentOrigin(row["origin"]),
        parent_id=row["parent_id"],
        author=row["author"],
        created=from_ts(row["created"]),
        edited=from_ts(row["edited"]),
        deleted=bool(row["deleted"]),
        remote_id=row["remote_id"],
        link=row["link"],
    )


def cached_image(row: sqlite3.Row) -> CachedImage:
    fetched = from_ts(row["fetched"])
    last_used = from_ts(row["last_used"])
    assert fetched is not None and last_used is not None  # NOT NULL columns
    return CachedImage(
        url=row["url"],
        sha256=row["sha256"],
        path=row["path"],
        size=row["size"],
        content_type=row["content_type"],
        fetched=fetched,
        last_used=last_used,
    )


def account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        kind=AccountKind(row["kind"]),
        url=row["url"],
        username=row["username"],
        added=from_ts(row["added"]),
        status=AccountStatus(row["status"]),
        status_message=row["status_message"],
        last_attempt=from_ts(row["last_attempt"]),
        last_sync=from_ts(row["last_sync"]),
        pending=row["pending"],
    )


def pending_change(row: sqlite3.Row) -> PendingChange:
    return PendingChange(
        id=row["id"],
        account_id=row["account_id"],
        kind=row["kind"],
        item_id=row["item_id"],
        feed_url=row["feed_url"],
        remote_id=row["remote_id"],
        value=row["value"],
        previous=row["previous"],
        queued=from_ts(row["queued"]),
    )
