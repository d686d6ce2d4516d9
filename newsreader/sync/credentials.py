"""Per-feed HTTP basic-auth logins, kept in the operating system's keyring.

Each login is stored under (SERVICE, feed URL) as a small JSON value holding user name and
password, so any keyring backend (which stores one secret per key) can hold it. The engine
asks the keyring only after a server answers 401, so feeds without a login never touch it.
Passwords never appear in messages, reprs or logs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import keyring
import keyring.errors

from newsreader.errors import CredentialsError

SERVICE = "Newsreader feed login"


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str = field(repr=False)


def save_credentials(feed_url: str, credentials: Credentials) -> None:
    value = json.dumps({"username": credentials.username, "password": credentials.password})
    try:
        keyring.set_password(SERVICE, feed_url, value)
    except keyring.errors.KeyringError as error:
        raise CredentialsError(
            f"the login for {feed_url} was not saved: no usable system keyring "
            f"({type(error).__name__}); install and unlock one (e.g. GNOME Keyring, KWallet)"
        ) from None


def load_credentials(feed_url: str) -> Credentials | None:
    """The saved login, or None when there is none or no keyring is available."""
    try:
        value = keyring.get_password(SERVICE, feed_url)
    except keyring.errors.KeyringError:
        return None
    if value is None:
        return None
    try:
        data = json.loads(value)
        return Credentials(str(data["username"]), str(data["password"]))
    except (ValueError, KeyError, TypeError):
        return None


def move_credentials(old_url: str, new_url: str) -> None:
    """Follows a feed to its new URL after a permanent redirect."""
    credentials = load_credentials(old_url)
    if credentials is None:
        return
    save_credentials(new_url, credentials)
    delete_credentials(old_url)


def delete_credentials(feed_url: str) -> None:
    try:
        keyring.delete_password(SERVICE, feed_url)
    except keyring.errors.KeyringError:
        return
