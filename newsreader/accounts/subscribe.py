"""Subscribing through a feed-server account: the feed is added to the store as the account's,
with the subscription queued in the same transaction; the account's next sync sends it, and
the server fetches the feed from then on (never this computer).

    feed = queue_subscription(store, account_id, url, title="Tides", folder=("Coast",))
    await sync_account(paths, account_id)

Both front ends call it (`newsreader account subscribe`, the window's Add feed).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.errors import AlreadySubscribedError
from newsreader.model import Feed
from newsreader.store import Store


def queue_subscription(
    store: Store,
    account_id: int,
    url: str,
    *,
    title: str | None = None,
    folder: Sequence[str] = (),
) -> Feed:
    """The account's feed at `url` in folder path `folder` (created when missing), its
    subscription queued for the server. NotFoundError for an unknown account, StoreError for
    a Fever account (Fever cannot subscribe), AlreadySubscribedError when `url` is a local
    feed or another account's. Subscribing again to the account's own feed changes nothing."""
    account = store.get_account(account_id)
    existing = store.feed_by_url(url)
    if existing is not None and existing.account_id != account.id:
        where = "a local feed" if existing.account_id is None else "another account's feed"
        raise AlreadySubscribedError(
            f"{url} is already {where} (feed {existing.id}, {existing.display_title}); "
            "unsubscribe it first"
        )
    folder_id = store.ensure_folder_path(tuple(folder)) if folder else None
    return store.add_feed(url, title=title, folder_id=folder_id, account_id=account.id)
