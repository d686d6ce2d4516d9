"""Feed-server passwords in the system keyring (as feed logins are, see
`sync.credentials`), one per account, keyed by protocol, user name and server address.

Beside the password, the keyring keeps the session token a server handed out at the last
login (Google Reader API `Auth`), so the next sync needs no login request; it is forgotten
when the server refuses it."""

from __future__ import annotations

import keyring
import keyring.errors

from newsreader.errors import CredentialsError
from newsreader.model import AccountKind

SERVICE = "Newsreader feed server"


def _key(kind: AccountKind, url: str, username: str) -> str:
    return f"{kind.value}:{username}@{url}"


def save_password(kind: AccountKind, url: str, username: str, password: str) -> None:
    try:
        keyring.set_password(SERVICE, _key(kind, url, username), password)
    except keyring.errors.KeyringError as error:
        raise CredentialsError(
            f"the password for {username} at {url} was not saved: no usable system keyring "
            f"({type(error).__name__}); install and unlock one (e.g. GNOME Keyring, KWallet)"
        ) from None


def load_password(kind: AccountKind, url: str, username: str) -> str | None:
    """The saved password, or None when there is none or no keyring is available."""
    try:
        return keyring.get_password(SERVICE, _key(kind, url, username))
    except keyring.errors.KeyringError:
        return None


def delete_password(kind: AccountKind, url: str, username: str) -> None:
    """Forgets the password and the session token."""
    for key in (_key(kind, url, username), _token_key(kind, url, username)):
        try:
            keyring.delete_password(SERVICE, key)
        except keyring.errors.KeyringError:
            continue


def _token_key(kind: AccountKind, url: str, username: str) -> str:
    return _key(kind, url, username) + "#token"


def load_token(kind: AccountKind, url: str, username: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, _token_key(kind, url, username))
    except keyring.errors.KeyringError:
        return None


def save_token(kind: AccountKind, url: str, username: str, token: str | None) -> None:
    """Keeps the session token (None forgets it); without a usable keyring, nothing is kept
    and the next sync logs in again."""
    key = _token_key(kind, url, username)
    try:
        if token is None:
            keyring.delete_password(SERVICE, key)
        else:
            keyring.set_password(SERVICE, key, token)
    except keyring.errors.KeyringError:
        return
