"""Writing files so that a cancelled or failed export leaves nothing under a final name.

Every file is written to a hidden temporary file in its target folder, flushed and fsynced, and
only then moved to its final name. `Staging` groups the files of one export: nothing becomes
visible until `commit()`, and `discard()` (or an exception) removes every temporary file.
Without `force`, an existing final name is an `ExportError` naming it; the move itself uses a
hard link where the file system allows, so a file appearing meanwhile is never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from newsreader.errors import ExportError


class TargetExistsError(ExportError):
    """A final name is taken; the window asks before retrying with force."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists (use --force to overwrite it)")


def refuse_existing(path: Path, *, force: bool) -> None:
    """Raises `TargetExistsError` when `path` exists and `force` is not set."""
    if not force and (path.exists() or path.is_symlink()):
        raise TargetExistsError(path)


@dataclass
class Staging:
    """Temporary files of one export, moved to their final names all together on commit."""

    force: bool = False
    _pending: list[tuple[Path, Path]] = field(default_factory=list)
    _committed: bool = False

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
        final.parent.mkdir(parents=True, exist_ok=True)
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
        self._committed = True
        return done

    def discard(self) -> None:
        """Removes the temporary files not yet committed."""
        for temp, _final in self._pending:
            temp.unlink(missing_ok=True)
        self._pending.clear()

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
        temp = final.parent / f".{final.name[:40]}.{secrets.token_hex(6)}.part"
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
