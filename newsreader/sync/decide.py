"""What one fetch means for its feed, decided from plain values (no I/O, no clock).

The engine awaits the fetch (and, when the body is new, the parse), hands what came back to
`decide_feed`, and gives the `FeedIntent` to the store, which writes it in one transaction
(`Store.apply_feed_intent`). The split follows lemon24/reader's `_update.py`: a decider that
touches no I/O, tested with plain values, and a pipeline that only applies its intents. The
entries' own decision (new, rewritten, skipped) is `store.decide.decide_entries`, made in the
write's transaction against the stored entries.

    answer = Answered(result, body_sha256)
    if needs_parse(feed, answer):
        parsed = await parse(result)
    intent = decide_feed(feed, answer, parsed, now, settings)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newsreader.errors import HTTPStatusError, NetworkError
from newsreader.failures import Cause, failure_cause
from newsreader.model import Feed, ParsedFeed
from newsreader.settings import Settings
from newsreader.store import (
    FeedChange,
    FeedIntent,
    FetchFailed,
    FetchInfo,
    Gone,
    NewContent,
    SameContent,
)
from newsreader.sync import schedule
from newsreader.sync.fetch import FetchResult


@dataclass(frozen=True, slots=True)
class Answered:
    """A fetch the server answered: `result` is a 200 (or another 2xx) with its body, or a
    304; `body_sha256` the hex sha256 of the body (None for a 304, which has none)."""

    result: FetchResult
    body_sha256: str | None


@dataclass(frozen=True, slots=True)
class Failed:
    """A fetch, parse or write of the feed that failed. `message` is for the user; `status`
    is the HTTP status when the server answered with an error, `retry_after` that answer's
    raw Retry-After header; `network`: no server answered (the sync's summary counts these
    to tell being offline)."""

    message: str
    status: int | None = None
    retry_after: str | None = None
    network: bool = False
    cause: Cause = Cause.OTHER  # how the Feed problems list groups it

    @classmethod
    def of(cls, error: Exception) -> Failed:
        """The failure `error` stands for (its text, else its class name), its cause told by
        its type (`failures.failure_cause`)."""
        message = str(error) or type(error).__name__
        cause = failure_cause(error)
        if isinstance(error, HTTPStatusError):
            return cls(message, error.status, error.retry_after, cause=cause)
        return cls(message, network=isinstance(error, NetworkError), cause=cause)


FetchOutcome = Answered | Failed


def needs_parse(feed: Feed, answer: Answered) -> bool:
    """Whether the body is new: not a 304, nor the very bytes parsed last time
    (`Feed.body_sha256`; NetNewsWire's "avoid feed parsing")."""
    result = answer.result
    unchanged = result.not_modified or (
        answer.body_sha256 is not None and answer.body_sha256 == feed.body_sha256
    )
    return not unchanged


def decide_feed(
    feed: Feed,
    outcome: FetchOutcome,
    parsed: ParsedFeed | None,
    now: datetime,
    settings: Settings,
) -> FeedIntent:
    """What the store writes for `feed` (as stored before this fetch) after `outcome` at
    `now` (aware UTC); `parsed` is the parsed body when `needs_parse` said so, else None.

    - a new body that parsed: `NewContent` (validators and body hash of this answer, the
      publisher's hint from the document and the response, the next due time after it, and
      the redirect's target as the feed's new URL when every redirect was permanent: only
      now that the new address delivered a feed that parsed);
    - a 304 or the same bytes: `SameContent` (the stored document's hint, lengthened by a
      max-age that came with this answer);
    - HTTP 410: `Gone`; any other failure: `FetchFailed`, backing off by the failure count
      and honouring a 429's or 503's Retry-After.

    ValueError when the body is new but `parsed` is None (parse it first).
    """
    return FeedIntent(feed.id, _change(feed, outcome, parsed, now, settings))


def _change(
    feed: Feed,
    outcome: FetchOutcome,
    parsed: ParsedFeed | None,
    now: datetime,
    settings: Settings,
) -> FeedChange:
    if isinstance(outcome, Failed):
        return _failure(feed, outcome, now, settings)
    if not needs_parse(feed, outcome):
        return _same_content(feed, outcome, now, settings)
    if parsed is None:
        raise ValueError(f"the new body of {outcome.result.url} must be parsed first")
    return _new_content(feed, outcome, parsed, now, settings)


def _new_content(
    feed: Feed, answer: Answered, parsed: ParsedFeed, now: datetime, settings: Settings
) -> NewContent:
    headers = answer.result.headers
    hint = schedule.update_hint(parsed.update_interval, headers)
    info = FetchInfo(
        fetched_at=now,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        next_due=schedule.next_due_after_success(feed, settings, now, hint),
        final_url=answer.result.permanent_url,
        update_hint_minutes=hint,
        body_sha256=answer.body_sha256,
    )
    return NewContent(parsed, info)


def _same_content(feed: Feed, answer: Answered, now: datetime, settings: Settings) -> SameContent:
    # The stored document (with its ttl) is the one served, so its hint still holds; a
    # max-age that came with this answer may lengthen it.
    headers = answer.result.headers
    stored = feed.update_hint_minutes
    hint = schedule.update_hint(timedelta(minutes=stored) if stored else None, headers)
    return SameContent(
        fetched_at=now,
        next_due=schedule.next_due_after_success(feed, settings, now, hint),
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        update_hint_minutes=hint,
        body_sha256=answer.body_sha256,
    )


def _failure(feed: Feed, failed: Failed, now: datetime, settings: Settings) -> FeedChange:
    """HTTP 410 (RFC 9110: gone, and for good) disables the feed; anything else backs off,
    and a 429 or 503 with Retry-After (RFC 9110 §10.2.3) pauses it for that long, at most
    `schedule.MAX_RETRY_AFTER`."""
    if failed.status == 410:
        return Gone(f"the server says the feed is gone for good (HTTP 410) on {now:%Y-%m-%d}")
    pause = None
    if failed.status in {429, 503}:
        pause = schedule.parse_retry_after(failed.retry_after, now)
    due = schedule.next_due_after_failure(feed, settings, now, pause)
    not_before = now + min(pause, schedule.MAX_RETRY_AFTER) if pause else None
    return FetchFailed(failed.message, now, due, not_before, failed.cause.name)
