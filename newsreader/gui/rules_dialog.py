"""The Rules dialog (Feeds → Rules…): the rules in the order they run, one edited at a time
(name, search, scope, actions), *Preview* listing what the search matches now among the stored
articles before anything is saved, *Run now* on the stored articles, and each rule's last
failure. The store does every check (search syntax, actions, names) and the dialog shows its
message.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsreader.errors import NewsreaderError
from newsreader.feed_names import feed_names
from newsreader.gui.smart import split_tags
from newsreader.query import SYNTAX_HELP
from newsreader.store import Rule, RuleRun, Store
from newsreader.wording import counted

PREVIEW_ROWS = 50
FLAG_ACTIONS = (
    ("read", "Mark read"),
    ("star", "Star"),
    ("hide", "Hide"),
    ("delete", "Delete (never starred or commented ones)"),
    ("notify", "Notify"),
)
Scope = tuple[int | None, int | None]  # (feed id, folder id); both None: all feeds


class RulesDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rules")
        self.setAccessibleName("Rules")
        self._store = store
        self._editing: int | None = None  # the id of the rule in the form, None for a new one
        self.changed = False  # whether anything was written (the window then re-reads)

        self.rules = QListWidget()
        self.rules.setAccessibleName("Rules in the order they run")
        self.rules.currentItemChanged.connect(self._selected)
        self.name = QLineEdit()
        self.name.setAccessibleName("Rule name")
        self.query = QLineEdit()
        self.query.setAccessibleName("Rule search")
        self.query.setPlaceholderText("title~/^Sponsored/i OR author:bot")
        self.query.setToolTip(f"The search language: {SYNTAX_HELP}")
        self.scope = QComboBox()
        self.scope.setAccessibleName("Scope")
        self._scopes: list[Scope] = []
        self._fill_scopes()
        self.flags = {name: QCheckBox(label) for name, label in FLAG_ACTIONS}
        self.tags = QLineEdit()
        self.tags.setAccessibleName("Tags to add")
        self.tags.setPlaceholderText("tags to add, comma-separated")
        self.enabled = QCheckBox("Run on new articles")
        self.enabled.setChecked(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Rule message")
        self.preview = QListWidget()
        self.preview.setAccessibleName("Preview")

        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Search:", self.query)
        form.addRow("In:", self.scope)
        actions = QVBoxLayout()
        for box in self.flags.values():
            actions.addWidget(box)
        actions.addWidget(self.tags)
        form.addRow("Actions:", actions)
        form.addRow("", self.enabled)
        buttons = QHBoxLayout()
        for text, slot in (
            ("&New", self.new_rule),
            ("&Save", self.save),
            ("&Delete", self.delete),
            ("&Preview", self.show_preview),
            ("&Run now", self.run_now),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        editor = QVBoxLayout()
        editor.addLayout(form)
        editor.addLayout(buttons)
        editor.addWidget(self.message)
        editor.addWidget(self.preview, 1)
        body = QHBoxLayout()
        body.addWidget(self.rules, 1)
        body.addLayout(editor, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.resize(860, 520)
        self._list_rules()
        self.new_rule()

    # --- the list -------------------------------------------------------------------------

    def _list_rules(self, select: int | None = None) -> None:
        self.rules.blockSignals(True)
        try:
            self.rules.clear()
            for rule in self._store.list_rules():
                text = rule.name + ("" if rule.enabled else " (off)")
                if rule.error_count:
                    text += " (failing)"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, rule.id)
                item.setToolTip(rule.last_error or rule.query)
                self.rules.addItem(item)
                if rule.id == select:
                    self.rules.setCurrentItem(item)
        finally:
            self.rules.blockSignals(False)

    def _selected(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        rule_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        found = [r for r in self._store.list_rules() if r.id == rule_id]
        if found:
            self.edit_rule(found[0])

    def _fill_scopes(self) -> None:
        self.scope.addItem("All feeds")
        self._scopes.append((None, None))
        for folder in self._store.list_folders():
            self.scope.addItem("Folder " + "/".join(self._store.folder_path(folder.id)))
            self._scopes.append((None, folder.id))
        feeds = self._store.list_feeds()
        names = feed_names(feeds)  # feeds with the same title told apart, as in the panel
        for feed in feeds:
            self.scope.addItem("Feed " + names[feed.id])
            self._scopes.append((feed.id, None))

    # --- the form -------------------------------------------------------------------------

    def new_rule(self) -> None:
        self._editing = None
        self.rules.setCurrentRow(-1)
        self._fill_form("", "", (None, None), (), True)

    def edit_rule(self, rule: Rule) -> None:
        self._editing = rule.id
        self._fill_form(
            rule.name, rule.query, (rule.feed_id, rule.folder_id), rule.actions, rule.enabled
        )
        if rule.last_error:
            self.message.setText(f"Last failure ({rule.error_count}×): {rule.last_error}")

    def _fill_form(
        self, name: str, query: str, scope: Scope, actions: Sequence[str], enabled: bool
    ) -> None:
        self.name.setText(name)
        self.query.setText(query)
        self.scope.setCurrentIndex(self._scopes.index(scope) if scope in self._scopes else 0)
        for action, box in self.flags.items():
            box.setChecked(action in actions)
        self.tags.setText(", ".join(a[4:] for a in actions if a.startswith("tag:")))
        self.enabled.setChecked(enabled)
        self.message.clear()
        self.preview.clear()

    def chosen_actions(self) -> list[str]:
        """The form's actions, in the order the store runs them."""
        chosen = [name for name, box in self.flags.items() if box.isChecked()]
        return chosen + [f"tag:{tag}" for tag in split_tags(self.tags.text())]

    def save(self) -> bool:
        feed_id, folder_id = self._scopes[self.scope.currentIndex()]
        fields = (self.name.text(), self.query.text(), self.chosen_actions())
        try:
            if self._editing is None:
                rule = self._store.add_rule(
                    *fields,
                    feed_id=feed_id,
                    folder_id=folder_id,
                    enabled=self.enabled.isChecked(),
                )
            else:
                rule = self._store.update_rule(
                    self._editing,
                    *fields,
                    feed_id=feed_id,
                    folder_id=folder_id,
                    enabled=self.enabled.isChecked(),
                )
        except NewsreaderError as error:
            self.message.setText(str(error))
            return False
        self.changed = True
        self._editing = rule.id
        self._list_rules(select=rule.id)
        self.message.setText(f"Saved “{rule.name}”. It runs on new articles as they arrive.")
        return True

    def delete(self) -> None:
        """Deletes the rule being edited after asking (there is no undo); what it did to
        articles stays."""
        if self._editing is None:
            return
        found = [r for r in self._store.list_rules() if r.id == self._editing]
        if found:
            answer = QMessageBox.question(
                self,
                "Delete rule",
                f"Delete the rule “{found[0].name}”?\n\nWhat it already did to articles "
                "stays; new articles are no longer checked against it.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._store.remove_rule(found[0].name)
            self.changed = True
        self._list_rules()
        self.new_rule()

    def show_preview(self) -> int | None:
        """Lists what the form's search matches now among the stored articles (nothing is
        saved or changed); the number of matches, or None for a search with a mistake."""
        feed_id, folder_id = self._scopes[self.scope.currentIndex()]
        self.preview.clear()
        try:
            ids = self._store.rule_entry_ids(
                self.query.text(), feed_id=feed_id, folder_id=folder_id
            )
        except NewsreaderError as error:
            self.message.setText(str(error))
            return None
        for entry in self._store.entries_by_ids(ids[:PREVIEW_ROWS]):
            self.preview.addItem(f"{entry.feed_title}: {entry.title or '(untitled)'}")
        more = f" (the newest {PREVIEW_ROWS} listed)" if len(ids) > PREVIEW_ROWS else ""
        verb = "matches" if len(ids) == 1 else "match"
        self.message.setText(f"{counted(len(ids), 'stored article')} {verb} now{more}.")
        return len(ids)

    def run_now(self) -> RuleRun | None:
        """Saves the form, then runs that rule on the stored articles."""
        if not self.save() or self._editing is None:
            return None
        name = self.name.text()
        ran = self._store.run_rules([name])
        touched = {*ran.read, *ran.starred, *ran.tagged, *ran.hidden, *ran.deleted, *ran.notify}
        if ran.problems:
            self.message.setText(f"The rule failed and was skipped: {ran.problems[0].message}")
        else:
            self.message.setText(f"The rule acted on {counted(len(touched), 'article')}.")
        self._list_rules(select=self._editing)
        return ran
