"""Dates as feeds write them: RFC 822 (with the usual breakage) and ISO 8601 / W3C-DTF.

Zones are abbreviations, numeric offsets or IANA names (`America/Los_Angeles`, read with the
standard `zoneinfo` module and the `tzdata` package where the system has no zone database).
Every result is an aware datetime in UTC. A date we cannot read is None: the caller keeps the
field absent rather than guessing "now". A date without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_MAX_LENGTH = 80  # longer text is not a date (and must not cost the patterns any time)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "jän"),
            ("feb", "february", "febr", "fév", "fev"),
            ("mar", "march", "mär", "mrz", "mars"),
            ("apr", "april", "avr"),
            ("may", "mai"),
            ("jun", "june", "juin"),
            ("jul", "july", "juil"),
            ("aug", "august", "aoû", "aou"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt"),
            ("nov", "november"),
            ("dec", "december", "dez", "déc"),
        ),
        start=1,
    )
    for name in names
}

# Offsets in minutes. North American zones, the common European and Asian ones, and the
# RFC 822 military letters (A-I, K-M west of UTC; N-Y east; Z = UTC; J is not a zone).
_ZONES: dict[str, int] = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0,
    "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
    "akst": -540, "akdt": -480, "hst": -600, "ast": -240, "adt": -180,
    "nst": -210, "ndt": -150,
    "bst": 60, "ist": 60, "cet": 60, "cest": 120, "met": 60, "mest": 120,
    "west": 60, "eet": 120, "eest": 180, "msk": 180,
    "jst": 540, "kst": 540, "hkt": 480, "sgt": 480,
    "awst": 480, "acst": 570, "acdt": 630, "aest": 600, "aedt": 660,
    "nzst": 720, "nzdt": 780,
}  # fmt: skip
_ZONES.update({chr(ord("a") + i): -60 * (i + 1) for i in range(9)})  # A-I
_ZONES.update({chr(ord("k") + i): -60 * (i + 10) for i in range(3)})  # K-M
_ZONES.update({chr(ord("n") + i): 60 * (i + 1) for i in range(12)})  # N-Y

_TIME = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([ap]\.?m\b\.?)?"
# A zone: an abbreviation ("PDT"), an IANA name ("America/Los_Angeles") and/or an offset.
_ZONE = r"(?:\(?([a-z]{1,5}|[a-z]+(?:/[a-z0-9_+\-]+){1,2})\)?)?\s*(?:([+-])(\d{1,2}):?(\d{2})?)?"

# "Mon, 02 Jan 2006 15:04:05 -0700" and its relatives: weekday and commas optional, day and
# month in either order, two-digit years, missing seconds, dashes or dots between the parts.
_RFC822 = (
    r"^(?:[a-z\u00c0-\u024f]+\.?(?:\s*,\s*|\s+))?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?[\s\-./,]+([a-z\u00c0-\u024f]+)\.?|([a-z\u00c0-\u024f]+)\.?"
    r"[\s\-./]+(\d{1,2})(?:st|nd|rd|th)?)"
    r"[\s\-./,]+(\d{2,4}),?"
    r"(?:\s*(?:at\s+)?,?\s*" + _TIME + r")?"
    r"\s*,?\s*" + _ZONE + r"(?:\s*\([a-z ]*\))?\s*$"
)

# asctime: "Mon Jan  2 15:04:05 2006" (optionally with a zone before the year).
_ASCTIME = r"^[a-z]+\s+([a-z]+)\s+(\d{1,2})\s+" + _TIME + r"\s+" + _ZONE + r"\s*(\d{4})$"

# "2020/1/10 14:33:00": Y/M/D with slashes, as some CMSes write it.
_SLASHED = r"^(\d{4})/(\d{1,2})/(\d{1,2})\b"

# "3/18/2023 8:21 PM" (month first) or "18/3/2023" (day first): read only when one of the
# two numbers is over 12; "3/4/2023" could be either and stays unread.
_NUMERIC_DAY_MONTH = r"^(\d{1,2})/(\d{1,2})/(\d{4})\b"

_ISO = (
    r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?"
    r"(?:[t\s]+(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?(?:\s*([ap])\.?m\.?)?)?"
    r"\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)


# The two shapes nearly every feed writes, exactly: "Mon, 02 Jan 2006 15:04:05 -0700" (or
# GMT) and "2006-01-02T15:04:05Z" (or an offset, or fractions of a second). Read first, into
# the same parts as the general patterns above, which read everything else. (Those are kept
# as text and compiled on first use, through `re`'s cache: a start reading no unusual date
# does not spend ~3 ms compiling them.)
_USUAL_RFC822 = re.compile(
    r"(?:[A-Za-z]{3}, )?([0-9]{1,2}) ([A-Za-z]{3}) ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) "
    r"(?:([+-][0-9]{4})|GMT|UTC|UT|Z)"
)
_USUAL_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)


@lru_cache(maxsize=16)
def parse_date(text: str) -> datetime | None:
    """Reads an RFC 822 or ISO 8601 date; returns aware UTC, or None when it cannot. The last
    few answers are remembered: an Atom entry's `published` and `updated` are mostly one
    text (a datetime is immutable: the same answer may be shared)."""
    return _usual_date(text) or _any_date(text)


def _usual_date(text: str) -> datetime | None:
    """A date of one of the two usual shapes, exactly as written (no other white space, no
    other zone); None for any other text, and for an impossible date of those shapes (the
    general reading then has its say). Three times as fast as the general reading."""
    if len(text) > _MAX_LENGTH:
        return None
    if match := _USUAL_ISO.fullmatch(text):
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        offset = 0 if zone == "Z" else _numeric_offset(zone)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
    elif match := _USUAL_RFC822.fullmatch(text):
        day, name, year, hour, minute, second, zone = match.groups()
        month = _MONTHS.get(name.lower())
        offset = 0 if zone is None else _numeric_offset(zone)
        if month is None:
            return None
        micro = 0
    else:
        return None
    if offset is None:
        return None
    return _build(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micro, offset
    )


def _any_date(text: str) -> datetime | None:
    """`parse_date` for every shape it reads."""
    value = " ".join(text.split()).lower()
    if not value or len(value) > _MAX_LENGTH:
        return None
    if value[0].isdigit() and (slashed := re.match(_SLASHED, value)):
        year, month, day = slashed.groups()
        value = f"{year}-{int(month):02d}-{int(day):02d}{value[slashed.end() :]}"
    elif value[0].isdigit() and (numeric := re.match(_NUMERIC_DAY_MONTH, value)):
        first, second, year = (int(part) for part in numeric.groups())
        if (first > 12) == (second > 12):
            return None  # ambiguous (or impossible): absent, never a guess
        month, day = (second, first) if first > 12 else (first, second)
        value = f"{year}-{month:02d}-{day:02d}{value[numeric.end() :]}"
    if value[0].isdigit() and (match := re.match(_ISO, value)):
        result = _from_iso(match)
        if result is not None:
            return result
    if match := re.match(_RFC822, value):
        return _from_rfc822(match)
    if match := re.match(_ASCTIME, value):
        return _from_asctime(match)
    return None


def _from_iso(match: re.Match[str]) -> datetime | None:
    year, month, day, hour, minute, second, fraction, ampm, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    offset = _numeric_offset(zone) if zone and zone[0] in "+-" else 0
    clock = _hour(hour, ampm)
    if offset is None or clock is None:
        return None
    return _build(
        int(year),
        int(month or 1),
        int(day or 1),
        clock,
        int(minute or 0),
        int(second or 0),
        micro,
        offset,
    )


def _from_rfc822(match: re.Match[str]) -> datetime | None:
    day1, month1, month2, day2, year, hour, minute, second, ampm, zname, sign, zh, zm = (
        match.groups()
    )
    month = _month(month1 or month2)
    if month is None:
        return None
    day = int(day1 or day2)
    offset = _zone_offset(zname, sign, zh, zm)
    clock = _hour(hour, ampm)
    if offset is None or clock is None:
        return None
    return _build(
        _full_year(year),
        month,
        day,
        clock,
        int(minute or 0),
        int(second or 0),
        0,
        offset,
    )


def _from_asctime(match: re.Match[str]) -> datetime | None:
    month_name, day, hour, minute, second, ampm, zname, sign, zh, zm, year = match.groups()
    month = _month(month_name)
    offset = _zone_offset(zname, sign, zh, zm)
    clock = _hour(hour, ampm)
    if month is None or offset is None or clock is None:
        return None
    return _build(int(year), month, int(day), clock, int(minute), int(second or 0), 0, offset)


def _month(name: str) -> int | None:
    return _MONTHS.get(name) or _MONTHS.get(name[:3])


def _hour(hour: str | None, ampm: str | None) -> int | None:
    """The hour on a 24-hour clock; a 12-hour clock reads 12 AM as 0 and 1-11 PM as 13-23.
    None for an hour a 12-hour clock does not show ("13:05 PM", "0:30 AM")."""
    value = int(hour or 0)
    if not ampm:
        return value
    if not 1 <= value <= 12:
        return None
    if ampm.startswith("p"):
        return value if value == 12 else value + 12
    return 0 if value == 12 else value


def _full_year(text: str) -> int:
    """RFC 2822 §4.3: 00-49 are 2000-2049, 50-99 are 1950-1999, three digits add 1900."""
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < 50 else 1900)
    if len(text) == 3:
        return year + 1900
    return year


def _zone_offset(
    name: str | None, sign: str | None, hours: str | None, minutes: str | None
) -> int | ZoneInfo | None:
    """Minutes east of UTC from a zone abbreviation, a numeric offset, or both ("GMT+2");
    or the IANA zone named ("Europe/Berlin"), whose offset depends on the date."""
    offset = 0
    if name and "/" in name:
        zone = _iana_zone(name)
        return zone if zone is not None and not sign else None
    if name:
        if name not in _ZONES:
            return None
        offset = _ZONES[name]
    if sign:
        numeric = _numeric_offset(f"{sign}{hours}{minutes or ''}")
        if numeric is None:
            return None
        offset += numeric
    return offset


def _numeric_offset(text: str) -> int | None:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    elif len(digits) == 3:
        hours, minutes = int(digits[0]), int(digits[1:])
    else:
        hours, minutes = int(digits[:2]), int(digits[2:4])
    if hours > 14 or minutes > 59:
        return None
    return sign * (hours * 60 + minutes)


@lru_cache(maxsize=1)
def _iana_names() -> dict[str, str]:
    """Lower-cased IANA zone names -> their spelling (dates are matched lower-cased)."""
    import zoneinfo  # only for a date naming a zone: it loads sysconfig, ~3 ms of each start

    return {name.lower(): name for name in zoneinfo.available_timezones()}


@lru_cache(maxsize=256)
def _iana_zone(name: str) -> ZoneInfo | None:
    key = _iana_names().get(name)
    if key is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _build(
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int,
    micro: int,
    offset: int | ZoneInfo,
) -> datetime | None:
    """The UTC time of a local time `offset` minutes east of UTC, or in an IANA zone."""
    next_day = hour == 24 and minute == 0 and second == 0
    if next_day:
        hour = 0
    if second == 60:  # a leap second: the last second of the minute is close enough
        second = 59
    try:
        if not isinstance(offset, int):  # an IANA zone
            value = datetime(year, month, day, hour, minute, second, micro, tzinfo=offset)
            value = value.astimezone(UTC)
        else:
            local = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
            value = local - timedelta(minutes=offset) if offset else local
        if next_day:
            value += timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return value
