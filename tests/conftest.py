"""Fixtures shared by every test module."""

from __future__ import annotations

import os
from pathlib import Path

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
