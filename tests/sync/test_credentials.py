"""Logins in the keyring: an in-memory keyring backend stands in for the desktop's."""

from __future__ import annotations

import keyring
import pytest

from newsreader.errors import CredentialsError
from newsreader.sync.credentials import (
    Credentials,
    delete_credentials,
    load_credentials,
    move_credentials,
    save_credentials,
)
from tests.sync.memory_keyring import MemoryKeyring

URL = "https://example.org/private.xml"


def test_save_load_delete(memory_keyring: MemoryKeyring) -> None:
    save_credentials(URL, Credentials("ann", "pa55"))
    assert load_credentials(URL) == Credentials("ann", "pa55")
    assert load_credentials("https://example.org/other") is None
    delete_credentials(URL)
    assert load_credentials(URL) is None
    delete_credentials(URL)  # deleting twice is harmless


def test_move_follows_a_permanent_redirect(memory_keyring: MemoryKeyring) -> None:
    save_credentials(URL, Credentials("ann", "pa55"))
    move_credentials(URL, "https://example.com/feed")
    assert load_credentials("https://example.com/feed") == Credentials("ann", "pa55")
    assert load_credentials(URL) is None


def test_password_never_shows_in_repr() -> None:
    assert "pa55" not in repr(Credentials("ann", "pa55"))


def test_without_a_keyring_saving_explains_and_loading_finds_nothing() -> None:
    previous = keyring.get_keyring()
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(CredentialsError, match="no usable system keyring") as caught:
            save_credentials(URL, Credentials("ann", "pa55"))
        assert "pa55" not in str(caught.value)
        assert load_credentials(URL) is None
    finally:
        keyring.set_keyring(previous)
