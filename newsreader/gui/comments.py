"""The comment panel: the site's discussion (read-only) and the user's own threaded comments.

Threads are drawn as HTML in a QTextBrowser; each comment carries links ("Reply", "Edit",
"Delete") with `comment:ACTION:ID` URLs that route back here. A comment is written to the store
the moment it is submitted: nothing waits for a sync or the network.

For an entry that names a comment feed, "Load comments from the site" fetches it now (a task on
the GUI thread's loop, through the sync engine); the panel says quietly how that went.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable, Coroutine, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from newsreader.errors import NewsreaderError
from newsreader.export.render import comment_body_html
from newsreader.gui.tasks import TaskSet, outcome
from newsreader.gui.timefmt import exact_time, relative_time
from newsreader.gui.undo import DeleteCommentCommand
from newsreader.model import Comment, CommentOrigin, Entry
from newsreader.store import Store
from newsreader.wording import counted

COMMENT_SCHEME = "comment"
INDENT_PX = 22

# Fetches an entry's comment feed into the store; returns how many comments were added or changed.
FetchComments = Callable[[int], Coroutine[Any, Any, int]]


def _walk(comments: Sequence[Comment], depth: int = 0) -> Iterator[tuple[Comment, int]]:
    for comment in comments:
        yield comment, depth
        yield from _walk(comment.replies, depth + 1)


def _visible(comment: Comment) -> bool:
    """A deleted comment stays in the thread (as a stub) only when it has live replies."""
    return not comment.deleted or any(_visible(r) for r in comment.replies)


def threads_html(
    threads: Sequence[Comment],
    base_url: str | None,
    now: datetime,
    dark: bool,
    *,
    announced: int | None = None,
) -> str:
    """The discussion as HTML: site comments first, then the user's own. `announced` is the
    count the feed gives for the site's discussion: while none of it is stored, a note says
    it is there to load, so the list's count (from the feed) and the panel never disagree
    silently."""
    muted = "#a0a4ab" if dark else "#59636e"
    rows: list[str] = []
    if announced and not any(c.origin == CommentOrigin.SITE for c in threads):
        rows.append(
            f'<p style="color: {muted}; font-style: italic;">'
            f"{html.escape(counted(announced, 'comment'))} on the site, not loaded yet: "
            "“Load comments from the site” fetches them.</p>"
        )
    for section, origin in (("From the site", CommentOrigin.SITE), ("Yours", CommentOrigin.USER)):
        roots = [c for c in threads if c.origin == origin and _visible(c)]
        if not roots:
            continue
        rows.append(f"<h3>{section}</h3>")
        for comment, depth in _walk(roots):
            if not _visible(comment):
                continue
            when = relative_time(comment.created, now)
            edited = " · edited" if comment.edited and not comment.deleted else ""
            actions = [f'<a href="{COMMENT_SCHEME}:reply:{comment.id}">Reply</a>']
            if comment.origin == CommentOrigin.USER and not comment.deleted:
                actions += [
                    f'<a href="{COMMENT_SCHEME}:edit:{comment.id}">Edit</a>',
                    f'<a href="{COMMENT_SCHEME}:delete:{comment.id}">Delete</a>',
                ]
            if comment.deleted:
                actions = []
            author = html.escape(comment.author or "Anonymous")
            rows.append(
                f'<div style="margin-left: {depth * INDENT_PX}px; margin-bottom: 10px;">'
                f'<p style="margin: 0px;"><a name="comment-{comment.id}"></a><b>{author}</b> '
                f'<span style="color: {muted};" title="{html.escape(exact_time(comment.created))}">'
                f"{html.escape(when)}{edited}</span></p>"
                f"{comment_body_html(comment, base_url, lambda _url: None)}"
                f'<p style="margin: 0px; color: {muted};">{" · ".join(actions)}</p></div>'
            )
    if not rows:
        return (
            f'<p style="color: {muted}; font-style: italic;">'
            "No comments yet. Be the first to write one below.</p>"
        )
    return "".join(rows)


def no_article_html(dark: bool) -> str:
    muted = "#a0a4ab" if dark else "#59636e"
    return (
        f'<p style="color: {muted}; font-style: italic;">The comments on the selected article '
        "appear here: the site's discussion and your own.</p>"
    )


class CommentPanel(QWidget):
    """Shows the comments of one entry and writes new ones, replies and edits."""

    comments_changed = Signal(int)  # entry id
    noted = Signal(str)  # a word for the status bar (a deleted comment: how to undo it)

    def __init__(
        self,
        store: Store,
        undo: QUndoStack,
        tasks: TaskSet,
        fetch: FetchComments,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._undo = undo
        self._tasks = tasks
        self._fetch = fetch
        self._loading: dict[int, asyncio.Task[int]] = {}  # entry id -> its running fetch
        self._site_status: dict[int, tuple[str, str]] = {}  # entry id -> (text, tooltip)
        self._entry: Entry | None = None
        self._reply_to: int | None = None
        self._editing: int | None = None
        self.author = "Me"
        self.dark = False

        self.heading = QLabel("Comments")
        self.heading.setAccessibleName("Comments heading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.site_status = QLabel()
        self.site_status.setAccessibleName("Site comments status")
        self.site_status.setEnabled(False)  # drawn muted: a quiet note, not an alarm
        self.load_button = QPushButton("Load comments from the site")
        self.load_button.setAccessibleName("Load comments from the site")
        self.load_button.clicked.connect(self.load_site_comments)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.site_status)
        heading_row.addWidget(self.load_button)
        self.thread_view = QTextBrowser()
        self.thread_view.setOpenLinks(False)
        self.thread_view.setAccessibleName("Comments")
        self.thread_view.anchorClicked.connect(self._on_anchor)
        self.mode_label = QLabel()
        self.mode_label.setAccessibleName("Comment mode")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel reply or edit")
        self.cancel_button.clicked.connect(self.reset_compose)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.mode_label, 1)
        mode_row.addWidget(self.cancel_button)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Write a comment")
        self.editor.setPlaceholderText("Write a comment… (Ctrl+Enter to save)")
        self.editor.setTabChangesFocus(True)
        # about four lines: the thread above keeps most of the panel
        self.editor.setMaximumHeight(self.editor.fontMetrics().lineSpacing() * 4 + 12)
        self.editor.installEventFilter(self)
        self.submit_button = QPushButton("Comment")
        self.submit_button.setAccessibleName("Save comment")
        self.submit_button.setToolTip("Save the comment (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.submit)
        compose_row = QHBoxLayout()  # the button beside the editor: no row of its own
        compose_row.addWidget(self.editor, 1)
        compose_row.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(heading_row)
        layout.addWidget(self.thread_view, 1)
        layout.addLayout(mode_row)
        layout.addLayout(compose_row)
        self.show_entry(None)

    # --- showing -------------------------------------------------------------------------

    def show_entry(self, entry: Entry | None) -> None:
        if entry is None or self._entry is None or entry.id != self._entry.id:
            self.reset_compose()
        self._entry = entry
        self.editor.setEnabled(entry is not None)
        self.submit_button.setEnabled(entry is not None)
        self.refresh()

    def refresh(self) -> None:
        if self._entry is None:
            self.heading.setText("Comments")
            self.thread_view.setHtml(no_article_html(self.dark))
            self._show_site_controls(None, has_site_comments=False)
            return
        threads = self._store.comment_threads(self._entry.id)
        count = sum(1 for c, _ in _walk(threads) if not c.deleted)
        self.heading.setText(f"Comments ({count})" if count else "Comments")
        has_site = any(c.origin == CommentOrigin.SITE for c in threads)
        self._show_site_controls(self._entry, has_site_comments=has_site)
        scroll = self.thread_view.verticalScrollBar().value()
        self.thread_view.setHtml(
            threads_html(
                threads,
                self._entry.link,
                datetime.now(UTC),
                self.dark,
                announced=self._entry.comment_count if self._entry.comments_feed else None,
            )
        )
        self.thread_view.verticalScrollBar().setValue(scroll)

    def _show_site_controls(self, entry: Entry | None, *, has_site_comments: bool) -> None:
        """The load button and its note, for an entry that names a comment feed."""
        offered = entry is not None and bool(entry.comments_feed)
        self.load_button.setVisible(offered)
        self.site_status.setVisible(offered)
        if entry is None or not offered:
            return
        loading = entry.id in self._loading
        label = "Refresh site comments" if has_site_comments else "Load comments from the site"
        self.load_button.setText(label)
        self.load_button.setAccessibleName(label)
        self.load_button.setToolTip(f"Fetch the discussion from {entry.comments_feed}")
        self.load_button.setEnabled(not loading)
        text, tip = ("Loading…", "") if loading else self._site_status.get(entry.id, ("", ""))
        self.site_status.setText(text)
        self.site_status.setToolTip(tip)

    def load_site_comments(self) -> asyncio.Task[int] | None:
        """Fetches the shown entry's comment feed now; the thread is redrawn when it is in."""
        entry = self._entry
        if entry is None or not entry.comments_feed or entry.id in self._loading:
            return None
        entry_id = entry.id
        task = self._tasks.start(self._fetch(entry_id), lambda done: self._loaded(entry_id, done))
        self._loading[entry_id] = task
        self.refresh()
        return task

    def _loaded(self, entry_id: int, task: asyncio.Task[int]) -> None:
        self._loading.pop(entry_id, None)
        done = outcome(task)
        if isinstance(done.error, NewsreaderError):
            self._site_status[entry_id] = ("Could not load comments", str(done.error))
        elif done.error is not None:
            raise done.error
        elif done.value is not None:
            changed = done.value
            note = f"{changed} new or changed" if changed else "No new comments"
            self._site_status[entry_id] = (note, f"Fetched {datetime.now().strftime('%H:%M')}")
        else:  # cancelled: nothing was written
            self._site_status.pop(entry_id, None)
        if self._entry is not None and self._entry.id == entry_id:
            self.refresh()
        self.comments_changed.emit(entry_id)

    # --- composing -----------------------------------------------------------------------

    def focus_editor(self) -> None:
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def reset_compose(self) -> None:
        self._reply_to = None
        self._editing = None
        self.mode_label.setText("")
        self.mode_label.hide()
        self.cancel_button.hide()
        self.editor.clear()
        self.submit_button.setText("Comment")

    def begin_reply(self, comment_id: int) -> None:
        comment = self._store.get_comment(comment_id)
        self.reset_compose()
        self._reply_to = comment.id
        self.mode_label.setText(f"Replying to {comment.author or 'Anonymous'}")
        self.mode_label.show()
        self.cancel_button.show()
        self.submit_button.setText("Reply")
        self.focus_editor()

    def begin_edit(self, comment_id: int) -> None:
        comment = self._store.get_comment(comment_id)
        if comment.origin != CommentOrigin.USER:
            return
        self.reset_compose()
        self._editing = comment.id
        self.mode_label.setText("Editing your comment")
        self.mode_label.show()
        self.cancel_button.show()
        self.editor.setPlainText(comment.body)
        self.submit_button.setText("Save")
        self.focus_editor()

    def submit(self) -> Comment | None:
        """Saves what is in the editor (new comment, reply or edit); None when there is none."""
        body = self.editor.toPlainText().strip()
        if self._entry is None or not body:
            return None
        if self._editing is not None:
            comment = self._store.edit_comment(self._editing, body)
        else:
            comment = self._store.add_comment(
                self._entry.id, body, author=self.author, parent_id=self._reply_to
            )
        self.reset_compose()
        self.refresh()
        self.thread_view.scrollToAnchor(f"comment-{comment.id}")  # a new reply shows
        self.comments_changed.emit(self._entry.id)
        return comment

    def delete(self, comment_id: int) -> None:
        if self._entry is None:
            return
        self._undo.push(
            DeleteCommentCommand(self._store, comment_id, self._entry.id, self._after_undo)
        )
        self.noted.emit("Comment deleted (Ctrl+Z undoes it).")

    def _after_undo(self, entry_id: int) -> None:
        if self._entry is not None and self._entry.id == entry_id:
            self.refresh()
        self.comments_changed.emit(entry_id)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        if url.scheme() != COMMENT_SCHEME:
            return
        action, _, ident = url.path().partition(":")
        if not ident.isdigit():
            return
        handlers = {"reply": self.begin_reply, "edit": self.begin_edit, "delete": self.delete}
        handler = handlers.get(action)
        if handler is not None:
            handler(int(ident))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter in the editor submits; Escape cancels a reply or edit."""
        if watched is self.editor and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.submit()
                return True
            if key == Qt.Key.Key_Escape and (self._reply_to or self._editing):
                self.reset_compose()
                return True
        return super().eventFilter(watched, event)
