"""Writing files so that a cancelled or failed export leaves nothing under a final name.

Every file is written to a hidden temporary file in its target folder, flushed and fsynced, and
only then moved to its final name. `Staging` groups the files of one export: nothing becomes
visible until `commit()`, and `discard()` (or an exception) removes every temporary file.
Without `force`, an existing final name is an `ExportError` naming it; the move itself uses a
hard link where the file system allows, so a file appearing meanwhile is never overwritten.
Folders a failed export created are removed again. A temporary file's name carries the id of
the process writing it, so `sweep_stale_parts` can remove those a killed export left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from newsreader.errors import TargetExistsError

_PART = re.compile(r"\..*\.(?:(\d+)-)?[0-9a-f]{12}\.part", re.DOTALL)
STALE_AFTER_SECONDS = 24 * 3600
"""A temporary file whose writer cannot be checked (an older name, another system) is stale
after this long."""


def sweep_stale_parts(folder: Path) -> int:
    """Removes the temporary files in `folder` that no running export will commit: those
    whose process has ended, and any older than `STALE_AFTER_SECONDS`. Returns how many."""
    swept = 0
    try:
        candidates = list(folder.glob(".*.part"))
    except OSError:
        return 0
    for path in candidates:
        match = _PART.fullmatch(path.name)
        if match is None:
            continue
        try:
            old = time.time() - path.stat().st_mtime > STALE_AFTER_SECONDS
            pid = int(match.group(1)) if match.group(1) else None
            if old or (pid is not None and not _running(pid)):
                path.unlink()
                swept += 1
        except OSError:
            continue  # gone meanwhile, or not ours to remove
    return swept


def _running(pid: int) -> bool:
    """Whether process `pid` exists (on Windows, where signal 0 would stop it, assumed so)."""
    if sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def refuse_existing(path: Path, *, force: bool) -> None:
    """Raises `TargetExistsError` when `path` exists and `force` is not set."""
    if not force and (path.exists() or path.is_symlink()):
        raise TargetExistsError(path)


@dataclass
class Staging:
    """Temporary files of one export, moved to their final names all together on commit."""

    force: bool = False
    _pending: list[tuple[Path, Path]] = field(default_factory=list)
    _created: list[Path] = field(default_factory=list)  # folders made for this export
    _committed: bool = False

    def make_folder(self, folder: Path) -> None:
        """Creates `folder` (and missing parents), to be removed again if the export fails."""
        missing = []
        for candidate in (folder, *folder.parents):
            if candidate.exists():
                break
            missing.append(candidate)
        folder.mkdir(parents=True, exist_ok=True)
        self._created.extend(reversed(missing))

    @contextlib.contextmanager
    def open(self, final: Path) -> Iterator[BinaryIO]:
        """A binary file that will become `final` on `commit()`; removed if the block fails."""
        with self.path(final) as temp, temp.open("r+b") as handle:
            yield handle

    @contextlib.contextmanager
    def path(self, final: Path) -> Iterator[Path]:
        """An empty temporary file, for writers that want a file name (Qt's QPdfWriter); it
        is fsynced after the block and becomes `final` on `commit()`."""
        refuse_existing(final, force=self.force)
        self.make_folder(final.parent)
        temp = _create_temporary(final)
        try:
            yield temp
            _fsync(temp)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self._pending.append((temp, final))

    def write_bytes(self, final: Path, data: bytes) -> None:
        with self.open(final) as handle:
            handle.write(data)

    def commit(self) -> list[Path]:
        """Moves every staged file to its final name; returns the final paths in order."""
        done: list[Path] = []
        try:
            for temp, final in self._pending:
                _move(temp, final, force=self.force)
                done.append(final)
        except BaseException:
            if not self.force:  # forced moves replaced files that cannot be brought back
                for path in done:
                    path.unlink(missing_ok=True)
            self.discard()
            raise
        self._pending.clear()
        self._created.clear()
        self._committed = True
        return done

    def discard(self) -> None:
        """Removes the temporary files not yet committed, and the folders made for them."""
        for temp, _final in self._pending:
            temp.unlink(missing_ok=True)
        self._pending.clear()
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):  # not empty (the user's files): kept
                folder.rmdir()
        self._created.clear()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self._committed:
            self.discard()


def _create_temporary(final: Path) -> Path:
    """A new, empty, hidden file beside `final`.

    Unlike `tempfile.mkstemp` (always 0600), the file gets the mode any new file gets here
    (0666 less the umask), so the export is readable like the user's other files.
    """
    while True:
        temp = final.parent / f".{final.name[:40]}.{os.getpid()}-{secrets.token_hex(6)}.part"
        try:
            os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            continue
        return temp


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows refuses to fsync a read-only handle
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move(temp: Path, final: Path, *, force: bool) -> None:
    if force:
        temp.replace(final)
        return
    try:
        os.link(temp, final)
    except FileExistsError:
        raise TargetExistsError(final) from None
    except OSError:
        # No hard links here (FAT, some network shares): check, then rename.
        refuse_existing(final, force=False)
        temp.replace(final)
        return
    temp.unlink()
