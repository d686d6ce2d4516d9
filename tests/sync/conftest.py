"""Fixtures of the sync tests: a loopback server and a helper to look into the store."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from tests.loopback import LoopbackServer
from tests.sync.memory_keyring import MemoryKeyring


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring: the desktop's keyring service cannot run in the tests."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
