"""Exports that cannot be written (a full disk, a read-only folder) end in one line and exit 1
and leave nothing behind, not even the folder they created; hidden `.part` files left by a
killed export are swept at the start of the next one into the same folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.cli import build_parser, run_command
from tests.disk import Disk, small_disk
from tests.export.conftest import Library


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    with small_disk(tmp_path / "disk") as mounted:
        yield mounted


def export(library: Library, *argv: str) -> int:
    return run_command(
        build_parser().parse_args(["--data-dir", str(library.paths.root), "export", *argv])
    )


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_export_to_a_full_disk(
    library: Library, disk: Disk, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = disk.root / "new" / ("set" if fmt == "html" else "book.epub")
    if fmt == "epub":
        out.parent.mkdir()
    disk.fill()
    assert export(library, "--format", fmt, "--starred", "--out", str(out)) == 1
    assert "the disk is full" in one_error_line(capsys)
    assert sorted(p.name for p in disk.root.rglob("*")) == (
        ["filler"] if fmt == "html" else ["filler", "new"]
    )


def test_export_to_a_read_only_folder(
    library: Library, disk: Disk, capsys: pytest.CaptureFixture[str]
) -> None:
    disk.read_only()
    assert export(library, "--format", "html", "--starred", "--out", str(disk.root / "set")) == 1
    assert "read-only" in one_error_line(capsys)
    assert list(disk.root.iterdir()) == []


def test_stale_part_files_are_swept_at_the_start_of_an_export(
    library: Library, tmp_path: Path
) -> None:
    out = tmp_path / "set"
    out.mkdir()
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(finished.stdout)
    stale = out / f".Old article.html.{dead}-0123456789ab.part"
    legacy = out / ".Older.html.0123456789ab.part"
    live = out / f".Running.html.{os.getpid()}-0123456789ab.part"
    for path in (stale, legacy, live):
        path.write_bytes(b"half an article")
    os.utime(legacy, (0, 0))
    assert export(library, "--format", "html", "--starred", "--out", str(out)) == 0
    assert not stale.exists() and not legacy.exists()
    assert live.exists()  # another export in a running program may still need it
    assert not [p for p in out.glob(".*.part") if p != live]
