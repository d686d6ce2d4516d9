"""Round trips with a real FreshRSS server through the Google Reader API: what changes here
reaches the server, what changes there (as from another device) arrives here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.accounts.greader import READ, STARRED
from newsreader.model import AccountKind, AccountStatus
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.accounts.freshrss import ServerUser
from tests.accounts.helpers import add_account, entries, feeds, item_ids, sync
from tests.sync.memory_keyring import MemoryKeyring


@pytest.fixture
def account(data_paths: DataPaths, server_user: ServerUser) -> int:
    return add_account(
        data_paths, AccountKind.GREADER, server_user.server.greader_url, server_user.name
    )


def test_first_sync_brings_subscriptions_folders_articles_and_state(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    other = server_user.client()
    first = min(other.all_ids())
    other.post("/edit-tag", {"a": STARRED, "i": str(first)})

    result = sync(data_paths, account)

    assert result.ok, result.message
    subscribed = feeds(data_paths)
    feed_url = server_user.server.feed_url
    assert set(subscribed) == {f"{feed_url}/alpha.xml", f"{feed_url}/beta.xml"}
    with Store.open(data_paths) as store:
        folders = {f.id: f.name for f in store.list_folders()}
        assert store.get_account(account).status is AccountStatus.OK
    assert {folders[f.folder_id] for f in subscribed.values() if f.folder_id} == {"Tests"}
    assert all(f.account_id == account for f in subscribed.values())
    got = entries(data_paths)
    assert sorted(e.title for e in got) == ["Alpha one", "Alpha two", "Beta one", "Beta two"]
    ids = item_ids(data_paths, account)
    assert set(ids.values()) == other.all_ids()  # one row per item, either id spelling
    starred = [e for e in got if e.starred]
    assert [ids[e.id] for e in starred] == [first]


def test_a_sync_with_nothing_new_is_three_small_requests(
    data_paths: DataPaths, account: int
) -> None:
    assert sync(data_paths, account).ok
    again = sync(data_paths, account)
    assert again.ok
    assert (again.new_entries, again.state_changes, again.sent) == (0, 0, 0)
    assert again.requests <= 3  # unread counts, starred ids (and a login if no token is kept)


def test_marked_read_and_starred_on_the_server_arrive_here(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    assert sync(data_paths, account).ok
    other = server_user.client()
    ids = item_ids(data_paths, account)
    read_item, star_item = sorted(ids.values())[:2]
    other.post("/edit-tag", {"a": READ, "i": str(read_item)})
    other.post("/edit-tag", {"a": STARRED, "i": str(star_item)})

    result = sync(data_paths, account)

    assert result.ok, result.message
    by_item = {ids[e.id]: e for e in entries(data_paths)}
    assert by_item[read_item].read and not by_item[star_item].read
    assert by_item[star_item].starred and not by_item[read_item].starred
    assert sum(e.read for e in by_item.values()) == 1


def test_read_unread_star_and_unstar_here_reach_the_server(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    assert sync(data_paths, account).ok
    got = sorted(entries(data_paths), key=lambda e: e.id)
    ids = item_ids(data_paths, account)
    with Store.open(data_paths) as store:
        store.set_read([got[0].id, got[1].id], True)
        store.set_read([got[1].id], False)  # read then unread: one change left, unread
        store.set_starred([got[2].id], True)
        assert store.get_account(account).pending == 3

    result = sync(data_paths, account)

    assert result.ok, result.message
    other = server_user.client()
    assert ids[got[0].id] not in other.unread_ids()
    assert ids[got[1].id] in other.unread_ids()
    assert other.starred_ids() == {ids[got[2].id]}
    with Store.open(data_paths) as store:
        assert store.get_account(account).pending == 0
        store.set_starred([got[2].id], False)
    assert sync(data_paths, account).ok
    assert other.starred_ids() == set()


def test_subscribe_rename_move_and_unsubscribe_here_reach_the_server(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    assert sync(data_paths, account).ok
    feed_url = server_user.server.feed_url
    gamma = f"{feed_url}/gamma.xml"
    with Store.open(data_paths) as store:
        folder = store.add_folder("Later")
        store.add_feed(gamma, title="My Gamma", folder_id=folder.id, account_id=account)

    assert sync(data_paths, account).ok
    other = server_user.client()
    listed = other.subscription_urls()
    assert gamma in listed
    assert listed[gamma]["title"] == "My Gamma"
    assert [c["label"] for c in listed[gamma]["categories"]] == ["Later"]  # type: ignore[union-attr]
    assert "Gamma one" in {e.title for e in entries(data_paths)}

    alpha = feeds(data_paths)[f"{feed_url}/alpha.xml"]
    beta = feeds(data_paths)[f"{feed_url}/beta.xml"]
    with Store.open(data_paths) as store:
        store.rename_feed(alpha.id, "Alpha renamed")
        store.move_feed(alpha.id, folder.id)
        store.delete_feed(beta.id)
    result = sync(data_paths, account)

    assert result.ok, result.message
    listed = other.subscription_urls()
    assert f"{feed_url}/beta.xml" not in listed
    assert listed[f"{feed_url}/alpha.xml"]["title"] == "Alpha renamed"
    assert [c["label"] for c in listed[f"{feed_url}/alpha.xml"]["categories"]] == ["Later"]  # type: ignore[union-attr]
    assert set(feeds(data_paths)) == {f"{feed_url}/alpha.xml", gamma}


def test_subscriptions_changed_on_the_server_arrive_here(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    assert sync(data_paths, account).ok
    feed_url = server_user.server.feed_url
    other = server_user.client()
    other.post("/subscription/quickadd", {"quickadd": f"{feed_url}/gamma.xml"})
    other.post(
        "/subscription/edit",
        {
            "ac": "unsubscribe",
            "s": "feed/"
            + str(other.subscription_urls()[f"{feed_url}/beta.xml"]["id"]).removeprefix("feed/"),
        },
    )

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert set(feeds(data_paths)) == {f"{feed_url}/alpha.xml", f"{feed_url}/gamma.xml"}
    assert {e.title for e in entries(data_paths)} >= {"Gamma one", "Gamma two"}
    assert not {"Beta one", "Beta two"} & {e.title for e in entries(data_paths)}


def test_a_server_that_renumbered_its_items_adds_no_duplicates(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    assert sync(data_paths, account).ok
    before = {e.link: e.id for e in entries(data_paths)}
    with Store.open(data_paths) as store:
        store.add_comment(next(iter(before.values())), "mine", author="me")
    server = server_user.server
    server.php("cli/delete-user.php", "--user", server_user.name)  # a reinstall
    server.php(
        "cli/create-user.php",
        "--user",
        server_user.name,
        "--password",
        "webpass1",
        "--api-password",
        server_user.password,
    )
    server.php("cli/actualize-user.php", "--user", server_user.name)

    result = sync(data_paths, account)

    assert result.ok, result.message
    after = {e.link: e.id for e in entries(data_paths)}
    assert after == before  # the same rows, no duplicates
    assert set(item_ids(data_paths, account).values()) == server_user.client().all_ids()
    with Store.open(data_paths) as store:
        assert [c.body for c in store.list_comments(next(iter(before.values())))] == ["mine"]


def test_a_password_changed_on_the_server_says_so_and_deletes_nothing(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    first = sync(data_paths, account)
    assert first.ok
    before = entries(data_paths)
    with Store.open(data_paths) as store:
        store.set_read([before[0].id], True)
    server_user.change_api_password("changed-pass1")

    result = sync(data_paths, account)

    assert result.status is AccountStatus.LOGIN_FAILED
    assert "password" in (result.message or "")
    assert [e.id for e in entries(data_paths)] == [e.id for e in before]
    with Store.open(data_paths) as store:
        account_row = store.get_account(account)
    assert account_row.status is AccountStatus.LOGIN_FAILED
    assert account_row.pending == 1
    fixed = sync(data_paths, account, password="changed-pass1")
    assert fixed.ok, fixed.message
    assert fixed.sent == 1


def test_the_kept_login_token_spares_the_login_request(
    data_paths: DataPaths, account: int, memory_keyring: MemoryKeyring
) -> None:
    assert sync(data_paths, account).ok
    assert any(key.endswith("#token") for _, key in memory_keyring.secrets)
    again = sync(data_paths, account)
    assert again.ok
    assert again.requests == 2  # unread counts, starred ids


def test_a_read_and_an_unread_swapped_on_the_server_arrive_within_15_minutes(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    """One item read and another of the same feed marked unread on a phone leave every
    unread count as it was (RSS Guard issue 2385, News+ and FreshRSS PR 847): the counts
    cannot tell, so the unread ids are fetched again once 15 minutes have passed."""
    assert sync(data_paths, account).ok
    ids = item_ids(data_paths, account)
    alpha = {e.id for e in entries(data_paths) if (e.title or "").startswith("Alpha")}
    first, second = sorted(alpha)
    with Store.open(data_paths) as store:
        store.set_read([first], True)
    assert sync(data_paths, account).ok  # the server has `first` read
    phone = server_user.client()
    phone.post("/edit-tag", {"r": READ, "i": str(ids[first])})
    phone.post("/edit-tag", {"a": READ, "i": str(ids[second])})

    soon = sync(data_paths, account)
    later = sync(data_paths, account, clock=lambda: datetime.now(UTC) + timedelta(minutes=16))

    assert soon.ok and soon.state_changes == 0  # equal counts: not seen yet
    assert later.ok and later.state_changes == 2
    read = {e.id for e in entries(data_paths) if e.read}
    assert read == {second}
