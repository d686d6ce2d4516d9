"""Account addresses as FreshRSS users type them (`account add`), against the real FreshRSS:
the bare server address, no scheme, a trailing slash, the other API's address."""

from __future__ import annotations

import io
import json

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from tests.accounts.freshrss import ServerUser


def _add(
    data_paths: DataPaths,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server_user: ServerUser,
    kind: str,
    url: str,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(server_user.password + "\n"))
    code = main(
        [
            "account",
            "add",
            kind,
            url,
            "--user",
            server_user.name,
            "--data-dir",
            str(data_paths.root),
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def _listed(data_paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["account", "list", "--json", "--data-dir", str(data_paths.root)])
    return [a["url"] for a in json.loads(capsys.readouterr().out)]


def test_a_bare_server_address_finds_the_api_and_says_where(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = server_user.server.env["FRSS_URL"]

    code, out, err = _add(data_paths, capsys, monkeypatch, server_user, "greader", server)
    assert code == 0, err
    assert f"Using {server}/api/greader.php (FreshRSS" in out

    code, out, err = _add(data_paths, capsys, monkeypatch, server_user, "fever", server + "/")
    assert code == 0, err
    assert f"Using {server}/api/fever.php (FreshRSS" in out
    assert _listed(data_paths, capsys) == [f"{server}/api/greader.php", f"{server}/api/fever.php"]


def test_an_address_without_a_scheme_gets_one(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = server_user.server.env["FRSS_URL"]
    typed = server.removeprefix("http://") + "/api/greader.php"

    code, _, err = _add(data_paths, capsys, monkeypatch, server_user, "greader", typed)

    assert code == 0, err
    assert "protocol" not in err
    assert _listed(data_paths, capsys) == [f"{server}/api/greader.php"]


def test_a_trailing_slash_is_the_same_account(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = server_user.server.greader_url

    code, _, err = _add(data_paths, capsys, monkeypatch, server_user, "greader", api + "/")
    assert code == 0, err
    code, _, err = _add(data_paths, capsys, monkeypatch, server_user, "greader", api)

    assert code != 0
    assert "exists already" in err
    assert _listed(data_paths, capsys) == [api]


def test_the_fever_address_as_greader_is_not_blamed_on_the_password(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = server_user.server.env["FRSS_URL"]
    typed = f"{server}/api/fever.php"

    code, _, err = _add(data_paths, capsys, monkeypatch, server_user, "greader", typed)

    assert code != 0
    assert "does not answer as a Google Reader API" in err
    assert f"try {server}/api/greader.php" in err
    assert "Auth token in its answer" not in err
    assert _listed(data_paths, capsys) == []


def test_a_fever_address_that_is_not_the_api_says_so(
    data_paths: DataPaths,
    server_user: ServerUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = server_user.server.env["FRSS_URL"]

    code, _, err = _add(
        data_paths, capsys, monkeypatch, server_user, "fever", f"{server}/api/greader.php"
    )

    assert code != 0
    assert "does not answer as a Fever API" in err
    assert f"try {server}/api/fever.php" in err
