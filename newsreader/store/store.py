"""`Store`: the public face of the local database, assembled from one mixin per area."""

from __future__ import annotations

from types import TracebackType

from newsreader.errors import StoreError
from newsreader.model import FullTextMode
from newsreader.paths import DataPaths
from newsreader.store.accounts import AccountMixin
from newsreader.store.comments import CommentMixin
from newsreader.store.db import open_connection
from newsreader.store.entries import EntryMixin
from newsreader.store.followups import FollowUpMixin
from newsreader.store.fulltext import FullTextMixin
from newsreader.store.images import ImageMixin
from newsreader.store.ingest import IngestMixin
from newsreader.store.library import LibraryMixin
from newsreader.store.rules import RuleMixin
from newsreader.store.stories import StoryMixin


class Store(
    AccountMixin,
    LibraryMixin,
    IngestMixin,
    RuleMixin,
    EntryMixin,
    StoryMixin,
    CommentMixin,
    ImageMixin,
    FollowUpMixin,
    FullTextMixin,
):
    """The library in one SQLite file (`DataPaths.store`).

    Threading: a `Store` wraps one sqlite3 connection, which belongs to the thread that opened
    it; open one `Store` per thread (the GUI thread for reads and small user writes, one writer
    thread for the sync). WAL mode lets readers read while the writer writes; a writer waits up
    to ten seconds for another writer, then raises `StoreLockedError`.
    Every method that writes runs in one transaction. Missing ids raise `NotFoundError`.
    Datetimes go in and come out as aware UTC, to the second.
    """

    @classmethod
    def open(cls, paths: DataPaths, *, check: bool = True) -> Store:
        """Opens (creating if needed) the store: quick_check, backup, migrations.

        Raises StoreCorruptError (naming the newest backup) for a damaged file, StoreError
        for a file written by a newer version of the app, StoreLockedError when another
        program holds it too long. `check=False` leaves out the quick_check (a full read of
        the file: ~0.35 s at 270 MB), for a second `Store` of a process whose first one has
        just been opened with it."""
        try:
            paths.ensure()
        except OSError as error:
            raise StoreError(f"cannot create the data folder {paths.root}: {error}") from error
        return cls(open_connection(paths, check=check), paths)

    def close(self) -> None:
        self._conn.close()

    def set_feed_properties(
        self,
        feed_id: int,
        *,
        url: str | None,
        interval_minutes: int | None,
        disabled: bool,
        full_text: FullTextMode,
        user_agent: str | None,
    ) -> None:
        """A feed's Properties in one transaction: its address (None keeps it), refresh
        interval and pause (`update_feed_settings`), full-article mode and User-Agent. All or
        nothing: a value the store refuses (another feed's address, a User-Agent HTTP cannot
        carry) raises StoreError and leaves every one of them as it was; NotFoundError for a
        feed that does not exist."""
        with self._write():
            if url is not None:
                self.set_feed_url(feed_id, url)
            self.update_feed_settings(feed_id, interval_minutes=interval_minutes, disabled=disabled)
            self.set_feed_full_text(feed_id, full_text)
            self.set_feed_user_agent(feed_id, user_agent)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
