"""When each feed is due next: pure functions of what is stored and what was fetched.

No I/O here, so every rule (intervals, publisher hints, back-off, Retry-After) is tested with
plain values. Publisher hints only lengthen the interval: a feed that says `ttl 60` is not
fetched every 30 minutes, but a hint never makes us poll faster than the user asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from newsreader.model import Feed
from newsreader.settings import Settings

MIN_INTERVAL = timedelta(minutes=10)
MAX_INTERVAL = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=24)
MAX_RETRY_AFTER = timedelta(days=7)

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)
_MAX_HEADER_SECONDS = 10 * 365 * 24 * 3600  # any longer count of seconds means "very long"


def header_seconds(digits: str) -> timedelta:
    """A delta-seconds header value (digits only), clamped to ten years: a server may send
    `99999999999999999999`, which no timedelta holds."""
    return timedelta(seconds=min(int(digits), _MAX_HEADER_SECONDS))


def clamp(
    interval: timedelta, low: timedelta = MIN_INTERVAL, high: timedelta = MAX_INTERVAL
) -> timedelta:
    return max(low, min(high, interval))


def feed_interval(feed: Feed, settings: Settings) -> timedelta:
    """The feed's own override wins; otherwise the global interval, lengthened by its hint."""
    if feed.interval_minutes:
        return clamp(timedelta(minutes=feed.interval_minutes))
    interval = timedelta(minutes=settings.refresh_interval_minutes)
    if feed.update_hint_minutes:
        interval = max(interval, timedelta(minutes=feed.update_hint_minutes))
    return clamp(interval)


def cache_max_age(headers: Mapping[str, str]) -> timedelta | None:
    """`Cache-Control: max-age=N` of a response (`no-cache`/`no-store` give no hint)."""
    value = headers.get("cache-control", "")
    if "no-store" in value.lower() or "no-cache" in value.lower():
        return None
    match = _MAX_AGE.search(value)
    return header_seconds(match.group(1)) if match else None


def update_hint(parsed_interval: timedelta | None, headers: Mapping[str, str]) -> int | None:
    """Minutes the publisher asks us to wait (the longer of ttl/sy:* and max-age), bounded."""
    hints = [h for h in (parsed_interval, cache_max_age(headers)) if h and h > timedelta(0)]
    if not hints:
        return None
    return int(clamp(max(hints)).total_seconds() // 60)


def next_due_after_success(
    feed: Feed, settings: Settings, now: datetime, hint_minutes: int | None
) -> datetime:
    """Next fetch time after a 200 or 304, taking a freshly seen hint into account."""
    effective = feed if hint_minutes is None else replace(feed, update_hint_minutes=hint_minutes)
    return now + feed_interval(effective, settings)


def backoff(feed: Feed, settings: Settings, error_count: int) -> timedelta:
    """Exponential: the normal interval after the first failure, doubling up to a day."""
    base = feed_interval(feed, settings)
    exponent = max(0, min(error_count - 1, 16))
    return min(MAX_BACKOFF, base * (1 << exponent))


def next_due_after_failure(
    feed: Feed, settings: Settings, now: datetime, retry_after: timedelta | None
) -> datetime:
    """Back-off by the failure count (this failure included); a Retry-After is never undercut."""
    delay = backoff(feed, settings, feed.error_count + 1)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return now + delay


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """`Retry-After` as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return header_seconds(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), when - now)
