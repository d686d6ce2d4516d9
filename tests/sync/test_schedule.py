"""The pure scheduling rules: intervals, hints, back-off, Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.model import Feed
from newsreader.settings import Settings
from newsreader.sync import schedule

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings(refresh_interval_minutes=30)


def feed(**values: object) -> Feed:
    return Feed(id=1, url="https://example.org/feed", **values)  # type: ignore[arg-type]


def test_default_interval_comes_from_settings() -> None:
    assert schedule.feed_interval(feed(), SETTINGS) == timedelta(minutes=30)


def test_per_feed_override_wins_over_hint_and_default() -> None:
    f = feed(interval_minutes=15, update_hint_minutes=120)
    assert schedule.feed_interval(f, SETTINGS) == timedelta(minutes=15)


def test_hint_lengthens_but_never_shortens_the_interval() -> None:
    assert schedule.feed_interval(feed(update_hint_minutes=120), SETTINGS) == timedelta(hours=2)
    assert schedule.feed_interval(feed(update_hint_minutes=5), SETTINGS) == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("minutes", "expected"), [(1, timedelta(minutes=10)), (60 * 24 * 30, timedelta(hours=24))]
)
def test_intervals_stay_within_sane_bounds(minutes: int, expected: timedelta) -> None:
    assert schedule.feed_interval(feed(interval_minutes=minutes), SETTINGS) == expected


def test_update_hint_takes_the_longer_of_ttl_and_max_age() -> None:
    headers = {"cache-control": "public, max-age=7200"}
    assert schedule.update_hint(timedelta(minutes=60), headers) == 120
    assert schedule.update_hint(timedelta(minutes=180), headers) == 180
    assert schedule.update_hint(None, {}) is None


def test_no_cache_gives_no_hint_and_tiny_hints_are_bounded() -> None:
    assert schedule.cache_max_age({"cache-control": "no-cache, max-age=600"}) is None
    assert schedule.update_hint(None, {"cache-control": "max-age=60"}) == 10


def test_next_due_after_success_uses_a_fresh_hint() -> None:
    due = schedule.next_due_after_success(feed(), SETTINGS, NOW, hint_minutes=90)
    assert due == NOW + timedelta(minutes=90)
    assert schedule.next_due_after_success(feed(), SETTINGS, NOW, None) == NOW + timedelta(
        minutes=30
    )


def test_backoff_doubles_per_failure_up_to_a_day() -> None:
    delays = [schedule.backoff(feed(), SETTINGS, n) for n in (1, 2, 3, 4, 10)]
    assert delays[:4] == [timedelta(minutes=m) for m in (30, 60, 120, 240)]
    assert delays[4] == timedelta(hours=24)


def test_next_due_after_failure_counts_this_failure() -> None:
    assert schedule.next_due_after_failure(feed(error_count=2), SETTINGS, NOW, None) == (
        NOW + timedelta(minutes=120)
    )


def test_retry_after_is_never_undercut() -> None:
    due = schedule.next_due_after_failure(feed(), SETTINGS, NOW, timedelta(hours=5))
    assert due == NOW + timedelta(hours=5)
    short = schedule.next_due_after_failure(feed(), SETTINGS, NOW, timedelta(seconds=5))
    assert short == NOW + timedelta(minutes=30)


def test_retry_after_as_seconds_or_http_date() -> None:
    assert schedule.parse_retry_after("120", NOW) == timedelta(seconds=120)
    assert schedule.parse_retry_after("Sun, 01 Mar 2026 14:00:00 GMT", NOW) == timedelta(hours=2)
    assert schedule.parse_retry_after("Sun, 01 Mar 2026 10:00:00 GMT", NOW) == timedelta(0)
    assert schedule.parse_retry_after("soon", NOW) is None
    assert schedule.parse_retry_after(None, NOW) is None
