"""Opening the SQLite file safely: pragmas, integrity check, backups, migrations; and the base
class that gives every part of `Store` its connection and transactions."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from newsreader.errors import (
    DiskFullError,
    NotFoundError,
    ReadOnlyError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    StoreWriteError,
)
from newsreader.paths import DataPaths
from newsreader.store import query_sql
from newsreader.store.schema import MIGRATION_SET, MIGRATIONS, STEP_NAMES, register
from newsreader.store.storyindex import StoryIndex

BUSY_TIMEOUT_MS = 10_000
KEEP_BACKUPS = 3
BACKUP_EVERY = timedelta(days=7)  # and before every migration
_SQLITE_READONLY = 8
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


def open_connection(paths: DataPaths, *, check: bool = True) -> sqlite3.Connection:
    """A migrated connection to the store, checked and backed up as needed.

    Order matters: the integrity check runs before anything writes (so a damaged file is
    reported, never "repaired" into an empty store), and the backup is taken before any
    migration touches an existing file. `check=False` leaves the integrity check out: for a
    second connection of a process that has just opened the store with it.
    """
    path = paths.store
    existed = path.exists() and path.stat().st_size > 0
    if path.exists() and not existed and newest_backup(paths) is not None:
        # An empty file where a store was (a crash, a full disk, a bad copy): opening it would
        # make a new, empty store and hide the backup; report it as damaged instead.
        raise StoreCorruptError(path, "the file is empty", newest_backup(paths))
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        register(conn)
        query_sql.register(conn)
        if existed and check:
            problems = quick_check(conn)
            if problems:
                raise StoreCorruptError(path, "; ".join(problems[:3]), newest_backup(paths))
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -16000")  # 16 MB page cache
        # Checkpoint the WAL every ~40 MB rather than every 4 MB: a sync writes megabytes per
        # feed, and each checkpoint costs an fsync of both files.
        conn.execute("PRAGMA wal_autocheckpoint = 10000")
        conn.execute("PRAGMA journal_size_limit = 67108864")
        db = Database(conn, execute_plugins=False)
        _refuse_newer(db, path)
        pending = MIGRATIONS.pending(db)
        if existed and pending:
            _backup_before_migrating(conn, paths)
        elif existed and _backup_due(paths):
            _routine_backup(conn, paths)
        if pending:
            _migrate(db, path)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise translate_error(error, paths) from error
    except BaseException:
        conn.close()
        raise
    return conn


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switches a (new) store to WAL. SQLite answers this pragma "locked" at once, without
    the busy handler, while another program is switching the same file: retry until the
    busy timeout, as any other lock wait."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if _primary_code(error) not in _BUSY_CODES or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _migrate(db: Database, path: Path) -> None:
    """Applies the pending steps under one write lock, all or nothing: two programs opening a
    new store at once do not both create it (the second finds nothing left to do)."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        _refuse_newer(db, path)
        MIGRATIONS.apply(db)  # each step in a savepoint of this transaction
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """PRAGMA quick_check's findings; empty when the file is sound."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def _primary_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code (SQLITE_BUSY for SQLITE_BUSY_RECOVERY and the like)."""
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def translate_error(error: sqlite3.Error, paths: DataPaths) -> StoreError:
    """The user-facing error for an sqlite3 exception, by SQLite's result code: corrupt,
    locked, disk full, read-only (`StoreWriteError`: no write can succeed) or other."""
    code = _primary_code(error)
    if code == _SQLITE_FULL:
        return DiskFullError(f"the disk is full: the store {paths.store} cannot be written")
    if code == _SQLITE_READONLY:
        return ReadOnlyError(
            f"the store {paths.store} is read-only (the file or its folder): nothing can be saved"
        )
    if code == _SQLITE_CANTOPEN and not os.access(paths.root, os.W_OK):
        # SQLite cannot make the files beside the store (the WAL) in a read-only folder
        return ReadOnlyError(f"the store's folder {paths.root} is read-only: nothing can be saved")
    if code == _SQLITE_CANTOPEN:
        return StoreWriteError(f"the store {paths.store} cannot be opened ({error})")
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreCorruptError(paths.store, str(error), newest_backup(paths))
    if code in _BUSY_CODES:
        return StoreLockedError(
            f"the store {paths.store} is busy (another program is writing to it); try again"
        )
    return StoreError(f"the store {paths.store} could not be used: {error}")


def _refuse_newer(db: Database, path: Path) -> None:
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in STEP_NAMES]
    if unknown:
        raise StoreError(
            f"the store {path} was written by a newer version of Newsreader "
            f"(unknown schema step {', '.join(unknown)} in set {MIGRATION_SET!r}); "
            "please upgrade Newsreader"
        )


def _backup_before_migrating(conn: sqlite3.Connection, paths: DataPaths) -> None:
    """No upgrade without a copy to go back to: a failed backup stops the opening."""
    try:
        backup(conn, paths)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"the store {paths.store} needs upgrading, but a backup copy could not be written "
            f"to {paths.backups} first ({error}); nothing was changed"
        ) from error


def _routine_backup(conn: sqlite3.Connection, paths: DataPaths) -> None:
    """The weekly copy is a convenience: a full disk must not keep the library closed."""
    with suppress(OSError, sqlite3.Error):
        backup(conn, paths)


def backup(conn: sqlite3.Connection, paths: DataPaths) -> Path:
    """Copies the store with SQLite's online backup API into the backups folder (a consistent
    snapshot even while others write), keeping the newest `KEEP_BACKUPS` copies. The copy
    gets its final name only once complete, so a partial copy is never taken for a backup."""
    paths.backups.mkdir(parents=True, exist_ok=True)
    target, partial = _reserve_backup_name(paths.backups)
    try:
        copy = sqlite3.connect(partial)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    for old in list_backups(paths)[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def _reserve_backup_name(folder: Path) -> tuple[Path, Path]:
    """A backup's final name and its partial file, the partial created (empty) so that no
    other backup started in the same second takes the same names: four programs opening a
    new store at once each copy it, and two copies written into one file failed with "disk
    I/O error"."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    counter = 0
    while True:
        suffix = f"-{counter}" if counter else ""
        target = folder / f"newsreader-{stamp}{suffix}.sqlite3"
        partial = target.with_name(target.name + ".part")
        counter += 1
        if target.exists():
            continue
        try:
            os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        return target, partial


def list_backups(paths: DataPaths) -> list[Path]:
    """Backups oldest first (by modification time). A backup another program prunes while
    this one lists them is left out, not an error."""
    if not paths.backups.is_dir():
        return []
    dated: list[tuple[int, Path]] = []
    for path in paths.backups.glob("newsreader-*.sqlite3"):
        try:
            dated.append((path.stat().st_mtime_ns, path))
        except FileNotFoundError:
            continue
    return [path for _, path in sorted(dated)]


def newest_backup(paths: DataPaths) -> Path | None:
    backups = list_backups(paths)
    return backups[-1] if backups else None


def _backup_due(paths: DataPaths) -> bool:
    newest = newest_backup(paths)
    if newest is None:
        return True
    try:
        modified = newest.stat().st_mtime
    except FileNotFoundError:  # pruned by another program since it was listed
        return True
    age = datetime.now(UTC) - datetime.fromtimestamp(modified, UTC)
    return age >= BACKUP_EVERY


class StoreBase:
    """The connection and transaction helpers every part of `Store` builds on."""

    written_text: Mapping[int, tuple[str | None, str, str, str]] = {}
    """The indexed text (title, summary, content, author) of the entries the ingest wrote in
    this write transaction, by id: set by the ingest, read by the rules and saved-search
    counts that run before it commits; cleared when the transaction ends."""
    probed: frozenset[int] = frozenset()
    """The entries whose text the rules' probe index holds in this write transaction
    (`rule_match.RuleBatch.probed`); emptied when the transaction ends."""

    def __init__(self, conn: sqlite3.Connection, paths: DataPaths) -> None:
        self._conn = conn
        self.paths = paths
        self._depth = 0
        self._stories = StoryIndex(conn)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so two
        writers wait for each other instead of failing halfway). Nested calls join the
        outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self._conn
            finally:
                self._depth -= 1
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise translate_error(error, self.paths) from error
        self._depth = 1
        try:
            yield self._conn
            self._before_commit()
            self._conn.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback()
            raise translate_error(error, self.paths) from error
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
            self.written_text = {}
            self.probed = frozenset()

    @contextmanager
    def write_together(self) -> Iterator[None]:
        """One write transaction that every write made in the block joins (each would
        otherwise commit on its own): the sync's writer writes the feeds waiting for it
        together (`sync.writer`). Should the block raise, all of it is rolled back."""
        with self._write():
            yield

    def _before_commit(self) -> None:
        """What every write transaction does last, before it commits (the saved searches'
        counts catch up with its writes: `SavedSearchMixin`); nothing here."""

    def trace_statements(self, callback: Callable[[str], None] | None) -> None:
        """Calls `callback` with each SQL statement this connection runs (None stops it): how
        the window's tests and `benchmarks/ui.py` count the queries an action makes."""
        self._conn.set_trace_callback(callback)

    def _require(self, table: str, row_id: int, noun: str) -> None:
        """NotFoundError unless `table` has a row with this id."""
        if self._scalar(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)) is None:
            raise NotFoundError(f"no {noun} with id {row_id}")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self._conn.execute(sql, params)
        except sqlite3.Error as error:
            raise translate_error(error, self.paths) from error
        cursor.row_factory = sqlite3.Row
        return cursor.fetchall()

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the store: another
        program (the command line's import or sync) or another of this one's connections;
        this connection's own writes leave it (`PRAGMA data_version`). A cheap read: the
        window polls it to notice writes made behind its back."""
        return int(self._scalar("PRAGMA data_version"))

    def _row(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            row = self._conn.execute(sql, params).fetchone()
        except sqlite3.Error as error:
            raise translate_error(error, self.paths) from error
        return None if row is None else row[0]
