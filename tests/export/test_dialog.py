"""The export dialog, offscreen: choose format, articles and destination; run; files exist."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from newsreader.export import ExportFormat
from newsreader.gui.export_dialog import ExportChoices, ExportDialog
from tests.export.conftest import Library


def _dialog(
    qtbot: QtBot, library: Library, selected_ids: Sequence[int] = (), **kwargs: object
) -> ExportDialog:
    choices = ExportChoices.read(library.store, selected_ids)
    dialog = ExportDialog(choices, library.paths, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def test_export_selected_articles_to_epub(qtbot: QtBot, library: Library, tmp_path: Path) -> None:
    ids = library.entry_ids
    dialog = _dialog(qtbot, library, selected_ids=[ids["ferry"], ids["spring"]])
    assert dialog.scope_combo.currentText() == "Selected articles (2)"
    dialog.set_format(ExportFormat.EPUB)
    dialog.comments_check.setChecked(True)
    dialog.destination_edit.setText(str(tmp_path / "reading"))  # the extension is added

    with qtbot.waitSignal(dialog.exported, timeout=20_000) as finished:
        dialog.export_button.click()

    book = tmp_path / "reading.epub"
    assert finished.args[0].files == (book,) and finished.args[0].articles == 2
    with zipfile.ZipFile(book) as archive:
        chapter = archive.read("OEBPS/text/article-0001.xhtml").decode()
    assert "Ferry returns to harbour" in chapter and "Lovely photo of the pier." in chapter
    assert not dialog.is_running()


def test_export_a_folder_as_one_html_file_per_article(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    folder_id = library.store.get_feed(library.harbour_id).folder_id
    dialog = _dialog(qtbot, library, folder_id=folder_id)
    assert dialog.scope_combo.currentData() == "folder"
    assert dialog.folder_combo.currentText() == "Local"
    dialog.set_format(ExportFormat.HTML)
    dialog.single_file_check.setChecked(False)
    assert "folder" in dialog.destination_hint.text()
    dialog.destination_edit.setText(str(tmp_path / "site"))

    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_button.click()

    names = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert names == ["Ferry returns to harbour.html", "Lighthouse keeper retires.html"]
    page = lxml.html.parse(str(tmp_path / "site" / names[1])).getroot()
    assert page.findtext(".//h1") == "Lighthouse keeper retires"


def test_existing_file_is_replaced_only_when_the_user_agrees(
    qtbot: QtBot, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "starred.pdf"
    target.write_bytes(b"mine")
    answers: list[str] = []

    def answer(parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        answers.append(text)  # a modal question cannot be clicked offscreen: answer it here
        return (
            QMessageBox.StandardButton.No if len(answers) == 1 else QMessageBox.StandardButton.Yes
        )

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog = _dialog(qtbot, library)
    dialog.set_format(ExportFormat.PDF)
    dialog.set_scope("starred")
    dialog.destination_edit.setText(str(target))

    dialog.export_button.click()  # first answer: No
    qtbot.waitUntil(lambda: not dialog.is_running() and bool(answers), timeout=20_000)
    assert target.read_bytes() == b"mine"
    assert "already exists" in dialog.status.text()

    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_button.click()  # second answer: Yes
    assert target.read_bytes().startswith(b"%PDF")
    assert answers[0] == f"starred.pdf already exists in {tmp_path}. Replace it?"


def test_errors_show_in_the_dialog(qtbot: QtBot, library: Library, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, library)
    dialog.set_scope("search")
    dialog.search_edit.setText("nothing-matches-this")
    dialog.set_format(ExportFormat.JSON)
    dialog.destination_edit.setText(str(tmp_path / "found.json"))

    dialog.export_button.click()
    qtbot.waitUntil(lambda: "no articles match" in dialog.status.text(), timeout=20_000)
    assert not (tmp_path / "found.json").exists()
    assert dialog.export_button.isEnabled()


def test_cancel_stops_the_export_and_leaves_no_file(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    from newsreader.model import ParsedEntry, ParsedFeed
    from newsreader.store import FetchInfo
    from tests.export.conftest import NOW

    library.store.apply_parsed_feed(
        library.tides_id,
        ParsedFeed(
            format="rss20",
            entries=tuple(
                ParsedEntry(id=f"t{n}", title=f"Tide {n}", content="<p>water</p>" * 40)
                for n in range(400)
            ),
        ),
        FetchInfo(fetched_at=NOW),
    )
    dialog = _dialog(qtbot, library, feed_id=library.tides_id)
    dialog.set_format(ExportFormat.PDF)
    dialog.destination_edit.setText(str(tmp_path / "tides.pdf"))

    with qtbot.waitSignal(dialog.rejected, timeout=30_000):
        dialog.export_button.click()
        dialog.cancel()  # 400 articles take far longer than this call
    assert dialog.export_result is None
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_print_path_draws_every_article(library: Library, tmp_path: Path) -> None:
    """Print uses paint_articles on the QPrinter the print dialog configured; a PDF printer
    stands in for paper."""
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from newsreader.export import store_images
    from newsreader.export.items import ExportItem
    from newsreader.export.pdf import paint_articles

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    entries = library.store.entries_by_ids(list(library.entry_ids.values()))
    items = [ExportItem(e, e.feed_title) for e in entries]

    assert (
        paint_articles(
            printer, items, store_images(library.store, library.paths.images), title="Print"
        )
        == 3
    )

    pages = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "printed.pdf").pages]
    assert len(pages) == 3
    for entry, text in zip(entries, pages, strict=True):
        assert entry.title in text and "Print" in text


def test_export_a_folder_as_one_markdown_digest(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    folder_id = library.store.get_feed(library.harbour_id).folder_id
    dialog = _dialog(qtbot, library, folder_id=folder_id)
    dialog.set_format(ExportFormat.MARKDOWN)
    assert dialog.single_file_check.isChecked() and not dialog.single_file_check.isHidden()
    assert dialog.destination_hint.text() == "A .md file."
    dialog.destination_edit.setText(str(tmp_path / "local"))

    with qtbot.waitSignal(dialog.exported, timeout=20_000) as finished:
        dialog.export_button.click()

    assert tmp_path / "local.md" in finished.args[0].files
    text = (tmp_path / "local.md").read_text()
    assert "\n2 articles, exported " in text and "## Contents" in text
    assert "## Ferry returns to harbour" in text and "## Lighthouse keeper retires" in text


def test_the_dialog_proposes_a_name_and_remembers_format_and_folder(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    ids = library.entry_ids
    dialog = _dialog(qtbot, library, selected_ids=[ids["ferry"]])
    proposed = Path(dialog.destination_edit.text())
    assert proposed == Path.home() / "Ferry returns to harbour.html"  # before any export
    dialog.set_format(ExportFormat.PDF)
    assert Path(dialog.destination_edit.text()).name == "Ferry returns to harbour.pdf"
    dialog.set_scope("starred")
    today = date.today().isoformat()
    assert Path(dialog.destination_edit.text()).name == f"Starred articles {today}.pdf"
    dialog.set_scope("feed")
    dialog.feed_combo.setCurrentIndex(dialog.feed_combo.findText("Tide Tables"))
    assert Path(dialog.destination_edit.text()).name == f"Tide Tables {today}.pdf"
    dialog.set_scope("selected")
    # a destination the user wrote stays, whatever else changes
    out = tmp_path / "exports"
    out.mkdir()
    dialog.destination_edit.setText(str(out / "mine.pdf"))
    dialog.set_scope("starred")
    dialog.set_scope("selected")
    assert dialog.destination_edit.text() == str(out / "mine.pdf")
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_button.click()
    assert (out / "mine.pdf").exists()

    again = _dialog(qtbot, library, selected_ids=[ids["spring"]])
    assert again.format == ExportFormat.PDF
    spring = library.store.get_entry(ids["spring"]).title
    assert Path(again.destination_edit.text()) == out / f"{spring}.pdf"


def test_feeds_with_the_same_title_are_told_apart(qtbot: QtBot, library: Library) -> None:
    library.store.add_feed("https://other.example/harbour.xml", title="Harbour News")
    dialog = _dialog(qtbot, library)
    texts = [dialog.feed_combo.itemText(i) for i in range(dialog.feed_combo.count())]
    assert texts == [
        "Harbour News (harbour.example.org)",
        "Harbour News (other.example)",
        "Tide Tables",
    ]


@pytest.mark.parametrize("width", [0, 480, 900])  # 0: as narrow as the dialog goes
def test_help_texts_are_never_clipped(qtbot: QtBot, library: Library, width: int) -> None:
    dialog = _dialog(qtbot, library)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(max(width, dialog.minimumSizeHint().width()), dialog.height())
    dialog.set_format(ExportFormat.HTML)
    for single in (True, False):
        dialog.single_file_check.setChecked(single)
        dialog.status.setText(
            "could not write the export: the disk is full (this message is long on purpose)"
        )
        dialog.fit_height()
        for label in (dialog.destination_hint, dialog.status):
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, (single, label.text())
            bottom = label.mapTo(dialog, label.rect().bottomLeft()).y()
            assert bottom <= dialog.height()


def test_a_storys_article_offers_this_story(qtbot: QtBot, library: Library, tmp_path: Path) -> None:
    """With a story's row or one of its articles selected, *Articles* offers "This story (N
    articles)": it exports the story's articles, titled and named with its headline."""
    from tests.stories.labelled import ingest, load

    ids = ingest(library.store, load("events_a.yaml"))
    marathon = [i for i, a in ids.items() if a.event == "marathon-record"]
    story = library.store.entry_story(marathon[0])
    assert story is not None
    members = library.store.story_entry_ids(story.id)
    headline = library.store.get_entry(members[0]).title
    assert headline

    dialog = _dialog(qtbot, library, selected_ids=[members[-1]])
    texts = [dialog.scope_combo.itemText(i) for i in range(dialog.scope_combo.count())]
    assert texts[:2] == ["Selected article (1)", f"This story ({len(members)} articles)"]
    dialog.set_scope("story")
    dialog.set_format(ExportFormat.HTML)
    assert Path(dialog.destination_edit.text()).name.startswith(headline[:20])
    out = tmp_path / "story.html"
    dialog.destination_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as finished:
        dialog.export_button.click()
    assert finished.args[0].articles == len(members)
    page = lxml.html.parse(str(out)).getroot()
    assert page.findtext(".//title") == headline

    # articles of no story, or of two stories, are offered no story
    plain = _dialog(qtbot, library, selected_ids=[library.entry_ids["ferry"]])
    assert plain.scope_combo.findData("story") == -1
