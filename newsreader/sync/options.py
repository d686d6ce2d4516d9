"""What a sync does and how (`SyncOptions`), apart from the engine: the window builds its
options as it opens without loading the engine's network stack (httpx, keyring and the rest
load with the first sync, after the window is drawn)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsreader.sync.lock import DEFAULT_WAIT_SECONDS

if TYPE_CHECKING:
    import ssl

    from newsreader.sync.fetch import FetchLimits, FetchResult
    from newsreader.sync.transport import Lookup

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """What to sync and how. `feeds` names feeds by id or URL; empty means the due ones."""

    feeds: tuple[str, ...] = ()
    all_feeds: bool = False
    lock_wait: float = DEFAULT_WAIT_SECONDS
    verify: ssl.SSLContext | bool = True  # tests pass a context trusting their own CA
    limits: FetchLimits | None = None  # None: defaults with Settings.max_feed_bytes
    clock: Clock = utcnow
    # Feeds are parsed in the parse process (newsreader/sync/parsers.py) once it is up; until
    # then (or always, with parse_processes=False) in this many threads. Parsing holds the
    # GIL: more threads measured no faster.
    parse_workers: int = 1
    parse_processes: bool = True
    # Follow-up work (icons, comment feeds, images) runs after the feeds for at most
    # Settings.follow_up_seconds; the window runs it unbounded (it stays cancellable).
    follow_up_unbounded: bool = False
    # How host names are looked up (None: the system resolver, in daemon threads); the
    # benchmark passes a slow one to play a name server that does not answer.
    lookup: Lookup | None = None
    # The loop serves a window (qasync, on the GUI thread): work that holds the GIL for long
    # never runs in a thread of this process. Article extraction (tens to hundreds of ms per
    # page in trafilatura) then always runs in the parse process, started and waited for.
    # Without it (the command line) a page is extracted in a thread while the process is not
    # up, which is quicker for a few pages than starting one.
    responsive: bool = False
    # Feed documents fetched moments ago, by feed URL (a new subscription's, by its
    # discovery): the sync reads these feeds from here instead of asking their server again.
    fetched: Mapping[str, FetchResult] = field(default_factory=dict)
