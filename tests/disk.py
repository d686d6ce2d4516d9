"""A real small disk for fault tests: a tmpfs mounted for one test, filled to the last byte or
remounted read-only. Mounting needs root (as on CI); elsewhere the tests using it skip."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class Disk:
    def __init__(self, root: Path) -> None:
        self.root = root

    def fill(self, leave: int = 0) -> None:
        """Writes a filler file until the file system has no byte left, then gives back
        `leave` bytes."""
        chunk = 65536
        with (self.root / "filler").open("wb", buffering=0) as filler:
            while chunk:
                try:
                    filler.write(b"\0" * chunk)
                except OSError:
                    chunk //= 2
            if leave:
                filler.truncate(max(filler.tell() - leave, 0))

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.root)], check=True)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "8m") -> Iterator[Disk]:
    """A tmpfs of `size` mounted at `folder` (created), unmounted afterwards."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a small tmpfs cannot be mounted here (it needs root)")
    try:
        yield Disk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)
