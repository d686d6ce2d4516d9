"""`Store`: the public face of the local database. SKELETON: signatures and contracts first so
the sync engine, the window and export can code against them; bodies follow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType

from newsreader.model import Comment, Entry, Feed, Folder, OutlineFeed, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store.types import (
    CachedImage,
    EntryQuery,
    FeedWriteResult,
    FetchInfo,
    ImportResult,
)


class Store:
    """The library in one SQLite file (`DataPaths.store`).

    Threading: a `Store` wraps one sqlite3 connection, which belongs to the thread that opened
    it; open one `Store` per thread (the GUI thread for reads and small user writes, one writer
    thread for the sync). WAL mode lets readers read while the writer writes; a writer waits up
    to `busy_timeout` for another writer, then raises `StoreLockedError`.
    Every method that writes runs in one transaction. Missing ids raise `NotFoundError`.
    """

    @classmethod
    def open(cls, paths: DataPaths) -> Store:
        """Opens (creating if needed) the store: quick_check, backup, migrations.

        Raises StoreCorruptError (naming the newest backup) for a damaged file and StoreError
        for a file written by a newer version of the app."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- folders ------------------------------------------------------------------------
    def add_folder(self, name: str, parent_id: int | None = None) -> Folder:
        """Creates a folder (or returns the existing one of that name under that parent)."""
        raise NotImplementedError

    def ensure_folder_path(self, names: Sequence[str]) -> int | None:
        """The id of the folder at path `names` (creating what is missing); None for ()."""
        raise NotImplementedError

    def list_folders(self) -> list[Folder]:
        raise NotImplementedError

    def rename_folder(self, folder_id: int, name: str) -> Folder:
        raise NotImplementedError

    def delete_folder(self, folder_id: int) -> None:
        """Deletes the folder; its feeds and subfolders move up to its parent."""
        raise NotImplementedError

    # --- feeds --------------------------------------------------------------------------
    def add_feed(
        self,
        url: str,
        *,
        title: str | None = None,
        site_url: str | None = None,
        folder_id: int | None = None,
    ) -> Feed:
        """Subscribes to `url`; idempotent: an existing feed with that URL is returned as is."""
        raise NotImplementedError

    def get_feed(self, feed_id: int) -> Feed:
        raise NotImplementedError

    def feed_by_url(self, url: str) -> Feed | None:
        raise NotImplementedError

    def list_feeds(self) -> list[Feed]:
        """Every feed, with `unread_count` filled, ordered by display title."""
        raise NotImplementedError

    def rename_feed(self, feed_id: int, title: str | None) -> Feed:
        """Sets the user's own title (kept over the feed's title); None goes back to the feed's."""
        raise NotImplementedError

    def move_feed(self, feed_id: int, folder_id: int | None) -> Feed:
        raise NotImplementedError

    def delete_feed(self, feed_id: int) -> None:
        """Unsubscribes: the feed and all its entries (and their comments) go."""
        raise NotImplementedError

    def update_feed_settings(
        self, feed_id: int, *, interval_minutes: int | None, disabled: bool
    ) -> Feed:
        raise NotImplementedError

    def due_feeds(self, now: datetime) -> list[Feed]:
        """Enabled feeds whose next_due is unset or <= now, most overdue first."""
        raise NotImplementedError

    # --- sync writes (each one transaction) ---------------------------------------------
    def apply_parsed_feed(
        self, feed_id: int, parsed: ParsedFeed, fetch: FetchInfo
    ) -> FeedWriteResult:
        """Writes one fetched feed: its metadata, the fetch info, and its entries.

        An entry seen before (same guid, else same link) is updated in place when its content
        changed; read/starred/tags/comments stay. New entries get first_seen=fetch.fetched_at.
        Entries purged earlier and still in the feed are not added again. Clears the feed's
        error state."""
        raise NotImplementedError

    def record_not_modified(self, feed_id: int, fetched_at: datetime, next_due: datetime) -> None:
        raise NotImplementedError

    def record_fetch_error(
        self, feed_id: int, message: str, at: datetime, next_due: datetime | None
    ) -> Feed:
        """Counts one more failure (error_count + 1) and keeps its message and time."""
        raise NotImplementedError

    def disable_feed(self, feed_id: int, reason: str) -> None:
        raise NotImplementedError

    def set_feed_url(self, feed_id: int, url: str) -> None:
        """Raises StoreError if another feed already has `url`."""
        raise NotImplementedError

    def set_feed_icon(self, feed_id: int, url: str | None) -> None:
        raise NotImplementedError

    # --- entries ------------------------------------------------------------------------
    def get_entry(self, entry_id: int) -> Entry:
        raise NotImplementedError

    def list_entries(self, query: EntryQuery) -> list[Entry]:
        raise NotImplementedError

    def count_entries(self, query: EntryQuery) -> int:
        raise NotImplementedError

    def entry_ids(self, query: EntryQuery) -> list[int]:
        """The ids `list_entries` would return, in its order (cheap: for lazy views)."""
        raise NotImplementedError

    def entries_by_ids(self, ids: Sequence[int]) -> list[Entry]:
        """The entries with these ids, in the given order; unknown ids are left out."""
        raise NotImplementedError

    def set_read(self, ids: Sequence[int], read: bool) -> int:
        """Returns how many entries changed."""
        raise NotImplementedError

    def set_starred(self, ids: Sequence[int], starred: bool) -> int:
        raise NotImplementedError

    def mark_all_read(self, query: EntryQuery) -> int:
        raise NotImplementedError

    def add_tag(self, entry_id: int, tag: str) -> None:
        raise NotImplementedError

    def remove_tag(self, entry_id: int, tag: str) -> None:
        raise NotImplementedError

    def related_entries(self, entry_id: int, limit: int = 10) -> list[Entry]:
        """Other entries sharing the entry's most distinctive title terms, best first, entries
        of other feeds before those of its own feed."""
        raise NotImplementedError

    # --- comments -----------------------------------------------------------------------
    def add_comment(
        self, entry_id: int, body: str, *, author: str, parent_id: int | None = None
    ) -> Comment:
        raise NotImplementedError

    def edit_comment(self, comment_id: int, body: str) -> Comment:
        raise NotImplementedError

    def delete_comment(self, comment_id: int) -> Comment:
        """Soft delete: the comment stays (deleted=True) until restored."""
        raise NotImplementedError

    def restore_comment(self, comment_id: int) -> Comment:
        raise NotImplementedError

    def get_comment(self, comment_id: int) -> Comment:
        raise NotImplementedError

    def list_comments(self, entry_id: int) -> list[Comment]:
        """Every comment on the entry (deleted ones flagged), flat, in thread order."""
        raise NotImplementedError

    def comment_threads(self, entry_id: int) -> list[Comment]:
        """Root comments with their `replies` filled, recursively."""
        raise NotImplementedError

    def replace_site_comments(self, entry_id: int, parsed: Sequence[ParsedEntry]) -> int:
        """Upserts the site's comments (from a comment feed) by remote id and threads them by
        in_reply_to; never touches the user's comments. Returns how many were added or
        changed."""
        raise NotImplementedError

    # --- images -------------------------------------------------------------------------
    def record_cached_image(
        self, url: str, sha256: str, path: str, size: int, content_type: str | None
    ) -> CachedImage:
        raise NotImplementedError

    def cached_image(self, url: str) -> CachedImage | None:
        raise NotImplementedError

    def touch_images(self, urls: Sequence[str], at: datetime) -> None:
        """Records that these images were shown (for least-recently-used eviction)."""
        raise NotImplementedError

    def image_cache_size(self) -> int:
        raise NotImplementedError

    def evictable_images(self, over_bytes: int) -> list[CachedImage]:
        """Least recently used images whose sizes add up to at least `over_bytes` (or all that
        may go), never those of starred entries or entries with the user's comments."""
        raise NotImplementedError

    def forget_cached_images(self, urls: Sequence[str]) -> None:
        raise NotImplementedError

    def entry_image_urls(self, entry_ids: Sequence[int]) -> dict[int, list[str]]:
        """Image URLs each entry shows (its image and <img> in summary/content)."""
        raise NotImplementedError

    # --- settings -----------------------------------------------------------------------
    def load_settings(self) -> Settings:
        raise NotImplementedError

    def save_settings(self, settings: Settings) -> None:
        raise NotImplementedError

    # --- OPML ---------------------------------------------------------------------------
    def import_outline(self, feeds: Sequence[OutlineFeed]) -> ImportResult:
        """Subscribes to every feed not already there, creating its folder path; idempotent."""
        raise NotImplementedError

    def export_outline(self) -> list[OutlineFeed]:
        raise NotImplementedError

    # --- maintenance --------------------------------------------------------------------
    def purge(self, retention_days: int, now: datetime) -> int:
        """Deletes read, unstarred entries without user comments older than retention_days
        (0 keeps everything); remembers their guids so a sync does not add them again.
        Returns how many entries went."""
        raise NotImplementedError

    def vacuum(self) -> None:
        raise NotImplementedError

    def integrity_check(self) -> list[str]:
        """Problems found by PRAGMA integrity_check (empty when the store is sound)."""
        raise NotImplementedError
