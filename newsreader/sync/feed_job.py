"""One feed's parse, decision and write as one job of the parse process (the window's sync).

In the window the sync's loop runs on the GUI thread, and every bit of Python another thread
of that process runs makes Qt's calls into Python (one per painted cell) wait for the GIL.
The store write of a feed (entry decisions, rules, index text, language, story queue) is such
Python. So when the sync serves a window (`SyncOptions.responsive`) and the parse process is
up, the engine sends a feed's new body here, and the process parses it, decides what it means
(`decide.decide_feed`) and writes it (`Store.apply_feed_intent`) on its own connection to the
store (`parsers.store_here`), queueing the follow-up jobs in the same transaction; the window's
process only fetches and tells what was written. These are the very functions the engine calls
in its own process otherwise (the command line, where parsing in the process and writing in
the writer thread use two cores at once).

    done = await parsers.parse_in_process(pool, turn, partial(write_feed_here, job))

A body that does not parse comes back as its `Failed` (the engine records it as it records
any failure); any other failure (the store's: disk full, locked, or a bug) as None, and the
engine does the feed again the usual way, where the store's errors are raised with their own
types (they do not all survive the trip between processes).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from newsreader.errors import NewsreaderError
from newsreader.model import Feed, ParsedFeed
from newsreader.parse import parse_feed
from newsreader.paths import DataPaths
from newsreader.settings import Settings
from newsreader.store import FeedIntent, FeedWriteResult, NewContent, detect_languages
from newsreader.sync import parsers
from newsreader.sync.decide import Answered, Failed, decide_feed
from newsreader.sync.followup import JobPlan, queue_jobs

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedJob:
    """What the parse process needs to parse, decide and write one feed (picklable): the
    feed as stored before this fetch, the server's answer with a new body, the fetch time
    (aware UTC), the settings, the parser's size limit (bytes), the plans of the sync's
    follow-up work, and the store's data folder."""

    feed: Feed
    answer: Answered
    now: datetime
    settings: Settings
    max_bytes: int
    plans: tuple[JobPlan, ...]
    paths: DataPaths


@dataclass(frozen=True, slots=True)
class FeedDone:
    """A feed written: what the store wrote, the parsed feed's title (for the feed's report),
    and the URL the feed moved to after a permanent redirect (None if it did not move)."""

    written: FeedWriteResult
    title: str | None
    moved_to: str | None

    @classmethod
    def of(cls, intent: FeedIntent, written: FeedWriteResult) -> FeedDone:
        """What writing `intent` (a `NewContent`) wrote."""
        change = intent.change
        if not isinstance(change, NewContent):
            raise ValueError(f"feed {intent.feed_id} got no new content")
        return cls(written, change.parsed.title, change.fetch.final_url)


def parse_here(
    body: bytes, url: str, headers: Mapping[str, str], max_bytes: int
) -> tuple[ParsedFeed, dict[str, str | None]]:
    """The command line's job in the parse process: the body parsed (`parse_feed`'s errors
    raised as it raises them) and each entry's language detected
    (`ingest.detect_languages`), the part of the write that costs most Python; the writer
    thread, which shares the GIL with the event loop, then only writes."""
    parsed = parse_feed(body, url, headers, max_bytes=max_bytes)
    return parsed, detect_languages(parsed)


def write_feed_here(job: FeedJob) -> FeedDone | Failed | None:
    """Parses, decides and writes `job`'s feed in this process (see the module); the body's
    own failure (ParseError, a hostile document) as `Failed`, any other failure as None."""
    try:
        result = job.answer.result
        parsed = parse_feed(result.body, result.url, result.headers, max_bytes=job.max_bytes)
    except NewsreaderError as error:
        return Failed.of(error)
    except Exception:  # a bug in the parser: the engine parses again and reports it
        log.warning("parsing %s failed in the parse process", job.feed.url, exc_info=True)
        return None
    try:
        intent = decide_feed(job.feed, job.answer, parsed, job.now, job.settings)
        store = parsers.store_here(job.paths)
        plan = partial(queue_jobs, job.plans, store, job.feed, parsed)
        written = store.apply_feed_intent(intent, plan)
    except Exception:  # told to the caller as None, see the module
        log.warning("writing %s failed in the parse process", job.feed.url, exc_info=True)
        parsers.forget_store(job.paths)
        return None
    return FeedDone.of(intent, written)
