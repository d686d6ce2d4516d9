"""`export --with-key-points`: each article's key points before its text, in every format."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from newsreader.main import main
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.stories.keypoints import key_points
from tests.store.builders import NOW, entry, feed, fetch
from tests.stories.test_keypoints import ARTICLE

FULL_ARTICLE = ARTICLE.replace("Coffee was served", "Tea was served")


@pytest.fixture(autouse=True)
def _widgets_application(qapp: object) -> None:
    """PDF export makes a bare QGuiApplication when none exists (as on the command line);
    in a test process it must be pytest-qt's QApplication, which later widget tests need."""


def _library(data_paths: DataPaths) -> list[str]:
    """One article whose feed gives a teaser and whose page gave the full article; returns
    the key points expected (those of the full article)."""
    with Store.open(data_paths) as store:
        feed_id = store.add_feed("https://port.example/feed").id
        teaser = "<p>Dockworkers at the port of Rotterdam went on strike on Monday.</p>"
        (entry_id,) = store.apply_parsed_feed(
            feed_id, feed(entry("strike", title="Port strike", summary=teaser)), fetch()
        ).new_entry_ids
        store.record_full_text(entry_id, "ok", NOW, content=FULL_ARTICLE, text="the article")
    points = key_points(FULL_ARTICLE, "en")
    assert len(points) >= 2
    return points


def _export(data_paths: DataPaths, out: Path, format_: str, *extra: str) -> str:
    args = ["--data-dir", str(data_paths.root), "export", "--feed", "1", "--format", format_]
    assert main([*args, *extra, "--out", str(out)]) == 0
    if format_ == "epub":
        with zipfile.ZipFile(out) as book:
            text = book.read("OEBPS/text/article-0001.xhtml").decode()
    elif format_ == "pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    else:
        text = out.read_text("utf-8")
    return " ".join(text.split())


@pytest.mark.parametrize("format_", ["html", "md", "txt", "epub", "pdf"])
def test_key_points_come_before_the_text_only_when_asked(
    data_paths: DataPaths, tmp_path: Path, format_: str
) -> None:
    points = _library(data_paths)
    with_points = _export(data_paths, tmp_path / f"a.{format_}", format_, "--with-key-points")
    without = _export(data_paths, tmp_path / f"b.{format_}", format_)
    heading = with_points.index("Key points")
    body = with_points.index("Gulls circled above the quay")  # never a key point
    for point in points:
        start = " ".join(point.split()[:6])  # wrapped lines and escapes differ after
        assert heading < with_points.index(start) < body, (format_, point)
    assert "Key points" not in without


def test_json_export_lists_key_points_when_asked(data_paths: DataPaths, tmp_path: Path) -> None:
    points = _library(data_paths)
    out = tmp_path / "a.json"
    main(["--data-dir", str(data_paths.root), "export", "--feed", "1", "--format", "json",
          "--with-key-points", "--out", str(out)])  # fmt: skip
    (record,) = json.loads(out.read_text("utf-8"))["entries"]
    assert record["key_points"] == points
    plain = tmp_path / "b.json"
    main(["--data-dir", str(data_paths.root), "export", "--feed", "1", "--format", "json",
          "--out", str(plain)])  # fmt: skip
    assert "key_points" not in json.loads(plain.read_text("utf-8"))["entries"][0]


def test_the_export_dialog_can_include_key_points(
    qtbot: QtBot, data_paths: DataPaths, tmp_path: Path
) -> None:
    from newsreader.export import ExportFormat
    from newsreader.gui.export_dialog import ExportChoices, ExportDialog

    points = _library(data_paths)
    with Store.open(data_paths) as store:
        dialog = ExportDialog(ExportChoices.read(store, [1]), data_paths)
        qtbot.addWidget(dialog)
        dialog.set_format(ExportFormat.HTML)
        assert not dialog.key_points_check.isChecked()
        dialog.key_points_check.setChecked(True)
        dialog.destination_edit.setText(str(tmp_path / "strike.html"))
        with qtbot.waitSignal(dialog.exported, timeout=20_000):
            dialog.export_button.click()
    written = " ".join((tmp_path / "strike.html").read_text("utf-8").split())
    assert "Key points" in written and " ".join(points[0].split()[:6]) in written
