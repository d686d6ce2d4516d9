"""The Settings dialog: edits a copy of `Settings`; the window saves it with the store."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from newsreader.gui.dialog_buttons import ok_cancel_buttons
from newsreader.settings import Settings, Theme

THEME_LABELS = {Theme.SYSTEM: "Follow the system", Theme.LIGHT: "Light", Theme.DARK: "Dark"}


def _spin(name: str, low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setAccessibleName(name)
    spin.setRange(low, high)
    spin.setValue(value)
    if suffix:
        spin.setSuffix(suffix)
    return spin


def _scrolled(content: QWidget, dialog: QWidget) -> QScrollArea:
    """`content` in a scroll area as tall as it needs, or as the screen allows: on a short
    screen (900 pixels, the accounts below the settings) the window manager shrank the
    dialog and Qt squeezed the spin boxes until their text was cut off; now it scrolls."""
    scroll = QScrollArea(dialog)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    wanted = content.sizeHint()
    screen = dialog.screen()
    room = screen.availableGeometry().height() - 160 if screen is not None else wanted.height()
    scroll.setMinimumSize(
        wanted.width() + scroll.verticalScrollBar().sizeHint().width(),
        max(200, min(wanted.height(), room)),
    )
    return scroll


def _check(text: str, value: bool) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(text.replace("&", ""))
    box.setChecked(value)
    return box


class SettingsDialog(QDialog):
    def __init__(
        self, settings: Settings, parent: QWidget | None = None, accounts: QWidget | None = None
    ) -> None:
        """`accounts`, when given, is the feed-server accounts section (see `accounts_panel`),
        shown below the settings."""
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self._original = settings
        s = settings
        self.refresh = _spin("Refresh interval", 10, 24 * 60, s.refresh_interval_minutes, " min")
        self.retention = _spin("Keep articles for (days, 0 keeps all)", 0, 36500, s.retention_days)
        self.retention.setSpecialValueText("forever")
        self.concurrency = _spin("Feeds fetched at once", 1, 64, s.concurrency)
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for theme, label in THEME_LABELS.items():
            self.theme.addItem(label, theme.value)
            if theme == s.theme:
                self.theme.setCurrentIndex(self.theme.count() - 1)
        self.font_size = _spin("Article font size (0 follows the system)", 0, 48, s.font_size)
        self.font_size.setSpecialValueText("system")
        self.font_size.setSuffix(" pt")
        self.mark_read_delay = _spin(
            "Mark read after (seconds, 0 at once)", 0, 600, s.mark_read_delay_seconds, " s"
        )
        self.mark_read_delay.setSpecialValueText("at once")
        self.remote_images = _check("Load &remote images in articles", s.remote_images)
        self.cache_images = _check("Keep &images for offline reading", s.cache_images)
        self.image_cache = _spin("Image cache size", 10, 100_000, s.image_cache_mb, " MB")
        self.start_minimised = _check("Start &minimised to the tray", s.start_minimised)
        self.notifications = _check("&Notify about new articles", s.notifications)
        self.key_points = _check("Show &key points above articles", s.key_points)
        self.mark_copies_read = _check(
            "Reading an article marks its &copies from other sources read", s.mark_copies_read
        )
        self.collapse_stories = _check(
            "Show a &story from several sources as one row", s.collapse_stories
        )
        self.collapse_stories.setToolTip(
            "The article list shows the first article of each story with its number of "
            "sources; opening it lists the others under Coverage"
        )
        self.author = QLineEdit(s.comment_author)
        self.author.setAccessibleName("Your name on comments")

        form = QFormLayout()
        form.addRow("&Refresh every:", self.refresh)
        form.addRow("Keep articles (&days):", self.retention)
        form.addRow("Feeds fetched at &once:", self.concurrency)
        form.addRow("&Theme:", self.theme)
        form.addRow("Article &font size:", self.font_size)
        form.addRow("Mark read &after:", self.mark_read_delay)
        form.addRow("", self.remote_images)
        form.addRow("", self.cache_images)
        form.addRow("Image &cache size:", self.image_cache)
        form.addRow("", self.start_minimised)
        form.addRow("", self.notifications)
        form.addRow("", self.key_points)
        form.addRow("", self.mark_copies_read)
        form.addRow("", self.collapse_stories)
        form.addRow("Your &name on comments:", self.author)
        buttons = ok_cancel_buttons(self)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        if accounts is not None:
            group = QGroupBox("Feed-server &accounts")
            QVBoxLayout(group).addWidget(accounts)
            inner.addWidget(group)
        layout = QVBoxLayout(self)
        layout.addWidget(_scrolled(content, self))
        layout.addWidget(buttons)

    def result_settings(self) -> Settings:
        """The edited settings (fields this dialog does not show keep their values)."""
        return replace(
            self._original,
            refresh_interval_minutes=self.refresh.value(),
            retention_days=self.retention.value(),
            concurrency=self.concurrency.value(),
            theme=Theme(str(self.theme.currentData())),
            font_size=self.font_size.value(),
            mark_read_delay_seconds=self.mark_read_delay.value(),
            remote_images=self.remote_images.isChecked(),
            cache_images=self.cache_images.isChecked(),
            image_cache_mb=self.image_cache.value(),
            start_minimised=self.start_minimised.isChecked(),
            notifications=self.notifications.isChecked(),
            key_points=self.key_points.isChecked(),
            mark_copies_read=self.mark_copies_read.isChecked(),
            collapse_stories=self.collapse_stories.isChecked(),
            comment_author=self.author.text().strip() or self._original.comment_author,
        )
