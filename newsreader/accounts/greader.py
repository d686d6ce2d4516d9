"""The Google Reader API (FreshRSS, Miniflux, Inoreader, BazQux, The Old Reader).

A sync that finds nothing new costs two small requests: `unread-count` (per feed: unread
count and newest item time) and the ids of the starred items; the login token of the last
sync is reused (kept in the keyring), a new login made only when the server refuses it. Only when
the newest item time moved are new items fetched (`stream/contents` with `ot` = the newest
time seen, paged by `continuation`); only when a feed's unread count differs from ours are the
ids of all unread items fetched; the subscription list only when the feeds named differ from
ours, a subscription change was sent, or the last list is older than `SUBSCRIPTIONS_EVERY`
(and the unread ids also when the last list of them is older than `STATES_EVERY`).

Item ids arrive decimal from `stream/items/ids` and as `tag:` ids from `stream/contents`;
`ids.item_id` makes both one number. Known quirks handled (FreshRSS): `s=…/read` is not a
supported stream (read state comes from `xt=…/read` on the reading list).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from newsreader.accounts.convert import article
from newsreader.accounts.http import ServerConnection
from newsreader.accounts.ids import item_id, long_form
from newsreader.accounts.session import Forget, Tally, batches, follow_ups_of
from newsreader.errors import LoginFailedError, NotTheApiError, ServerAnswerError
from newsreader.model import Enclosure
from newsreader.store import Store
from newsreader.store.types import PendingChange, RemoteFeed, RemoteItem
from newsreader.sync.followup import JobPlan
from newsreader.sync.writer import StoreWriter

T = TypeVar("T")
API = "/reader/api/0"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL = "user/-/label/"
PAGE_ITEMS = 1000  # items per stream/contents page
IDS_PAGE = 10000  # ids per stream/items/ids page
EDIT_BATCH = 500  # item ids per edit-tag request (FreshRSS takes up to 998 in one query)
CONTENTS_BATCH = 250  # item ids per stream/items/contents request
SUBSCRIPTIONS_EVERY = 15 * 60  # seconds between subscription lists when nothing hints at change
STATES_EVERY = 15 * 60  # seconds between lists of unread ids when the counts hint at no change
_TAGS = {
    "read": (READ, True),
    "unread": (READ, False),
    "star": (STARRED, True),
    "unstar": (STARRED, False),
}


@dataclass(frozen=True, slots=True)
class UnreadCount:
    count: int
    newest_usec: int


class GReaderSession:
    """One sync's exchange with a Google Reader API server (`connection.base_url` is the
    API's root, e.g. https://example.net/api/greader.php)."""

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
        self.username = username
        self._password = password
        self._auth: str | None = None
        self._kept = False  # the Auth token came from an earlier session
        self._token: str | None = None
        self._clock = clock

    # --- requests ------------------------------------------------------------------------

    @property
    def session_token(self) -> str | None:
        """The `Auth` token of this session, worth keeping for the next one."""
        return self._auth

    async def login(self, token: str | None = None) -> None:
        """Uses a token kept from an earlier session, else ClientLogin. A kept token the
        server refuses is replaced by a new login at the first refused request."""
        if token:
            self._auth, self._kept = token, True
            return
        await self._client_login()

    async def _client_login(self) -> None:
        path = "/accounts/ClientLogin"
        response = await self.connection.request(
            "POST", path, data=[("Email", self.username), ("Passwd", self._password)]
        )
        self.connection.refuse_html(response, path)
        self._auth, self._kept = None, False
        for line in response.text.splitlines():
            if line.startswith("Auth="):
                self._auth = line[len("Auth=") :].strip()
        if not self._auth:  # a wrong password is a 401 or 403: this is not the API
            raise NotTheApiError(
                f"the server at {self.connection.base_url} answered the login of "
                f"{self.username} without an Auth token: not as a Google Reader API"
            )

    async def _authorised(self, send: Callable[[], Awaitable[T]]) -> T:
        """`send()`, once more after a new login if the server refused a kept token."""
        try:
            return await send()
        except LoginFailedError:
            if not self._kept:
                raise
            await self._client_login()
            self._token = None
            return await send()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"GoogleLogin auth={self._auth}"}

    async def _get(self, path: str, params: Sequence[tuple[str, str | int]]) -> Any:
        return await self._authorised(
            lambda: self.connection.json(
                "GET", API + path, params=[*params, ("output", "json")], headers=self._headers()
            )
        )

    async def _post(self, path: str, data: Sequence[tuple[str, str | int]]) -> str:
        """A state-changing request with the action token; the answer's text."""
        return await self._authorised(lambda: self._post_once(path, data))

    async def _post_once(self, path: str, data: Sequence[tuple[str, str | int]]) -> str:
        if self._token is None:
            response = await self.connection.request("GET", API + "/token", headers=self._headers())
            self.connection.refuse_html(response, "/token")
            self._token = response.text.strip()
        response = await self.connection.request(
            "POST", API + path, data=[*data, ("T", self._token)], headers=self._headers()
        )
        self.connection.refuse_html(response, path)
        return response.text

    async def unread_counts(self) -> dict[str, UnreadCount]:
        answer = await self._get("/unread-count", [])
        counts: dict[str, UnreadCount] = {}
        for row in _list(answer, "unreadcounts"):
            counts[str(row.get("id"))] = UnreadCount(
                int(row.get("count") or 0), int(row.get("newestItemTimestampUsec") or 0)
            )
        return counts

    async def subscriptions(self) -> list[RemoteFeed]:
        answer = await self._get("/subscription/list", [])
        feeds: list[RemoteFeed] = []
        for row in _list(answer, "subscriptions"):
            labels = [c.get("label") for c in row.get("categories") or [] if c.get("label")]
            url = row.get("url") or str(row.get("id", "")).removeprefix("feed/")
            feeds.append(
                RemoteFeed(
                    remote_id=str(row["id"]),
                    url=url,
                    title=row.get("title"),
                    site_url=row.get("htmlUrl") or None,
                    folder=labels[0] if labels else None,
                )
            )
        return feeds

    async def item_ids(self, stream: str, *, exclude: str | None = None) -> set[int]:
        """Every item id of a stream (all pages)."""
        found: set[int] = set()
        continuation: str | None = None
        while True:
            params: list[tuple[str, str | int]] = [("s", stream), ("n", IDS_PAGE)]
            if exclude:
                params.append(("xt", exclude))
            if continuation:
                params.append(("c", continuation))
            answer = await self._get("/stream/items/ids", params)
            found.update(item_id(ref["id"]) for ref in _list(answer, "itemRefs"))
            following = _continuation(answer, continuation)
            if following is None or not _list(answer, "itemRefs"):
                return found
            continuation = following

    # --- a sync ----------------------------------------------------------------------------

    async def send(self, changes: Sequence[PendingChange], forget: Forget, tally: Tally) -> None:
        for change in changes:
            if change.item_id is None:
                await self._send_subscription(change, tally)
                await forget([change.id])
                tally.sent += 1
        for kind, (tag, add) in _TAGS.items():
            chosen = [c for c in changes if c.kind == kind and c.item_id is not None]
            for batch in batches(chosen, EDIT_BATCH):
                data: list[tuple[str, str | int]] = [("a" if add else "r", tag)]
                data += [("i", long_form(c.item_id)) for c in batch if c.item_id is not None]
                await self._post("/edit-tag", data)
                await forget([c.id for c in batch])
                tally.sent += len(batch)

    async def _send_folder(self, change: PendingChange, tally: Tally) -> None:
        """A folder renamed (`rename-tag`) or deleted (`disable-tag`) here. Deleting a label
        the server no longer has is done; renaming one is reported as not done."""
        tally.subscriptions_changed = True
        label = LABEL + (change.previous or "")
        try:
            if change.kind == "rename_folder":
                await self._post(
                    "/rename-tag", [("s", label), ("dest", LABEL + (change.value or ""))]
                )
            else:
                await self._post("/disable-tag", [("s", label)])
        except ServerAnswerError as error:
            if error.status != 400:
                raise
            if change.kind == "rename_folder":
                tally.refused.append(
                    f"rename folder {change.previous} to {change.value}: the server has no "
                    f"folder {change.previous}"
                )

    async def _send_subscription(self, change: PendingChange, tally: Tally) -> None:
        if change.kind in ("rename_folder", "delete_folder"):
            await self._send_folder(change, tally)
            return
        stream = change.remote_id or f"feed/{change.feed_url}"
        tally.subscriptions_changed = True
        if change.kind == "subscribe":
            await self._subscribe(change, tally)
            return
        data: list[tuple[str, str | int]] = [("s", stream)]
        if change.kind == "unsubscribe":
            data.append(("ac", "unsubscribe"))
        elif change.kind == "rename":
            data += [("ac", "edit"), ("t", change.value or "")]
        elif change.value:  # move into a folder, out of the one it was in
            # FreshRSS keeps one folder per feed and reads only `a`; servers that keep
            # several labels per feed (Inoreader, The Old Reader) need `r` to leave the old.
            data += [("ac", "edit"), ("a", LABEL + change.value)]
            if change.previous and change.previous != change.value:
                data.append(("r", LABEL + change.previous))
        elif change.previous:  # move out of every folder
            data += [("ac", "edit"), ("r", LABEL + change.previous)]
        else:
            return
        try:
            await self._post("/subscription/edit", data)
        except ServerAnswerError as error:
            if error.status != 400:
                raise
            if change.kind != "unsubscribe":  # unsubscribing what is gone is done
                tally.refused.append(f"{change.kind} {change.feed_url}: the server refused it")

    async def _subscribe(self, change: PendingChange, tally: Tally) -> None:
        text = await self._post("/subscription/quickadd", [("quickadd", change.feed_url or "")])
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {}
        stream = answer.get("streamId") if isinstance(answer, dict) else None
        if not stream:
            reason = answer.get("error") if isinstance(answer, dict) else None
            tally.refused.append(
                f"subscribe {change.feed_url}: {reason or 'the server did not subscribe'}"
            )
            return
        data: list[tuple[str, str | int]] = [("s", str(stream)), ("ac", "edit")]
        if change.value:
            data.append(("t", change.value))
        if change.previous:
            data.append(("a", LABEL + change.previous))
        if len(data) > 2:
            await self._post("/subscription/edit", data)

    async def pull(self, cursor: dict[str, Any], store: StoreWriter, tally: Tally) -> None:
        account = self.account_id
        counts = await self.unread_counts()
        now = int(self._clock().timestamp())
        local = await store.call(lambda s: s.account_feeds(account))
        server_feeds = {name for name in counts if name.startswith("feed/")}
        listed_at = int(cursor.get("subscriptions_listed", 0))
        if (
            tally.subscriptions_changed
            or server_feeds - set(local)
            or now - listed_at >= SUBSCRIPTIONS_EVERY
        ):
            feeds = await self.subscriptions()
            tally.add(await store.call(lambda s: s.apply_remote_subscriptions(account, feeds)))
            cursor["subscriptions_listed"] = now
        newest = counts.get(READING_LIST, UnreadCount(0, 0)).newest_usec
        seen = int(cursor.get("newest_usec", 0))
        if newest == 0 or newest != seen:
            # Newest item older than the newest seen: the server started over (a reinstall
            # renumbers items by crawl time); fetch everything, matched by link.
            await self._new_items(seen // 1_000_000 if newest > seen else 0, store, tally)
            cursor["newest_usec"] = newest
        local = await store.call(lambda s: s.account_feeds(account))
        states_at = int(cursor.get("unread_listed", 0))
        if now - states_at >= STATES_EVERY or any(
            local.get(name, 0) != counts[name].count for name in server_feeds & set(local)
        ):
            # Equal counts can hide one item read and another unread elsewhere: the full
            # list is also fetched every STATES_EVERY seconds.
            cursor["unread_listed"] = now
            unread = await self.item_ids(READING_LIST, exclude=READ)
            await self._fetch_unknown(unread, store, tally)
            changed = await store.call(lambda s: s.apply_remote_states(account, unread=unread))
            tally.state_changes += changed
        starred = await self.item_ids(STARRED)
        await self._fetch_unknown(starred, store, tally)
        tally.state_changes += await store.call(
            lambda s: s.apply_remote_states(account, starred=starred)
        )

    async def _new_items(self, since: int, store: StoreWriter, tally: Tally) -> None:
        """Every item crawled since `since` (unix seconds; 0: all), page by page, each page
        written before the next is asked for."""
        continuation: str | None = None
        while True:
            params: list[tuple[str, str | int]] = [("n", PAGE_ITEMS)]
            if since:
                params.append(("ot", since))
            if continuation:
                params.append(("c", continuation))
            answer = await self._get("/stream/contents/" + READING_LIST, params)
            raw = _list(answer, "items")
            await self._write(raw, store, tally)
            following = _continuation(answer, continuation)
            if following is None or not raw:
                return
            continuation = following

    async def _fetch_unknown(self, ids: set[int], store: StoreWriter, tally: Tally) -> None:
        """Fetches the items of `ids` that have no entry here yet."""
        account = self.account_id
        known = await store.call(lambda s: s.known_items(account, ids))
        for batch in batches(sorted(ids - known), CONTENTS_BATCH):
            answer = await self._contents(batch)
            await self._write(_list(answer, "items"), store, tally)

    async def _contents(self, item_ids: Sequence[int]) -> Any:
        """The items of these ids (stream/items/contents)."""
        data = [("i", long_form(i)) for i in item_ids]
        return await self._authorised(
            lambda: self.connection.json(
                "POST",
                API + "/stream/items/contents",
                params=[("output", "json")],
                data=data,
                headers=self._headers(),
            )
        )

    async def _write(self, raw: list[Any], store: StoreWriter, tally: Tally) -> None:
        if not raw:
            return
        account = self.account_id
        now = self._clock()
        tally.add(await store.call(partial(_apply_raw_items, account, raw, now, self.plans)))


def _apply_raw_items(
    account_id: int, raw: list[Any], now: datetime, plans: Sequence[JobPlan], store: Store
) -> Any:
    """Converts (sanitising) and writes a page of items, on the store's thread, queueing
    the follow-up jobs `plans` ask for."""
    items = [_item(row) for row in raw if _valid(row)]
    return store.apply_remote_items(account_id, items, now, follow_ups_of(plans, store))


def _valid(row: Any) -> bool:
    return isinstance(row, Mapping) and "id" in row and isinstance(row.get("origin"), Mapping)


def _item(row: Mapping[str, Any]) -> RemoteItem:
    categories = {_own(str(c)) for c in row.get("categories") or []}
    link = None
    for key in ("canonical", "alternate"):
        hrefs = [x.get("href") for x in row.get(key) or [] if isinstance(x, Mapping)]
        link = link or next((h for h in hrefs if h), None)
    body = (row.get("content") or row.get("summary") or {}).get("content")
    enclosures = tuple(
        Enclosure(e["href"], e.get("type") or None, e.get("length"))
        for e in row.get("enclosure") or []
        if isinstance(e, Mapping) and e.get("href")
    )
    identifier = item_id(row["id"])
    return RemoteItem(
        item_id=identifier,
        feed_remote_id=str(row["origin"].get("streamId")),
        entry=article(
            identifier,
            link=link,
            title=row.get("title"),
            body=body,
            author=row.get("author"),
            published=row.get("published"),
            enclosures=enclosures,
        ),
        read=READ in categories,
        starred=STARRED in categories,
    )


def _continuation(answer: Mapping[str, Any], previous: str | None) -> str | None:
    """The token of the next page, None when this was the last: no token, or the token
    this page was asked with (a server repeating it would be paged forever)."""
    token = answer.get("continuation")
    if not token or not isinstance(token, str | int) or str(token) == previous:
        return None
    return str(token)


def _own(stream: str) -> str:
    """A stream id with the user's own number spelled `-`: Inoreader and Miniflux name the
    read state `user/1005921515/state/com.google/read`, FreshRSS `user/-/state/…`."""
    parts = stream.split("/", 2)
    if len(parts) == 3 and parts[0] == "user" and parts[2].startswith(("state/", "label/")):
        return f"user/-/{parts[2]}"
    return stream


def _list(answer: Any, key: str) -> list[Any]:
    if not isinstance(answer, Mapping):
        raise ServerAnswerError(f"the server's answer has no {key!r} list")
    value = answer.get(key) or []
    if not isinstance(value, list):
        raise ServerAnswerError(f"the server's {key!r} is not a list")
    return value
