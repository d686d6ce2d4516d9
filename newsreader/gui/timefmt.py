"""Dates as people read them in lists: "18 minutes ago", with the exact time for tooltips."""

from __future__ import annotations

from datetime import UTC, datetime

from newsreader.wording import time_or_date


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """A short relative phrase within the last week, else the calendar date
    (`wording.time_or_date`, as the command line decides it); "" when absent. The date is
    spelled out with its year ("03 Mar 2025"): the list's column has room for it, and a
    tooltip (`exact_time`) gives the time."""
    if when is None:
        return ""
    return time_or_date(when, now or datetime.now(UTC), _calendar_date)


def _calendar_date(when: datetime) -> str:
    return when.astimezone().strftime("%d %b %Y")


def exact_time(when: datetime | None) -> str:
    """The full local date and time, for tooltips and the reader header."""
    if when is None:
        return ""
    return when.astimezone().strftime("%A %d %B %Y, %H:%M")
