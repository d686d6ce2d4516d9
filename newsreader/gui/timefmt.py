"""Dates as people read them in lists: "18 minutes ago", with the exact time for tooltips."""

from __future__ import annotations

from datetime import UTC, datetime

from newsreader.wording import time_from


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """A short relative phrase; dates over a week old fall back to the calendar date."""
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    seconds = int((now - when).total_seconds())
    if seconds < 0:
        # A clock ahead of ours, or a feed dated in the future: say the date, not "in 3 hours".
        return when.astimezone().strftime("%d %b %Y")
    if seconds < 7 * 86400:
        return time_from(when, now)
    return when.astimezone().strftime("%d %b %Y")


def exact_time(when: datetime | None) -> str:
    """The full local date and time, for tooltips and the reader header."""
    if when is None:
        return ""
    return when.astimezone().strftime("%A %d %B %Y, %H:%M")
