"""Fixtures for the store tests: a real store file in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsreader.paths import DataPaths
from newsreader.store import Store


@pytest.fixture
def store(data_paths: DataPaths) -> Iterator[Store]:
    with Store.open(data_paths) as opened:
        yield opened
