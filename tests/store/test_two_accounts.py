"""Two feed-server accounts listing the same feed: the account that holds it keeps it, with its
articles, state and comments; the other is told, and its syncs neither take the feed over nor
delete it (before, each sync moved the row to the account that synced last)."""

from __future__ import annotations

from datetime import UTC, datetime

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
