"""Comment feeds (wfw:commentRss, Atom rel="replies"): the site's discussion of an entry,
stored as site comments beside (never over) the user's own.

A sync queues an entry's comment feed as follow-up work (`CommentWork`) when the entry is new
and announces comments (or no count), or when its announced count (`slash:comments`,
`thr:total`) changed; `fetch_comments` fetches one entry's comment feed on request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass

import httpx

from newsreader.errors import NotFoundError
from newsreader.model import Entry, Feed, ParsedFeed
from newsreader.parse import parse_feed
from newsreader.store import FeedWriteResult, FollowUp, NewFollowUp, Store
from newsreader.sync import origins
from newsreader.sync.fetch import WEB_SCHEMES, FetchLimits, Politeness, fetch
from newsreader.sync.followup import PRIORITY_COMMENTS, JobPlan
from newsreader.sync.writer import StoreWriter

log = logging.getLogger(__name__)

COMMENTS = "comments"  # the follow-up job kind


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
        return await self.refresh_from(entry.id, entry.comments_feed)

    async def refresh_from(self, entry_id: int, url: str) -> int:
        """Fetches the comment feed at `url` and stores it as entry `entry_id`'s site
        comments; returns comments added or changed. Raises FetchError/ParseError."""
        result = await fetch(self.client, url, politeness=self.politeness, limits=self.limits)
        loop = asyncio.get_running_loop()
        parsed = await loop.run_in_executor(
            self.parse_pool, parse_feed, result.body, result.url, result.headers
        )
        return await self.writer.call(
            lambda store: store.replace_site_comments(entry_id, parsed.entries)
        )


@dataclass(frozen=True, slots=True)
class CommentWork:
    """Follow-up work: the comment feeds a feed's write calls for."""

    fetcher: CommentFetcher

    @property
    def kinds(self) -> Mapping[str, int]:
        return {COMMENTS: PRIORITY_COMMENTS}

    @property
    def plan(self) -> JobPlan:
        return comment_jobs

    async def run(self, job: FollowUp) -> int:
        if job.entry_id is None:
            raise NotFoundError(f"comment feed {job.url} names no entry")
        return await self.fetcher.refresh_from(job.entry_id, job.url)


def comment_jobs(
    store: Store, feed: Feed, parsed: ParsedFeed, written: FeedWriteResult
) -> list[NewFollowUp]:
    """`CommentWork`'s plan: the web comment feeds the write found worth fetching."""
    return [
        NewFollowUp(COMMENTS, url, entry_id, feed.id, PRIORITY_COMMENTS)
        for entry_id, url in written.comment_feeds
        if origins.scheme(url) in WEB_SCHEMES
    ]
