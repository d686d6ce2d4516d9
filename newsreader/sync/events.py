"""What a sync tells its subscribers: plain records delivered on the event loop.

The command line draws a progress bar from them and the window refreshes the feeds they name,
so neither has to poll the store while a sync runs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum


class FeedOutcome(StrEnum):
    UPDATED = "updated"  # fetched and parsed; new or changed entries were written
    UNCHANGED = "unchanged"  # fetched (or 304, or same body) but nothing new
    FAILED = "failed"  # a network, HTTP or parse error, recorded on the feed
    DISABLED = "disabled"  # 410 Gone: the feed was disabled with a note


@dataclass(frozen=True, slots=True)
class SyncStarted:
    total: int  # feeds this sync will check


@dataclass(frozen=True, slots=True)
class FeedSynced:
    """One feed is finished (fully written, or its failure recorded)."""

    feed_id: int
    url: str
    title: str | None
    outcome: FeedOutcome
    done: int  # feeds finished so far, this one included
    total: int
    new_entries: int = 0
    updated_entries: int = 0
    error: str | None = None
    notify_entry_ids: tuple[int, ...] = ()  # new entries a rule asked to tell the user about
    rule_problems: tuple[str, ...] = ()  # "rule NAME: reason" for each rule that failed


@dataclass(frozen=True, slots=True)
class Failure:
    feed_id: int
    url: str
    reason: str
    network: bool  # no answer from the server at all (offline, DNS, refused, timeout, TLS)


@dataclass(frozen=True, slots=True)
class SyncSummary:
    checked: int = 0
    unchanged: int = 0
    updated: int = 0
    new_entries: int = 0
    disabled: int = 0
    failures: tuple[Failure, ...] = ()
    images_cached: int = 0
    comments_fetched: int = 0
    # Follow-up work (icons, comment feeds, images) not reached within the budget, and jobs
    # that found no network answer: both stay queued for the next sync.
    follow_ups_left: int = 0
    follow_ups_retrying: int = 0
    follow_up_hosts_retrying: tuple[str, ...] = ()  # their hosts, most jobs first
    follow_up_budget: float | None = None  # seconds; None: unbounded
    # the stage ended this many seconds after its last job finished (the hosts of those left
    # had not answered), before its budget was spent; None: it did not end so
    follow_up_quiet_end: float | None = None
    cancelled: bool = False
    rule_problems: tuple[str, ...] = ()  # each failing rule once: "rule NAME: reason"

    @property
    def nothing_fetched(self) -> bool:
        """Every feed failed for lack of a network answer."""
        return (
            self.checked > 0
            and all(f.network for f in self.failures)
            and (len(self.failures) == self.checked)
        )

    @property
    def unreached_hosts(self) -> frozenset[str]:
        """The host names of the feeds that failed for lack of a network answer (an address
        with no host name left out)."""
        from newsreader.urls import host

        return frozenset(name for f in self.failures if f.network and (name := host(f.url)))

    @property
    def probably_offline(self) -> bool:
        """Nothing fetched, from two hosts or more (`offline_judged`)."""
        return self.nothing_fetched and offline_judged(self.unreached_hosts)


def offline_judged(unreached: Collection[str]) -> bool:
    """Whether hosts that all went unanswered say the machine is probably offline: two or
    more do. A single host that does not answer is that host (a site down, a name that does
    not resolve), not the machine: a newcomer's one dead feed made the window, and the
    command line, say it was offline."""
    return len(unreached) >= 2


@dataclass(frozen=True, slots=True)
class StoriesMatched:
    """Once every feed is written, their new and changed articles are put into stories, a
    batch at a time (`sync.stories`): `done` of the `total` waiting when matching began
    (seconds of work after a large first sync)."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class FollowUpStarted:
    """Every feed is done; the follow-up work (icons, comment feeds, images) begins. A front
    end can show the feeds' results now: what follows only adds to them."""


@dataclass(frozen=True, slots=True)
class SyncFinished:
    summary: SyncSummary


SyncEvent = SyncStarted | FeedSynced | StoriesMatched | FollowUpStarted | SyncFinished
Subscriber = Callable[[SyncEvent], None]
