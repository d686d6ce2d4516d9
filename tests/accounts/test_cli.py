"""`newsreader account ...` against the real FreshRSS, as a user types it."""

from __future__ import annotations

import io
import json

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from tests.accounts.freshrss import ServerUser
from tests.sync.memory_keyring import MemoryKeyring


def _run(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data_paths.root)])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_sync_subscribe_and_remove(
    data_paths: DataPaths,
    server_user: ServerUser,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = server_user.server.greader_url
    monkeypatch.setattr("sys.stdin", io.StringIO(server_user.password + "\n"))

    code, out, err = _run(
        data_paths, capsys, "account", "add", "greader", url, "--user", server_user.name
    )

    assert code == 0, err
    assert f"Added account 1: {server_user.name} at {url}" in out
    assert "4 new articles" in out
    assert server_user.password in memory_keyring.secrets.values()

    code, out, _ = _run(data_paths, capsys, "account", "list", "--json")
    (listed,) = json.loads(out)
    assert (listed["status"], listed["pending"], listed["edits_subscriptions"]) == ("ok", 0, True)

    gamma = f"{server_user.server.feed_url}/gamma.xml"
    code, out, err = _run(
        data_paths, capsys, "account", "subscribe", "1", gamma, "--folder", "Later"
    )
    assert code == 0, err
    assert gamma in server_user.client().subscription_urls()

    code, out, err = _run(data_paths, capsys, "account", "sync", "--json")
    assert code == 0, err
    assert json.loads(out)[0]["requests"] <= 3

    code, out, err = _run(data_paths, capsys, "account", "remove", "1")
    assert code == 0, err
    assert "its feeds stay" in out
    assert memory_keyring.secrets == {}
    code, out, _ = _run(data_paths, capsys, "feeds", "--json")
    assert len(json.loads(out)) == 3


def test_a_wrong_password_adds_no_account(
    data_paths: DataPaths,
    server_user: ServerUser,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-password\n"))

    code, _, err = _run(
        data_paths,
        capsys,
        "account",
        "add",
        "fever",
        server_user.server.fever_url,
        "--user",
        server_user.name,
    )

    assert code == 1
    assert "refused the user name or password" in err
    assert memory_keyring.secrets == {}
    code, out, _ = _run(data_paths, capsys, "account", "list", "--json")
    assert json.loads(out) == []


def test_fever_accounts_say_their_subscriptions_are_read_only(
    data_paths: DataPaths,
    server_user: ServerUser,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(server_user.password + "\n"))
    code, _, err = _run(
        data_paths,
        capsys,
        "account",
        "add",
        "fever",
        server_user.server.fever_url,
        "--user",
        server_user.name,
    )
    assert code == 0, err

    code, out, _ = _run(data_paths, capsys, "account", "list")
    assert "subscriptions read-only" in out
    code, _, err = _run(
        data_paths, capsys, "account", "subscribe", "1", f"{server_user.server.feed_url}/gamma.xml"
    )
    assert code == 1
    assert "Fever API cannot change subscriptions" in err


def test_syncing_no_accounts_says_so(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """`account sync` with no account printed nothing at all (a reviewer's run)."""
    code, out, _ = _run(data_paths, capsys, "account", "sync")
    assert code == 0
    assert out.startswith("No accounts to sync: every feed is local")
    code, out, _ = _run(data_paths, capsys, "account", "sync", "--json")
    assert (code, json.loads(out)) == (0, [])
