"""Writing local changes into the queue of changes for feed-server accounts.

Every store method that changes what a server owns (read and starred state of its articles,
its subscriptions, the folders its feeds are in) calls these inside its own transaction, so
the change and its queue row are committed together or not at all. Changes to local feeds
and entries queue nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from newsreader.errors import StoreError
from newsreader.store.types import PendingKind

FEVER_READ_ONLY = (
    "the Fever API cannot change subscriptions: subscribe, unsubscribe, rename and move "
    "this account's feeds on the server's own pages, then sync"
)
_ITEM_KINDS: dict[tuple[str, bool], PendingKind] = {
    ("read", True): "read",
    ("read", False): "unread",
    ("starred", True): "star",
    ("starred", False): "unstar",
}


def queue_item_changes(
    conn: sqlite3.Connection, column: str, value: bool, where: str, params: Sequence[Any]
) -> int:
    """Queues the change of `column` ("read" or "starred") to `value` for the server articles
    among the entries `where` selects (an SQL condition on alias `e`) whose state differs.
    A later change of the same item and kind replaces an earlier one still waiting (read
    after unread leaves one `read`). Returns how many were queued."""
    kind = _ITEM_KINDS[(column, value)]
    return conn.execute(
        "INSERT OR REPLACE INTO pending_changes(account_id, kind, item_id, queued) "
        "SELECT r.account_id, ?, r.item_id, strftime('%s', 'now') FROM entries e "
        f"JOIN remote_items r ON r.entry_id = e.id WHERE e.{column} != ? AND ({where})",
        (kind, value, *params),
    ).rowcount


def queue_feed_change(
    conn: sqlite3.Connection,
    feed_id: int,
    kind: PendingKind,
    *,
    value: str | None = None,
    previous: str | None = None,
) -> None:
    """Queues a subscription change of a server account's feed (nothing for a local feed).
    StoreError for a Fever account, whose subscriptions cannot be changed from here."""
    row = conn.execute(
        "SELECT f.account_id, f.url, f.remote_id, a.kind FROM feeds f "
        "JOIN accounts a ON a.id = f.account_id WHERE f.id = ?",
        (feed_id,),
    ).fetchone()
    if row is None:
        return
    account_id, url, remote_id, account_kind = row
    if account_kind != "greader":
        raise StoreError(FEVER_READ_ONLY)
    conn.execute(
        "INSERT INTO pending_changes(account_id, kind, feed_url, remote_id, value, previous, "
        "queued) VALUES (?, ?, ?, ?, ?, ?, strftime('%s', 'now'))",
        (account_id, kind, url, remote_id, value, previous),
    )


def folder_name(conn: sqlite3.Connection, folder_id: int | None) -> str | None:
    """The name a server knows a folder by (its label): the folder's own name."""
    if folder_id is None:
        return None
    row = conn.execute("SELECT name FROM folders WHERE id = ?", (folder_id,)).fetchone()
    return None if row is None else str(row[0])


FEVER_FOLDERS_READ_ONLY = (
    "the folder {name!r} holds feeds of a Fever account, whose folders cannot be changed "
    "from here: rename or delete it on the server's own pages, then sync"
)


def folder_accounts(conn: sqlite3.Connection, folder_id: int, name: str) -> list[int]:
    """The server accounts with feeds directly in the folder named `name` (a server's label
    of a feed is the name of the folder it is in), by id. StoreError when one is a Fever
    account: Fever cannot change folders, so neither a rename nor a deletion is possible."""
    rows = conn.execute(
        "SELECT DISTINCT a.id, a.kind FROM feeds f JOIN accounts a ON a.id = f.account_id "
        "WHERE f.folder_id = ? ORDER BY a.id",
        (folder_id,),
    ).fetchall()
    if any(kind != "greader" for _, kind in rows):
        raise StoreError(FEVER_FOLDERS_READ_ONLY.format(name=name))
    return [account_id for account_id, _ in rows]


def queue_folder_change(
    conn: sqlite3.Connection,
    account_ids: Sequence[int],
    kind: PendingKind,
    name: str,
    value: str | None,
) -> None:
    """Queues the rename (`rename_folder`, `value` the new name) or the deletion
    (`delete_folder`, `value` the folder its feeds moved to, None: none) of the label
    `name` for each of these accounts."""
    conn.executemany(
        "INSERT INTO pending_changes(account_id, kind, value, previous, queued) "
        "VALUES (?, ?, ?, ?, strftime('%s', 'now'))",
        [(account_id, kind, value, name) for account_id in account_ids],
    )
