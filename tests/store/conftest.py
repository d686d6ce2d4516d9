"""Fixtures for the store tests: a real store file in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.paths import DataPaths
from newsreader.store import Store


@pytest.fixture
def store(data_paths: DataPaths) -> Iterator[Store]:
    with Store.open(data_paths) as opened:
        yield opened


@pytest.fixture
def other_store(tmp_path: Path) -> Iterator[Store]:
    """A second, separate store (another library)."""
    with Store.open(DataPaths(tmp_path / "other").ensure()) as opened:
        yield opened
