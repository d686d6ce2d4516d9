"""Counts in words, for the command line and the window alike: "3 feeds", "1 entry", and
the word that agrees with a count ("1 entry matches", "2 entries match"). Every message that
puts a number beside a word goes through here, so none says "1 entries" or "feed(s)".
`time_from` words how far a time is from now ("18 minutes ago", "in 2 hours") for both."""

from __future__ import annotations

from datetime import datetime

_UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"))


def agreeing(count: int, one: str, other: str | None = None) -> str:
    """The form of a word that agrees with `count`: `one` when it is exactly one, else
    `other` (default: `one` + "s"). For nouns ("entry", "entries") and verbs ("matches",
    "match"; "is", "are") alike."""
    return one if count == 1 else (other or one + "s")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, in the plural unless it is exactly one; the plural is `noun` + "s"
    unless given ("entry", "entries")."""
    return f"{count} {agreeing(count, noun, plural)}"


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
