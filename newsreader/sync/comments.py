"""Comment feeds (wfw:commentRss, Atom rel="replies"): the site's discussion of an entry,
stored as site comments beside (never over) the user's own.

When a feed changes, the engine refreshes the comment feeds of its new and changed entries and
of its entries from the last week, a bounded number per feed; `fetch_comments` does it on
demand for any one entry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import timedelta

import httpx

from newsreader.errors import NewsreaderError, NotFoundError
from newsreader.model import Entry
from newsreader.parse import parse_feed
from newsreader.sync.fetch import FetchLimits, Politeness, fetch
from newsreader.sync.writer import StoreWriter

log = logging.getLogger(__name__)

MAX_COMMENT_FEEDS = 10  # comment feeds refreshed per feed and sync
RECENT_COMMENTS = timedelta(days=7)  # entries this recent keep their comments fresh


@dataclass
class CommentFetcher:
    client: httpx.AsyncClient
    politeness: Politeness
    limits: FetchLimits
    writer: StoreWriter
    parse_pool: Executor | None = None

    async def refresh(self, entry: Entry) -> int:
        """Fetches the entry's comment feed and stores it; returns comments added or changed.
        Raises FetchError/ParseError; NotFoundError when the entry names no comment feed."""
        if not entry.comments_feed:
            raise NotFoundError(f"entry {entry.id} has no comment feed")
        result = await fetch(
            self.client, entry.comments_feed, politeness=self.politeness, limits=self.limits
        )
        loop = asyncio.get_running_loop()
        parsed = await loop.run_in_executor(
            self.parse_pool, parse_feed, result.body, result.url, result.headers
        )
        entry_id = entry.id
        return await self.writer.call(
            lambda store: store.replace_site_comments(entry_id, parsed.entries)
        )

    async def refresh_recent(self, entries: Sequence[Entry]) -> int:
        """Refreshes the comment feeds of these entries (at most MAX_COMMENT_FEEDS);
        a failing comment feed is logged and skipped. Returns comments added or changed."""
        with_feeds = [e for e in entries if e.comments_feed][:MAX_COMMENT_FEEDS]
        counts = await asyncio.gather(*(self._refresh_quietly(e) for e in with_feeds))
        return sum(counts)

    async def _refresh_quietly(self, entry: Entry) -> int:
        try:
            return await self.refresh(entry)
        except NewsreaderError as error:
            log.info("comments of entry %s not fetched: %s", entry.id, error)
            return 0
