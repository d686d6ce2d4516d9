"""Logins in the keyring: an in-memory keyring backend stands in for the desktop's."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.errors
import pytest

from newsreader.sync.credentials import (
    Credentials,
    CredentialsError,
    delete_credentials,
    load_credentials,
    move_credentials,
    save_credentials,
)


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


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
