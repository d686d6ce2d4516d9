"""Managing subscriptions from the feed panel: rename, move to a folder, properties (address,
interval, full article, User-Agent, login), unsubscribe (undoable), and OPML in and out.

Each action writes through the store, then calls back so the window re-reads what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QUndoStack
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from newsreader.errors import NewsreaderError
from newsreader.feed_status import has_problem
from newsreader.gui.add_feed_dialog import folder_paths
from newsreader.gui.background import BackgroundStore
from newsreader.gui.opml_import import ImportOpmlDialog, into_folder
from newsreader.gui.undo import PendingUnsubscribes, UnsubscribeCommand
from newsreader.gui.views import View, ViewKind
from newsreader.model import Feed, Folder, Outline, OutlineFeed
from newsreader.parse.opml import read_outline, write_opml
from newsreader.store import ImportResult, Store
from newsreader.wording import agreeing

if TYPE_CHECKING:  # the properties dialog and the keyring load with its first use
    from newsreader.gui.feed_properties import FeedChanges, FeedPropertiesDialog

FEVER_READ_ONLY_MENU = "Fever account: change this subscription on the server"
FEVER_FOLDER_READ_ONLY_MENU = "Fever account's feeds: change this folder on the server"


class Subscriptions:
    """`refreshed()` after a change to titles, folders or settings of feeds; `unsubscribed()`
    after a feed was hidden or brought back (the views must re-query)."""

    def __init__(
        self,
        store: Store,
        parent: QWidget,
        undo: QUndoStack,
        pending: PendingUnsubscribes,
        folders: Callable[[], Sequence[Folder]],
        refreshed: Callable[[], None],
        unsubscribed: Callable[[], None],
        background: BackgroundStore,
        name_of: Callable[[Feed], str],
    ) -> None:
        self._store = store
        self._background = background
        self._name_of = name_of  # a feed's name as the tree lists it
        self._parent = parent
        self._undo = undo
        self._pending = pending
        self._folders = folders
        self._refreshed = refreshed
        self._unsubscribed = unsubscribed

    def context_menu(
        self,
        view: View,
        mark_read: Callable[[View], None],
        refresh: Callable[[Sequence[Feed]], None],
        feeds: Sequence[Feed],
    ) -> QMenu:
        """The right-click menu of a feed or folder; `feeds` are all feeds (with their state),
        `refresh` fetches some of them now."""
        menu = QMenu(self._parent)
        menu.setAccessibleName("Feed actions")
        if view.kind == ViewKind.FEED and view.id is not None:
            feed_id = view.id
            feed = next((f for f in feeds if f.id == feed_id), None) or self._store.get_feed(
                feed_id
            )
            if has_problem(feed):
                menu.addAction("Re&try", lambda: refresh([feed]))
            else:
                menu.addAction("Re&fresh this feed", lambda: refresh([feed]))
            menu.addAction("&Copy feed address", lambda: copy_text(feed.url))
            home = menu.addAction("Open &home page", lambda: open_url(feed.site_url or ""))
            home.setEnabled(bool(feed.site_url))
            menu.addSeparator()
            rename = menu.addAction("&Rename…", lambda: self.rename_feed_dialog(feed_id))
            move = menu.addMenu("&Move to folder")
            move.addAction("(top level)", lambda: self.move_feed(feed_id, None))
            for label, folder_id in folder_paths(self._folders()):
                move.addAction(label, partial(self.move_feed, feed_id, folder_id))
            move.addSeparator()
            move.addAction("New folder…", lambda: self.move_to_new_folder(feed_id))
            menu.addAction("Mark &all read", lambda: mark_read(view))
            menu.addAction("&Properties…", lambda: self.properties_dialog(feed_id))
            menu.addSeparator()
            unsubscribe = menu.addAction("&Unsubscribe…", lambda: self.unsubscribe(feed_id))
            if self.read_only(feed_id):
                for action in (rename, move.menuAction(), unsubscribe):
                    action.setEnabled(False)
                menu.addAction(FEVER_READ_ONLY_MENU).setEnabled(False)
        elif view.kind == ViewKind.FOLDER and view.id is not None:
            folder_id = view.id
            inside = feeds_in_folder(feeds, self._folders(), folder_id)
            refresh_folder = menu.addAction("Re&fresh folder", lambda: refresh(inside))
            refresh_folder.setEnabled(bool(inside))
            menu.addAction("Mark &all read", lambda: mark_read(view))
            menu.addSeparator()
            menu.addAction("&New folder…", lambda: self.new_folder_dialog(folder_id))
            rename = menu.addAction("&Rename…", lambda: self.rename_folder_dialog(folder_id))
            delete = menu.addAction("&Delete folder…", lambda: self.delete_folder(folder_id))
            if any(self.read_only(f.id) for f in feeds if f.folder_id == folder_id):
                rename.setEnabled(False)
                delete.setEnabled(False)
                menu.addAction(FEVER_FOLDER_READ_ONLY_MENU).setEnabled(False)
        return menu

    def read_only(self, feed_id: int) -> bool:
        """Whether the feed's subscription cannot be changed here (a Fever account's)."""
        feed = self._store.get_feed(feed_id)
        if feed.account_id is None:
            return False
        return not self._store.get_account(feed.account_id).kind.edits_subscriptions

    # --- feeds and folders -------------------------------------------------------------------

    def properties_dialog(self, feed_id: int) -> FeedPropertiesDialog:
        """Opens a feed's properties (window-modal); OK writes them on the background store
        thread, then the panel is re-read."""
        from newsreader.gui.feed_properties import FeedPropertiesDialog
        from newsreader.sync.credentials import load_credentials

        feed = self._store.get_feed(feed_id)
        dialog = FeedPropertiesDialog(
            feed,
            load_credentials(feed.url),
            self._parent,
            name=self._name_of(feed),
            default_minutes=self._store.load_settings().refresh_interval_minutes,
            holder_of=self._holder_of,
        )
        dialog.accepted.connect(lambda: self.save_feed_changes(feed, dialog.changes()))
        dialog.open()
        return dialog

    def _holder_of(self, url: str) -> str | None:
        """The name of the feed that has this address, as the tree lists it."""
        holder = self._store.feed_by_url(url)
        return None if holder is None else self._name_of(holder)

    def save_feed_changes(self, feed: Feed, changes: FeedChanges) -> None:
        """Writes a properties dialog's result on the background store thread (with the
        keyring's login); a refusal is shown, then the panel is re-read either way."""

        def work(store: Store) -> str | None:
            try:
                write_feed_changes(store, feed, changes)
            except NewsreaderError as error:
                return str(error)
            return None

        def done(refused: str | None) -> None:
            if refused is not None:
                QMessageBox.warning(self._parent, "Feed properties", sentence(refused))
            self._refreshed()

        self._background.submit(work, done)

    def rename_feed_dialog(self, feed_id: int) -> None:
        feed = self._store.get_feed(feed_id)
        title, ok = QInputDialog.getText(
            self._parent, "Rename feed", "Title:", text=feed.display_title
        )
        if ok:
            self._store.rename_feed(feed_id, title.strip() or None)
            self._refreshed()

    def rename_folder_dialog(self, folder_id: int) -> None:
        current = next((f.name for f in self._folders() if f.id == folder_id), "")
        name, ok = QInputDialog.getText(self._parent, "Rename folder", "Name:", text=current)
        if ok and name.strip():
            try:
                self._store.rename_folder(folder_id, name.strip())
            except NewsreaderError as error:
                QMessageBox.warning(self._parent, "Rename folder", str(error))
                return
            self._refreshed()

    def new_folder_dialog(self, parent_id: int | None = None) -> Folder | None:
        """Asks for a name and makes a folder inside `parent_id` (None: at the top)."""
        name, ok = QInputDialog.getText(self._parent, "New folder", "Folder name:")
        if not ok or not name.strip():
            return None
        try:
            folder = self._store.add_folder(name.strip(), parent_id)
        except NewsreaderError as error:
            QMessageBox.warning(self._parent, "New folder", str(error))
            return None
        self._refreshed()
        return folder

    def delete_folder(self, folder_id: int, *, confirm: bool = True) -> bool:
        """Deletes a folder after asking; its feeds and subfolders move up one level."""
        folder = next((f for f in self._folders() if f.id == folder_id), None)
        if folder is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self._parent,
                "Delete folder",
                f"Delete the folder “{folder.name}”?\n\nIts feeds and folders move up one "
                f"level; no feed is unsubscribed.{self._scoped_rules(folder_id)}",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            self._store.delete_folder(folder_id)
        except NewsreaderError as error:
            QMessageBox.warning(self._parent, "Delete folder", str(error))
            return False
        self._unsubscribed()  # the view may have been this folder: the views re-query
        return True

    def _scoped_rules(self, folder_id: int) -> str:
        """What a folder's deletion does to the rules that run on it only (the store deletes
        them with it), as a paragraph for the question; "" when there are none."""
        names = [f"“{r.name}”" for r in self._store.list_rules() if r.folder_id == folder_id]
        if not names:
            return ""
        count = len(names)
        return (
            f"\n\n{agreeing(count, 'Its rule', 'Its rules')} {', '.join(names)} "
            f"{agreeing(count, 'runs', 'run')} on this folder only and "
            f"{agreeing(count, 'is', 'are')} deleted with it."
        )

    def move_to_new_folder(self, feed_id: int) -> None:
        name, ok = QInputDialog.getText(self._parent, "New folder", "Folder name:")
        if ok and name.strip():
            folder = self._store.add_folder(name.strip())
            self.move_feed(feed_id, folder.id)

    def move_feed(self, feed_id: int, folder_id: int | None) -> None:
        self._store.move_feed(feed_id, folder_id)
        self._refreshed()

    def unsubscribe(self, feed_id: int, *, confirm: bool = True) -> bool:
        """Hides the feed (undoable); it is deleted when the window closes."""
        name = self._name_of(self._store.get_feed(feed_id))
        if confirm:
            answer = QMessageBox.question(
                self._parent,
                "Unsubscribe",
                f"Unsubscribe from “{name}”?\n\nIts articles and your comments "
                "on them are deleted when you close Newsreader; until then Undo brings them back.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self._undo.push(UnsubscribeCommand(self._pending, feed_id, name, self._unsubscribed))
        return True

    # --- OPML ----------------------------------------------------------------------------------

    def import_outline(
        self,
        outline: Sequence[OutlineFeed],
        imported: Callable[[int], None],
        into: tuple[str, ...] = (),
    ) -> None:
        """Writes the outline's feeds on the background store thread (hundreds of feeds and
        folders are one long transaction); then the panel is re-read and `imported(new)`."""
        feeds = into_folder(outline, into)

        def done(result: ImportResult) -> None:
            self._refreshed()
            imported(len(result.added_feed_ids))

        self._background.submit(lambda store: store.import_outline(feeds), done)

    def ask_import(self, path: Path, imported: Callable[[int], None]) -> ImportOpmlDialog | None:
        """Reads an OPML file and asks (a non-modal dialog) whether and where to import it;
        on Import subscribes and calls `imported(new feeds)`. None, after a warning, when the
        file cannot be read or names no feed."""
        try:
            outline = read_opml(path)
            if not outline.feeds and not outline.pages and not outline.skipped:
                raise NewsreaderError(f"{path.name} names no feeds")
        except NewsreaderError as error:
            QMessageBox.warning(self._parent, "Import OPML", str(error))
            return None
        # the outline holds each feed once (by `feed_key`); "already" is counted by the
        # store's rule, the one the import itself (and the command line's) follows
        urls = [item.url for item in outline.feeds]
        already = len(self._store.subscribed_among(urls))
        dialog = ImportOpmlDialog(
            path.name,
            len(urls) - already,
            already,
            self._folders(),
            self._parent,
            left_out=left_out(outline),
        )
        dialog.accepted.connect(lambda: self.import_outline(outline.feeds, imported, dialog.into()))
        dialog.open()
        return dialog

    def import_opml_dialog(self, imported: Callable[[int], None]) -> ImportOpmlDialog | None:
        """Asks for a file, then where to import it (see `ask_import`)."""
        name, _ = QFileDialog.getOpenFileName(
            self._parent,
            "Import OPML",
            str(Path.home()),
            "OPML files (*.opml *.xml);;All files (*)",
        )
        return self.ask_import(Path(name), imported) if name else None

    def export_opml_file(self, path: Path) -> None:
        data = write_opml(self._store.export_outline(), "Newsreader subscriptions")
        try:
            path.write_bytes(data)
        except OSError as error:
            raise NewsreaderError(f"cannot write {path}: {error.strerror}") from None

    def export_opml_dialog(self) -> str | None:
        """Asks where and writes the subscriptions there; the file name, None when not."""
        name, _ = QFileDialog.getSaveFileName(
            self._parent,
            "Export OPML",
            str(Path.home() / "newsreader-subscriptions.opml"),
            "OPML files (*.opml)",
        )
        if not name:
            return None
        try:
            self.export_opml_file(Path(name))
        except NewsreaderError as error:
            QMessageBox.warning(self._parent, "Export OPML", str(error))
            return None
        return name


def feeds_in_folder(feeds: Sequence[Feed], folders: Sequence[Folder], folder_id: int) -> list[Feed]:
    """The feeds in a folder and its subfolders."""
    inside = {folder_id}
    grew = True
    while grew:  # subfolders, whatever order the folders come in
        more = {f.id for f in folders if f.parent_id in inside} - inside
        inside |= more
        grew = bool(more)
    return [f for f in feeds if f.folder_id in inside]


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def open_url(url: str) -> bool:
    """Opens a web address in the system browser; False when none could be started."""
    return bool(url) and QDesktopServices.openUrl(QUrl(url))


def read_opml(path: Path) -> Outline:
    """What an OPML file lists; NewsreaderError when it cannot be read or parsed."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NewsreaderError(f"cannot read {path}: {error.strerror}") from None
    return read_outline(data)


def left_out(outline: Outline) -> list[str]:
    """One line per outline the import cannot subscribe to, and why (never dropped
    silently): web pages without their feed's address, outlines with no usable address."""
    lines = [
        f"{page.title or page.url}: a web page, not its feed (Add feed finds the feed there)"
        for page in outline.pages
    ]
    lines += [f"{item.title or '(untitled)'}: {item.reason}" for item in outline.skipped]
    return lines


def write_feed_changes(store: Store, feed: Feed, changes: FeedChanges) -> None:
    """Writes a properties dialog's result (on the background store thread): the address,
    interval, pause, full-article mode and User-Agent in one transaction
    (`Store.set_feed_properties`: a refused value leaves them all as they were), then the
    login in the keyring, which follows the feed to a new address. NewsreaderError when the
    store refuses a value."""
    from newsreader.sync.credentials import delete_credentials, move_credentials, save_credentials

    moved = bool(changes.url) and changes.url != feed.url
    store.set_feed_properties(
        feed.id,
        url=changes.url if moved else None,
        interval_minutes=changes.interval_minutes,
        disabled=changes.disabled,
        full_text=changes.full_text,
        user_agent=changes.user_agent,
    )
    url = feed.url
    if moved:
        move_credentials(feed.url, changes.url)
        url = changes.url
    if changes.credentials is not None:
        save_credentials(url, changes.credentials)
    else:
        delete_credentials(url)


def sentence(message: str) -> str:
    """A store's message as a sentence: capital first letter, a full stop at the end."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."
