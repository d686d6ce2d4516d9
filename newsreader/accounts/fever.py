"""The Fever API (FreshRSS, Miniflux, tt-rss with a plugin, CommaFeed).

Fever serves items, feeds, groups and the ids of unread and saved items, and takes read,
unread, saved and unsaved marks one item per request. It cannot subscribe, unsubscribe,
rename or move feeds: the store refuses those changes for a Fever account (see
`store.pending.FEVER_READ_ONLY`). Every request is a POST of `api_key` = md5("user:password")
to `?api&...`; a refused key answers `"auth": 0`.

A sync that finds nothing new costs three requests: groups with feeds (which also checks the
key), items newer than the newest item id seen (none), and the unread and saved id lists
(both in one request).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from newsreader.accounts.convert import article
from newsreader.accounts.http import ServerConnection
from newsreader.accounts.session import Forget, Tally, batches, follow_ups_of
from newsreader.errors import LoginFailedError, NotTheApiError, ServerAnswerError
from newsreader.store import Store
from newsreader.store.types import PendingChange, RemoteFeed, RemoteItem
from newsreader.sync.followup import JobPlan
from newsreader.sync.writer import StoreWriter

ITEMS_BATCH = 50  # Fever's page size for items
_MARKS = {"read": "read", "unread": "unread", "star": "saved", "unstar": "unsaved"}


class FeverSession:
    """One sync's exchange with a Fever API server (`connection.base_url` is the endpoint,
    e.g. https://example.net/api/fever.php)."""

    def __init__(
        self,
        account_id: int,
        connection: ServerConnection,
        username: str,
        password: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.account_id = account_id
        self.connection = connection
        self.plans: Sequence[JobPlan] = ()  # follow-up work for new items (`open_session`)
        self._key = hashlib.md5(f"{username}:{password}".encode()).hexdigest()
        self._clock = clock
        self._feeds: list[RemoteFeed] = []

    async def _call(self, *arguments: tuple[str, str | int]) -> Mapping[str, Any]:
        """One API call: `?api&name` for names without a value, the rest posted."""
        flags = "&".join(["api", *(name for name, value in arguments if value == "")])
        data: list[tuple[str, str | int]] = [("api_key", self._key)]
        data += [(name, value) for name, value in arguments if value != ""]
        answer = await self.connection.json("POST", "?" + flags, data=data)
        if not isinstance(answer, Mapping):
            raise ServerAnswerError(
                f"the Fever server at {self.connection.base_url} answered "
                "something that is not an API object"
            )
        if "api_version" not in answer:  # every Fever answer has it
            raise NotTheApiError(
                f"the server at {self.connection.base_url} answered without an api_version: "
                "not as a Fever API"
            )
        if answer.get("auth") != 1:
            raise LoginFailedError(
                f"the Fever server at {self.connection.base_url} refused the user name or "
                "password (Fever uses the API password)"
            )
        return answer

    @property
    def session_token(self) -> str | None:
        return None  # Fever sends its key with every request: there is no session

    async def login(self, token: str | None = None) -> None:
        """Checks the key by asking for groups and feeds (kept for `pull`: one request)."""
        self._feeds = _feeds(await self._call(("groups", ""), ("feeds", "")))

    async def send(self, changes: Sequence[PendingChange], forget: Forget, tally: Tally) -> None:
        for change in changes:
            mark = _MARKS.get(change.kind)
            if mark is None or change.item_id is None:
                tally.refused.append(f"{change.kind} {change.feed_url}: Fever cannot do this")
            else:
                await self._call(("mark", "item"), ("as", mark), ("id", change.item_id))
                tally.sent += 1
            await forget([change.id])

    async def pull(self, cursor: dict[str, Any], store: StoreWriter, tally: Tally) -> None:
        account = self.account_id
        feeds = self._feeds
        tally.add(await store.call(lambda s: s.apply_remote_subscriptions(account, feeds)))
        since = int(cursor.get("max_item_id", 0))
        while True:
            page = await self._call(("items", ""), ("since_id", since))
            raw = _items(page)
            if not raw:
                break
            await self._write(raw, store, tally)
            newest = max(since, *(int(row["id"]) for row in raw))
            if newest == since:  # a server answering the same page again: stop
                break
            since = newest
        cursor["max_item_id"] = since
        lists = await self._call(("unread_item_ids", ""), ("saved_item_ids", ""))
        unread = _ids(lists.get("unread_item_ids"))
        saved = _ids(lists.get("saved_item_ids"))
        known = await store.call(lambda s: s.known_items(account, unread | saved))
        for batch in batches(sorted((unread | saved) - known), ITEMS_BATCH):
            page = await self._call(("items", ""), ("with_ids", ",".join(map(str, batch))))
            await self._write(_items(page), store, tally)
        tally.state_changes += await store.call(
            lambda s: s.apply_remote_states(account, unread=unread, starred=saved)
        )

    async def _write(self, raw: list[Any], store: StoreWriter, tally: Tally) -> None:
        if raw:
            account, now = self.account_id, self._clock()
            tally.add(await store.call(partial(_apply_raw_items, account, raw, now, self.plans)))


def _apply_raw_items(
    account_id: int, raw: list[Any], now: datetime, plans: Sequence[JobPlan], store: Store
) -> Any:
    """Converts (sanitising) and writes a page of items, on the store's thread, queueing
    the follow-up jobs `plans` ask for."""
    items = [_item(row) for row in raw]
    return store.apply_remote_items(account_id, items, now, follow_ups_of(plans, store))


def _feeds(answer: Mapping[str, Any]) -> list[RemoteFeed]:
    groups = {
        int(g["id"]): str(g.get("title") or "")
        for g in answer.get("groups") or []
        if isinstance(g, Mapping) and "id" in g
    }
    folder_of: dict[int, str] = {}
    for link in answer.get("feeds_groups") or []:
        if not isinstance(link, Mapping):
            continue
        name = groups.get(int(link.get("group_id", 0)))
        for feed_id in _ids(link.get("feed_ids")):
            if name:
                folder_of.setdefault(feed_id, name)
    return [
        RemoteFeed(
            remote_id=str(f["id"]),
            url=str(f.get("url") or ""),
            title=f.get("title") or None,
            site_url=f.get("site_url") or None,
            folder=folder_of.get(int(f["id"])),
        )
        for f in answer.get("feeds") or []
        if isinstance(f, Mapping) and "id" in f and f.get("url")
    ]


def _items(answer: Mapping[str, Any]) -> list[Any]:
    value = answer.get("items") or []
    if not isinstance(value, list):
        raise ServerAnswerError("the Fever server's 'items' is not a list")
    return [row for row in value if isinstance(row, Mapping) and "id" in row]


def _item(row: Mapping[str, Any]) -> RemoteItem:
    identifier = int(row["id"])
    return RemoteItem(
        item_id=identifier,
        feed_remote_id=str(row.get("feed_id")),
        entry=article(
            identifier,
            link=row.get("url"),
            title=row.get("title"),
            body=row.get("html"),
            author=row.get("author"),
            published=row.get("created_on_time"),
        ),
        read=bool(row.get("is_read")),
        starred=bool(row.get("is_saved")),
    )


def _ids(value: Any) -> set[int]:
    """A Fever id list ("1,2,3", or a JSON list) as numbers."""
    if isinstance(value, list):
        return {int(v) for v in value}
    return {int(part) for part in str(value or "").split(",") if part.strip().isdigit()}
