"""Fixtures of the account tests: the real FreshRSS server (one per session, one user per
test), an in-memory keyring."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from tests.accounts.freshrss import FreshRSS, ServerUser, missing
from tests.sync.memory_keyring import MemoryKeyring


@pytest.fixture(scope="session")
def freshrss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshRSS]:
    reason = missing()
    if reason is not None:
        pytest.skip(reason)
    server = FreshRSS.start(tmp_path_factory.mktemp("freshrss") / "work")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server_user(freshrss: FreshRSS) -> ServerUser:
    """A FreshRSS user of this test alone (subscribed to the Alpha and Beta feeds)."""
    return freshrss.new_user()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Passwords and session tokens of these tests never reach a real keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
