"""Folders, feeds, settings, OPML import/export, retention and upkeep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Author, OutlineFeed
from newsreader.settings import Settings, Theme
from newsreader.store import USER_DISABLED_REASON, EntryQuery, Store
from tests.store.builders import NOW, entry, feed, fetch


def test_folders_nest_rename_and_delete_into_the_parent(store: Store) -> None:
    inner = store.ensure_folder_path(["Tech", "Python"])
    assert store.ensure_folder_path(["Tech", "Python"]) == inner  # idempotent
    assert store.ensure_folder_path([]) is None
    tech = store.ensure_folder_path(["Tech"])
    assert store.folder_path(inner) == ("Tech", "Python")
    assert [f.name for f in store.list_folders()] == ["Tech", "Python"]
    feed_id = store.add_feed("https://example.org/feed", folder_id=inner).id
    assert inner is not None and tech is not None
    store.rename_folder(inner, "Py")
    assert store.folder_path(inner) == ("Tech", "Py")
    store.add_folder("Other", parent_id=tech)
    with pytest.raises(StoreError, match="already exists"):
        store.rename_folder(inner, "Other")
    with pytest.raises(StoreError, match="needs a name"):
        store.add_folder("  ")
    store.delete_folder(tech)
    assert store.get_feed(feed_id).folder_id == inner
    assert store.get_folder(inner).parent_id is None
    with pytest.raises(NotFoundError, match="no folder with id"):
        store.get_folder(tech)


def test_deleting_a_folder_merges_same_named_subfolders(store: Store) -> None:
    kept = store.ensure_folder_path(["Python"])
    nested = store.ensure_folder_path(["Tech", "Python"])
    tech = store.ensure_folder_path(["Tech"])
    assert tech is not None
    feed_id = store.add_feed("https://example.org/feed", folder_id=nested).id
    store.delete_folder(tech)
    assert store.get_feed(feed_id).folder_id == kept
    assert [f.name for f in store.list_folders()] == ["Python"]


def test_feeds_add_idempotently_rename_move_delete(store: Store) -> None:
    first = store.add_feed(" https://example.org/feed ", title="Mine")
    again = store.add_feed("https://example.org/feed", title="Other")
    assert first == again and first.title == "Mine" and first.added is not None
    assert store.feed_by_url("https://example.org/feed") == first
    assert store.feed_by_url("https://nowhere") is None
    folder = store.add_folder("F")
    assert store.move_feed(first.id, folder.id).folder_id == folder.id
    assert store.move_feed(first.id, None).folder_id is None
    with pytest.raises(NotFoundError, match="no folder with id 77"):
        store.move_feed(first.id, 77)
    with pytest.raises(StoreError, match="needs a URL"):
        store.add_feed("  ")
    entry_id = store.apply_parsed_feed(first.id, feed(entry("a")), fetch()).new_entry_ids[0]
    store.delete_feed(first.id)
    assert store.list_feeds() == []
    with pytest.raises(NotFoundError):
        store.get_entry(entry_id)
    assert store.list_entries(EntryQuery(search="entry")) == []  # index rows went too
    assert store.integrity_check() == []
    with pytest.raises(NotFoundError, match="no feed with id"):
        store.delete_feed(first.id)


def test_list_feeds_counts_unread_and_sorts_by_title(store: Store) -> None:
    b = store.add_feed("https://b.example/", title="beta").id
    store.add_feed("https://a.example/", title="Alpha")
    ids = store.apply_parsed_feed(b, feed(entry("1"), entry("2")), fetch()).new_entry_ids
    store.set_read(ids[:1], True)
    assert [(f.title, f.unread_count) for f in store.list_feeds()] == [("Alpha", 0), ("beta", 1)]


def test_feed_settings_and_due_feeds(store: Store) -> None:
    never = store.add_feed("https://never.example/").id
    later = store.add_feed("https://later.example/").id
    overdue = store.add_feed("https://overdue.example/").id
    store.record_not_modified(later, NOW, NOW + timedelta(hours=1))
    store.record_not_modified(overdue, NOW, NOW - timedelta(hours=1))
    assert [f.id for f in store.due_feeds(NOW)] == [never, overdue]
    disabled = store.update_feed_settings(later, interval_minutes=90, disabled=True)
    assert disabled.disabled and disabled.interval_minutes == 90
    assert disabled.disabled_reason == USER_DISABLED_REASON == "disabled by you"
    assert [f.id for f in store.due_feeds(NOW)] == [never, overdue]
    store.record_fetch_error(later, "HTTP 500", NOW, None)
    enabled = store.update_feed_settings(later, interval_minutes=None, disabled=False)
    assert not enabled.disabled and enabled.disabled_reason is None
    assert (enabled.interval_minutes, enabled.error_count) == (None, 0)
    assert [f.id for f in store.due_feeds(NOW)] == [never, later, overdue]  # due now
    assert (
        store.update_feed_settings(never, interval_minutes=15, disabled=False).interval_minutes
        == 15
    )
    with pytest.raises(StoreError, match="positive"):
        store.update_feed_settings(never, interval_minutes=0, disabled=False)


def test_feed_properties_are_written_all_or_nothing(store: Store) -> None:
    feed_id = store.add_feed("https://old.example/feed").id
    store.add_feed("https://taken.example/feed")
    store.set_feed_properties(
        feed_id,
        url="https://new.example/feed",
        interval_minutes=45,
        disabled=False,
        full_text="always",
        user_agent="Reader/1.0",
    )
    written = store.get_feed(feed_id)
    assert (written.url, written.interval_minutes, written.full_text, written.user_agent) == (
        "https://new.example/feed",
        45,
        "always",
        "Reader/1.0",
    )
    for url, user_agent in (
        ("https://newer.example/feed", "x" * 513),  # the last value refused
        ("https://taken.example/feed", "Other/2.0"),  # the first value refused
    ):
        with pytest.raises(StoreError):
            store.set_feed_properties(
                feed_id,
                url=url,
                interval_minutes=90,
                disabled=True,
                full_text="never",
                user_agent=user_agent,
            )
        assert store.get_feed(feed_id) == written  # nothing of it was written


def test_settings_round_trip(store: Store) -> None:
    assert store.load_settings() == Settings()
    changed = Settings(retention_days=30, theme=Theme.DARK, comment_author="Ada")
    store.save_settings(changed)
    assert store.load_settings() == changed


def test_outline_import_is_idempotent_and_keeps_folders_and_titles(store: Store) -> None:
    outline = [
        OutlineFeed("https://a.example/feed", "Alpha", "https://a.example/", ("Tech", "Py")),
        OutlineFeed("https://b.example/feed", None, None, ("Tech",)),
        OutlineFeed("https://c.example/feed", "Gamma"),
        OutlineFeed("https://a.example/feed", "Duplicate", None, ("Elsewhere",)),
    ]
    result = store.import_outline(outline)
    # The repeated feed was not "already subscribed": the store was empty.
    assert len(result.added_feed_ids) == 3 and result.existing == 0
    assert result.folders_created == 2
    again = store.import_outline(outline)
    assert (again.added_feed_ids, again.existing, again.folders_created) == ((), 3, 0)
    exported = store.export_outline()
    assert exported == [
        OutlineFeed("https://c.example/feed", "Gamma", None, ()),
        OutlineFeed("https://b.example/feed", None, None, ("Tech",)),
        OutlineFeed("https://a.example/feed", "Alpha", "https://a.example/", ("Tech", "Py")),
    ]
    # An imported title is the user's: a sync does not overwrite it.
    a = store.feed_by_url("https://a.example/feed")
    assert a is not None
    store.apply_parsed_feed(a.id, feed(title="Feed's own"), fetch())
    assert store.get_feed(a.id).title == "Alpha"


def test_purge_keeps_unread_starred_recent_and_commented(store: Store) -> None:
    feed_id = store.add_feed("https://example.org/feed").id
    old = NOW - timedelta(days=40)
    parsed = feed(
        entry("old-read", published=old),
        entry("old-unread", published=old),
        entry("old-starred", published=old),
        entry("old-commented", published=old),
        entry("recent-read", published=NOW - timedelta(days=5)),
    )
    ids = dict(
        zip(
            ["or", "ou", "os", "oc", "rr"],
            store.apply_parsed_feed(feed_id, parsed, fetch()).new_entry_ids,
            strict=True,
        )
    )
    store.set_read([ids["or"], ids["os"], ids["oc"], ids["rr"]], True)
    store.set_starred([ids["os"]], True)
    store.add_comment(ids["oc"], "mine", author="Me")
    assert store.purge(0, NOW) == 0  # 0 keeps everything
    assert store.purge(30, NOW) == 1
    remaining = {e.guid for e in store.list_entries(EntryQuery())}
    assert remaining == {"old-unread", "old-starred", "old-commented", "recent-read"}
    assert store.list_entries(EntryQuery(search="read")) != []
    assert store.integrity_check() == []
    with pytest.raises(StoreError, match="negative"):
        store.purge(-1, NOW)

    # The purged entry is still in the feed: the next sync does not bring it back as new.
    again = store.apply_parsed_feed(feed_id, parsed, fetch())
    assert again.new_entry_ids == () and again.skipped_purged == 1
    assert "old-read" not in {e.guid for e in store.list_entries(EntryQuery())}
    # Once the feed no longer lists it, it is forgotten, so a real return is new again.
    store.apply_parsed_feed(feed_id, feed(entry("recent-read")), fetch())
    back = store.apply_parsed_feed(feed_id, feed(entry("old-read", published=old)), fetch())
    assert len(back.new_entry_ids) == 1


def test_vacuum_and_integrity_check(store: Store) -> None:
    feed_id = store.add_feed("https://example.org/feed").id
    store.apply_parsed_feed(
        feed_id, feed(*(entry(str(i), content="<p>" + "text " * 200) for i in range(200))), fetch()
    )
    store.delete_feed(feed_id)
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = store.paths.store.stat().st_size
    store.vacuum()
    assert store.paths.store.stat().st_size < before
    assert store.integrity_check() == []


def test_integrity_check_notices_an_index_out_of_step(store: Store) -> None:
    feed_id = store.add_feed("https://example.org/feed").id
    store.apply_parsed_feed(feed_id, feed(entry("a"), entry("b")), fetch())
    store._conn.execute("DELETE FROM titles_fts WHERE rowid IN (SELECT max(rowid) FROM titles_fts)")
    store._conn.execute("INSERT INTO titles_fts(rowid, title) VALUES (12345, 'stray')")
    store._conn.execute("INSERT INTO entries_fts(rowid, title) VALUES (54321, 'stray')")
    assert store.integrity_check() == [
        "entries_fts holds 1 row of no entry",
        "1 entry is missing from titles_fts",
        "titles_fts holds 1 row of no entry",
    ]


def test_deleted_entries_leave_no_words_in_the_index(store: Store) -> None:
    """The search index keeps no copy of the text: removing a row must hand back exactly
    the words indexed, or they would linger. Check that none do after purge, update and
    unsubscribe."""
    feed_id = store.add_feed("https://example.org/feed").id
    old = NOW - timedelta(days=90)
    ids = store.apply_parsed_feed(
        feed_id,
        feed(
            entry(
                "p",
                title="Purged quokka",
                published=old,
                content="<p>wombat &amp; emu</p>",
                authors=(Author(name="Numbat Writer"),),
            ),
            entry("u", title="Updated", content="<p>platypus</p>"),
            entry("k", title="Kept", content="<p>dingo</p>"),
        ),
        fetch(),
    ).new_entry_ids
    store.set_read(ids[:1], True)
    assert store.purge(30, NOW) == 1
    store.apply_parsed_feed(
        feed_id, feed(entry("u", title="Updated", content="<p>echidna</p>")), fetch()
    )

    def indexed(word: str) -> int:
        return int(
            store._scalar("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", (word,))
        )

    assert [indexed(w) for w in ("quokka", "wombat", "emu", "numbat", "platypus")] == [0] * 5
    assert (indexed("echidna"), indexed("dingo")) == (1, 1)
    store.delete_feed(feed_id)
    assert (indexed("echidna"), indexed("dingo")) == (0, 0)
    assert store.integrity_check() == []


def test_purge_works_in_batches(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newsreader.store.library.PURGE_BATCH", 2)
    feed_id = store.add_feed("https://example.org/feed").id
    old = NOW - timedelta(days=90)
    parsed = feed(*(entry(str(i), published=old) for i in range(5)))
    ids = store.apply_parsed_feed(feed_id, parsed, fetch()).new_entry_ids
    store.set_read(ids, True)
    assert store.purge(30, NOW) == 5
    assert store.count_entries(EntryQuery()) == 0
    assert store.apply_parsed_feed(feed_id, parsed, fetch()).skipped_purged == 5
