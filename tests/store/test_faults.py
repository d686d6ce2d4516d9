"""Store and file faults (issue 16): a full disk, read-only folders, an empty store file, and
what a killed export left behind. Each ends in one line and exit 1, with nothing left behind.

The full disk is real: a small tmpfs mounted for the test (tests/disk.py; it needs root, as on
CI, elsewhere these tests skip), filled to the last byte, or remounted read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.cli import build_parser, run_command
from newsreader.errors import DiskFullError, ReadOnlyError, StoreCorruptError
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.store.db import newest_backup
from tests.disk import Disk, small_disk
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import Item, rss

RSS = "application/rss+xml"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    with small_disk(tmp_path / "disk") as mounted:
        yield mounted


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def cli(paths: DataPaths, *argv: str) -> int:
    return run_command(build_parser().parse_args(["--data-dir", str(paths.root), *argv]))


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def feed_server(server: LoopbackServer, count: int) -> list[str]:
    urls = []
    for number in range(count):
        items = [
            Item(f"item {number}-{n}", html="<p>" + "words " * 400 + "</p>") for n in range(20)
        ]
        server.route(f"/{number}", Response(body=rss(items, title=f"F{number}"), content_type=RSS))
        urls.append(server.url(f"/{number}"))
    return urls


def test_sync_on_a_full_disk_stops_at_the_first_write_error(
    disk: Disk, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = DataPaths(disk.root / "data").ensure()
    with Store.open(paths) as store:  # held open: its WAL files stay, already allocated
        for url in feed_server(server, 30):
            store.add_feed(url)
        disk.fill(leave=64 * 1024)  # room for the sync lock, not for 30 feeds of articles
        code = cli(paths, "sync", "--all")
    out, err = capsys.readouterr()
    assert code == 1
    assert "Checking 30 feeds" in out  # the sync ran: the store failed under it
    # (the test server may complain of requests the stopped sync abandoned)
    ours = [line for line in err.splitlines() if line.startswith("newsreader")]
    assert len(ours) == 1 and "the disk is full" in ours[0], err
    assert "Traceback" not in out
    assert out.count("\n") < 30  # it stopped at the first failed write, not feed after feed


def test_sync_with_a_read_only_store_says_so(
    disk: Disk, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = DataPaths(disk.root / "data").ensure()
    with Store.open(paths) as store:
        store.add_feed(feed_server(server, 1)[0])
    disk.read_only()
    assert cli(paths, "sync", "--all") == 1
    line = one_error_line(capsys)
    assert "read-only" in line


def test_sync_into_a_data_folder_that_cannot_be_created(
    disk: Disk, capsys: pytest.CaptureFixture[str]
) -> None:
    disk.read_only()
    assert cli(DataPaths(disk.root / "new" / "data"), "sync") == 1
    assert "read-only" in one_error_line(capsys)


def test_vacuum_on_a_full_disk(disk: Disk, capsys: pytest.CaptureFixture[str]) -> None:
    paths = DataPaths(disk.root / "data").ensure()
    with Store.open(paths) as store:
        for number in range(300):
            store.add_feed(f"https://f.example/{number}", title="x" * 2000)
    disk.fill()
    assert cli(paths, "vacuum") == 1
    assert "the disk is full" in one_error_line(capsys)
    with Store.open(paths) as store:
        assert len(store.list_feeds()) == 300


def test_store_writes_on_a_full_disk_raise_disk_full(disk: Disk) -> None:
    paths = DataPaths(disk.root / "data").ensure()
    with Store.open(paths) as store:
        disk.fill()
        with pytest.raises(DiskFullError, match="the disk is full"):
            for number in range(2000):
                store.add_feed(f"https://f.example/{number}", title="x" * 2000)


def test_a_store_on_a_read_only_disk_is_refused_as_read_only(disk: Disk) -> None:
    paths = DataPaths(disk.root / "data").ensure()
    Store.open(paths).close()
    disk.read_only()
    with pytest.raises(ReadOnlyError, match="read-only"):
        Store.open(paths)


def test_an_empty_store_file_is_damaged_when_a_backup_exists(data_paths: DataPaths) -> None:
    with Store.open(data_paths) as store:
        store.add_feed("https://f.example/")
    Store.open(data_paths).close()  # a second opening takes the weekly backup
    backup = newest_backup(data_paths)
    assert backup is not None
    data_paths.store.write_bytes(b"")
    with pytest.raises(StoreCorruptError) as raised:
        Store.open(data_paths)
    assert raised.value.backup == backup and str(backup) in str(raised.value)
    assert data_paths.store.stat().st_size == 0  # left as it was, for the user to restore


def test_an_empty_store_file_without_backups_is_a_new_store(data_paths: DataPaths) -> None:
    data_paths.store.write_bytes(b"")
    with Store.open(data_paths) as store:
        assert store.list_feeds() == []
