"""Undoable user actions: each is a QUndoCommand that writes through the store and then tells
the window what changed (redo and undo alike), so the panels repaint only what they must."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from newsreader.gui.background import BackgroundStore
from newsreader.gui.view_state import EntriesMarked
from newsreader.store import Store
from newsreader.wording import counted

Marked = Callable[[EntriesMarked], None]
CommentChanged = Callable[[int], None]  # the entry id whose comments changed
Refresh = Callable[[], None]


BULK = 500  # more ids than this are written by the background store, off the GUI thread


class SetReadCommand(QUndoCommand):
    """Marks entries read or unread; undo restores the opposite state on the same ids.

    Callers pass only ids whose state actually changes, so undo restores exactly what was.
    Large sets (mark all read on a big view) are written on the background store's thread;
    its single thread keeps a mark and its undo in order.
    """

    def __init__(
        self,
        store: Store,
        background: BackgroundStore,
        ids: Sequence[int],
        read: bool,
        changed: Marked,
    ) -> None:
        label = "read" if read else "unread"
        super().__init__(f"Mark {counted(len(ids), 'article')} {label}")
        self._store, self._background = store, background
        self._ids, self._read, self._changed = tuple(ids), read, changed

    def _write(self, read: bool) -> None:
        ids = self._ids
        change = EntriesMarked(ids, read=read)
        if len(ids) <= BULK:
            self._store.set_read(ids, read)
            self._changed(change)
        else:
            self._background.submit(
                lambda store: store.set_read(ids, read), lambda _count: self._changed(change)
            )

    def redo(self) -> None:
        self._write(self._read)

    def undo(self) -> None:
        self._write(not self._read)


class SetStarredCommand(QUndoCommand):
    def __init__(self, store: Store, ids: Sequence[int], starred: bool, changed: Marked) -> None:
        super().__init__("Star" if starred else "Remove star")
        self._store, self._ids, self._starred, self._changed = (
            store,
            tuple(ids),
            starred,
            changed,
        )

    def _write(self, starred: bool) -> None:
        self._store.set_starred(self._ids, starred)
        self._changed(EntriesMarked(self._ids, starred=starred))

    def redo(self) -> None:
        self._write(self._starred)

    def undo(self) -> None:
        self._write(not self._starred)


class DeleteCommentCommand(QUndoCommand):
    """Soft-deletes one of the user's comments; undo restores it."""

    def __init__(
        self, store: Store, comment_id: int, entry_id: int, changed: CommentChanged
    ) -> None:
        super().__init__("Delete comment")
        self._store, self._comment_id, self._entry_id, self._changed = (
            store,
            comment_id,
            entry_id,
            changed,
        )

    def redo(self) -> None:
        self._store.delete_comment(self._comment_id)
        self._changed(self._entry_id)

    def undo(self) -> None:
        self._store.restore_comment(self._comment_id)
        self._changed(self._entry_id)


class PendingUnsubscribes:
    """Feeds the user unsubscribed from in this session, hidden but not yet deleted.

    `Store.delete_feed` removes a feed with its entries and comments for good, so the window
    only hides the feed while the unsubscribe can still be undone, and deletes it when the
    window closes (`commit`). A crash before that keeps the feed: no data is lost by accident.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self.hidden: set[int] = set()

    def commit(self) -> None:
        for feed_id in sorted(self.hidden):
            self._store.delete_feed(feed_id)
        self.hidden.clear()
        self.changed()

    def changed(self) -> None:
        """Tells the store which feeds are leaving: stories count them no more."""
        self._store.set_leaving_feeds(self.hidden)


class UnsubscribeCommand(QUndoCommand):
    def __init__(
        self, pending: PendingUnsubscribes, feed_id: int, title: str, changed: Refresh
    ) -> None:
        super().__init__(f"Unsubscribe from {title}")
        self._pending, self._feed_id, self._changed = pending, feed_id, changed

    def redo(self) -> None:
        self._pending.hidden.add(self._feed_id)
        self._pending.changed()
        self._changed()

    def undo(self) -> None:
        self._pending.hidden.discard(self._feed_id)
        self._pending.changed()
        self._changed()
