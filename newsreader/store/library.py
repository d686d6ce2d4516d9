"""Whole-library operations: settings, OPML import/export, retention and upkeep."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta

from newsreader import urls
from newsreader.errors import StoreError
from newsreader.model import OutlineFeed
from newsreader.parse.opml import feed_key
from newsreader.settings import Settings
from newsreader.store.codec import to_ts
from newsreader.store.db import quick_check, translate_error
from newsreader.store.feeds import FeedMixin
from newsreader.store.folders import FolderMixin
from newsreader.store.schema import SEARCH_KEY_SQL
from newsreader.store.types import ImportResult
from newsreader.wording import agreeing, counted

SEARCH_TABLES = ("entries_fts", "titles_fts")
PURGE_BATCH = 1000
_PURGEABLE = (
    "FROM entries e WHERE e.read = 1 AND e.starred = 0 AND e.sort_date < ? "
    "AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.entry_id = e.id AND c.origin = 'user')"
)


class LibraryMixin(FeedMixin, FolderMixin):
    def load_settings(self) -> Settings:
        """The saved settings; unknown keys and ill-typed values fall back to defaults."""
        values = {
            row[0]: json.loads(row[1]) for row in self._rows("SELECT key, value FROM settings")
        }
        return Settings.from_dict(values)

    def save_settings(self, settings: Settings) -> None:
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in settings.to_dict().items()],
            )

    def import_outline(self, feeds: Sequence[OutlineFeed]) -> ImportResult:
        """Subscribes to every feed not already there, in its folder path, with its title;
        feeds already subscribed are left as they are, so importing twice adds nothing.
        Addresses that differ only in the case of scheme and host or a trailing slash are
        the same feed (`parse.opml.feed_key`), in the store and among `feeds` alike;
        `existing` counts the feeds that were subscribed before the import."""
        added: list[int] = []
        existing = 0
        with self._write():
            folders_before = self._scalar("SELECT count(*) FROM folders")
            subscribed = self._subscribed_keys()
            seen: set[str] = set()
            for item in feeds:
                key = feed_key(item.url)
                if key in seen:
                    continue  # listed twice: one feed, counted once
                seen.add(key)
                if key in subscribed:
                    existing += 1
                    continue
                folder_id = self.ensure_folder_path(item.folder)
                feed = self.add_feed(
                    item.url, title=item.title, site_url=item.site_url, folder_id=folder_id
                )
                added.append(feed.id)
            folders_created = self._scalar("SELECT count(*) FROM folders") - folders_before
        return ImportResult(
            added_feed_ids=tuple(added), existing=existing, folders_created=folders_created
        )

    def subscribed_among(self, urls: Sequence[str]) -> list[str]:
        """The addresses among `urls` whose feed is already subscribed, compared as
        `import_outline` compares them (`feed_key`: the case of scheme and host, a trailing
        slash), so a question asked before an import counts what the import will find."""
        subscribed = self._subscribed_keys()
        return [url for url in urls if feed_key(url) in subscribed]

    def _subscribed_keys(self) -> set[str]:
        return {feed_key(row["url"]) for row in self._rows("SELECT url FROM feeds")}

    def export_outline(self) -> list[OutlineFeed]:
        """Every feed with its folder path, in folder order then by title; a feed shipped with
        the program (on the `.invalid` domain: the welcome feed) is left out, as another reader
        importing the file would get a feed that can never load."""
        paths: dict[int | None, tuple[str, ...]] = {None: ()}
        for folder in self.list_folders():  # parents come before children
            paths[folder.id] = (*paths.get(folder.parent_id, ()), folder.name)
        feeds = sorted(
            self.list_feeds(), key=lambda f: (paths.get(f.folder_id, ()), f.display_title.lower())
        )
        return [
            OutlineFeed(
                url=f.url, title=f.title, site_url=f.site_url, folder=paths.get(f.folder_id, ())
            )
            for f in feeds
            if not urls.on_invalid_domain(f.url)
        ]

    def purge(self, retention_days: int, now: datetime) -> int:
        """Deletes read, unstarred entries without the user's comments whose date is more than
        `retention_days` before `now` (0 keeps everything). Their guids are remembered per
        feed so that a sync does not bring them back as new while the feed still lists them.
        Works in transactions of `PURGE_BATCH` entries, so a large first purge never holds
        the write lock long enough to make a sync wait. Returns how many entries went."""
        if retention_days < 0:
            raise StoreError("the retention period cannot be negative")
        if retention_days == 0:
            return 0
        cutoff = to_ts(now - timedelta(days=retention_days))
        purged = 0
        while True:
            with self._write() as conn:
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS purge_batch(id INTEGER PRIMARY KEY)")
                conn.execute("DELETE FROM temp.purge_batch")
                conn.execute(
                    f"INSERT INTO temp.purge_batch SELECT e.id {_PURGEABLE} LIMIT ?",
                    (cutoff, PURGE_BATCH),
                )
                conn.execute(
                    "INSERT OR REPLACE INTO purged_entries(feed_id, guid, purged_at) "
                    "SELECT feed_id, guid, ? FROM entries WHERE id IN temp.purge_batch",
                    (to_ts(now),),
                )
                batch = conn.execute("DELETE FROM entries WHERE id IN temp.purge_batch").rowcount
            purged += batch
            if batch < PURGE_BATCH:
                return purged

    def vacuum(self) -> None:
        """Rebuilds the file to give freed space back, after optimising the search indexes."""
        with self._write() as conn:
            for table in SEARCH_TABLES:
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        try:
            self._conn.execute("VACUUM")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):  # give back what the failed VACUUM took
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            raise translate_error(error, self.paths) from error
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_check(self) -> list[str]:
        """Problems found by PRAGMA quick_check and by comparing the search indexes with the
        entries (empty when the store is sound)."""
        problems = quick_check(self._conn)
        key = SEARCH_KEY_SQL.format(date="e.sort_date", id="e.id")
        for table in SEARCH_TABLES:
            unindexed = self._scalar(
                "SELECT count(*) FROM entries e WHERE NOT EXISTS "
                f"(SELECT 1 FROM {table} WHERE rowid = {key})"
            )
            orphans = self._scalar(
                f"SELECT count(*) FROM {table} WHERE rowid NOT IN (SELECT {key} FROM entries e)"
            )
            if unindexed:
                problems.append(
                    f"{counted(unindexed, 'entry', 'entries')} {agreeing(unindexed, 'is', 'are')} "
                    f"missing from {table}"
                )
            if orphans:
                problems.append(f"{table} holds {counted(orphans, 'row')} of no entry")
        return problems
