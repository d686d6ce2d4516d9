"""Two feed-server accounts listing the same feed: the account that holds it keeps it, with its
articles, state and comments; the other is told, and its syncs neither take the feed over nor
delete it (before, each sync moved the row to the account that synced last)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsreader.errors import StoreError
from newsreader.model import AccountKind, ParsedEntry
from newsreader.store import EntryQuery, Store
from newsreader.store.types import RemoteFeed, RemoteItem

URL = "https://shared.example/feed"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _accounts(store: Store) -> tuple[int, int]:
    first = store.add_account(AccountKind.GREADER, "https://one.example/api", "me").id
    second = store.add_account(AccountKind.FEVER, "https://two.example/fever", "me").id
    return first, second


def _item(item_id: int, remote_feed: str, guid: str, *, read: bool) -> RemoteItem:
    entry = ParsedEntry(id=guid, title=f"Story {guid}", link=f"https://shared.example/{guid}")
    return RemoteItem(item_id=item_id, feed_remote_id=remote_feed, entry=entry, read=read)


def test_a_feed_listed_by_two_accounts_stays_with_the_one_holding_it(store: Store) -> None:
    first, second = _accounts(store)
    store.apply_remote_subscriptions(first, [RemoteFeed("feed/1", URL, "Shared")])
    store.apply_remote_items(first, [_item(11, "feed/1", "a", read=False)], NOW)
    feed = store.feed_by_url(URL)
    assert feed is not None and feed.account_id == first
    (entry,) = store.list_entries(EntryQuery(feed_ids=(feed.id,)))
    store.add_comment(entry.id, "mine", author="me")

    result = store.apply_remote_subscriptions(second, [RemoteFeed("7", URL, "Shared too")])
    assert result.feeds_elsewhere == (URL,)
    assert result.feeds_added == 0
    items = store.apply_remote_items(second, [_item(99, "7", "a", read=True)], NOW)
    assert items.new_entries == 0 and items.state_changes == 0

    store.apply_remote_subscriptions(first, [RemoteFeed("feed/1", URL, "Shared")])
    store.apply_remote_subscriptions(second, [])  # the second stops listing it: nothing goes
    kept = store.feed_by_url(URL)
    assert kept is not None
    assert (kept.id, kept.account_id, kept.title) == (feed.id, first, "Shared")
    (still,) = store.list_entries(EntryQuery(feed_ids=(feed.id,)))
    assert (still.id, still.read) == (entry.id, False)
    assert [c.body for c in store.list_comments(entry.id)] == ["mine"]


def test_a_feed_left_local_by_a_removed_account_joins_the_other(store: Store) -> None:
    first, second = _accounts(store)
    store.apply_remote_subscriptions(first, [RemoteFeed("feed/1", URL)])
    store.remove_account(first)

    result = store.apply_remote_subscriptions(second, [RemoteFeed("7", URL)])

    assert result.feeds_elsewhere == ()
    feed = store.feed_by_url(URL)
    assert feed is not None and feed.account_id == second


def test_subscribing_through_an_account_takes_a_local_feed_along(store: Store) -> None:
    first, _ = _accounts(store)
    local = store.add_feed(URL, title="Mine")

    joined = store.add_feed(URL, account_id=first)

    assert (joined.id, joined.account_id, joined.title) == (local.id, first, "Mine")
    assert [(c.kind, c.feed_url, c.value) for c in store.pending_changes(first)] == [
        ("subscribe", URL, "Mine")
    ]
    assert store.add_feed(URL, account_id=first) == joined  # already there: nothing queued
    assert len(store.pending_changes(first)) == 1


def test_subscribing_through_a_second_account_names_the_one_holding_the_feed(
    store: Store,
) -> None:
    first, second = _accounts(store)
    store.add_feed(URL, account_id=first)
    other = store.add_account(AccountKind.GREADER, "https://three.example/api", "you").id

    with pytest.raises(StoreError, match=r"already subscribed through me at https://one\.example"):
        store.add_feed(URL, account_id=other)
    with pytest.raises(StoreError):  # a Fever account cannot subscribe: nothing changes
        store.add_feed("https://local.example/feed", account_id=second)

    feed = store.feed_by_url(URL)
    assert feed is not None and feed.account_id == first
    assert store.pending_changes(other) == []
    assert store.feed_by_url("https://local.example/feed") is None
