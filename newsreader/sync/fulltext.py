"""Fetching entries' article pages and storing their full text (docs/fulltext.md).

`ArticleFetcher.fetch_article(entry_id, url)` fetches the page with the sync's client and
limits (per-host politeness, size, total time, redirects checked), extracts the article in
the parse process, and stores the outcome in one
transaction (`Store.record_full_text`). Every outcome is stored, so a page is never fetched
twice unless the user asks:

- ok: the article;
- no-article: the page holds none (a front page, too little text, not HTML, invalid);
- paywalled: the server wants a login or payment (401, 402, 403), the page says it is not
  free (`isAccessibleForFree: false`) and shows no article or only a preview, it shows a
  cookie or consent notice instead of the article, or it redirects to a sign-in,
  subscription or consent page on another host;
- failed: why the page could not be fetched (network, HTTP status, over the size limit, too
  slow, a redirect loop).

The feed's own text is never touched. Only network failures raise (`NetworkError`), after the
failure is stored, so the follow-up stage may try once more in a later sync.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

import httpx

from newsreader import urls
from newsreader.errors import (
    ArticleWalledError,
    BodyTooLargeError,
    FetchError,
    HTTPStatusError,
    NetworkError,
    NewsreaderError,
    NoArticleError,
    ParseError,
    UnexpectedContentTypeError,
)
from newsreader.model import Feed, FullText, FullTextStatus, ParsedFeed
from newsreader.store import FeedWriteResult, FollowUp, NewFollowUp, Store
from newsreader.sync import parsers
from newsreader.sync.fetch import (
    ACCEPT_HTML,
    FetchLimits,
    Politeness,
    fetch,
)
from newsreader.sync.followup import PRIORITY_PAGE, JobPlan, LocalWork
from newsreader.sync.images import ImageCache, cacheable
from newsreader.sync.teaser import wants_full_text
from newsreader.sync.writer import StoreWriter

log = logging.getLogger(__name__)

PAGE = "page"  # the follow-up job kind: an entry's article page

PAGE_LIMITS = FetchLimits(total_timeout=30.0, max_bytes=5 * 1024 * 1024)
"""An article page: 5 MB (the largest news pages are ~3 MB of HTML) and 30 s in all."""
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_PAYWALL_STATUS = {401, 402, 403}
_SIGN_IN = re.compile(
    r"log-?in|sign-?in|signon|subscri|paywall|consent|account|auth|register", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one page gave, before it is stored."""

    status: FullTextStatus
    reason: str | None = None
    content: str | None = None
    text: str | None = None


@dataclass
class ArticleFetcher:
    """Fetches article pages with a sync's client and politeness. Extraction runs in the
    parse process when it is up (`use_process`), else in `thread_pool`; with `process_only`
    (a window's loop: `SyncOptions.responsive`) never in the thread while the process can
    start: it is started and waited for."""

    client: httpx.AsyncClient
    politeness: Politeness
    writer: StoreWriter
    thread_pool: Executor | None = None
    use_process: bool = True
    process_only: bool = False
    limits: FetchLimits = PAGE_LIMITS
    local: LocalWork = field(default_factory=LocalWork)
    """Extraction in progress, told to the follow-up stage (its idle end waits for it)."""
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held while the parse process works for this sync (shared with its feeds' parses), so
    the parse budget counts a page's own time."""
    _process_start: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    def expect_pages(self) -> None:
        """Called as soon as a feed's write queued pages (`page_jobs`), while the other feeds
        are fetched: the parse process starts now when extraction needs it, not when the first
        page arrives (a few feeds start none of their own); else the thread that extracts
        until the process is up imports trafilatura now (~0.5 s, far more on a loaded
        machine), so the first page does not spend the follow-up budget importing it."""
        if self.use_process and self.process_only:
            parsers.processes.start_in_background()
        else:
            warm_extractor_in_background()

    async def fetch_article(self, entry_id: int, url: str, now: datetime) -> FullText:
        """Fetches, extracts and stores the article of entry `entry_id` from `url`; returns
        what is stored. Raises NetworkError (after storing the failure) when no server
        answered, so that a later sync may try again."""
        network: NetworkError | None = None
        try:
            outcome = await self._outcome(url)
        except NetworkError as error:
            network = error
            outcome = Outcome("failed", str(error))
        stored = await self.writer.call(
            lambda store: store.record_full_text(
                entry_id,
                outcome.status,
                now,
                reason=outcome.reason,
                content=outcome.content,
                text=outcome.text,
            )
        )
        if network is not None:
            raise network
        return stored

    async def _outcome(self, url: str) -> Outcome:
        """The page's outcome; raises NetworkError only (every other failure is an
        outcome)."""
        try:
            page = await fetch(
                self.client,
                url,
                politeness=self.politeness,
                limits=self.limits,
                accept=ACCEPT_HTML,
                accept_types=PAGE_TYPES,
            )
        except HTTPStatusError as error:
            if error.status in _PAYWALL_STATUS:
                return Outcome("paywalled", f"the site refused the page (HTTP {error.status})")
            return Outcome("failed", str(error))
        except BodyTooLargeError as error:
            return Outcome("failed", f"the page is too large: {error}")
        except NetworkError:
            raise
        except UnexpectedContentTypeError as error:
            return Outcome("no-article", str(error))  # not a web page: no article in it
        except FetchError as error:
            return Outcome("failed", str(error))
        walled = _sign_in_redirect(url, page.url)
        if walled is not None:
            return Outcome("paywalled", walled)
        try:
            async with self.local.running_now():
                content, text, wall = await self._extract(page.body, page.url, dict(page.headers))
        except ArticleWalledError as error:
            return Outcome("paywalled", str(error))
        except NoArticleError as error:
            return Outcome("no-article", str(error))
        except ParseError as error:  # extraction ran past its budget
            return Outcome("failed", str(error))
        if wall is not None:  # a subscribers' preview: the feed's text is as good
            return Outcome("paywalled", wall)
        return Outcome("ok", None, content, text)

    async def _extract(
        self, data: bytes, url: str, headers: dict[str, str]
    ) -> tuple[str | None, str, str | None]:
        """Extraction in the parse process, under the parse budget. With `process_only` the
        process is started now if it is not up (a window syncing a few feeds, or loading one
        article, has none yet) and a thread extracts only when it cannot start: trafilatura
        holds the GIL for tens to hundreds of milliseconds per page, which in a thread stalls
        the event loop, and the window with it. Otherwise a thread extracts until the process
        is up (the command line: no window to keep responsive)."""
        job = partial(extract, data, url, headers)
        if self.use_process:
            pool = parsers.processes.ready()
            if pool is None and self.process_only:
                async with self._process_start:  # one task waits for a start, not one per page
                    pool = await parsers.started_process()
            if pool is not None:
                try:
                    ran = await parsers.run_in_process(
                        pool, self.turn, job, work=f"extracting {url}"
                    )
                except NoArticleError:
                    raise
                except ParseError:  # past the budget: the process was stopped
                    raise ParseError(
                        f"extracting the article took longer than {parsers.PARSE_BUDGET:g} s "
                        "and was stopped"
                    ) from None
                if ran is not None:
                    return ran.value
        return await asyncio.get_running_loop().run_in_executor(self.thread_pool, job)


_warming = threading.Lock()
_warmed = False


def warm_extractor_in_background() -> None:
    """Imports the extractor (trafilatura) in a daemon thread, once per program."""
    global _warmed
    with _warming:
        if _warmed:
            return
        _warmed = True
    threading.Thread(
        target=importlib.import_module,
        args=("newsreader.parse.extract",),
        name="newsreader-extractor-import",
        daemon=True,
    ).start()


def extract(
    data: bytes, url: str, headers: Mapping[str, str]
) -> tuple[str | None, str, str | None]:
    """(content, text, wall) of the page's article (`ExtractedArticle`); runs in the parse
    process (picklable, small result). Raises NoArticleError (ArticleWalledError)."""
    from newsreader.parse.extract import extract_article  # trafilatura: only where it runs

    article = extract_article(data, url, headers)
    return article.content, article.text, article.wall


def _sign_in_redirect(asked: str, final: str) -> str | None:
    """Why a redirect to another host is a wall (a sign-in, subscription or consent page),
    or None."""
    asked_host = urls.host(asked) or ""
    final_parts = urls.split(final)
    if final_parts is None:
        return None
    final_host = final_parts.hostname or ""
    if final_host == asked_host or final_host.endswith("." + asked_host):
        return None
    if _SIGN_IN.search(final_host) or _SIGN_IN.search(final_parts.path):
        return f"the page redirects to a sign-in or subscription page on {final_host}"
    return None


@dataclass(frozen=True, slots=True)
class ArticleWork:
    """Follow-up work: the pages of new entries the feed's Full article setting asks for
    (`teaser.wants_full_text`), fetched after the feeds under the sync's budget. Each new
    entry is queued once; whatever its page gives is stored, so it is not fetched again
    (only a network failure is retried, by the stage, in a later sync). The article's
    images go into the offline image cache (`images`, when caching images is on)."""

    fetcher: ArticleFetcher
    clock: Callable[[], datetime]
    images: ImageCache | None = None

    @property
    def kinds(self) -> Mapping[str, int]:
        return {PAGE: PRIORITY_PAGE}

    @property
    def plan(self) -> JobPlan:
        return page_jobs

    async def run(self, job: FollowUp) -> int:
        if job.entry_id is None:
            return 0
        entry_id = job.entry_id
        stored = await self.fetcher.writer.call(lambda store: store.full_text(entry_id))
        # Stored already when an earlier sync's budget ended while the article's images were
        # cached (the job stayed queued): the page is not fetched twice. A network failure
        # ("failed", the job retried by the stage) is tried again.
        if stored is None or stored.status == "failed":
            stored = await self.fetcher.fetch_article(entry_id, job.url, self.clock())
        if stored.status != "ok":
            return 0
        if self.images is not None:
            await self._cache_images(job.entry_id)
        return 1

    async def _cache_images(self, entry_id: int) -> None:
        if self.images is not None:
            await cache_article_images(self.images, entry_id)


async def cache_article_images(images: ImageCache, entry_id: int) -> int:
    """Caches the images the entry's full article shows that the cache lacks (the feed's own
    are queued as image jobs already; shared ones are fetched once), with the image cache's
    limits, politeness and records, as the image jobs do; returns how many files were
    added. An image that cannot be had is left out (the article stays)."""
    shown = await images.writer.call(lambda store: store.entry_image_urls([entry_id]))
    wanted = [url for url in shown.get(entry_id, []) if cacheable(url)]
    if not wanted:
        return 0
    missing = await images.writer.call(lambda store: store.uncached_images(wanted))

    async def one(url: str) -> bool:
        try:
            return await images.add(url)
        except NewsreaderError as error:  # the article stays; its image is not kept
            log.info("image %s of a full article not cached: %s", url, error)
            return False

    return sum(await asyncio.gather(*(one(url) for url in missing)))


def page_jobs(
    store: Store, feed: Feed, parsed: ParsedFeed, written: FeedWriteResult
) -> list[NewFollowUp]:
    """`ArticleWork`'s plan: the pages of the new entries the feed's Full article setting
    asks for (`teaser.wants_full_text`)."""
    if feed.full_text == "never" or not written.new_entry_ids:
        return []
    by_guid = {entry.id: entry for entry in parsed.entries}
    return [
        NewFollowUp(PAGE, entry.link, entry_id, feed.id, PRIORITY_PAGE)
        for entry_id, guid in written.new_entry_guids
        if (entry := by_guid.get(guid)) is not None
        and entry.link is not None
        and wants_full_text(feed.full_text, entry)
    ]
