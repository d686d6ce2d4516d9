"""Opening the store: pragmas, migrations from every older schema, backups, damage, versions."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

from newsreader.errors import StoreCorruptError, StoreError, StoreLockedError
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store, db
from newsreader.store.db import KEEP_BACKUPS, list_backups
from newsreader.store.schema import (
    MIGRATION_SET,
    MIGRATIONS,
    STEP_NAMES,
    index_values,
    search_key,
)
from tests.store.builders import NOW, entry, feed, fetch


def test_new_store_uses_wal_foreign_keys_and_current_schema(store: Store) -> None:
    conn = sqlite3.connect(store.paths.store)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [m.name for m in MIGRATIONS.applied(Database(conn))]
    assert applied == STEP_NAMES
    conn.close()
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_fresh_store_is_not_backed_up(data_paths: DataPaths) -> None:
    Store.open(data_paths).close()
    assert list_backups(data_paths) == []


def _partial_store(paths: DataPaths, stop_before: str) -> sqlite3.Connection:
    conn = sqlite3.connect(paths.store, isolation_level=None)
    MIGRATIONS.apply(Database(conn), stop_before=stop_before)
    return conn


def _seed(conn: sqlite3.Connection) -> None:
    """Rows every schema since the first step can hold: a folder, a feed, an entry."""
    conn.execute("INSERT INTO folders(id, name) VALUES (1, 'News')")
    conn.execute(
        "INSERT INTO feeds(id, url, title, folder_id, added) "
        "VALUES (1, 'https://example.org/feed', 'Example', 1, 1700000000)"
    )
    conn.execute(
        "INSERT INTO entries(id, feed_id, guid, title, summary, authors, first_seen, sort_date, "
        "read, starred, content_hash, categories) VALUES (1, 1, 'g1', 'Volcanic eruption', "
        "'<p>Lava <img src=\"https://img.example.org/lava.jpg\"></p>', ?, 1700000000, "
        "1700000000, 1, 1, 'h', ?)",
        (json.dumps([{"name": "Ada", "email": None, "uri": None}]), json.dumps(["Geology", "Été"])),
    )
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    if "entries_fts" in tables:  # the store indexes as it writes from that step on
        title, summary, content, authors = conn.execute(
            "SELECT title, summary, content, authors FROM entries WHERE id = 1"
        ).fetchone()
        key = search_key(1700000000, 1)
        conn.execute(
            "INSERT INTO entries_fts(rowid, title, summary, content, author) "
            "VALUES (?, ?, ?, ?, ?)",
            (key, *index_values(title, summary, content, authors)),
        )
        conn.execute("INSERT INTO titles_fts(rowid, title) VALUES (?, ?)", (key, title))
    if "saved_searches" in tables:  # saved searches from step 0007 on
        conn.execute(
            "INSERT INTO saved_searches(id, name, query, position, created) "
            "VALUES (1, 'Lava', 'lava OR author~/^ad/i', 1, 1700000000)"
        )
    if "entry_images" in tables:  # and records the images an entry shows
        conn.execute(
            "INSERT INTO entry_images(entry_id, url, position) "
            "VALUES (1, 'https://img.example.org/lava.jpg', 0)"
        )


@pytest.mark.parametrize("stop_before", STEP_NAMES[1:])
def test_every_older_schema_is_migrated_keeping_data(
    data_paths: DataPaths, stop_before: str
) -> None:
    conn = _partial_store(data_paths, stop_before)
    _seed(conn)
    conn.close()

    with Store.open(data_paths) as store:
        applied = [m.name for m in MIGRATIONS.applied(Database(store._conn))]
        assert applied == STEP_NAMES
        got = store.get_entry(1)
        assert (got.title, got.read, got.starred, got.authors[0].name) == (
            "Volcanic eruption",
            True,
            True,
            "Ada",
        )
        assert store.get_feed(1).folder_id == 1
        # Steps that index existing rows did so: search and image references work.
        assert [e.id for e in store.list_entries(EntryQuery(search="lava"))] == [1]
        assert [e.id for e in store.list_entries(EntryQuery(search="ada"))] == [1]
        # The entry's categories from its feed (step 0020) are searchable.
        assert store.entry_ids(EntryQuery(search='category:geology category:"Été"')) == [1]
        assert store.entry_image_urls([1]) == {1: ["https://img.example.org/lava.jpg"]}
        # Authors' names (step 0021) answer author patterns; a saved search is counted and
        # its count kept from then on.
        assert store.entry_ids(EntryQuery(search="author~/^ad/i")) == [1]
        if "0007_tags_searches_rules" not in STEP_NAMES[: STEP_NAMES.index(stop_before)]:
            store.add_saved_search("Lava", "lava OR author~/^ad/i")
        store.set_read([1], False)
        assert [(s.name, s.unread_count) for s in store.list_saved_searches()] == [("Lava", 1)]
        assert store._conn.execute("SELECT state FROM search_counts").fetchall() == [("ok",)]
        # A full article (step 0006) can join an old entry, searched with it.
        store.record_full_text(1, "ok", NOW, content="<p>Magma rose</p>", text="Magma rose")
        assert [e.id for e in store.list_entries(EntryQuery(search="magma"))] == [1]
        # And the store takes new writes with the current schema, index kept in step.
        store.apply_parsed_feed(1, feed(entry("g2")), fetch())
        assert store.count_entries(EntryQuery()) == 2
        store.delete_feed(1)
        assert store.integrity_check() == []
        assert store._conn.execute(
            "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'magma OR lava'"
        ).fetchone() == (0,)
    backups = list_backups(data_paths)
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    names = {r[0] for r in copy.execute("SELECT name FROM _sqlite_migrations")}
    assert stop_before not in names  # the backup is the store as it was before migrating
    assert copy.execute("SELECT title FROM entries").fetchone()[0] == "Volcanic eruption"
    copy.close()


def test_store_stopped_before_first_step_is_completed(data_paths: DataPaths) -> None:
    _partial_store(data_paths, STEP_NAMES[0]).close()
    with Store.open(data_paths) as store:
        assert store.list_feeds() == []
        assert store.add_feed("https://example.org/feed").id == 1


def test_backups_are_pruned_to_the_newest_few(data_paths: DataPaths) -> None:
    Store.open(data_paths).close()
    data_paths.backups.mkdir()
    for index in range(KEEP_BACKUPS + 3):
        old = data_paths.backups / f"newsreader-2020010{index}T000000.sqlite3"
        old.write_bytes(b"")
        stamp = 1577836800 + index
        os.utime(old, (stamp, stamp))
    # The newest backup is years old: opening takes a fresh one and prunes the oldest.
    Store.open(data_paths).close()
    backups = list_backups(data_paths)
    assert len(backups) == KEEP_BACKUPS
    assert backups[-1].stat().st_size > 0  # the fresh copy is the newest
    assert all(b.stat().st_size == 0 for b in backups[:-1])


def _corrupt(path: Path) -> None:
    """Overwrites pages in the middle of the file (the header stays readable)."""
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data) - page, page * 3):
        data[offset : offset + page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def test_damaged_store_is_reported_with_its_backup_and_left_alone(
    data_paths: DataPaths,
) -> None:
    with Store.open(data_paths) as store:
        feed_id = store.add_feed("https://example.org/feed").id
        store.apply_parsed_feed(
            feed_id,
            feed(*(entry(str(i), content="<p>" + "word " * 400) for i in range(300))),
            fetch(),
        )
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    Store.open(data_paths).close()  # takes the first backup (none existed)
    backup = list_backups(data_paths)[-1]
    _corrupt(data_paths.store)
    damaged = data_paths.store.read_bytes()

    with pytest.raises(StoreCorruptError) as caught:
        Store.open(data_paths)
    assert caught.value.backup == backup
    assert str(backup) in str(caught.value)
    assert data_paths.store.read_bytes() == damaged  # never replaced by an empty store


def test_a_file_that_is_not_a_database_is_reported_as_damaged(data_paths: DataPaths) -> None:
    data_paths.store.write_bytes(b"this is not an sqlite file at all" * 200)
    with pytest.raises(StoreCorruptError, match="no backup was found"):
        Store.open(data_paths)
    assert data_paths.store.read_bytes().startswith(b"this is not")


def test_store_from_a_newer_version_is_refused(data_paths: DataPaths) -> None:
    Store.open(data_paths).close()
    conn = sqlite3.connect(data_paths.store)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES (?, ?, ?)",
        (MIGRATION_SET, "0099_from_the_future", "2030-01-01"),
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"newer version.*0099_from_the_future"):
        Store.open(data_paths)


def test_reader_in_another_thread_reads_while_a_writer_writes(store: Store) -> None:
    """WAL: a second connection reads the last committed state during a write transaction."""
    feed_id = store.add_feed("https://example.org/feed").id
    store.apply_parsed_feed(feed_id, feed(entry("a")), fetch())
    seen: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with Store.open(store.paths) as reader:
                seen.append(reader.count_entries(EntryQuery()))
        except BaseException as error:  # reported below
            errors.append(error)

    with store._write() as conn:
        conn.execute("DELETE FROM entries")
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    assert errors == []
    assert seen == [1]
    assert store.count_entries(EntryQuery()) == 0


def test_a_writer_waiting_too_long_gets_a_clear_locked_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsreader.store.db.BUSY_TIMEOUT_MS", 50)
    other = Store.open(store.paths)
    holder = sqlite3.connect(store.paths.store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLockedError, match="busy"):
            other.add_feed("https://example.org/feed")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert other.add_feed("https://example.org/feed").id == 1  # fine once the lock is gone
    other.close()


def test_two_programs_opening_a_new_store_at_once_both_succeed(data_paths: DataPaths) -> None:
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            Store.open(data_paths).close()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store.open(data_paths) as store:
        applied = [m.name for m in MIGRATIONS.applied(Database(store._conn))]
        assert applied == STEP_NAMES


def test_no_upgrade_without_a_backup(data_paths: DataPaths) -> None:
    _partial_store(data_paths, STEP_NAMES[-1]).close()
    data_paths.backups.write_text("a file where the backups folder should be")
    with pytest.raises(StoreError, match="backup copy could not be written"):
        Store.open(data_paths)
    conn = sqlite3.connect(data_paths.store)
    assert STEP_NAMES[-1] in [m.name for m in MIGRATIONS.pending(Database(conn))]
    conn.close()


def test_a_failed_routine_backup_does_not_keep_the_store_closed(data_paths: DataPaths) -> None:
    Store.open(data_paths).close()
    data_paths.backups.write_text("a file where the backups folder should be")
    with Store.open(data_paths) as store:
        assert store.list_feeds() == []


def test_a_data_folder_that_cannot_exist_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        Store.open(DataPaths(blocker / "data"))


def test_a_second_store_of_a_process_can_leave_out_the_integrity_check(
    data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check reads the whole file (~0.35 s at 270 MB): the window's background store,
    opened right after the GUI thread's, leaves it out."""
    Store.open(data_paths).close()  # a new store: nothing to check yet
    checked: list[object] = []
    check = db.quick_check
    monkeypatch.setattr(db, "quick_check", lambda conn: checked.append(conn) or check(conn))
    with Store.open(data_paths):
        assert len(checked) == 1
        with Store.open(data_paths, check=False):
            assert len(checked) == 1


def _back_up_at_once(paths: DataPaths, copies: int) -> tuple[list[Path], list[Exception]]:
    """`copies` threads, each with its own connection, back the store up at the same moment;
    returns the backups made and the errors raised."""
    from newsreader.store.db import backup

    conns = [sqlite3.connect(paths.store, check_same_thread=False) for _ in range(copies)]
    barrier = threading.Barrier(copies)
    made: list[Path] = []
    failed: list[Exception] = []

    def copy(conn: sqlite3.Connection) -> None:
        barrier.wait()
        try:
            made.append(backup(conn, paths))
        except Exception as error:
            failed.append(error)

    threads = [threading.Thread(target=copy, args=(c,)) for c in conns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for conn in conns:
        conn.close()
    return made, failed


def test_backups_started_in_the_same_second_take_names_of_their_own(
    data_paths: DataPaths,
) -> None:
    """Programs opening one store at once may each back it up within one second: each copy
    gets its own partial file (two writing one partial file failed with "disk I/O error" in
    a test run), and one pruning old copies while another lists them is no error (a listed
    backup vanishing before its `stat` failed a CI run). A name freed by pruning may be
    taken again within the second; the backups kept are whole copies."""
    Store.open(data_paths).close()
    for _ in range(5):
        made, failed = _back_up_at_once(data_paths, 6)
        assert failed == []
        assert len(made) == 6
    assert not list(data_paths.backups.glob("*.part"))
    kept = list_backups(data_paths)
    assert 0 < len(kept) <= KEEP_BACKUPS
    for path in kept:
        with closing(sqlite3.connect(path)) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert copy.execute("SELECT count(*) FROM feeds").fetchone() == (0,)


def test_step_0035_dates_entries_stored_with_future_dates_when_first_seen(
    data_paths: DataPaths,
) -> None:
    conn = _partial_store(data_paths, "0035_fixa")
    _seed(conn)  # entry 1: dated when first seen (1700000000)
    conn.execute("UPDATE feeds SET last_fetched = 1700003600 WHERE id = 1")
    future = 1830000000  # 2027
    conn.execute(
        "INSERT INTO entries(id, feed_id, guid, title, summary, authors, first_seen, sort_date, "
        "published, content_hash, categories) VALUES (2, 1, 'g2', 'Ferry timetable', "
        "'<p>Winter ferries</p>', '[]', 1700001000, ?, ?, 'h', '[]')",
        (future, future),
    )
    conn.execute(
        "INSERT INTO entries(id, feed_id, guid, title, authors, first_seen, sort_date, "
        "published, content_hash, categories) VALUES (3, 1, 'g3', 'Skewed clock', '[]', "
        "1700003000, 1700003900, 1700003900, 'h', '[]')"
    )
    for id_, date in ((2, future), (3, 1700003900)):
        title, summary, content, authors = conn.execute(
            "SELECT title, summary, content, authors FROM entries WHERE id = ?", (id_,)
        ).fetchone()
        key = search_key(date, id_)
        conn.execute(
            "INSERT INTO entries_fts(rowid, title, summary, content, author) "
            "VALUES (?, ?, ?, ?, ?)",
            (key, *index_values(title, summary, content, authors)),
        )
        conn.execute("INSERT INTO titles_fts(rowid, title) VALUES (?, ?)", (key, title))
        conn.execute("INSERT INTO story_fts(rowid, terms) VALUES (?, 'ferri')", (key,))
    conn.close()

    with Store.open(data_paths) as store:
        got = {e.id: e for e in store.entries_by_ids([1, 2, 3])}
        first_seen = got[2].first_seen
        assert got[2].date == first_seen and got[2].published is not None
        assert got[2].published.year == 2027
        assert got[3].date == got[3].published  # within the tolerance: left alone
        assert store.entry_ids(EntryQuery()) == [3, 2, 1]
        assert store.entry_ids(EntryQuery(search="ferries")) == [2]
        assert store.entry_ids(EntryQuery(search="title:ferry")) == [2]
        assert store._conn.execute(
            "SELECT rowid FROM story_fts WHERE terms = 'ferri' ORDER BY rowid"
        ).fetchall() == [(search_key(1700001000, 2),), (search_key(1700003900, 3),)]
        assert store.integrity_check() == []
        store.delete_feed(1)
        assert store.integrity_check() == []
