"""Folders of a Google Reader API account against the real FreshRSS: renamed or deleted here,
the server follows at the next sync; renamed or moved there (as from a phone), the folders
here follow, keeping their identity. Failures keep the change queued."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from newsreader.accounts.greader import READ, STARRED
from newsreader.accounts.passwords import save_password
from newsreader.main import main
from newsreader.model import AccountKind, AccountStatus
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.accounts.freshrss import ServerUser
from tests.accounts.helpers import add_account, entries, feeds, item_ids, sync
from tests.accounts.proxy import Relay

LABEL = "user/-/label/"


@pytest.fixture
def relay(server_user: ServerUser) -> Iterator[Relay]:
    with Relay(server_user.server.env["FRSS_URL"]) as running:
        yield running


@pytest.fixture
def account(data_paths: DataPaths, server_user: ServerUser, relay: Relay) -> int:
    account_id = add_account(
        data_paths, AccountKind.GREADER, relay.url("/api/greader.php"), server_user.name
    )
    assert sync(data_paths, account_id).ok
    return account_id


def _labels(server_user: ServerUser) -> dict[str, list[str]]:
    """Each feed's folders on the server: feed URL -> labels."""
    return {
        url: [c["label"] for c in row["categories"]]  # type: ignore[union-attr]
        for url, row in server_user.client().subscription_urls().items()
    }


def _server_folders(server_user: ServerUser) -> set[str]:
    tags = server_user.client().get("/tag/list")["tags"]
    assert isinstance(tags, list)
    return {t["id"].removeprefix(LABEL) for t in tags if t.get("type") == "folder"}


def _tests_folder(data_paths: DataPaths) -> int:
    with Store.open(data_paths) as store:
        (folder,) = [f for f in store.list_folders() if f.name == "Tests"]
    return folder.id


def test_a_folder_renamed_here_is_renamed_on_the_server(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    folder = _tests_folder(data_paths)
    with Store.open(data_paths) as store:
        store.rename_folder(folder, "Renamed")
        assert store.get_account(account).pending == 1

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert result.sent == 1 and result.refused == ()
    assert set(map(tuple, _labels(server_user).values())) == {("Renamed",)}
    assert "Tests" not in _server_folders(server_user)
    with Store.open(data_paths) as store:
        assert [(f.id, f.name) for f in store.list_folders()] == [(folder, "Renamed")]
        assert store.get_account(account).pending == 0
    assert {f.folder_id for f in feeds(data_paths).values()} == {folder}


def test_a_folder_deleted_here_is_deleted_on_the_server(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    with Store.open(data_paths) as store:
        store.delete_folder(_tests_folder(data_paths))

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert "Tests" not in _server_folders(server_user)
    # FreshRSS keeps every feed in a folder: they are now in its default one, and the
    # next subscription list shows that folder here too (the server's truth).
    (default,) = set(map(tuple, _labels(server_user).values()))
    assert default != ("Tests",)
    with Store.open(data_paths) as store:
        assert [f.name for f in store.list_folders()] == list(default)


def test_deleting_a_nested_folder_moves_its_feeds_into_the_parent_on_the_server(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    with Store.open(data_paths) as store:
        parent = store.add_folder("Reading")
        inner = store.add_folder("Inner", parent.id)
        for feed in store.list_feeds():
            store.move_feed(feed.id, inner.id)
    assert sync(data_paths, account).ok
    assert set(map(tuple, _labels(server_user).values())) == {("Inner",)}
    with Store.open(data_paths) as store:
        store.delete_folder(inner.id)

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert set(map(tuple, _labels(server_user).values())) == {("Reading",)}
    assert "Inner" not in _server_folders(server_user)
    assert {f.folder_id for f in feeds(data_paths).values()} == {parent.id}


def test_a_folder_renamed_on_the_server_is_renamed_here(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    """NetNewsWire issue 1074: feeds of a folder renamed on the server fell to the top."""
    folder = _tests_folder(data_paths)
    server_user.client().post("/rename-tag", {"s": LABEL + "Tests", "dest": LABEL + "Phone"})

    result = sync(data_paths, account, clock=_later)

    assert result.ok, result.message
    with Store.open(data_paths) as store:
        assert [(f.id, f.name) for f in store.list_folders()] == [(folder, "Phone")]
    assert {f.folder_id for f in feeds(data_paths).values()} == {folder}


def test_a_feed_moved_on_the_server_moves_here(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    alpha = f"{server_user.server.feed_url}/alpha.xml"
    other = server_user.client()
    stream = str(other.subscription_urls()[alpha]["id"])
    other.post("/subscription/edit", {"ac": "edit", "s": stream, "a": LABEL + "Elsewhere"})

    result = sync(data_paths, account, clock=_later)

    assert result.ok, result.message
    with Store.open(data_paths) as store:
        by_url = {f.url: store.folder_path(f.folder_id) for f in store.list_feeds()}
    assert by_url[alpha] == ("Elsewhere",)
    assert by_url[f"{server_user.server.feed_url}/beta.xml"] == ("Tests",)


def test_a_rename_the_server_fails_stays_queued_and_is_sent_later(
    data_paths: DataPaths, server_user: ServerUser, relay: Relay, account: int
) -> None:
    folder = _tests_folder(data_paths)
    relay.answer(lambda _m, path: path.endswith("/rename-tag"), 500, b"oops")
    with Store.open(data_paths) as store:
        store.rename_folder(folder, "Renamed")

    failed = sync(data_paths, account)

    assert failed.status is AccountStatus.ERROR
    with Store.open(data_paths) as store:
        assert store.get_account(account).pending == 1
        assert store.get_folder(folder).name == "Renamed"  # the local change stands
    assert set(map(tuple, _labels(server_user).values())) == {("Tests",)}
    relay.canned.clear()

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert set(map(tuple, _labels(server_user).values())) == {("Renamed",)}


def test_a_rename_of_a_folder_the_server_no_longer_has_is_reported_and_dropped(
    data_paths: DataPaths, server_user: ServerUser, account: int
) -> None:
    """Renamed here while a phone renamed it there: the server's name wins, said once."""
    folder = _tests_folder(data_paths)
    with Store.open(data_paths) as store:
        store.rename_folder(folder, "Mine")
    server_user.client().post("/rename-tag", {"s": LABEL + "Tests", "dest": LABEL + "Phone"})

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert result.refused == ("rename folder Tests to Mine: the server has no folder Tests",)
    with Store.open(data_paths) as store:
        assert store.get_account(account).pending == 0
        assert [(f.id, f.name) for f in store.list_folders()] == [(folder, "Phone")]


def test_the_folder_commands_say_the_change_is_queued_and_fever_refuses(
    data_paths: DataPaths,
    server_user: ServerUser,
    account: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = ["--data-dir", str(data_paths.root)]
    with Store.open(data_paths) as store:
        row = store.get_account(account)
    save_password(row.kind, row.url, row.username, server_user.password)
    assert main(["folder", "rename", "Tests", "News", *root]) == 0
    assert f"queued for account {account}" in capsys.readouterr().out
    assert main(["sync", *root]) == 0
    assert set(map(tuple, _labels(server_user).values())) == {("News",)}

    fever_paths = DataPaths(data_paths.root.parent / "fever").ensure()
    monkeypatch.setattr("sys.stdin", io.StringIO(server_user.password + "\n"))
    fever_root = ["--data-dir", str(fever_paths.root)]
    url = server_user.server.fever_url
    assert main(["account", "add", "fever", url, "--user", server_user.name, *fever_root]) == 0
    capsys.readouterr()
    assert main(["folder", "rename", "News", "Other", *fever_root]) == 1
    assert "Fever account" in capsys.readouterr().err
    assert main(["folder", "remove", "News", *fever_root]) == 1
    assert "rename or delete it on the server's own pages" in capsys.readouterr().err
    assert set(map(tuple, _labels(server_user).values())) == {("News",)}


def _later() -> datetime:
    """A clock past the subscription list's 15 minutes, so the sync lists them again."""
    return datetime.now(UTC) + timedelta(hours=1)


def test_changes_on_both_sides_while_offline_all_arrive(
    data_paths: DataPaths, server_user: ServerUser, relay: Relay, account: int
) -> None:
    """Read and starred here while offline, other items read and starred on the server
    meanwhile (a phone), a folder renamed here: after the network returns, both sides
    have everything, and an item changed on both sides keeps the local change."""
    got = sorted(entries(data_paths), key=lambda e: e.id)
    ids = item_ids(data_paths, account)
    first, second, third, fourth = (e.id for e in got)
    port = relay.port
    relay.__exit__(None, None, None)  # offline
    with Store.open(data_paths) as store:
        store.set_read([first], True)
        store.set_starred([second], True)
        store.set_read([fourth], True)
        store.rename_folder(_tests_folder(data_paths), "Offline")
    phone = server_user.client()
    phone.post("/edit-tag", {"a": READ, "i": str(ids[third])})
    phone.post("/edit-tag", {"a": STARRED, "i": str(ids[fourth])})
    phone.post("/edit-tag", {"a": READ, "i": str(ids[second])})
    phone.post("/edit-tag", {"r": READ, "i": str(ids[second])})  # read, then unread again

    assert sync(data_paths, account).status is AccountStatus.OFFLINE
    with Relay(server_user.server.env["FRSS_URL"], port=port):
        back = sync(data_paths, account, clock=_later)

    assert back.ok, back.message
    state = {e.id: (e.read, e.starred) for e in entries(data_paths)}
    assert state == {
        first: (True, False),
        second: (False, True),
        third: (True, False),
        fourth: (True, True),
    }
    assert phone.unread_ids() == {ids[second]}
    assert phone.starred_ids() == {ids[second], ids[fourth]}
    assert set(map(tuple, _labels(server_user).values())) == {("Offline",)}
    with Store.open(data_paths) as store:
        assert store.get_account(account).pending == 0
