"""The Rules dialog: preview before saving, save, edit in place, run now, failures shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox

from newsreader.gui.rules_dialog import RulesDialog
from newsreader.gui.views import View, ViewKind
from newsreader.gui.window import MainWindow
from newsreader.store import EntryQuery, Store
from tests.gui.conftest import add_feed
from tests.store.builders import entry, feed, fetch


def test_preview_save_edit_run_and_failures(
    store: Store, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_feed(store, "alpha", 5)
    add_feed(store, "beta", 3)
    dialog = RulesDialog(store)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.name.setText("Early beta")
    dialog.query.setText("beta title~/story [01] /")
    assert dialog.show_preview() == 2  # nothing saved yet
    assert store.list_rules() == []
    assert dialog.preview.count() == 2 and "2 stored articles match now" in dialog.message.text()
    dialog.query.setText("beta (")
    assert dialog.show_preview() is None and "position" in dialog.message.text()
    dialog.query.setText("beta title~/story [01] /")
    dialog.flags["star"].setChecked(True)
    dialog.tags.setText("early, Beta")
    dialog.scope.setCurrentIndex(dialog.scope.findText("Feed Beta News"))
    assert dialog.save()
    (rule,) = store.list_rules()
    assert rule.actions == ("star", "tag:early", "tag:Beta") and rule.feed_id is not None
    # Edited in place: same rule, new search.
    dialog.query.setText("beta story 2")
    assert dialog.save()
    assert [(r.id, r.query) for r in store.list_rules()] == [(rule.id, "beta story 2")]
    ran = dialog.run_now()
    assert ran is not None and len(ran.starred) == 1
    assert "acted on 1 article" in dialog.message.text()
    assert [e.title for e in store.list_entries(EntryQuery(starred_only=True))] == [
        "beta story 2 about harbour lights"
    ]
    # A rule that fails says so, and the list marks it.
    feed_id = store.list_feeds()[0].id
    store.apply_parsed_feed(feed_id, feed(entry("slow", title="a" * 40 + "!")), fetch())
    dialog.new_rule()
    dialog.name.setText("Slow")
    dialog.query.setText("title~/(a|aa)+$/")
    dialog.flags["read"].setChecked(True)
    ran = dialog.run_now()
    assert ran is not None and "failed and was skipped: the pattern" in dialog.message.text()
    assert [dialog.rules.item(i).text() for i in range(2)] == ["Early beta", "Slow (failing)"]
    dialog.name.setText("Early beta")
    assert not dialog.save() and "already a rule named" in dialog.message.text()
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog.delete()  # asked, and the user said no
    assert [r.name for r in store.list_rules()] == ["Early beta", "Slow"]
    dialog.delete()
    assert [r.name for r in store.list_rules()] == ["Early beta"]
    assert asked[0].startswith("Delete the rule “Slow”?")


def test_the_window_opens_it_and_rereads_after_a_change(
    store: Store, make_window: Callable[[Store], MainWindow]
) -> None:
    add_feed(store, "alpha", 3)
    window = make_window(store)
    dialog = window.rules_dialog()
    dialog.name.setText("Tag alpha")
    dialog.query.setText("alpha")
    dialog.tags.setText("alpha news")
    assert dialog.run_now() is not None
    dialog.reject()
    item = window.feed_tree.tree_model.item_for(View(ViewKind.TAG, name="alpha news"))
    assert item is not None and item.text() == "alpha news (3)"
