"""A refresh of everything the user reads: local feeds fetched from their sites, then the
feed-server accounts synced with their servers.

    done = await refresh(paths, SyncOptions(feeds=("12",)), subscribers=[print])

A feed of a server account is never fetched from its site, even when named (Refresh this
feed, `newsreader sync 12`): its account is synced instead, since the server owns its
articles and their state. The Google Reader and Fever APIs have no request to make a server
fetch one feed now, so the account's sync brings whatever the server has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsreader.accounts.engine import AccountSyncResult, accounts_follow_ups, sync_account
from newsreader.errors import SyncBusyError
from newsreader.model import Feed
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions, find_feed, sync
from newsreader.sync.events import Subscriber, SyncSummary
from newsreader.sync.writer import StoreWriter

AccountListener = Callable[[AccountSyncResult], None]


@dataclass(frozen=True, slots=True)
class RefreshPlan:
    """What a refresh does: whether local feeds are fetched, which accounts are synced, and
    the named feeds that are synced through their account (`routed`)."""

    fetch_local: bool
    account_ids: tuple[int, ...]
    routed: tuple[Feed, ...] = ()


@dataclass(frozen=True, slots=True)
class RefreshResult:
    """How a refresh went: the local feeds' summary (None: no local feed was named, so none
    was fetched), each account's sync, and the named feeds routed through their account."""

    summary: SyncSummary | None
    accounts: tuple[AccountSyncResult, ...]
    routed: tuple[Feed, ...] = ()


def plan_refresh(store: Store, options: SyncOptions) -> RefreshPlan:
    """Without named feeds: the due (or all) local feeds and every account. With names
    (feed ids or URLs; NotFoundError for an unknown one): the named local feeds, and the
    accounts of the named account feeds."""
    if not options.feeds:
        return RefreshPlan(True, tuple(a.id for a in store.list_accounts()))
    named = [find_feed(store, name) for name in dict.fromkeys(options.feeds)]
    routed = tuple(feed for feed in named if feed.account_id is not None)
    accounts = tuple(dict.fromkeys(feed.account_id for feed in routed if feed.account_id))
    return RefreshPlan(len(routed) < len(named), accounts, routed)


async def refresh(
    paths: DataPaths,
    options: SyncOptions | None = None,
    subscribers: Sequence[Subscriber] = (),
    each_account: AccountListener | None = None,
) -> RefreshResult:
    """Fetches the local feeds `options` selects (telling `subscribers` as the sync engine
    does), then syncs the accounts the plan names in turn (`each_account` is told of each
    result as it comes), then runs the follow-up work of their new articles (full articles,
    images) in one stage. SyncBusyError when another sync of the local feeds runs; an
    account another program is syncing right now is left to that sync."""
    options = options or SyncOptions()
    store = StoreWriter(paths)
    try:
        plan = await store.call(lambda s: plan_refresh(s, options))
    finally:
        await store.close()
    summary = await sync(paths, options, subscribers) if plan.fetch_local else None
    results: list[AccountSyncResult] = []
    for account_id in plan.account_ids:
        try:
            result = await sync_account(paths, account_id, options=options, follow_ups=False)
        except SyncBusyError:
            continue
        results.append(result)
        if each_account is not None:
            each_account(result)
    if results:  # full articles and images of their new articles, once every line is out
        await accounts_follow_ups(paths, [r.account_id for r in results], options)
    return RefreshResult(summary, tuple(results), plan.routed)
