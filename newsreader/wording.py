"""Counts in words, for the command line and the window alike: "3 feeds", "1 entry", and
the word that agrees with a count ("1 entry matches", "2 entries match"). Every message that
puts a number beside a word goes through here, so none says "1 entries" or "feed(s)".
`time_from` words how far a time is from now ("18 minutes ago", "in 2 hours") for both, and
`time_or_date` decides when a list says that and when it says the date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

_UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"))
RECENT = timedelta(days=7)  # within this, a past time reads "3 days ago"; before it, the date
_DRIFT = timedelta(minutes=1)  # a time this little ahead of `now` is a clock's drift: "now"


def sentence(text: str) -> str:
    """`text` with its first letter in capitals: an error's words ("there is already a
    saved search named 'X'") shown on their own, in a dialog, rather than after "error: "."""
    return text[:1].upper() + text[1:]


def agreeing(count: int, one: str, other: str | None = None) -> str:
    """The form of a word that agrees with `count`: `one` when it is exactly one, else
    `other` (default: `one` + "s"). For nouns ("entry", "entries") and verbs ("matches",
    "match"; "is", "are") alike."""
    return one if count == 1 else (other or one + "s")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` (thousands separated, as the feed tree's counts: "100,000 articles") and
    `noun`, in the plural unless it is exactly one; the plural is `noun` + "s" unless given
    ("entry", "entries")."""
    return f"{count:,} {agreeing(count, noun, plural)}"


def time_from(value: datetime, now: datetime) -> str:
    """How far `value` is from `now` in the largest whole unit, as the page the app is
    modelled on words it: "18 minutes ago", "1 hour ago", "in 2 days"; "just now" within a
    minute up to `now`, "now" within a minute after it. Both must be timezone-aware."""
    seconds = (value - now).total_seconds()
    if abs(seconds) < 60:
        return "now" if seconds > 0 else "just now"
    size, unit = next((size, unit) for size, unit in _UNITS if abs(seconds) >= size)
    span = counted(int(abs(seconds) // size), unit)
    return f"in {span}" if seconds >= 0 else f"{span} ago"


def time_or_date(value: datetime, now: datetime, date: Callable[[datetime], str]) -> str:
    """How a list words when something happened (an article's date, a comment's, a sync's):
    `time_from(value, now)` ("3 hours ago") within the last week (`RECENT`), else `date(value)`,
    the front end's own date. A time ahead of `now` by more than a minute also shows the date:
    it is a clock ahead of ours or a feed dated in the future, and "in 3 hours" for something
    that already happened would mislead. Both times must be timezone-aware."""
    if -_DRIFT < now - value < RECENT:
        return time_from(value, now)
    return date(value)
