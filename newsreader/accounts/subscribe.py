"""Subscribing through a feed-server account: the feed is added to the store as the account's,
with the subscription queued in the same transaction; the account's next sync sends it, and
the server fetches the feed from then on (never this computer).

    feed = queue_subscription(store, account_id, url, title="Tides", folder=("Coast",))
    await sync_account(paths, account_id)

Both front ends call it (`newsreader account subscribe`, the window's Add feed).
"""

from __future__ import annotations

from collections.abc import Sequence

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
    subscription queued for the server; a local feed of that URL joins the account. The
    store's errors: NotFoundError for an unknown account, StoreError for a Fever account
    (Fever cannot subscribe) or a feed another account holds."""
    folder_id = store.ensure_folder_path(tuple(folder)) if folder else None
    return store.add_feed(url, title=title, folder_id=folder_id, account_id=account_id)
