"""Feed-server accounts: the accounts, what their servers delivered, and the queue of local
changes waiting to be sent (see `pending` for how changes get into the queue).

What the server says is applied here; where a local change of the same thing is still
waiting, the local change wins (it is the newer intent; the server learns of it when the
queue is sent).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Account, AccountKind, AccountStatus, Feed, ParsedFeed
from newsreader.store import rows
from newsreader.store.codec import to_ts
from newsreader.store.entries import chunks, placeholders
from newsreader.store.ingest import IngestMixin, merge_duplicates, prepare
from newsreader.store.library import LibraryMixin
from newsreader.store.types import (
    FeedWriteResult,
    NewFollowUp,
    PendingChange,
    RemoteFeed,
    RemoteItem,
    RemoteWriteResult,
)

RemoteFollowUps = Callable[[Feed, ParsedFeed, FeedWriteResult], Sequence[NewFollowUp]]
"""The follow-up jobs (full articles, images) a feed's new server articles call for, given
the feed as it was, its items as a parsed feed and what was written: the same plans a local
feed's write runs (`sync.followup.queue_jobs`), in the same transaction."""

_ACCOUNT_COLUMNS = (
    "a.id, a.kind, a.url, a.username, a.added, a.status, a.status_message, a.last_attempt, "
    "a.last_sync, (SELECT count(*) FROM pending_changes p WHERE p.account_id = a.id) AS pending"
)
_PENDING_COLUMNS = (
    "p.id, p.account_id, p.kind, p.item_id, p.feed_url, coalesce((SELECT f.remote_id FROM "
    "feeds f WHERE f.url = p.feed_url AND f.account_id = p.account_id), p.remote_id) AS "
    "remote_id, p.value, p.previous, p.queued"
)
_PENDING_READ = "('read', 'unread')"
_PENDING_STAR = "('star', 'unstar')"


class AccountMixin(LibraryMixin, IngestMixin):
    # --- the accounts ------------------------------------------------------------------------

    def add_account(self, kind: AccountKind, url: str, username: str) -> Account:
        """Adds a feed-server account (StoreError if the same one exists)."""
        url, username = url.strip(), username.strip()
        if not url or not username:
            raise StoreError("a server account needs the server's address and a user name")
        with self._write() as conn:
            same = self.find_account(kind, url, username)
            if same is not None:
                raise StoreError(
                    f"the account {username} at {url} exists already (account {same.id}); "
                    f"to enter a new password: newsreader account password {same.id}"
                )
            try:
                cursor = conn.execute(
                    "INSERT INTO accounts(kind, url, username, added) "
                    "VALUES (?, ?, ?, strftime('%s', 'now'))",
                    (kind.value, url, username),
                )
            except sqlite3.IntegrityError:
                raise StoreError(f"the account {username} at {url} exists already") from None
            account_id = cursor.lastrowid
        assert account_id is not None
        return self.get_account(account_id)

    def find_account(self, kind: AccountKind, url: str, username: str) -> Account | None:
        """The account of this user at this address, if there is one. One server and user
        is one account however its address was typed: the same address but for case or a
        trailing slash is the same account."""
        row = self._row(
            f"SELECT {_ACCOUNT_COLUMNS} FROM accounts a WHERE a.kind = ? AND a.username = ? "
            "AND rtrim(lower(a.url), '/') = rtrim(lower(?), '/')",
            (kind.value, username.strip(), url.strip()),
        )
        return None if row is None else rows.account(row)

    def get_account(self, account_id: int) -> Account:
        row = self._row(f"SELECT {_ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = ?", (account_id,))
        if row is None:
            raise NotFoundError(f"no account with id {account_id}")
        return rows.account(row)

    def list_accounts(self) -> list[Account]:
        return [rows.account(r) for r in self._rows(f"SELECT {_ACCOUNT_COLUMNS} FROM accounts a")]

    def remove_account(self, account_id: int) -> None:
        """Forgets the account and its queue. Its feeds and articles stay, as local feeds
        (fetched directly from now on), with every comment and state."""
        with self._write() as conn:
            self._require("accounts", account_id, "account")
            conn.execute(
                "UPDATE feeds SET remote_id = NULL, next_due = NULL WHERE account_id = ?",
                (account_id,),
            )
            conn.execute("DELETE FROM accounts WHERE id = ?", (account_id,))

    def account_cursor(self, account_id: int) -> dict[str, Any]:
        """The sync's own state for the account (a JSON object)."""
        value = self._scalar("SELECT cursor FROM accounts WHERE id = ?", (account_id,))
        if value is None:
            raise NotFoundError(f"no account with id {account_id}")
        loaded = json.loads(value)
        return loaded if isinstance(loaded, dict) else {}

    def record_account_sync(
        self,
        account_id: int,
        status: AccountStatus,
        at: datetime,
        *,
        message: str | None = None,
        cursor: Mapping[str, Any] | None = None,
    ) -> None:
        """Records how a sync ended; `OK` also makes `at` the last sync and saves `cursor`."""
        with self._write() as conn:
            self._require("accounts", account_id, "account")
            conn.execute(
                "UPDATE accounts SET status = ?, status_message = ?, last_attempt = ?, "
                "last_sync = CASE WHEN ? = 'ok' THEN ? ELSE last_sync END WHERE id = ?",
                (status.value, message, to_ts(at), status.value, to_ts(at), account_id),
            )
            if cursor is not None:
                conn.execute(
                    "UPDATE accounts SET cursor = ? WHERE id = ?", (json.dumps(cursor), account_id)
                )

    def save_account_cursor(self, account_id: int, cursor: Mapping[str, Any]) -> None:
        with self._write() as conn:
            self._require("accounts", account_id, "account")
            conn.execute(
                "UPDATE accounts SET cursor = ? WHERE id = ?", (json.dumps(cursor), account_id)
            )

    # --- the queue ---------------------------------------------------------------------------

    def pending_changes(self, account_id: int) -> list[PendingChange]:
        """The account's changes waiting to be sent, oldest first."""
        return [
            rows.pending_change(row)
            for row in self._rows(
                f"SELECT {_PENDING_COLUMNS} FROM pending_changes p WHERE p.account_id = ? "
                "ORDER BY p.id",
                (account_id,),
            )
        ]

    def forget_pending(self, change_ids: Sequence[int]) -> None:
        """Removes changes the server has taken. A change replaced meanwhile by a newer one
        of the same item has a new id, so the newer one stays queued."""
        with self._write() as conn:
            for part in chunks(list(change_ids)):
                conn.execute(
                    f"DELETE FROM pending_changes WHERE id IN ({placeholders(len(part))})", part
                )

    # --- what the server says ----------------------------------------------------------------

    def account_feed_ids(self, account_id: int) -> list[int]:
        """The ids of the account's feeds."""
        return [
            row[0] for row in self._rows("SELECT id FROM feeds WHERE account_id = ?", (account_id,))
        ]

    def account_feeds(self, account_id: int) -> dict[str, int]:
        """The account's feeds with a server id: server id -> local unread count."""
        return {
            row[0]: row[1]
            for row in self._rows(
                "SELECT f.remote_id, (SELECT count(*) FROM entries e WHERE e.feed_id = f.id "
                "AND e.read = 0) FROM feeds f WHERE f.account_id = ? AND f.remote_id IS NOT NULL",
                (account_id,),
            )
        }

    def apply_remote_subscriptions(
        self, account_id: int, feeds: Sequence[RemoteFeed]
    ) -> RemoteWriteResult:
        """Makes the account's subscriptions what the server lists, in one transaction.

        A listed feed is matched by its URL (a local feed of that URL joins the account);
        its title and folder follow the server unless a rename or move of it is queued. A
        label is read through the queued renames and deletions of folders (the server does
        not know of them yet), then found as a folder here: the feed's own folder if it has
        that name (nested or not), else a folder of that name, else the feed's folder is
        renamed when the server renamed it (its old name is no longer listed, no folder has
        the new one, and it holds only this account's feeds), else a new top-level folder.
        The account's feeds the server no longer lists go, with their articles, unless their
        subscription is still queued. A feed another account already holds stays with it (its
        articles, state and comments are that account's; this one's copies of its items are
        left out) and is named in `feeds_elsewhere`: one feed, one row, never taken back and
        forth by two servers."""
        added = 0
        elsewhere: list[str] = []
        with self._write() as conn:
            self._require("accounts", account_id, "account")
            waiting = {
                (kind, url)
                for kind, url in conn.execute(
                    "SELECT kind, feed_url FROM pending_changes WHERE account_id = ? "
                    "AND feed_url IS NOT NULL",
                    (account_id,),
                )
            }
            relabel = self._queued_labels(account_id)
            labels = {name for f in feeds if f.folder and (name := relabel.get(f.folder, f.folder))}
            listed: set[str] = set()
            for remote in feeds:
                if ("unsubscribe", remote.url) in waiting:
                    continue
                listed.add(remote.url)
                label = relabel.get(remote.folder, remote.folder) if remote.folder else None
                existing = self.feed_by_url(remote.url)
                if existing is not None and existing.account_id not in (None, account_id):
                    elsewhere.append(remote.url)
                    continue
                if existing is None:
                    conn.execute(
                        "INSERT INTO feeds(url, title, site_url, folder_id, added, account_id, "
                        "remote_id) VALUES (?, ?, ?, ?, strftime('%s', 'now'), ?, ?)",
                        (
                            remote.url,
                            remote.title,
                            remote.site_url,
                            self._label_folder(account_id, label, None, labels),
                            account_id,
                            remote.remote_id,
                        ),
                    )
                    added += 1
                    continue
                conn.execute(
                    "UPDATE feeds SET account_id = ?, remote_id = ?, "
                    "site_url = coalesce(?, site_url) WHERE id = ?",
                    (account_id, remote.remote_id, remote.site_url, existing.id),
                )
                if ("rename", remote.url) not in waiting and remote.title:
                    conn.execute(
                        "UPDATE feeds SET title = ?, custom_title = 0 WHERE id = ?",
                        (remote.title, existing.id),
                    )
                if ("move", remote.url) not in waiting:
                    folder_id = self._label_folder(account_id, label, existing.folder_id, labels)
                    conn.execute(
                        "UPDATE feeds SET folder_id = ? WHERE id = ?", (folder_id, existing.id)
                    )
            gone = [
                feed_id
                for feed_id, url in conn.execute(
                    "SELECT id, url FROM feeds WHERE account_id = ?", (account_id,)
                ).fetchall()
                if url not in listed and ("subscribe", url) not in waiting
            ]
            for part in chunks(gone):
                conn.execute(f"DELETE FROM feeds WHERE id IN ({placeholders(len(part))})", part)
        return RemoteWriteResult(
            feeds_added=added, feeds_removed=len(gone), feeds_elsewhere=tuple(elsewhere)
        )

    def _queued_labels(self, account_id: int) -> dict[str, str | None]:
        """What each label the server still lists is called here, after the folder renames
        and deletions queued for it (in order): old name -> new name (None: no folder)."""
        names: dict[str, str | None] = {}
        for value, previous in self._rows(
            "SELECT value, previous FROM pending_changes WHERE account_id = ? "
            "AND kind IN ('rename_folder', 'delete_folder') ORDER BY id",
            (account_id,),
        ):
            for old, new in names.items():
                if new == previous:
                    names[old] = value
            names.setdefault(previous, value)
        return names

    def _label_folder(
        self, account_id: int, label: str | None, current: int | None, labels: Collection[str]
    ) -> int | None:
        """The folder here for a feed the server lists under `label` (None: no folder),
        the feed being in folder `current` now (None: none, or a new feed); `labels` are all
        the labels the server lists. Creates or renames a folder when needed."""
        if label is None:
            return None
        name = None
        if current is not None:
            name = self._scalar("SELECT name FROM folders WHERE id = ?", (current,))
            if name == label:
                return current
        found = self._scalar(
            "SELECT id FROM folders WHERE name = ? ORDER BY parent_id IS NOT NULL, id LIMIT 1",
            (label,),
        )
        if found is not None:
            return int(found)
        if (
            current is not None
            and name not in labels
            and not self._scalar(
                "SELECT count(*) FROM feeds WHERE folder_id = ? "
                "AND (account_id IS NULL OR account_id != ?)",
                (current, account_id),
            )
        ):
            # Renamed on the server: the folder keeps its place, its rules and subfolders.
            self._conn.execute("UPDATE folders SET name = ? WHERE id = ?", (label, current))
            return current
        return self.ensure_folder_path((label,))

    def item_ids_of(self, account_id: int) -> dict[int, int]:
        """The server's item id of each of the account's entries: entry id -> item id."""
        return {
            row[0]: row[1]
            for row in self._rows(
                "SELECT entry_id, item_id FROM remote_items WHERE account_id = ?", (account_id,)
            )
        }

    def known_items(self, account_id: int, item_ids: Collection[int]) -> set[int]:
        """Those of `item_ids` that have an entry here."""
        found: set[int] = set()
        for part in chunks(list(item_ids)):
            found.update(
                row[0]
                for row in self._rows(
                    f"SELECT item_id FROM remote_items WHERE account_id = ? "
                    f"AND item_id IN ({placeholders(len(part))})",
                    (account_id, *part),
                )
            )
        return found

    def apply_remote_items(
        self,
        account_id: int,
        items: Sequence[RemoteItem],
        now: datetime,
        follow_ups: RemoteFollowUps | None = None,
    ) -> RemoteWriteResult:
        """Writes articles the server delivered, in one transaction: new ones are added,
        known ones updated (matched by item id, else by the article's own id or link in its
        feed, so a server that renumbered its items adds no duplicates), and their read and
        starred state set as the server says unless a local change of it is queued. Items of
        feeds not subscribed here are left out. The rules then run on the new entries, in
        the same transaction (their read/star actions are queued for the server), and the
        follow-up jobs `follow_ups` asks for are queued for those the rules kept (a local
        feed's write queues its jobs the same way)."""
        by_feed: dict[str, list[RemoteItem]] = {}
        for item in items:
            by_feed.setdefault(item.feed_remote_id, []).append(item)
        new_ids: list[int] = []
        planned: list[tuple[Feed, ParsedFeed, FeedWriteResult]] = []
        with self._write() as conn:
            self._require("accounts", account_id, "account")
            feed_ids = dict(
                conn.execute(
                    "SELECT remote_id, id FROM feeds WHERE account_id = ? "
                    "AND remote_id IS NOT NULL",
                    (account_id,),
                ).fetchall()
            )
            links: list[tuple[int, int, bool, bool]] = []
            for remote_id, group in by_feed.items():
                feed_id = feed_ids.get(remote_id)
                if feed_id is None:
                    continue
                self._rename_known_guids(account_id, feed_id, group)
                kept = merge_duplicates(item.entry for item in group)
                before = self.get_feed(feed_id) if follow_ups is not None else None
                written = self._write_entries(
                    feed_id, [prepare(e) for e in kept], to_ts(now) or 0, {}
                )
                new_ids.extend(written.new_entry_ids)
                if before is not None and written.new_entry_ids:
                    parsed = ParsedFeed(format="server", entries=tuple(kept))
                    planned.append((before, parsed, written))
                guids = [item.entry.id for item in group]
                entry_ids: dict[str, int] = {}
                for part in chunks(guids):
                    entry_ids.update(
                        conn.execute(
                            f"SELECT guid, id FROM entries WHERE feed_id = ? "
                            f"AND guid IN ({placeholders(len(part))})",
                            (feed_id, *part),
                        ).fetchall()
                    )
                links.extend(
                    (item.item_id, entry_ids[item.entry.id], item.read, item.starred)
                    for item in group
                    if item.entry.id in entry_ids
                )
            conn.executemany(
                "INSERT OR REPLACE INTO remote_items(account_id, item_id, entry_id) "
                "VALUES (?, ?, ?)",
                [(account_id, item_id, entry_id) for item_id, entry_id, _, _ in links],
            )
            changes = self._set_remote_flags(
                account_id, "read", [(entry_id, read) for _, entry_id, read, _ in links]
            ) + self._set_remote_flags(
                account_id, "starred", [(entry_id, star) for _, entry_id, _, star in links]
            )
            ran = self._apply_rules(new_ids, now)
            if follow_ups is not None:
                self._queue_remote_follow_ups(follow_ups, planned, ran.deleted, now)
        new_entries = len(new_ids) - len(ran.deleted)
        return RemoteWriteResult(
            new_entries=new_entries,
            state_changes=changes,
            notify_entry_ids=ran.notify,
            rule_problems=ran.problems,
        )

    def _queue_remote_follow_ups(
        self,
        follow_ups: RemoteFollowUps,
        planned: Sequence[tuple[Feed, ParsedFeed, FeedWriteResult]],
        deleted: Collection[int],
        now: datetime,
    ) -> None:
        gone = set(deleted)
        for feed, parsed, written in planned:
            if gone:
                written = replace(
                    written,
                    new_entry_ids=tuple(i for i in written.new_entry_ids if i not in gone),
                    new_entry_guids=tuple(p for p in written.new_entry_guids if p[0] not in gone),
                    new_images=tuple(p for p in written.new_images if p[0] not in gone),
                )
            self.add_follow_ups(follow_ups(feed, parsed, written), now)

    def _rename_known_guids(
        self, account_id: int, feed_id: int, items: Iterable[RemoteItem]
    ) -> None:
        """An item already known by its id keeps its entry even if the server now gives it
        another link (the article's own id here): the entry takes the new guid first."""
        conn = self._conn
        for item in items:
            row = conn.execute(
                "SELECT e.id, e.guid FROM remote_items r JOIN entries e ON e.id = r.entry_id "
                "WHERE r.account_id = ? AND r.item_id = ? AND e.feed_id = ?",
                (account_id, item.item_id, feed_id),
            ).fetchone()
            if row is None or row[1] == item.entry.id:
                continue
            taken = conn.execute(
                "SELECT 1 FROM entries WHERE feed_id = ? AND guid = ?", (feed_id, item.entry.id)
            ).fetchone()
            if taken is None:
                conn.execute("UPDATE entries SET guid = ? WHERE id = ?", (item.entry.id, row[0]))

    def apply_remote_states(
        self,
        account_id: int,
        *,
        unread: Collection[int] | None = None,
        starred: Collection[int] | None = None,
    ) -> int:
        """Sets the read and starred state of every article of the account from the server's
        complete lists of unread and starred item ids (None: that list was not fetched),
        except where a local change is queued. Returns how many entries changed."""
        changed = 0
        with self._write() as conn:
            self._require("accounts", account_id, "account")
            for column, ids, marked_when_listed in (
                ("read", unread, False),
                ("starred", starred, True),
            ):
                if ids is None:
                    continue
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS listed_items(id INTEGER PRIMARY KEY)")
                conn.execute("DELETE FROM temp.listed_items")
                conn.executemany(
                    "INSERT OR IGNORE INTO temp.listed_items(id) VALUES (?)", [(i,) for i in ids]
                )
                kinds = _PENDING_READ if column == "read" else _PENDING_STAR
                listed = "r.item_id IN temp.listed_items"
                value = listed if marked_when_listed else f"NOT ({listed})"
                changed += conn.execute(
                    f"UPDATE entries SET {column} = v.value FROM (SELECT r.entry_id, ({value}) "
                    "AS value FROM remote_items r WHERE r.account_id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM pending_changes p WHERE p.account_id = r.account_id "
                    f"AND p.item_id = r.item_id AND p.kind IN {kinds})) AS v "
                    f"WHERE entries.id = v.entry_id AND entries.{column} != v.value",
                    (account_id,),
                ).rowcount
        return changed

    def _set_remote_flags(
        self, account_id: int, column: str, states: Sequence[tuple[int, bool]]
    ) -> int:
        kinds = _PENDING_READ if column == "read" else _PENDING_STAR
        changed = 0
        for entry_id, value in states:
            changed += self._conn.execute(
                f"UPDATE entries SET {column} = ? WHERE id = ? AND {column} != ? AND NOT EXISTS "
                "(SELECT 1 FROM pending_changes p JOIN remote_items r ON r.item_id = p.item_id "
                "AND r.account_id = p.account_id WHERE r.entry_id = entries.id "
                f"AND p.account_id = ? AND p.kind IN {kinds})",
                (value, entry_id, value, account_id),
            ).rowcount
        return changed
