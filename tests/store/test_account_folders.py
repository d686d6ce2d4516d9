"""Folders of feed-server accounts in the store: renaming and deleting one queues the change
for the server in the same transaction, and what the server lists is read through the queued
folder changes; folders renamed or nested are found again, never duplicated."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from newsreader.errors import StoreError
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.store.schema import MIGRATIONS
from newsreader.store.types import RemoteFeed

ALPHA = RemoteFeed(remote_id="feed/1", url="https://a.example/feed", title="Alpha", folder="News")
BETA = RemoteFeed(remote_id="feed/2", url="https://b.example/feed", title="Beta", folder="News")


@pytest.fixture
def account(store: Store) -> int:
    account_id = store.add_account(AccountKind.GREADER, "https://example.org/api", "me").id
    store.apply_remote_subscriptions(account_id, [ALPHA, BETA])
    return account_id


def _folder_of(store: Store, url: str) -> tuple[str, ...]:
    feed = store.feed_by_url(url)
    assert feed is not None
    return store.folder_path(feed.folder_id)


def _queue(store: Store, account: int) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(c.kind, c.feed_url, c.value, c.previous) for c in store.pending_changes(account)]


def test_renaming_a_folder_queues_the_label_rename(store: Store, account: int) -> None:
    folder = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
    assert folder is not None
    store.rename_folder(folder, "World")
    assert _queue(store, account) == [("rename_folder", None, "World", "News")]
    # Until it is sent the server still says "News": the feeds stay in the renamed folder.
    store.apply_remote_subscriptions(account, [ALPHA, BETA])
    assert _folder_of(store, ALPHA.url) == ("World",)
    assert [f.name for f in store.list_folders()] == ["World"]
    # Renamed again before a sync: both renames go, in order, and "News" still reads "Later".
    store.rename_folder(folder, "Later")
    store.apply_remote_subscriptions(account, [ALPHA, BETA])
    assert _folder_of(store, BETA.url) == ("Later",)
    assert [c[0] for c in _queue(store, account)] == ["rename_folder", "rename_folder"]


def test_a_folder_of_local_feeds_queues_nothing(store: Store, account: int) -> None:
    folder = store.add_folder("Mine")
    store.add_feed("https://local.example/feed", folder_id=folder.id)
    store.rename_folder(folder.id, "Ours")
    store.delete_folder(folder.id)
    assert _queue(store, account) == []


def test_deleting_a_top_level_folder_queues_its_deletion(store: Store, account: int) -> None:
    folder = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
    assert folder is not None
    store.delete_folder(folder)
    assert _queue(store, account) == [("delete_folder", None, None, "News")]
    store.apply_remote_subscriptions(account, [ALPHA, BETA])  # not sent yet
    assert _folder_of(store, ALPHA.url) == ()
    assert store.list_folders() == []


def test_deleting_a_nested_folder_queues_the_moves_then_the_deletion(
    store: Store, account: int
) -> None:
    top = store.add_folder("Reading")
    news = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
    assert news is not None
    store._conn.execute("UPDATE folders SET parent_id = ? WHERE id = ?", (top.id, news))
    store.delete_folder(news)
    assert _queue(store, account) == [
        ("move", ALPHA.url, "Reading", "News"),
        ("move", BETA.url, "Reading", "News"),
        ("delete_folder", None, "Reading", "News"),
    ]
    store.apply_remote_subscriptions(account, [ALPHA, BETA])
    assert _folder_of(store, ALPHA.url) == ("Reading",)


def test_a_fever_accounts_folder_cannot_be_renamed_or_deleted(store: Store) -> None:
    fever = store.add_account(AccountKind.FEVER, "https://example.org/fever", "me").id
    store.apply_remote_subscriptions(fever, [ALPHA])
    folder = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
    assert folder is not None
    for change in (
        lambda: store.rename_folder(folder, "World"),
        lambda: store.delete_folder(folder),
    ):
        with pytest.raises(StoreError, match="Fever account"):
            change()
    assert [f.name for f in store.list_folders()] == ["News"]
    assert _folder_of(store, ALPHA.url) == ("News",)
    assert store.pending_changes(fever) == []


def test_the_queue_row_and_the_rename_are_one_transaction(store: Store, account: int) -> None:
    folder = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
    assert folder is not None
    store._conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON pending_changes "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises((StoreError, sqlite3.Error)):
        store.rename_folder(folder, "World")
    assert [f.name for f in store.list_folders()] == ["News"]


def test_a_folder_renamed_on_the_server_is_renamed_here(store: Store, account: int) -> None:
    """NetNewsWire issue 1074: a folder renamed on the server left its feeds at the top."""
    folder = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
    renamed = [RemoteFeed(f.remote_id, f.url, f.title, folder="World") for f in (ALPHA, BETA)]
    store.apply_remote_subscriptions(account, renamed)
    assert [(f.id, f.name) for f in store.list_folders()] == [(folder, "World")]
    assert _folder_of(store, BETA.url) == ("World",)


def test_a_feed_moved_on_the_server_keeps_the_folder_it_is_in_when_nested(
    store: Store, account: int
) -> None:
    """A label is a folder's own name: a feed in Reading/News stays there, and a feed the
    server moves into "News" joins that nested folder, not a new top-level one."""
    top = store.add_folder("Reading")
    news = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
    store._conn.execute("UPDATE folders SET parent_id = ? WHERE id = ?", (top.id, news))
    gamma = RemoteFeed("feed/3", "https://c.example/feed", "Gamma", folder="Other")
    store.apply_remote_subscriptions(account, [ALPHA, BETA, gamma])
    assert _folder_of(store, ALPHA.url) == ("Reading", "News")
    moved = RemoteFeed("feed/3", "https://c.example/feed", "Gamma", folder="News")
    store.apply_remote_subscriptions(account, [ALPHA, BETA, moved])
    assert _folder_of(store, moved.url) == ("Reading", "News")
    assert sorted(f.name for f in store.list_folders()) == ["News", "Other", "Reading"]


def test_changes_queued_before_step_0011_are_kept_in_order(data_paths: DataPaths) -> None:
    conn = sqlite3.connect(data_paths.store, isolation_level=None)
    MIGRATIONS.apply(Database(conn), stop_before="0011_account_changes")
    conn.execute(
        "INSERT INTO accounts(id, kind, url, username, added) "
        "VALUES (1, 'greader', 'https://example.org/api', 'me', 1700000000)"
    )
    conn.executemany(
        "INSERT INTO pending_changes(id, account_id, kind, item_id, feed_url, value, queued) "
        "VALUES (?, 1, ?, ?, ?, ?, 1700000000)",
        [(4, "read", 77, None, None), (9, "subscribe", None, "https://a.example/feed", "A")],
    )
    conn.close()

    with Store.open(data_paths) as store:
        assert [(c.id, c.kind, c.item_id, c.value) for c in store.pending_changes(1)] == [
            (4, "read", 77, None),
            (9, "subscribe", None, "A"),
        ]
        store.apply_remote_subscriptions(1, [ALPHA])
        folder = store.feed_by_url(ALPHA.url).folder_id  # type: ignore[union-attr]
        assert folder is not None
        store.rename_folder(folder, "World")
        assert store.pending_changes(1)[-1].kind == "rename_folder"
        assert store.integrity_check() == []
