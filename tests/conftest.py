"""Fixtures shared by every test module."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from newsreader.paths import DataPaths

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
# Real-world documents shared beside the checkout; tests that need them skip when absent.
REAL_WORLD = REPO.parent / "shared" / "corpus" / "real-world"


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    """A fresh, empty data folder for one test."""
    return DataPaths(tmp_path / "data").ensure()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user data folder."""
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(tmp_path / "default-data"))


@pytest.fixture(scope="session")
def qapp(qapp: Any) -> Any:
    """pytest-qt's application, with Python's cyclic garbage collected on the GUI thread only,
    as the app does (`newsreader/gui/garbage.py`: a Qt object freed by a collection that ran
    in a worker thread crashes the process)."""
    from newsreader.gui.garbage import collect_on_gui_thread

    collect_on_gui_thread(qapp)
    return qapp


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Tests that run no Qt event loop still get their garbage collected, on this thread."""
    collector = _gui_thread_collector()
    if collector is not None:
        collector.collect_if_due()


def _gui_thread_collector() -> Any:
    if "newsreader.gui.garbage" not in sys.modules:
        return None
    from PySide6.QtWidgets import QApplication

    from newsreader.gui.garbage import GuiThreadCollector

    app = QApplication.instance()
    return app.findChild(GuiThreadCollector) if app is not None else None
