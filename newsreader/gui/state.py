"""What the window remembers between starts (geometry, splitters, selected view and article,
the views that hide read articles, snippets on or off, hidden list columns, the last export's
format and folder), in an ini file inside the data folder, so each data folder keeps its own
window."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from newsreader.gui.views import ALL_VIEW, View
from newsreader.paths import DataPaths

STATE_FILE = "window.ini"


class WindowState:
    def __init__(self, paths: DataPaths) -> None:
        self._settings = QSettings(str(paths.root / STATE_FILE), QSettings.Format.IniFormat)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    @property
    def view(self) -> View:
        return View.from_key(str(self._settings.value("selection/view", ""))) or ALL_VIEW

    @property
    def entry_id(self) -> int | None:
        value = str(self._settings.value("selection/entry", ""))
        return int(value) if value.isdigit() else None

    @property
    def hide_read(self) -> frozenset[str]:
        """The keys of the views listing unread articles only (View → Hide read articles)."""
        value = self._settings.value("selection/hide_read", "")
        keys = value if isinstance(value, list) else str(value or "").split("\n")
        return frozenset(str(k) for k in keys if k and View.from_key(str(k)) is not None)

    def save_hide_read(self, keys: frozenset[str]) -> None:
        """Written at once, not at close: a crash or a killed session keeps the choice."""
        self._settings.setValue("selection/hide_read", "\n".join(sorted(keys)))
        self._settings.sync()

    @property
    def snippets(self) -> bool:
        """Whether the article list shows a line of text under each title (the default)."""
        return str(self._settings.value("list/snippets", "true")) != "false"

    def save_snippets(self, shown: bool) -> None:
        self._settings.setValue("list/snippets", "true" if shown else "false")
        self._settings.sync()

    @property
    def hidden_columns(self) -> list[int] | None:
        """The article list's columns the user hid (by number); None before any choice."""
        value = self._settings.value("list/hidden_columns")
        if value is None:
            return None
        return [int(part) for part in str(value).split(",") if part.isdigit()]

    def save_hidden_columns(self, columns: list[int]) -> None:
        self._settings.setValue("list/hidden_columns", ",".join(str(c) for c in columns))
        self._settings.sync()

    @property
    def export_format(self) -> str:
        """The format of the last export (an `ExportFormat` value), "" before the first."""
        return str(self._settings.value("export/format", "") or "")

    @property
    def export_folder(self) -> str:
        """The folder the last export was written to (or into), "" before the first."""
        return str(self._settings.value("export/folder", "") or "")

    def save_export(self, export_format: str, folder: str) -> None:
        self._settings.setValue("export/format", export_format)
        self._settings.setValue("export/folder", folder)
        self._settings.sync()

    @property
    def first_run_done(self) -> bool:
        return str(self._settings.value("app/first_run_done", "")) == "true"

    def mark_first_run_done(self) -> None:
        self._settings.setValue("app/first_run_done", "true")
        self._settings.sync()

    def save(
        self,
        *,
        geometry: QByteArray,
        window_state: QByteArray,
        splitters: dict[str, QByteArray],
        view: View,
        entry_id: int | None,
    ) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", window_state)
        for name, value in splitters.items():
            self._settings.setValue(f"splitters/{name}", value)
        self._settings.setValue("selection/view", view.key)
        self._settings.setValue("selection/entry", "" if entry_id is None else str(entry_id))
        self._settings.sync()
