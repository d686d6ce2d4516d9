"""Feed-server passwords in the system keyring (as feed logins are, see
`sync.credentials`), one per account, keyed by protocol, user name and server address."""

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
    try:
        keyring.delete_password(SERVICE, _key(kind, url, username))
    except keyring.errors.KeyringError:
        return
