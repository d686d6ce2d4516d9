"""The store's side of feed-server accounts: the queue written with each change, what the
server says applied without overriding changes still queued, one row per item."""

from __future__ import annotations

import sqlite3

import pytest

from newsreader.errors import StoreError
from newsreader.model import AccountKind, Entry
from newsreader.store import EntryQuery, Store
from newsreader.store.types import RemoteFeed, RemoteItem
from tests.store.builders import NOW, entry

FEED = RemoteFeed(
    remote_id="feed/7", url="https://example.org/feed.xml", title="Example", folder="News"
)


def _item(number: int, **fields: object) -> RemoteItem:
    return RemoteItem(
        item_id=1000 + number, feed_remote_id="feed/7", entry=entry(f"e{number}"), **fields
    )  # type: ignore[arg-type]


@pytest.fixture
def account(store: Store) -> int:
    account_id = store.add_account(AccountKind.GREADER, "https://example.org/api", "me").id
    store.apply_remote_subscriptions(account_id, [FEED])
    store.apply_remote_items(account_id, [_item(1), _item(2), _item(3)], NOW)
    return account_id


def _entries(store: Store) -> dict[str, Entry]:
    return {e.guid: e for e in store.list_entries(EntryQuery())}


def test_server_items_become_entries_in_the_server_folder(store: Store, account: int) -> None:
    (feed,) = store.list_feeds()
    assert (feed.account_id, feed.title) == (account, "Example")
    assert store.folder_path(feed.folder_id) == ("News",)
    assert sorted(_entries(store)) == ["e1", "e2", "e3"]
    assert sorted(store.item_ids_of(account).values()) == [1001, 1002, 1003]


def test_marks_queue_one_change_per_item_and_kind(store: Store, account: int) -> None:
    ids = {guid: e.id for guid, e in _entries(store).items()}
    store.set_read([ids["e1"], ids["e2"]], True)
    store.set_read([ids["e2"]], False)  # replaces the read of e2
    store.set_starred([ids["e2"]], True)
    store.set_read([ids["e3"]], False)  # already unread: nothing to send

    queued = [(c.kind, c.item_id) for c in store.pending_changes(account)]

    assert sorted(queued) == [("read", 1001), ("star", 1002), ("unread", 1002)]


def test_mark_all_read_queues_every_entry_it_marks(store: Store, account: int) -> None:
    assert store.mark_all_read(EntryQuery()) == 3
    assert sorted(c.item_id for c in store.pending_changes(account)) == [1001, 1002, 1003]


def test_the_queue_row_is_in_the_same_transaction_as_the_change(store: Store, account: int) -> None:
    ids = [e.id for e in _entries(store).values()]
    other = sqlite3.connect(store.paths.store, isolation_level=None)
    try:  # a queue that cannot take the row makes the mark fail as a whole
        other.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON pending_changes "
            "BEGIN SELECT RAISE(ABORT, 'queue full'); END"
        )
    finally:
        other.close()
    with pytest.raises(StoreError, match="queue full"):
        store.set_read(ids, True)
    assert not any(e.read for e in _entries(store).values())


def test_local_feeds_queue_nothing(store: Store, account: int) -> None:
    local = store.add_feed("https://example.com/local.xml")
    store.rename_feed(local.id, "Mine")
    store.delete_feed(local.id)
    assert store.pending_changes(account) == []


def test_a_queued_change_wins_over_what_the_server_says(store: Store, account: int) -> None:
    """NetNewsWire issue 1519: a sync that reads the server's state before our mark reached
    it must not undo the mark."""
    ids = {guid: e.id for guid, e in _entries(store).items()}
    store.set_read([ids["e1"]], True)
    store.set_starred([ids["e2"]], True)

    store.apply_remote_states(account, unread={1001, 1002, 1003}, starred=set())
    store.apply_remote_items(account, [_item(1, read=False), _item(2, starred=False)], NOW)

    now = _entries(store)
    assert now["e1"].read and now["e2"].starred
    store.forget_pending([c.id for c in store.pending_changes(account)])
    store.apply_remote_states(account, unread={1001, 1002, 1003}, starred=set())
    now = _entries(store)
    assert not now["e1"].read and not now["e2"].starred


def test_a_newer_mark_stays_queued_when_an_older_one_is_forgotten(
    store: Store, account: int
) -> None:
    entry_id = _entries(store)["e1"].id
    store.set_read([entry_id], True)
    sent = [c.id for c in store.pending_changes(account)]
    store.set_read([entry_id], False)  # while the read was on its way
    store.forget_pending(sent)
    assert [(c.kind, c.item_id) for c in store.pending_changes(account)] == [("unread", 1001)]


def test_a_renumbered_item_keeps_its_entry(store: Store, account: int) -> None:
    before = _entries(store)
    renumbered = RemoteItem(item_id=5001, feed_remote_id="feed/7", entry=entry("e1"))
    store.apply_remote_items(account, [renumbered], NOW)
    after = _entries(store)
    assert after["e1"].id == before["e1"].id and len(after) == 3
    assert store.item_ids_of(account)[before["e1"].id] == 5001


def test_subscription_changes_are_queued_in_order(store: Store, account: int) -> None:
    (feed,) = store.list_feeds()
    folder = store.add_folder("Later")
    store.rename_feed(feed.id, "Renamed")
    store.move_feed(feed.id, folder.id)
    added = store.add_feed("https://example.net/new.xml", folder_id=folder.id, account_id=account)
    store.delete_feed(feed.id)

    queued = store.pending_changes(account)

    assert [(c.kind, c.value, c.previous) for c in queued] == [
        ("rename", "Renamed", None),
        ("move", "Later", "News"),
        ("subscribe", None, "Later"),
        ("unsubscribe", None, None),
    ]
    assert queued[-1].remote_id == "feed/7" and added.account_id == account
    # what the server lists next does not drop the subscription still queued
    store.apply_remote_subscriptions(account, [])
    assert [f.url for f in store.list_feeds()] == ["https://example.net/new.xml"]


def test_server_feeds_are_never_fetched_directly(store: Store, account: int) -> None:
    local = store.add_feed("https://example.com/local.xml")
    assert [f.id for f in store.due_feeds(NOW)] == [local.id]


def test_removing_an_account_keeps_its_feeds_and_comments_as_local(
    store: Store, account: int
) -> None:
    entry_id = _entries(store)["e1"].id
    store.add_comment(entry_id, "mine", author="me")
    store.set_read([entry_id], True)
    store.remove_account(account)
    (feed,) = store.list_feeds()
    assert feed.account_id is None
    assert [c.body for c in store.list_comments(entry_id)] == ["mine"]
    assert store.list_accounts() == []
    assert [f.id for f in store.due_feeds(NOW)] == [feed.id]
