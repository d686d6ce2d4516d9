"""The offline image cache: files named by the sha256 of their bytes under `DataPaths.images`
(`ab/cd/<sha256>.<ext>`), mapped from their original URLs by the store.

Content addressing means one picture used by many entries (or under many URLs) is kept once,
and a file, once written, never changes. Only `image/*` responses are kept, each below
`Settings.max_image_bytes`; the whole cache stays below `Settings.image_cache_mb` by evicting
the least recently used images, except those of starred or commented entries.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from newsreader import urls
from newsreader.errors import NewsreaderError, StoreError
from newsreader.model import Feed, ParsedFeed
from newsreader.settings import Settings
from newsreader.store import FeedWriteResult, FollowUp, ImageRecord, NewFollowUp, Store
from newsreader.sync import origins
from newsreader.sync.fetch import FetchLimits, Politeness, fetch_image, make_client
from newsreader.sync.followup import PRIORITY_ICON, PRIORITY_IMAGE, JobPlan
from newsreader.sync.writer import StoreWriter

log = logging.getLogger(__name__)

ICON = "icon"  # follow-up job kinds
IMAGE = "image"
IMAGE_TIMEOUT_SECONDS = 30.0
REMOTE_IMAGE_TIMEOUT_SECONDS = 20.0  # someone is looking at the article and waits for it
RECORD_BATCH = 32  # downloaded images recorded per writer call
_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/pjpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/svg+xml": "svg",
    "image/x-icon": "ico",
    "image/vnd.microsoft.icon": "ico",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
}


def extension_for(content_type: str) -> str:
    return _EXTENSIONS.get(content_type, "img")


def relative_path(sha256: str, content_type: str) -> str:
    """Where an image lives inside the cache folder (what the store records)."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension_for(content_type)}"


def cacheable(url: str) -> bool:
    return origins.scheme(url) in urls.WEB_SCHEMES


@dataclass
class ImageCache:
    """Downloads images into the cache and keeps it under its size cap."""

    root: Path
    client: httpx.AsyncClient
    politeness: Politeness
    writer: StoreWriter
    settings: Settings
    _unrecorded: list[ImageRecord] = field(default_factory=list)
    # each URL's download in this sync: an image asked for again (a feed's image job and the
    # full article showing the same picture) waits for the first, never fetched twice
    _adding: dict[str, asyncio.Task[bool]] = field(default_factory=dict)

    async def add(self, url: str) -> bool:
        """Caches the image at `url` (queued because it was not cached); returns whether a
        file was added (False also when this cache fetched it already, or is fetching it
        for another caller, in this sync). Raises FetchError (not an image, too large,
        network) or StoreError to the first caller only."""
        running = self._adding.get(url)
        if running is not None:
            await asyncio.wait([running])
            return False
        task = asyncio.ensure_future(self._add(url))
        self._adding[url] = task
        return await task

    async def _add(self, url: str) -> bool:
        limits = FetchLimits(
            max_bytes=self.settings.max_image_bytes, total_timeout=IMAGE_TIMEOUT_SECONDS
        )
        result = await fetch_image(self.client, url, politeness=self.politeness, limits=limits)
        if not result.body:
            return False
        # Hashing and writing a large image are kept off the event loop.
        try:
            sha256, path = await asyncio.to_thread(
                _store_file, self.root, result.body, result.content_type
            )
        except OSError as error:
            raise StoreError(f"image {url} not cached: {error}") from error
        record = ImageRecord(url, sha256, path, len(result.body), result.content_type)
        self._unrecorded.append(record)
        if len(self._unrecorded) >= RECORD_BATCH:
            await self.flush()
        return True

    async def flush(self) -> None:
        """Records the files added since the last flush, in one writer call. The engine
        flushes when its follow-up stage ends (also when cancelled); a kill before that
        leaves files the store does not name, fetched again and found in place next time."""
        batch, self._unrecorded = self._unrecorded, []
        if batch:
            await self.writer.call(lambda store: store.record_cached_images(batch))

    async def evict(self) -> int:
        """Removes least recently used images until the cache fits its cap; returns how many
        files went. A file other URLs still map to stays (the store says which may go)."""
        cap = self.settings.image_cache_mb * 1024 * 1024
        size = await self.writer.call(lambda store: store.image_cache_size())
        if size <= cap:
            return 0
        victims = await self.writer.call(lambda store: store.evictable_images(size - cap))
        if not victims:
            return 0
        urls = [v.url for v in victims]
        # The index goes first: a crash in between leaves stray files, never dangling rows.
        unused = await self.writer.call(lambda store: store.forget_cached_images(urls))
        await asyncio.to_thread(_remove_files, [self.root / path for path in unused])
        return len(unused)


@dataclass(frozen=True, slots=True)
class ImageWork:
    """Follow-up work: the images new entries show, and a feed's icon on its first fetch
    (or when it has none yet)."""

    cache: ImageCache

    @property
    def kinds(self) -> Mapping[str, int]:
        return {ICON: PRIORITY_ICON, IMAGE: PRIORITY_IMAGE}

    @property
    def plan(self) -> JobPlan:
        return image_jobs

    async def run(self, job: FollowUp) -> int:
        return int(await self.cache.add(job.url))


def image_jobs(
    store: Store, feed: Feed, parsed: ParsedFeed, written: FeedWriteResult
) -> list[NewFollowUp]:
    """`ImageWork`'s plan: one job per image URL the new entries show (entries often share
    one) not cached yet, and the feed's icon on its first fetch or while it has none."""
    shown = list(dict.fromkeys(url for _, url in written.new_images))
    jobs = [
        NewFollowUp(IMAGE, url, None, feed.id, PRIORITY_IMAGE)
        for url in store.uncached_images([url for url in shown if cacheable(url)])
    ]
    icon = feed.icon_url or parsed.image
    if icon and cacheable(icon) and (feed.last_fetched is None or feed.icon_url is None):
        jobs.append(NewFollowUp(ICON, icon, None, feed.id, PRIORITY_ICON))
    return jobs


async def fetch_remote_image(url: str, settings: Settings) -> bytes | None:
    """An image for the reader, fetched as the cache fetches (an `image/*` type, below
    `Settings.max_image_bytes`, http(s) only, redirects checked), or None when it cannot be
    had. The client is built in a thread: loading the CA bundle would stall the caller's loop."""
    limits = FetchLimits(
        max_bytes=settings.max_image_bytes, total_timeout=REMOTE_IMAGE_TIMEOUT_SECONDS
    )
    client = await asyncio.to_thread(make_client, settings, limits=limits)
    async with client:
        try:
            result = await fetch_image(
                client, url, politeness=Politeness.from_settings(settings), limits=limits
            )
        except NewsreaderError as error:
            log.info("image %s not shown: %s", url, error)
            return None
    return result.body or None


def _store_file(root: Path, data: bytes, content_type: str) -> tuple[str, str]:
    """Writes `data` under its content address; returns its sha256 and relative path. Same
    name, same bytes: an existing file is already right."""
    sha256 = hashlib.sha256(data).hexdigest()
    relative = relative_path(sha256, content_type)
    path = root / relative
    if path.is_file():
        return sha256, relative
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    Path(name).replace(path)
    return sha256, relative


def _remove_files(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
