"""Small helpers of the account tests."""

from __future__ import annotations

import asyncio
from typing import Any

from newsreader.accounts.engine import AccountSyncResult, sync_account
from newsreader.model import AccountKind, Entry, Feed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.accounts.freshrss import API_PASSWORD


def add_account(paths: DataPaths, kind: AccountKind, url: str, user: str) -> int:
    with Store.open(paths) as store:
        return store.add_account(kind, url, user).id


def sync(
    paths: DataPaths, account_id: int, password: str = API_PASSWORD, **options: Any
) -> AccountSyncResult:
    return asyncio.run(sync_account(paths, account_id, password=password, **options))


def entries(paths: DataPaths) -> list[Entry]:
    with Store.open(paths) as store:
        return store.list_entries(EntryQuery())


def feeds(paths: DataPaths) -> dict[str, Feed]:
    with Store.open(paths) as store:
        return {f.url: f for f in store.list_feeds()}


def item_ids(paths: DataPaths, account_id: int) -> dict[int, int]:
    """The server's item id of each entry of the account: entry id -> item id."""
    with Store.open(paths) as store:
        return store.item_ids_of(account_id)
