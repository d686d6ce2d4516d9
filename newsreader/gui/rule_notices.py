"""What rules with the `notify` action found: told once a refresh ends, as a desktop
notification when the tray can show one, else on the window's status bar.

The sync reports each feed's entries to tell about (`FeedSynced.notify_entry_ids`); they are
gathered over the refresh and shown together, naming the first few articles."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QStatusBar, QSystemTrayIcon

from newsreader.store import Store
from newsreader.wording import counted

NAMED = 3
"""Articles named in a notice; the rest are counted."""
SHOWN_MS = 15_000
"""How long the notice stays (tray bubble and status bar)."""
STATUS_MS = 10_000
"""How long a refresh's status line stays without a notice."""


def notice_text(titles: Sequence[str], count: int) -> str:
    """One line naming the first `NAMED` titles of `count` articles, e.g.
    `Your rules found 4 articles: “A”, “B”, “C” and 1 more.`"""
    named = ", ".join(f"“{title}”" for title in titles[:NAMED])
    rest = count - min(len(titles), NAMED)
    more = f" and {rest} more" if rest > 0 else ""
    return f"Your rules found {counted(count, 'article')}: {named}{more}."


class RuleNotices:
    """Collects the entries rules asked to tell about during a refresh (`add`) and shows them
    when it ends (`show`): through `tray` if it supports messages, else on `status_bar`."""

    def __init__(self, store: Store, status_bar: QStatusBar, tray: QSystemTrayIcon | None) -> None:
        self._store = store
        self._status_bar = status_bar
        self._tray = tray
        self._pending: dict[int, None] = {}

    def add(self, entry_ids: Sequence[int]) -> None:
        self._pending.update(dict.fromkeys(entry_ids))

    def show(self, status_line: str) -> str | None:
        """At the end of a refresh: shows `status_line` (what the refresh did) on the status
        bar and the gathered articles (those still stored) as a notification, or after the
        line when there is no tray to show one; forgets them. Returns the notice, or None
        when there was nothing to tell."""
        ids, self._pending = list(self._pending), {}
        entries = self._store.entries_by_ids(ids[:NAMED]) if ids else []
        if not entries:
            self._status_bar.showMessage(status_line, STATUS_MS)
            return None
        text = notice_text([e.title or "(untitled)" for e in entries], len(ids))
        if self._tray is not None and self._tray.supportsMessages():
            self._tray.showMessage(
                "Newsreader", text, QSystemTrayIcon.MessageIcon.Information, SHOWN_MS
            )
            self._status_bar.showMessage(status_line, STATUS_MS)
        else:
            self._status_bar.showMessage(f"{status_line} {text}", SHOWN_MS)
        return text
