"""Servers that misbehave: down, slow, answering a web page, failing halfway, refusing the
password, and a sync killed in the middle of sending. Each time: a bounded wait, a clear
status, local data and queued changes intact. A relay in front of the real FreshRSS makes it
misbehave on cue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from newsreader.accounts.http import Timeouts
from newsreader.model import AccountKind, AccountStatus
from newsreader.paths import DataPaths
from newsreader.store import Store
from tests.accounts.freshrss import ServerUser
from tests.accounts.helpers import add_account, entries, item_ids, sync
from tests.accounts.proxy import Relay
from tests.conftest import REPO

LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Log in</title></head><body><form>...</form></body></html>"
)


@pytest.fixture
def relay(server_user: ServerUser) -> Iterator[Relay]:
    with Relay(server_user.server.env["FRSS_URL"]) as running:
        yield running


@pytest.fixture
def account(data_paths: DataPaths, server_user: ServerUser, relay: Relay) -> int:
    return add_account(
        data_paths, AccountKind.GREADER, relay.url("/api/greader.php"), server_user.name
    )


def _contents(method: str, path: str) -> bool:
    return "/stream/contents/" in path


def _edit_tag(method: str, path: str) -> bool:
    return path.endswith("/edit-tag")


def test_server_down_is_offline_and_the_queue_waits(
    data_paths: DataPaths, server_user: ServerUser, relay: Relay, account: int
) -> None:
    assert sync(data_paths, account).ok
    got = sorted(entries(data_paths), key=lambda e: e.id)
    port = relay.port
    relay.__exit__(None, None, None)  # the network goes away
    with Store.open(data_paths) as store:
        store.set_starred([got[0].id], True)  # starred while offline

    offline = sync(data_paths, account)

    assert offline.status is AccountStatus.OFFLINE
    assert "cannot reach" in (offline.message or "")
    with Store.open(data_paths) as store:
        assert store.get_account(account).pending == 1
        assert store.get_account(account).status is AccountStatus.OFFLINE
    assert len(entries(data_paths)) == len(got)

    with Relay(server_user.server.env["FRSS_URL"], port=port):  # the network is back
        back = sync(data_paths, account)
    assert back.ok, back.message
    assert server_user.client().starred_ids() == {item_ids(data_paths, account)[got[0].id]}


def test_a_login_page_instead_of_the_api_is_an_error_that_says_so(
    data_paths: DataPaths, relay: Relay, account: int
) -> None:
    relay.answer(lambda m, p: True, 200, LOGIN_PAGE, "text/html")

    result = sync(data_paths, account)

    assert result.status is AccountStatus.ERROR
    assert "web page" in (result.message or "")


def test_a_slow_server_is_given_up_on_in_bounded_time(
    data_paths: DataPaths, relay: Relay, account: int
) -> None:
    assert sync(data_paths, account).ok
    before = entries(data_paths)
    held = relay.hold(lambda m, p: "/unread-count" in p)

    result = sync(data_paths, account, timeouts=Timeouts(connect=5, answer=0.5))

    assert held.reached.is_set()
    assert result.status is AccountStatus.ERROR
    assert "did not answer within 0.5 s" in (result.message or "")
    assert entries(data_paths) == before


def test_a_500_halfway_keeps_what_was_written_and_the_cursor(
    data_paths: DataPaths, server_user: ServerUser, relay: Relay, account: int
) -> None:
    relay.answer(_contents, 500, b"Internal Server Error")

    failed = sync(data_paths, account)

    assert failed.status is AccountStatus.ERROR
    assert "HTTP 500" in (failed.message or "")
    assert failed.feeds_added == 2  # the subscriptions came before the failure, and stay
    with Store.open(data_paths) as store:
        assert len(store.list_feeds()) == 2
        assert store.account_cursor(account).get("newest_usec") is None
    relay.canned.clear()
    healed = sync(data_paths, account)
    assert healed.ok, healed.message
    assert healed.new_entries == 4


def test_a_sync_killed_while_sending_loses_nothing_and_resends_nothing_taken(
    data_paths: DataPaths, server_user: ServerUser, relay: Relay, account: int
) -> None:
    assert sync(data_paths, account).ok
    got = sorted(entries(data_paths), key=lambda e: e.id)
    ids = item_ids(data_paths, account)
    with Store.open(data_paths) as store:
        store.set_read([got[0].id, got[1].id], True)
        store.set_starred([got[2].id], True)
    # Reads are sent first; the star request is held, and the syncing process killed then.
    held = relay.hold(lambda m, p: _edit_tag(m, p) and relay.passed_matching(_edit_tag) != [])
    script = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from newsreader.accounts.engine import sync_account\n"
        "from newsreader.paths import DataPaths\n"
        "paths = DataPaths(Path(sys.argv[1]))\n"
        "asyncio.run(sync_account(paths, int(sys.argv[2]), password=sys.argv[3]))\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(data_paths.root), str(account), server_user.password],
        cwd=REPO,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
        start_new_session=True,
    )
    try:
        assert held.reached.wait(120), "the star was never sent"
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        assert child.wait(60) == -signal.SIGKILL
    held.release.set()
    relay.holds.clear()
    with Store.open(data_paths) as store:
        waiting = store.pending_changes(account)
    assert [(c.kind, c.item_id) for c in waiting] == [("star", ids[got[2].id])]
    other = server_user.client()
    assert not {ids[got[0].id], ids[got[1].id]} & other.unread_ids()
    assert other.starred_ids() == set()

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert result.sent == 1  # only the star: the reads were taken before the kill
    assert other.starred_ids() == {ids[got[2].id]}
    assert len(relay.passed_matching(_edit_tag)) == 2
