"""Subscriptions: adding, reading, renaming, moving, deleting feeds, and their fetch state."""

from __future__ import annotations

from datetime import datetime

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Feed
from newsreader.store import rows
from newsreader.store.codec import to_ts
from newsreader.store.db import StoreBase
from newsreader.store.pending import folder_name, queue_feed_change
from newsreader.store.types import USER_DISABLED_REASON

_UNREAD = (
    "(SELECT count(*) FROM entries WHERE feed_id = feeds.id AND read = 0 "
    "AND id NOT IN (SELECT entry_id FROM hidden_entries))"
)
_SELECT_WITH_UNREAD = f"SELECT {rows.FEED_COLUMNS}, {_UNREAD} AS unread FROM feeds"


class FeedMixin(StoreBase):
    def add_feed(
        self,
        url: str,
        *,
        title: str | None = None,
        site_url: str | None = None,
        folder_id: int | None = None,
        account_id: int | None = None,
    ) -> Feed:
        """Subscribes to `url`; idempotent: an existing feed with that URL is returned as is.
        A title given here is the user's (kept over the feed's own title).

        With `account_id` the subscription belongs to that feed-server account: the feed is
        not fetched from here, and the subscription is queued for the server in the same
        transaction (StoreError for a Fever account, which cannot subscribe). A local feed of
        that URL joins the account, articles and all; one that another account holds stays
        there (StoreError naming it)."""
        url = url.strip()
        if not url:
            raise StoreError("a feed needs a URL")
        title = (title or "").strip() or None
        with self._write() as conn:
            existing = self.feed_by_url(url)
            if existing is not None and account_id is not None:
                return self._join_account(existing, account_id)
            if existing is not None:
                return existing
            if folder_id is not None:
                self._require("folders", folder_id, "folder")
            if account_id is not None:
                self._require("accounts", account_id, "account")
            conn.execute(
                "INSERT INTO feeds(url, title, custom_title, site_url, folder_id, added, "
                "account_id) VALUES (?, ?, ?, ?, ?, strftime('%s', 'now'), ?)",
                (url, title, title is not None, site_url, folder_id, account_id),
            )
            found = self.feed_by_url(url)
            assert found is not None
            queue_feed_change(
                conn, found.id, "subscribe", value=title, previous=folder_name(conn, folder_id)
            )
        return found

    def _join_account(self, feed: Feed, account_id: int) -> Feed:
        """`feed` (already subscribed) made a subscription of the account, queued for its
        server; inside the caller's write transaction."""
        if feed.account_id == account_id:
            return feed
        if feed.account_id is not None:
            user, server = self._conn.execute(
                "SELECT username, url FROM accounts WHERE id = ?", (feed.account_id,)
            ).fetchone()
            raise StoreError(f"{feed.url} is already subscribed through {user} at {server}")
        self._require("accounts", account_id, "account")
        self._conn.execute(
            "UPDATE feeds SET account_id = ?, next_due = NULL WHERE id = ?", (account_id, feed.id)
        )
        queue_feed_change(
            self._conn,
            feed.id,
            "subscribe",
            value=feed.title,
            previous=folder_name(self._conn, feed.folder_id),
        )
        return self.get_feed(feed.id)

    def get_feed(self, feed_id: int) -> Feed:
        row = self._row(f"{_SELECT_WITH_UNREAD} WHERE id = ?", (feed_id,))
        if row is None:
            raise NotFoundError(f"no feed with id {feed_id}")
        return rows.feed(row, row["unread"])

    def feed_by_url(self, url: str) -> Feed | None:
        row = self._row(f"{_SELECT_WITH_UNREAD} WHERE url = ?", (url,))
        return None if row is None else rows.feed(row, row["unread"])

    def list_feeds(self) -> list[Feed]:
        """Every feed, with `unread_count` filled, ordered by display title."""
        found = self._rows(
            f"{_SELECT_WITH_UNREAD} ORDER BY coalesce(title, url) COLLATE NOCASE, id"
        )
        return [rows.feed(row, row["unread"]) for row in found]

    def rename_feed(self, feed_id: int, title: str | None) -> Feed:
        """Sets the user's own title, kept over the feed's title; None or blank lets the
        feed's own title come back at the next sync."""
        title = (title or "").strip() or None
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            conn.execute(
                "UPDATE feeds SET title = coalesce(?, title), custom_title = ? WHERE id = ?",
                (title, title is not None, feed_id),
            )
            if title is not None:
                queue_feed_change(conn, feed_id, "rename", value=title)
        return self.get_feed(feed_id)

    def move_feed(self, feed_id: int, folder_id: int | None) -> Feed:
        with self._write() as conn:
            current = self.get_feed(feed_id)
            if folder_id is not None:
                self._require("folders", folder_id, "folder")
            conn.execute("UPDATE feeds SET folder_id = ? WHERE id = ?", (folder_id, feed_id))
            if folder_id != current.folder_id:
                queue_feed_change(
                    conn,
                    feed_id,
                    "move",
                    value=folder_name(conn, folder_id),
                    previous=folder_name(conn, current.folder_id),
                )
        return self.get_feed(feed_id)

    def delete_feed(self, feed_id: int) -> None:
        """Unsubscribes: the feed and all its entries (with their comments) go. A server
        account's feed is unsubscribed there too (queued in the same transaction)."""
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            queue_feed_change(conn, feed_id, "unsubscribe")
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def update_feed_settings(
        self, feed_id: int, *, interval_minutes: int | None, disabled: bool
    ) -> Feed:
        """Sets the per-feed refresh interval (None follows the global setting) and switches
        the feed off or on; switching it on clears the reason and makes it due now."""
        if interval_minutes is not None and interval_minutes <= 0:
            raise StoreError("the refresh interval must be a positive number of minutes")
        with self._write() as conn:
            current = self.get_feed(feed_id)
            if disabled:
                conn.execute(
                    "UPDATE feeds SET interval_minutes = ?, disabled = 1, disabled_reason = ?, "
                    "next_due = NULL WHERE id = ?",
                    (interval_minutes, current.disabled_reason or USER_DISABLED_REASON, feed_id),
                )
            elif current.disabled:  # back on: due now, earlier failures forgotten
                conn.execute(
                    "UPDATE feeds SET interval_minutes = ?, disabled = 0, disabled_reason = NULL, "
                    "next_due = NULL, error_count = 0, last_error = NULL, last_error_at = NULL, "
                    "error_cause = NULL WHERE id = ?",
                    (interval_minutes, feed_id),
                )
            else:
                conn.execute(
                    "UPDATE feeds SET interval_minutes = ? WHERE id = ?",
                    (interval_minutes, feed_id),
                )
        return self.get_feed(feed_id)

    def due_feeds(self, now: datetime, *, every: bool = False) -> list[Feed]:
        """Enabled local feeds whose next_due is unset or <= now (with `every`: all enabled
        local feeds), never-fetched and most overdue first (feeds of server accounts come
        from their server, never fetched). A feed whose server asked for a pause
        (Retry-After, `retry_not_before` after now) is left out either way."""
        found = self._rows(
            f"SELECT {rows.FEED_COLUMNS}, 0 AS unread FROM feeds "
            "WHERE NOT disabled AND account_id IS NULL "
            "AND (? OR next_due IS NULL OR next_due <= ?) "
            "AND (retry_not_before IS NULL OR retry_not_before <= ?) "
            "ORDER BY next_due IS NOT NULL, next_due, id",
            (every, to_ts(now), to_ts(now)),
        )
        return [rows.feed(row) for row in found]

    def record_not_modified(
        self,
        feed_id: int,
        fetched_at: datetime,
        next_due: datetime,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        update_hint_minutes: int | None = None,
        body_sha256: str | None = None,
    ) -> None:
        """A fetch answered 304 (or 200 with the body last parsed): the feed is healthy.

        Validators, hint and body hash that came with the answer replace the stored ones;
        None keeps what is stored (a 304 often repeats no ETag, and the document, with its
        ttl, is the one stored)."""
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            conn.execute(
                "UPDATE feeds SET last_fetched = ?, next_due = ?, etag = coalesce(?, etag), "
                "last_modified = coalesce(?, last_modified), "
                "update_hint_minutes = coalesce(?, update_hint_minutes), "
                "body_sha256 = coalesce(?, body_sha256), error_count = 0, "
                "last_error = NULL, last_error_at = NULL, retry_not_before = NULL, "
                "error_cause = NULL WHERE id = ?",
                (
                    to_ts(fetched_at),
                    to_ts(next_due),
                    etag,
                    last_modified,
                    update_hint_minutes,
                    body_sha256,
                    feed_id,
                ),
            )

    def record_fetch_error(
        self,
        feed_id: int,
        message: str,
        at: datetime,
        next_due: datetime | None,
        *,
        retry_not_before: datetime | None = None,
        cause: str | None = None,
    ) -> Feed:
        """Counts one more failure in a row and keeps its message, time and cause (a
        `failures.Cause` name); a server's Retry-After (`retry_not_before`) pauses the
        feed for every sync until then."""
        self._count_fetch_error(feed_id, message, at, next_due, retry_not_before, cause)
        return self.get_feed(feed_id)

    def _count_fetch_error(
        self,
        feed_id: int,
        message: str,
        at: datetime,
        next_due: datetime | None,
        retry_not_before: datetime | None,
        cause: str | None,
    ) -> None:
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            conn.execute(
                "UPDATE feeds SET error_count = error_count + 1, last_error = ?, "
                "last_error_at = ?, next_due = ?, retry_not_before = ?, error_cause = ? "
                "WHERE id = ?",
                (message, to_ts(at), to_ts(next_due), to_ts(retry_not_before), cause, feed_id),
            )

    def set_feed_user_agent(self, feed_id: int, user_agent: str | None) -> Feed:
        """The User-Agent this feed is fetched with; None (or blank) goes back to the app's
        own. StoreError for a value HTTP cannot carry (control characters, over 512 chars)."""
        value = (user_agent or "").strip() or None
        if value is not None and (
            len(value) > 512 or any(ord(c) < 32 or ord(c) == 127 for c in value)
        ):
            raise StoreError("a User-Agent is one line of at most 512 printable characters")
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            conn.execute("UPDATE feeds SET user_agent = ? WHERE id = ?", (value, feed_id))
        return self.get_feed(feed_id)

    def disable_feed(self, feed_id: int, reason: str, *, cause: str | None = None) -> None:
        """Stops fetching the feed (e.g. 410 Gone, or too many failures) and says why
        (`cause`: a `failures.Cause` name when a sync switched it off)."""
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            conn.execute(
                "UPDATE feeds SET disabled = 1, disabled_reason = ?, next_due = NULL, "
                "error_cause = ? WHERE id = ?",
                (reason, cause, feed_id),
            )

    def set_feed_url(self, feed_id: int, url: str) -> None:
        """Moves the feed to a new URL (a permanent redirect); StoreError if another feed
        already has it."""
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            other = self._scalar("SELECT id FROM feeds WHERE url = ? AND id != ?", (url, feed_id))
            if other is not None:
                raise StoreError(f"another feed (id {other}) already has the URL {url}")
            conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (url, feed_id))

    def set_feed_icon(self, feed_id: int, url: str | None) -> None:
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            conn.execute("UPDATE feeds SET icon_url = ? WHERE id = ?", (url, feed_id))
