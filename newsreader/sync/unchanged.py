"""The hash that tells a body parsed before: a 200 whose body is byte-identical to the last
body parsed for the feed costs no parse and no entry write (NetNewsWire's "avoid feed
parsing": many servers send no validators, or change their ETag on every request, yet serve
the same bytes). `decide.needs_parse` compares it; `decide.decide_feed` says what is recorded.
"""

from __future__ import annotations

import asyncio
import hashlib

from newsreader.sync.fetch import FetchResult

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
