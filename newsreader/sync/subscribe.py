"""Subscribing: discover the feeds behind an address, add the chosen one with its title and
icon (and login, if given), then sync it once so it arrives with its entries.

Both front ends call `subscribe`; `find_feeds` alone serves a dialog that lists the choices.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote

from newsreader import urls
from newsreader.errors import AlreadySubscribedError, PickError
from newsreader.model import DiscoveredFeed, Feed
from newsreader.parse import looks_like_feed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import Store
from newsreader.sync.credentials import Credentials, save_credentials
from newsreader.sync.discovery import Discoverer, Discovery, Progress
from newsreader.sync.engine import SyncOptions, session, sync
from newsreader.sync.events import Subscriber, SyncSummary
from newsreader.sync.fetch import FetchResult
from newsreader.sync.writer import StoreWriter
from newsreader.wording import agreeing, counted


@dataclass(frozen=True, slots=True)
class Subscription:
    feed: Feed  # as stored after the first sync
    discovery: Discovery
    first_sync: SyncSummary


async def find_feeds(
    paths: DataPaths,
    url: str,
    options: SyncOptions | None = None,
    credentials: Credentials | None = None,
    progress: Progress | None = None,
) -> Discovery:
    """The feeds (and icon) behind `url`, without subscribing; `progress` hears what it is
    doing ("Fetching ...", "Checking 3 feed links ...")."""
    options = options or SyncOptions()
    writer = StoreWriter(paths)
    try:
        settings = await writer.call(lambda store: store.load_settings())
    finally:
        await writer.close()
    return await _discover(settings, options, url, credentials, progress)


async def subscribe(
    paths: DataPaths,
    url: str,
    *,
    folder: Sequence[str] = (),
    pick: int = 1,
    credentials: Credentials | None = None,
    options: SyncOptions | None = None,
    subscribers: Sequence[Subscriber] = (),
    fetched: Mapping[str, FetchResult] | None = None,
) -> Subscription:
    """Subscribes to feed number `pick` (1-based) found at `url`, in folder path `folder`.
    A login written into the URL (`https://user:password@host/feed`) moves to the keyring:
    the stored URL, and everything that shows it, carries no password.

    The feed is fetched once: its document, as discovery fetched it, is what the first sync
    reads. `fetched` holds documents an earlier discovery fetched (`Discovery.fetched`, the
    window's Add feed dialog's): a `url` found there as a feed is not fetched again at all
    (a newcomer's slow feed was downloaded three times on subscribing)."""
    options = options or SyncOptions()
    url, in_url = split_login(url)
    credentials = credentials or in_url
    writer = StoreWriter(paths)
    try:
        settings = await writer.call(lambda store: store.load_settings())
        discovery = await _discover(settings, options, url, credentials, known=fetched or {})
        chosen = _pick(discovery.feeds, pick)
        if credentials is not None:
            await asyncio.to_thread(save_credentials, chosen.url, credentials)
        icon = discovery.icon_url
        feed = await writer.call(lambda store: _add(store, chosen, tuple(folder), icon))
    finally:
        await writer.close()
    document = discovery.fetched.get(chosen.url)
    first_options = replace(
        options,
        feeds=(str(feed.id),),
        all_feeds=False,
        fetched={chosen.url: document} if document is not None else {},
    )
    first = await sync(paths, first_options, subscribers)
    writer = StoreWriter(paths)
    try:
        stored = await writer.call(lambda store: store.get_feed(feed.id))
    finally:
        await writer.close()
    return Subscription(stored, discovery, first)


async def _discover(
    settings: Settings,
    options: SyncOptions,
    url: str,
    credentials: Credentials | None,
    progress: Progress | None = None,
    known: Mapping[str, FetchResult] | None = None,
) -> Discovery:
    """What `url` leads to; from `known` (documents fetched moments ago, by URL) when it
    holds `url` as a feed."""

    async def login() -> Credentials | None:
        return credentials

    async with session(settings, options) as net:
        discoverer = Discoverer(
            net.client,
            net.politeness,
            net.limits,
            net.parse_pool,
            login if credentials else None,
            progress,
        )
        page = (known or {}).get(url)
        if page is not None and looks_like_feed(page.body):
            return await discoverer.feed_at(url, page)
        return await discoverer.discover(url)


def split_login(url: str) -> tuple[str, Credentials | None]:
    """The URL without its user:password part, and that login (None when there is none)."""
    parts = urls.split(url)
    if parts is None or parts.username is None:
        return url, None
    login = Credentials(unquote(parts.username), unquote(parts.password or ""))
    return urls.without_login(parts), login


def _pick(feeds: Sequence[DiscoveredFeed], pick: int) -> DiscoveredFeed:
    if not 1 <= pick <= len(feeds):
        found = f"{counted(len(feeds), 'feed')} {agreeing(len(feeds), 'was', 'were')} found"
        raise PickError(f"--pick {pick}: only {found}")
    return feeds[pick - 1]


def _add(store: Store, chosen: DiscoveredFeed, folder: tuple[str, ...], icon: str | None) -> Feed:
    existing = store.feed_by_url(chosen.url)
    if existing is not None:
        raise AlreadySubscribedError(
            f"already subscribed to {chosen.url} (feed {existing.id}, {existing.display_title})"
        )
    folder_id = store.ensure_folder_path(folder) if folder else None
    # The page's name for the feed (its <link title>, "Harbor Times - All news") stands only
    # until the first sync writes the feed's own ("Harbor Times"), as when subscribing by the
    # feed's own address: both front ends, whichever address they subscribe by, name a feed
    # alike, and the feed's later renames show. A title given to add_feed is the user's
    # (kept over the feed's for good); renaming to None keeps the text but lets the feed's
    # own title replace it.
    feed = store.add_feed(chosen.url, title=chosen.title, folder_id=folder_id)
    if chosen.title:
        feed = store.rename_feed(feed.id, None)
    if icon and not feed.icon_url:
        store.set_feed_icon(feed.id, icon)
    return feed
