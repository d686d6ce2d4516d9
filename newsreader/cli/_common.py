"""What every command shares when it runs: the data folder and store, opened on first use,
and output helpers. (What registering a command needs is in `commands.py`, which `--help`
loads alone.)"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from newsreader.paths import DataPaths
    from newsreader.store import Store

Handler = Callable[[argparse.Namespace, "Context"], int]

MAX_INTEGER = 2**63 - 1
"""The largest whole number an argument may hold: SQLite's (a signed 64-bit integer)."""
PATH_ARGUMENTS = frozenset({"data_dir", "data_home", "out", "file", "files"})
"""Arguments naming files: a file name may be any bytes, so these are not checked as text."""


@dataclass
class Context:
    """Per-invocation state handed to every handler."""

    data_dir: str | None = None  # --data-dir as given; None: $NEWSREADER_DATA_DIR, else platform's
    out: TextIO = field(default_factory=lambda: sys.stdout)
    _paths: DataPaths | None = None
    _store: Store | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        return cls(data_dir=getattr(args, "data_dir", None))

    @property
    def paths(self) -> DataPaths:
        """The data folder's files, resolved on first use: commands that keep no data
        (`extract`, `parse`) never look for the platform's folder (platformdirs, ~5 ms)."""
        if self._paths is None:
            from newsreader.paths import resolve_data_dir  # not at start: `extract` needs none

            self._paths = resolve_data_dir(self.data_dir)
        return self._paths

    def store(self) -> Store:
        """Opens (creating and migrating if needed) the store on first use."""
        if self._store is None:
            from newsreader.store import Store

            self._store = Store.open(self.paths)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def print(self, text: str = "") -> None:
        """One line for the terminal; control characters (an ESC or BEL from a feed) never
        reach it, and a lone surrogate prints as U+FFFD instead of failing."""
        from newsreader.parse.text import without_controls

        print(without_controls(text), file=self.out)

    def print_json(self, value: Any) -> None:
        import json  # not at start-up: only `--json` writes any

        from newsreader.parse.text import without_controls

        text = json.dumps(value, ensure_ascii=False, default=_json_default)
        print(without_controls(text), file=self.out)


def write_file(file: str, data: bytes, *, force: bool) -> Path | None:
    """Writes `data` to standard output when `file` is "-" (returns None), else atomically to
    the file (returns its path; an existing file is replaced only with `force`).

    Raises ExportError (TargetExistsError when the file exists without `force`)."""
    if file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return None
    from newsreader.errors import ExportError
    from newsreader.export.atomic import Staging

    target = Path(file).expanduser()
    try:
        with Staging(force=force) as staging:
            staging.write_bytes(target, data)
            staging.commit()
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from error
    return target


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        from newsreader.model import iso_utc  # not at start-up: `extract` loads no records

        return iso_utc(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def argument_problem(args: argparse.Namespace) -> str | None:
    """What makes the parsed arguments unusable, in one line; None when they are fine.

    Text from the command line that is not valid UTF-8 (Python keeps such bytes as lone
    surrogates, which no store, file or terminal accepts) and whole numbers beyond
    `MAX_INTEGER` are refused here, before any command runs, for every command alike.
    """
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                continue
            if isinstance(item, int) and not -MAX_INTEGER - 1 <= item <= MAX_INTEGER:
                return f"argument {name}: the number is too large (at most {MAX_INTEGER})"
            if isinstance(item, str) and name not in PATH_ARGUMENTS:
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return f"argument {name}: {item.encode('utf-8', 'replace')!r} is not UTF-8 text"
    return None
