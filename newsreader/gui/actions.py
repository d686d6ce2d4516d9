"""The window's actions as data: name, text and shortcuts of each, the menus that list them and
the toolbar's buttons. The window supplies what each action does (`build_actions`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QToolBar


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str  # the QAction's objectName and the key of `actions_by_name`
    text: str  # menu text with its & mnemonic
    shortcuts: tuple[str, ...] = ()


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("add_feed", "&Add feed…", ("Ctrl+N",)),
    ActionSpec("import_opml", "&Import OPML…"),
    ActionSpec("export_opml", "E&xport OPML…"),
    ActionSpec("export", "&Export…", ("Ctrl+E",)),
    ActionSpec("print", "&Print…", ("Ctrl+P",)),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",)),
    ActionSpec("cut", "Cu&t", ("Ctrl+X",)),
    ActionSpec("copy", "&Copy", ("Ctrl+C",)),
    ActionSpec("paste", "&Paste", ("Ctrl+V",)),
    ActionSpec("select_all", "Select &all", ("Ctrl+A",)),
    ActionSpec("copy_link", "Copy &link", ("Ctrl+Shift+C",)),
    ActionSpec("search", "&Search this view", ("/", "Ctrl+F")),
    ActionSpec("save_search", "Save search as smart &feed…", ("Ctrl+Shift+S",)),
    ActionSpec("settings", "Se&ttings…", ("Ctrl+,",)),
    ActionSpec("next", "&Next article", ("J",)),
    ActionSpec("previous", "&Previous article", ("K", "P")),
    ActionSpec("next_unread", "Next &unread article", ("N",)),
    ActionSpec("scroll", "Scroll article, then next unread", ("Space",)),
    ActionSpec("toggle_read", "Mark read/&unread", ("M",)),
    ActionSpec("star", "&Star/unstar", ("S",)),
    ActionSpec("open_original", "&Open original", ("O",)),
    ActionSpec("full_text", "&Full article / feed text", ("F",)),
    ActionSpec("load_full_text", "&Load full article", ("Shift+F",)),
    ActionSpec("comment", "&Comment…", ("C",)),
    ActionSpec("tag", "&Tags…", ("T",)),
    ActionSpec("mark_all_read", "Mark &all read", ("Shift+A",)),
    ActionSpec("mark_older_read", "Mark &older as read", ("Shift+O",)),
    ActionSpec("mark_above_read", "Mark a&bove as read", ("Shift+K",)),
    ActionSpec("hide_read", "&Hide read articles", ("Shift+H",)),
    ActionSpec("snippets", "Show article &snippets"),
    ActionSpec("refresh", "&Refresh all", ("R",)),
    ActionSpec("cancel_refresh", "&Cancel refresh"),
    ActionSpec("rules", "R&ules…"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", ("?",)),
    ActionSpec("about", "&About Newsreader"),
)

# menu title -> action names, None for a separator
MENUS: dict[str, tuple[str | None, ...]] = {
    "&File": ("add_feed", "import_opml", "export_opml", None, "export", "print", None, "quit"),
    "&Edit": (
        "undo",
        "redo",
        None,
        "cut",
        "copy",
        "paste",
        "select_all",
        "copy_link",
        None,
        "search",
        "save_search",
        None,
        "settings",
    ),
    "&View": ("hide_read", "snippets"),
    "&Go": ("next", "previous", "next_unread", "scroll"),
    "&Article": (
        "toggle_read",
        "star",
        "open_original",
        None,
        "full_text",
        "load_full_text",
        None,
        "comment",
        "tag",
        None,
        "mark_older_read",
        "mark_above_read",
    ),
    "Fee&ds": ("refresh", "cancel_refresh", None, "mark_all_read", None, "rules"),
    "&Help": ("shortcuts", None, "about"),
}

# actions on the article in the reader: disabled while it shows none
ARTICLE_ACTIONS = (
    "toggle_read",
    "star",
    "open_original",
    "full_text",
    "load_full_text",
    "comment",
    "tag",
    "print",
    "copy_link",
    "mark_older_read",
    "mark_above_read",
)
CHECKABLE = ("hide_read", "snippets")

# groups of (action name, button label, theme icon), separated on the toolbar
TOOLBAR: tuple[tuple[tuple[str, str, QIcon.ThemeIcon], ...], ...] = (
    (
        ("add_feed", "Add feed", QIcon.ThemeIcon.ListAdd),
        ("refresh", "Refresh", QIcon.ThemeIcon.ViewRefresh),
    ),
    (
        ("mark_all_read", "Mark all read", QIcon.ThemeIcon.MailMarkRead),
        ("star", "Star", QIcon.ThemeIcon.MailMarkImportant),
        ("open_original", "Open original", QIcon.ThemeIcon.GoNext),
    ),
    (("export", "Export", QIcon.ThemeIcon.DocumentSaveAs),),
)


def build_actions(
    window: QMainWindow, slots: Mapping[str, Callable[[], object]], undo_stack: QUndoStack
) -> dict[str, QAction]:
    """One QAction per `ACTIONS` entry (plus Undo and Redo from `undo_stack`), added to the
    window so their shortcuts work even when the menu bar is hidden. `slots` names what each
    action does; a missing one is a KeyError, found by the first test that builds a window."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setCheckable(spec.name in CHECKABLE)
        action.triggered.connect(slots[spec.name])
        window.addAction(action)
        actions[spec.name] = action
    undo = undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    for name, action in (("undo", undo), ("redo", redo)):
        action.setObjectName(name)
        window.addAction(action)
        actions[name] = action
    return actions


def build_menus(bar: QMenuBar, actions: Mapping[str, QAction]) -> dict[str, QMenu]:
    menus: dict[str, QMenu] = {}
    for title, names in MENUS.items():
        menu = bar.addMenu(title)
        menus[title] = menu
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])
    return menus


def build_toolbar(window: QMainWindow, actions: Mapping[str, QAction]) -> QToolBar:
    """The common actions as a compact row of buttons; each button's tooltip names the action
    and its shortcut (the menus hold every action)."""
    toolbar = QToolBar("Toolbar", window)
    toolbar.setObjectName("main_toolbar")  # saveState/restoreState key
    toolbar.setAccessibleName("Main toolbar")
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(18, 18))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for group, entries in enumerate(TOOLBAR):
        if group:
            toolbar.addSeparator()
        for name, label, icon in entries:
            action = actions[name]
            action.setIconText(label)
            action.setIcon(QIcon.fromTheme(icon))
            action.setToolTip(toolbar_tip(label, action.shortcut()))
            toolbar.addAction(action)
            button = toolbar.widgetForAction(action)
            button.setAccessibleName(label)
            button.setAccessibleDescription(action.toolTip())
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar


def key_text(shortcut: QKeySequence) -> str:
    """A shortcut as the keys are pressed: a letter alone in lower case ("j", not "J",
    which reads as Shift+J), with modifiers as the platform writes them ("Shift+A")."""
    keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
    return keys.lower() if len(keys) == 1 else keys


def toolbar_tip(label: str, shortcut: QKeySequence) -> str:
    """For example "Refresh (r)", the shortcut as it is pressed (`key_text`)."""
    keys = key_text(shortcut)
    return f"{label} ({keys})" if keys else label
