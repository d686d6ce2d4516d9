"""Matching what a sync wrote to stories, once its feeds are written.

Ingest queues each new or changed entry; matching them afterwards, oldest first across all
feeds, lets the articles be read at once and costs about half as much as matching each feed's
entries inside its own write (the story window is read once and grows by appending). See
`Store.match_queued_stories` and docs/stories.md.

When the parse process is up (`sync.parsers`: it is idle once the feeds are parsed), the
batches are matched there, on that process's own connection to the store: matching is pure
Python (word stems, vectors, the in-memory window) and in the window's process it held the
GIL for seconds after a large sync, stalling the paint of the lists. Otherwise, or should the
process fail, the sync's store writer matches them. Either way each batch is one write
transaction and leaves the queue only when it commits, so a process stopped halfway loses
nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial

from newsreader.paths import DataPaths
from newsreader.sync import parsers
from newsreader.sync.writer import StoreWriter

log = logging.getLogger(__name__)

MATCH_BUDGET = 120.0
"""Seconds one batch may take in the parse process before the process is stopped and the
writer matches the batch (a batch takes ~0.1-0.3 s on the sync benchmark)."""


async def match_queued_stories(
    writer: StoreWriter,
    *,
    in_process: bool = False,
    turn: asyncio.Lock | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Empties the story queue a batch at a time (a user's mark or star waits one batch at
    most); returns how many entries were matched. With `in_process` the batches go to the
    parse process when it is up, taking `turn` (the sync's lock on the process) for each.
    `progress(done, total)` is called after each batch (`total`: queued when it began, or
    `done` if more arrived since). A cancelled caller leaves the rest queued for the next
    sync."""
    turn = turn or asyncio.Lock()
    total = await writer.call(lambda store: store.story_queue_size()) if progress else 0
    done = 0
    while matched := await _match_batch(writer, in_process, turn):
        done += matched
        if progress is not None:
            progress(done, max(total, done))
    return done


async def _match_batch(writer: StoreWriter, in_process: bool, turn: asyncio.Lock) -> int:
    pool = parsers.processes.ready() if in_process else None
    if pool is not None:
        job = partial(match_batch_here, writer.paths)
        try:
            ran = await parsers.run_in_process(
                pool, turn, job, work="matching stories", budget=MATCH_BUDGET
            )
        except Exception:  # the writer matches the batch and reports its error
            log.warning("matching stories in the parse process failed", exc_info=True)
        else:
            if ran is not None and ran.value is not None:
                return ran.value
    return await writer.call(lambda store: store.match_queued_stories())


def match_batch_here(paths: DataPaths) -> int | None:
    """Matches one batch of the store's queue on this process's own connection
    (`parsers.store_here`); returns how many entries, or None when it failed (the caller's
    writer then matches the batch and reports any error in its own terms: the store's errors
    do not all survive the trip between processes)."""
    try:
        return parsers.store_here(paths).match_queued_stories()
    except Exception:  # told to the caller as None, see above
        log.warning("matching stories failed in the parse process", exc_info=True)
        parsers.forget_store(paths)
        return None
