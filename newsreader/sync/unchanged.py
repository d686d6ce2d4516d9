"""Fetches that bring nothing new: a 304, or a 200 whose body is byte-identical to the last
body parsed for the feed (NetNewsWire's "avoid feed parsing": many servers send no validators,
or change their ETag on every request, yet serve the same bytes). Neither costs a parse or an
entry write; the feed's fetch time, next due time and whatever came with the answer (a new
ETag or Last-Modified, a Cache-Control max-age, the body's hash) are recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timedelta

from newsreader.model import Feed
from newsreader.settings import Settings
from newsreader.sync import schedule
from newsreader.sync.fetch import FetchResult
from newsreader.sync.writer import StoreWriter

INLINE_HASH_BYTES = 256 * 1024
"""Bodies up to this size are hashed on the event loop (well under a millisecond); larger ones
in a thread, so a 20 MB feed does not stall the loop for tens of milliseconds."""


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


async def digest(result: FetchResult) -> str | None:
    """The sha256 of a 200's body; None for a 304 (it has none)."""
    if result.not_modified:
        return None
    if len(result.body) <= INLINE_HASH_BYTES:
        return body_sha256(result.body)
    return await asyncio.to_thread(body_sha256, result.body)


def is_unchanged(feed: Feed, result: FetchResult, sha256: str | None) -> bool:
    """A 304, or the very bytes parsed last time."""
    return result.not_modified or (sha256 is not None and sha256 == feed.body_sha256)


async def record_unchanged(
    writer: StoreWriter,
    feed: Feed,
    settings: Settings,
    now: datetime,
    result: FetchResult,
    sha256: str | None,
) -> None:
    """Records an unchanged fetch. The document (with its ttl) is the one stored, so the
    stored hint still holds; a max-age that came with this answer may lengthen it (the next
    changed body sets it afresh from the document and its response)."""
    stored = feed.update_hint_minutes
    hint = schedule.update_hint(timedelta(minutes=stored) if stored else None, result.headers)
    due = schedule.next_due_after_success(feed, settings, now, hint)
    await writer.call(
        lambda store: store.record_not_modified(
            feed.id,
            now,
            due,
            etag=result.headers.get("etag"),
            last_modified=result.headers.get("last-modified"),
            update_hint_minutes=hint,
            body_sha256=sha256,
        )
    )
