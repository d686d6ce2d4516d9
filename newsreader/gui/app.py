"""Starting the window: the Qt application, the store, the first-run content, the sync
controller, the add-feed flow and the tray, wired together."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon

from newsreader.desktop_entry import APP_ID
from newsreader.errors import NewsreaderError
from newsreader.feedurl import OpenTarget, TargetKind
from newsreader.gui.add_feed_dialog import AddFeedDialog, folder_names
from newsreader.gui.first_run import populate_first_run
from newsreader.gui.garbage import collect_on_gui_thread
from newsreader.gui.rule_notices import RuleNotices
from newsreader.gui.single_instance import bring_to_front, serve
from newsreader.gui.state import WindowState
from newsreader.gui.sync_controller import SyncController, describe, describe_account_syncs
from newsreader.gui.tasks import close_loop, install_loop, outcome
from newsreader.gui.termination import TerminationWatcher
from newsreader.gui.tray import Tray, app_icon
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.model import DiscoveredFeed, Feed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import EntryQuery, Store
from newsreader.sync import parsers
from newsreader.sync.events import (
    FeedSynced,
    FollowUpStarted,
    StoriesMatched,
    SyncEvent,
    SyncFinished,
    SyncStarted,
)
from newsreader.sync.options import SyncOptions
from newsreader.sync.writer import StoreWriter

if TYPE_CHECKING:  # the network side loads with its first use, after the window is drawn
    from newsreader.accounts.engine import AccountSyncResult
    from newsreader.sync.fetch import FetchResult
    from newsreader.sync.subscribe import Subscription

T = TypeVar("T")


_GROUPING = "Grouping articles into stories:"


class Session:
    """One open window with everything around it; `close()` releases the store."""

    def __init__(
        self,
        store: Store,
        paths: DataPaths,
        *,
        sync_options: SyncOptions | None = None,
        tray: bool = True,
    ) -> None:
        self.store = store
        self.paths = paths
        # the feed documents the last Add feed dialog's discovery fetched, by URL
        self._fetched: Mapping[str, FetchResult] = {}
        state = WindowState(paths)
        welcome: int | None = None
        if not state.first_run_done:
            if not store.list_feeds():
                welcome_feed = populate_first_run(store)
                entries = store.entry_ids(EntryQuery(feed_ids=(welcome_feed,)))
                welcome = entries[0] if entries else None
            state.mark_first_run_done()
        self.window = MainWindow(store, paths, sync_options=sync_options)
        self.sync = SyncController(
            paths,
            self.window.tasks,
            self.window.settings.refresh_interval_minutes,
            self.window.sync_options,
            self.window,
        )
        self.tray: Tray | None = None
        if tray and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = Tray(self.window, self._tray_menu())
            self.tray.activated.connect(lambda _reason: bring_to_front(self.window))
            self.tray.show()
        self.rule_notices = RuleNotices(store, self.window.statusBar(), self.tray)
        self.window.setWindowIcon(app_icon())
        self.window.refresh_requested.connect(lambda: self.sync.start(all_feeds=True))
        self.window.cancel_requested.connect(self.sync.cancel)
        self.window.settings_changed.connect(self._settings_changed)
        self.window.add_feed_requested.connect(self.add_feed_dialog)
        self.window.feeds_added.connect(lambda: self.sync.start())
        self.window.refresh_feeds_requested.connect(self.refresh_feeds)
        self.sync.sync_event.connect(self._on_event)
        self.sync.account_synced.connect(self._on_account_synced)
        self.sync.failed.connect(self.window.statusBar().showMessage)
        self.sync.offline_changed.connect(self.window.set_offline)
        self.window.unread_count_changed.connect(lambda _unread: self._update_tray())
        self.window.restore_state(fallback_entry=welcome)
        self._update_tray()
        # Everything built so far lives as long as the window: keep it out of the cyclic
        # collector, whose full passes otherwise pause the GUI thread for tens of ms.
        gc.freeze()

    def _tray_menu(self) -> QMenu:
        menu = QMenu(self.window)
        menu.addAction("Show Newsreader", lambda: bring_to_front(self.window))
        menu.addAction(self.window.actions_by_name["refresh"])
        menu.addSeparator()
        menu.addAction(self.window.actions_by_name["quit"])
        return menu

    def _settings_changed(self, settings: Settings) -> None:
        self.sync.set_interval(settings.refresh_interval_minutes)

    def _on_event(self, event: SyncEvent) -> None:
        window = self.window
        if isinstance(event, SyncStarted):
            window.show_progress(0, event.total)
        elif isinstance(event, FeedSynced):
            window.show_progress(event.done, event.total)
            self.rule_notices.add(event.notify_entry_ids)
            if event.new_entries or event.updated_entries or event.error:
                window.schedule_reload()
        elif isinstance(event, StoriesMatched):
            window.statusBar().showMessage(f"{_GROUPING} {event.done:,} of {event.total:,}", 5_000)
        elif isinstance(event, FollowUpStarted):  # feeds done; icons, images, comments follow
            window.show_progress(1, 1)
            window.reload_after_sync()
        elif isinstance(event, SyncFinished):
            if window.statusBar().currentMessage().startswith(_GROUPING):
                window.statusBar().clearMessage()
            window.show_progress(1, 1)
            window.reload_after_sync()
            noticed = self.rule_notices.show(describe(event))  # replaces the count's bubble
            if self.tray is not None and window.settings.notifications and noticed is None:
                self.tray.notify_new(event.summary.new_entries)

    def _on_account_synced(self, result: AccountSyncResult) -> None:
        self.window.reload_after_sync()
        self.rule_notices.add(result.notify_entry_ids)  # the account's own notice
        # Every account of this refresh that failed, not only the last one's result.
        results = self.sync.account_results if result in self.sync.account_results else [result]
        self.rule_notices.show(describe_account_syncs(results))

    def refresh_feeds(self, urls: tuple[str, ...]) -> None:
        """Fetches the feeds at `urls` now, whatever their schedule."""
        if not self.sync.start(feeds=urls):
            self.window.statusBar().showMessage(
                "A refresh is running: try again when it has finished.", 10_000
            )

    # --- subscribing ---------------------------------------------------------------------

    async def discover(
        self, url: str, progress: Callable[[str], None] | None = None
    ) -> Sequence[DiscoveredFeed]:
        from newsreader.sync.subscribe import find_feeds

        found = await find_feeds(self.paths, url, self.sync.options, progress=progress)
        self._fetched = found.fetched  # the chosen feed is not fetched again to subscribe
        return found.feeds

    def add_feed_dialog(self, url: str = "") -> AddFeedDialog:
        """Opens the Add feed dialog (non-modal: the event loop keeps running)."""
        view = self.window.view
        folder_id = view.id if view.kind == ViewKind.FOLDER else None
        dialog = AddFeedDialog(
            lambda address: self.discover(address, dialog.show_progress),
            self.window.tasks,
            self.window.folders,
            self.window,
            url=url,
            folder_id=folder_id,
            accounts=self.store.list_accounts(),
            subscribed={f.url: f.display_title for f in self.window.feeds},
        )
        dialog.accepted.connect(lambda: self._start_subscribe(dialog))
        dialog.open()
        if url:
            dialog.find_feeds()
        return dialog

    def _start_subscribe(self, dialog: AddFeedDialog) -> None:
        chosen = dialog.chosen()
        if chosen is None:
            return
        folder = folder_names(self.window.folders, dialog.folder_id())
        account_id = dialog.account_id()
        if account_id is None:
            fetched, self._fetched = self._fetched, {}
            self.subscribe(chosen.url, folder, title=dialog.title(), fetched=fetched)
        else:
            self.subscribe_through(account_id, chosen.url, folder, title=dialog.title())

    def subscribe_through(
        self, account_id: int, url: str, folder: Sequence[str], *, title: str | None = None
    ) -> asyncio.Task[tuple[Feed, AccountSyncResult]]:
        """Subscribes through a feed-server account: queued in the store, then sent with a
        sync of that account (which waits for one already running); the server fetches the
        feed from then on."""
        from newsreader.accounts.engine import sync_account
        from newsreader.accounts.subscribe import queue_subscription
        from newsreader.gui.accounts_panel import WINDOW_OPTIONS

        self.window.statusBar().showMessage(f"Subscribing to {url} through the feed server…")

        async def work() -> tuple[Feed, AccountSyncResult]:
            writer = StoreWriter(self.paths)
            try:
                feed = await writer.call(
                    lambda store: queue_subscription(
                        store, account_id, url, title=title, folder=folder
                    )
                )
                result = await sync_account(self.paths, account_id, options=WINDOW_OPTIONS)
                # as the server named it
                feed = await writer.call(lambda store: store.get_feed(feed.id))
            finally:
                await writer.close()
            return feed, result

        return self.window.tasks.start(work(), self._subscribed_through)

    def _subscription_done(self, task: asyncio.Task[T]) -> T | None:
        """A subscribe task's value; None when it was cancelled or failed with a reason the
        status bar now shows ("Could not subscribe: …"). Other errors are raised."""
        done = outcome(task)
        if isinstance(done.error, NewsreaderError):
            self.window.statusBar().showMessage(f"Could not subscribe: {done.error}", 15_000)
            return None
        if done.error is not None:
            raise done.error
        return done.value

    def _subscribed_through(self, task: asyncio.Task[tuple[Feed, AccountSyncResult]]) -> None:
        done = self._subscription_done(task)
        if done is None:
            return
        feed, result = done
        self.window.subscriptions_changed()
        self.window.feed_tree.select_view(View(ViewKind.FEED, feed.id))
        name = result.label or "the feed server"
        if result.ok:
            message = f"Subscribed to {feed.display_title} through {name}."
        else:  # the subscription stays queued and goes with the account's next sync
            message = (
                f"Subscription to {feed.display_title} queued for {name}, not sent yet: "
                f"{result.message or result.status.value}."
            )
        self.window.statusBar().showMessage(message, 15_000)

    def subscribe(
        self,
        url: str,
        folder: Sequence[str],
        *,
        title: str | None = None,
        fetched: Mapping[str, FetchResult] | None = None,
    ) -> asyncio.Task[Subscription]:
        """Subscribes through the sync engine, then shows it. `fetched`: the feed documents
        the Add feed dialog's discovery fetched, so that the feed is not fetched again."""
        from newsreader.sync.subscribe import subscribe

        self.window.statusBar().showMessage(f"Subscribing to {url}…")
        work = subscribe(
            self.paths,
            url,
            folder=folder,
            options=self.sync.options,
            subscribers=[self.sync.sync_event.emit],
            fetched=fetched,
        )
        return self.window.tasks.start(work, lambda task: self._subscribed(task, title))

    def _subscribed(self, task: asyncio.Task[Subscription], title: str | None = None) -> None:
        subscription = self._subscription_done(task)
        if subscription is None:
            return
        feed: Feed = subscription.feed
        if title is not None:  # the name the user gave in the dialog
            feed = self.store.rename_feed(feed.id, title)
        self.window.subscriptions_changed()
        self.window.feed_tree.select_view(View(ViewKind.FEED, feed.id))
        self.window.statusBar().showMessage(f"Subscribed to {feed.display_title}.", 10_000)

    def _update_tray(self) -> None:
        if self.tray is not None:
            self.tray.set_unread(self.window.unread_count)

    def show(self) -> None:
        if self.window.settings.start_minimised and self.tray is not None:
            return
        self.window.show()

    def open_target(self, target: OpenTarget) -> None:
        """What another start of the app (or the command line) asked this window to open."""
        if target.kind == TargetKind.IMPORT_OPML:
            self.window.ask_import_opml(Path(target.value))
        elif target.kind == TargetKind.SUBSCRIBE:
            self.window.add_feed_requested.emit(target.value)

    def close(self) -> None:
        """After the window closed (which stopped its threads): the tray and the store."""
        if self.tray is not None:
            self.tray.hide()
        self.store.close()


def configure_app(app: QApplication) -> None:
    """Name, icon and desktop identity of the application, and closing to the tray."""
    app.setApplicationName("Newsreader")
    # Wayland compositors and docks match the window to its .desktop entry by this name
    # (icon, grouping, "keep in dock"), as installed by `newsreader install-desktop-entry`.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # closing to the tray is not quitting


def run(
    paths: DataPaths, open_target: OpenTarget | None = None, argv: Sequence[str] | None = None
) -> int:
    """Opens the window and runs until it closes; returns the process exit code."""
    app = QApplication.instance() or QApplication(list(argv or sys.argv))
    assert isinstance(app, QApplication)
    collect_on_gui_thread(app)  # before any worker thread starts: see gui/garbage.py
    configure_app(app)
    try:
        store = Store.open(paths.ensure())
    except NewsreaderError as error:
        QMessageBox.critical(None, "Newsreader", str(error))
        return 1
    loop = install_loop(app)
    session = Session(store, paths)
    serve(session.window, paths, session.open_target)
    session.window.closing.connect(app.quit)
    # SIGTERM/SIGINT close the window as Quit does: state saved, pending undo made final.
    termination = TerminationWatcher(app)
    termination.requested.connect(session.window.actions_by_name["quit"].trigger)
    session.show()
    # The parse process starts (~75 ms, in a thread) while the window paints, so the first
    # sync parses in it from its first feed.
    parsers.processes.start_in_background()
    if open_target is not None:
        session.open_target(open_target)
    session.sync.start()
    try:
        app.exec()
    finally:
        termination.close()
        close_loop(loop)  # a cancelled sync unwinds before the store closes
        session.close()
        parsers.processes.wait_settled()  # never exit halfway through starting it
    return 0
