"""Command-line parity with the feed panel: unsubscribe, rename, move, folders; comments edited,
deleted and read from standard input; `sync` naming each failure once."""

from __future__ import annotations

import io
import json

import pytest

from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.gui.conftest import add_feed
from tests.loopback import LoopbackServer, Response


def run(paths: DataPaths, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--data-dir", str(paths.root)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def feeds(data_paths: DataPaths) -> dict[str, int]:
    with Store.open(data_paths.ensure()) as store:
        alpha = store.add_feed("https://alpha.example/feed.xml", title="Alpha")
        beta = store.add_feed("https://beta.example/feed.xml", title="Beta")
        return {"alpha": alpha.id, "beta": beta.id}


def test_rename_move_and_unsubscribe_by_id_or_address(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], feeds: dict[str, int]
) -> None:
    code, out, _ = run(data_paths, capsys, "rename", str(feeds["alpha"]), "Alpha Daily")
    assert code == 0 and "now called Alpha Daily" in out
    code, out, _ = run(data_paths, capsys, "move", "https://beta.example/feed.xml", "Tech/News")
    assert code == 1  # no such folder yet
    assert run(data_paths, capsys, "folder", "add", "Tech/News")[0] == 0
    code, out, _ = run(data_paths, capsys, "move", "https://beta.example/feed.xml", "Tech/News")
    assert code == 0 and "moved Beta to Tech/News" in out
    with Store.open(data_paths) as store:
        assert store.get_feed(feeds["alpha"]).title == "Alpha Daily"
        beta = store.get_feed(feeds["beta"])
        assert beta.folder_id is not None and store.folder_path(beta.folder_id) == ("Tech", "News")
    assert run(data_paths, capsys, "move", str(feeds["beta"]), "/")[0] == 0
    code, out, _ = run(data_paths, capsys, "unsubscribe", str(feeds["alpha"]), "--json")
    assert code == 0 and json.loads(out)["id"] == feeds["alpha"]
    code, _, err = run(data_paths, capsys, "unsubscribe", "https://nowhere.example/")
    assert code == 1 and "no feed with the address" in err
    with Store.open(data_paths) as store:
        assert [f.id for f in store.list_feeds()] == [feeds["beta"]]
        assert store.get_feed(feeds["beta"]).folder_id is None


def test_folders_are_added_renamed_and_removed(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], feeds: dict[str, int]
) -> None:
    assert run(data_paths, capsys, "folder", "add", "Tech/Python")[0] == 0
    assert run(data_paths, capsys, "move", str(feeds["alpha"]), "Tech/Python")[0] == 0
    code, out, _ = run(data_paths, capsys, "folder", "rename", "Tech/Python", "Snakes")
    assert code == 0 and "Tech/Snakes" in out
    code, out, _ = run(data_paths, capsys, "folder", "remove", "Tech/Snakes")
    assert code == 0 and "1 feed moved up" in out
    with Store.open(data_paths) as store:
        assert [f.name for f in store.list_folders()] == ["Tech"]
        tech = store.list_folders()[0]
        assert store.get_feed(feeds["alpha"]).folder_id == tech.id


def test_comments_are_written_from_stdin_edited_and_deleted(
    data_paths: DataPaths,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Store.open(data_paths.ensure()) as store:
        add_feed(store, "alpha", 1)
        entry = store.entry_ids(EntryQuery())[0]
    monkeypatch.setattr("sys.stdin", io.StringIO("Written on two lines,\nfrom a pipe.\n"))
    code, out, _ = run(data_paths, capsys, "comment", str(entry), "-", "--json")
    assert code == 0
    comment = json.loads(out)
    with Store.open(data_paths) as store:
        assert store.get_comment(comment["id"]).body == "Written on two lines,\nfrom a pipe."
    code, out, _ = run(data_paths, capsys, "comment", "edit", str(comment["id"]), "Shorter.")
    assert code == 0 and "changed" in out
    with Store.open(data_paths) as store:
        assert store.get_comment(comment["id"]).body == "Shorter."
    assert run(data_paths, capsys, "comment", "delete", str(comment["id"]))[0] == 0
    with Store.open(data_paths) as store:
        assert store.get_comment(comment["id"]).deleted
    code, _, err = run(data_paths, capsys, "comment", "edit", "x")
    assert code == 2 and "comment edit ID TEXT" in err


def test_sync_names_each_failure_once(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with LoopbackServer() as server:
        server.route("/gone.xml", Response(status=404, body=b"no"))
        with Store.open(data_paths.ensure()) as store:
            store.add_feed(server.url("/gone.xml"), title="Gone")
        code, out, _ = run(data_paths, capsys, "sync", "--all")
    assert code == 0
    assert out.count("404") == 1, out
    assert "failed: " not in out
    assert "Gone: HTTP 404" in out
