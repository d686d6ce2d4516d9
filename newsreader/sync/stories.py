"""Matching what a sync wrote to stories, once its feeds are written.

Ingest queues each new or changed entry; matching them afterwards, oldest first across all
feeds, lets the articles be read at once and costs about half as much as matching each feed's
entries inside its own write (the story window is read once and grows by appending). See
`Store.match_queued_stories` and docs/stories.md.
"""

from __future__ import annotations

from newsreader.sync.writer import StoreWriter


async def match_queued_stories(writer: StoreWriter) -> int:
    """Empties the story queue a batch per writer call (a user's mark or star waits one batch
    at most); returns how many entries were matched. A cancelled caller leaves the rest
    queued for the next sync."""
    total = 0
    while matched := await writer.call(lambda store: store.match_queued_stories()):
        total += matched
    return total
