"""An account's address as people type it, made into the API's address.

    found = await find_api(AccountKind.GREADER, "rss.example.net", "me", password)
    found.url    # "https://rss.example.net/api/greader.php"
    found.note   # "using https://rss.example.net/api/greader.php (FreshRSS's API address)"

`http(s)://` is added when missing (https first, as `newsreader add` does); the address is
normalised (scheme and host lower-cased, no trailing slash) so that one server and user is
one account however it was typed; a bare server address (no path) is tried as it is (Miniflux,
Inoreader and The Old Reader serve the Google Reader API there), then at the API's usual
paths on other servers (`API_PATHS`). An address that does not answer as the API is told as
such, with the usual path to try, instead of blaming the password.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsreader import urls
from newsreader.accounts.engine import DEFAULT_TIMEOUTS, check_login
from newsreader.accounts.http import Timeouts
from newsreader.errors import (
    AccountError,
    NotTheApiError,
    ServerAnswerError,
    ServerUnreachableError,
)
from newsreader.feedurl import typed_addresses
from newsreader.model import AccountKind

API_PATHS: dict[AccountKind, tuple[tuple[str, str], ...]] = {
    AccountKind.GREADER: (("/api/greader.php", "FreshRSS"),),
    AccountKind.FEVER: (
        ("/api/fever.php", "FreshRSS"),
        ("/fever", "Miniflux"),
        ("/plugins/fever", "Tiny Tiny RSS"),
    ),
}
"""The paths a server serves each API at, when the address typed has none (the Google Reader
API of Miniflux, Inoreader, BazQux and The Old Reader is at the server's root)."""

API_NAMES = {AccountKind.GREADER: "a Google Reader API", AccountKind.FEVER: "a Fever API"}


@dataclass(frozen=True, slots=True)
class FoundApi:
    url: str  # the API address that logged in (normalised)
    note: str | None = None  # how it was found, when not as typed


def normalise(address: str) -> str:
    """The address as an account keeps it: scheme and host lower-cased, no trailing slash
    (`HTTP://Host/api/greader.php/` -> `http://host/api/greader.php`)."""
    address = urls.normalized_origin(address.strip())
    return address.rstrip("/")


def is_bare(address: str) -> bool:
    """True for a server's address without a path (`https://host`, `https://host/`)."""
    parts = urls.split(address)
    return parts is not None and parts.path in ("", "/") and not parts.query


def suggestion(kind: AccountKind, address: str) -> str:
    """The usual API address on the server of `address` (FreshRSS's), to try."""
    parts = urls.split(address)
    origin = address if parts is None else f"{parts.scheme}://{parts.netloc}"
    return origin.rstrip("/") + API_PATHS[kind][0][0]


async def find_api(
    kind: AccountKind,
    typed: str,
    username: str,
    password: str,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> FoundApi:
    """The API address `typed` stands for, where `username` logged in with `password`.
    Raises the AccountError that says what is wrong: LoginFailedError when the API answered
    and refused the password, NotTheApiError when no address tried answered as the API."""
    first: AccountError | None = None
    answered: tuple[str, ServerAnswerError] | None = None  # the first address that answered
    for base in typed_addresses(typed):
        base = normalise(base)
        tried = [(base, "")]
        if is_bare(base):
            tried += [(base + path, server) for path, server in API_PATHS[kind]]
        for url, server in tried:
            try:
                await check_login(kind, url, username, password, timeouts)
            except ServerUnreachableError as error:
                first = first or error
                break  # nothing answers there: the next scheme, if any
            except ServerAnswerError as error:
                answered = answered or (base, error)
                continue
            note = None
            if url != base:
                note = f"using {url} ({server}'s {API_NAMES[kind][2:]} address)"
            elif base != typed.strip():
                note = f"using {url}"
            return FoundApi(url, note)
    if answered is not None:
        shown, why = answered
        raise NotTheApiError(
            f"{shown} does not answer as {API_NAMES[kind]} ({why}); try {suggestion(kind, shown)}"
        )
    assert first is not None
    raise first
