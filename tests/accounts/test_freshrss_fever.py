"""Round trips with a real FreshRSS server through the Fever API."""

from __future__ import annotations

import pytest

from newsreader.accounts.greader import READ
from newsreader.errors import StoreError
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.accounts.freshrss import ServerUser
from tests.accounts.helpers import add_account, entries, feeds, item_ids, sync


@pytest.fixture
def account(data_paths: DataPaths, server_user: ServerUser) -> int:
    return add_account(
        data_paths, AccountKind.FEVER, server_user.server.fever_url, server_user.name
    )


def test_first_sync_brings_feeds_groups_articles_and_state(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    other = server_user.client()
    first = min(other.all_ids())
    other.post("/edit-tag", {"a": READ, "i": str(first)})

    result = sync(data_paths, account)

    assert result.ok, result.message
    feed_url = server_user.server.feed_url
    assert set(feeds(data_paths)) == {f"{feed_url}/alpha.xml", f"{feed_url}/beta.xml"}
    with Store.open(data_paths) as store:
        assert [f.name for f in store.list_folders()] == ["Tests"]
    ids = item_ids(data_paths, account)
    assert set(ids.values()) == other.all_ids()
    assert [ids[e.id] for e in entries(data_paths) if e.read] == [first]
    again = sync(data_paths, account)
    assert again.ok and again.requests <= 3
    assert (again.new_entries, again.state_changes) == (0, 0)


def test_marks_go_both_ways(data_paths: DataPaths, server_user: ServerUser, account: int) -> None:
    assert sync(data_paths, account).ok
    other = server_user.client()
    got = sorted(entries(data_paths), key=lambda e: e.id)
    ids = item_ids(data_paths, account)
    with Store.open(data_paths) as store:
        store.set_read([got[0].id], True)
        store.set_starred([got[1].id], True)
    other.post("/edit-tag", {"a": READ, "i": str(ids[got[2].id])})

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert ids[got[0].id] not in other.unread_ids()
    assert other.starred_ids() == {ids[got[1].id]}
    by_id = {e.id: e for e in entries(data_paths)}
    assert by_id[got[2].id].read
    assert by_id[got[0].id].read and by_id[got[1].id].starred


def test_subscriptions_are_read_only_and_say_so(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    assert sync(data_paths, account).ok
    alpha = next(iter(feeds(data_paths).values()))
    with Store.open(data_paths) as store:
        for change in (
            lambda: store.add_feed(f"{server_user.server.feed_url}/gamma.xml", account_id=account),
            lambda: store.rename_feed(alpha.id, "mine"),
            lambda: store.move_feed(alpha.id, None),
            lambda: store.delete_feed(alpha.id),
        ):
            with pytest.raises(StoreError, match="Fever API cannot change subscriptions"):
                change()
        assert store.get_feed(alpha.id).title == alpha.title
        assert store.get_account(account).pending == 0


def test_a_second_account_listing_the_same_feeds_leaves_them_to_the_first(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    """The same FreshRSS user added twice (Fever, then Google Reader): one row per feed and
    per article, held by the first account; the second's sync says so and takes nothing."""
    assert sync(data_paths, account).ok
    before = {e.link: e.id for e in entries(data_paths)}
    second = add_account(
        data_paths, AccountKind.GREADER, server_user.server.greader_url, server_user.name
    )

    result = sync(data_paths, second)

    feed_url = server_user.server.feed_url
    listed = {f"{feed_url}/alpha.xml", f"{feed_url}/beta.xml"}
    assert result.ok, result.message
    assert set(result.feeds_elsewhere) == listed
    assert result.message == "2 feeds also listed by another account, which keeps them"
    assert {url: f.account_id for url, f in feeds(data_paths).items()} == dict.fromkeys(
        listed, account
    )
    assert {e.link: e.id for e in entries(data_paths)} == before
    again = sync(data_paths, second)  # said once, when it first happened
    assert set(again.feeds_elsewhere) == listed
    assert (again.elsewhere_news, again.message) == ((), None)
    assert sync(data_paths, account).feeds_elsewhere == ()
    assert {f.account_id for f in feeds(data_paths).values()} == {account}
