"""Fetching full articles on request (`newsreader fetch-article`, the window's *Load full
article*): the named entries' pages, fetched now whether or not they were tried before, and
the article's images put into the offline image cache (when caching images is on)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from newsreader.errors import NetworkError
from newsreader.model import FullText
from newsreader.paths import DataPaths
from newsreader.sync.engine import SyncOptions, session
from newsreader.sync.fetch import FetchLimits
from newsreader.sync.fulltext import PAGE_LIMITS, ArticleFetcher, cache_article_images
from newsreader.sync.images import ImageCache
from newsreader.sync.writer import StoreWriter


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """One requested entry: what is stored now (`full_text`), or why nothing was tried
    (`error`: no such entry, no web page)."""

    entry_id: int
    full_text: FullText | None = None
    error: str | None = None


async def fetch_articles(
    paths: DataPaths,
    entry_ids: Sequence[int],
    options: SyncOptions | None = None,
    *,
    limits: FetchLimits = PAGE_LIMITS,
) -> list[ArticleResult]:
    """Fetches, extracts and stores the full article of each entry now, concurrently within
    the sync's politeness, and caches the images of those found (`Settings.cache_images`);
    results in the order asked. A failed fetch is a result (its status and reason stored,
    an article fetched before kept), never an exception."""
    options = options or SyncOptions()
    writer = StoreWriter(paths)
    try:
        settings = await writer.call(lambda store: store.load_settings())
        found = await writer.call(lambda store: store.entries_by_ids(list(entry_ids)))
        entries = {entry.id: entry for entry in found}
        async with session(settings, options) as net:
            images = ImageCache(paths.images, net.client, net.politeness, writer, settings)
            fetcher = ArticleFetcher(
                net.client,
                net.politeness,
                writer,
                net.parse_pool,
                options.parse_processes,
                options.responsive,
                limits,
            )

            async def one(entry_id: int) -> ArticleResult:
                entry = entries.get(entry_id)
                if entry is None:
                    return ArticleResult(entry_id, error=f"no entry with id {entry_id}")
                if not entry.link or not entry.link.lower().startswith(("http:", "https:")):
                    return ArticleResult(entry_id, error=f"entry {entry_id} has no web page")
                stored: FullText | None
                try:
                    stored = await fetcher.fetch_article(entry_id, entry.link, options.clock())
                except NetworkError:  # stored as failed already
                    stored = await writer.call(lambda store: store.full_text(entry_id))
                if settings.cache_images and stored is not None and stored.status == "ok":
                    await cache_article_images(images, entry_id)
                return ArticleResult(entry_id, full_text=stored)

            try:
                return list(await asyncio.gather(*(one(entry_id) for entry_id in entry_ids)))
            finally:
                await asyncio.shield(images.flush())
    finally:
        await writer.close()
