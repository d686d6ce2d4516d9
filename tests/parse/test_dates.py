"""Dates: RFC 822 and its broken variants, ISO 8601 / W3C-DTF; always aware UTC or None."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsreader.parse import parse_date


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon, 02 Jan 2006 15:04:05 -0700", utc(2006, 1, 2, 22, 4, 5)),
        ("Mon, 02 Jan 2006 15:04:05 +0000", utc(2006, 1, 2, 15, 4, 5)),
        ("Mon, 02 Jan 2006 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5)),
        ("Sat, 07 Sep 2002 00:00:01 UT", utc(2002, 9, 7, 0, 0, 1)),
        ("Mon, 02 Jan 2006 15:04:05 Z", utc(2006, 1, 2, 15, 4, 5)),
        ("Wed, 02 Oct 2002 08:00:00 EST", utc(2002, 10, 2, 13, 0, 0)),
        ("Wed, 02 Oct 2002 08:00:00 EDT", utc(2002, 10, 2, 12, 0, 0)),
        ("Sun, 01 Jun 2008 08:00:00 PDT", utc(2008, 6, 1, 15, 0, 0)),
        ("Sun, 01 Jun 2008 08:00:00 PST", utc(2008, 6, 1, 16, 0, 0)),
        ("Sun, 01 Jun 2008 08:00:00 CET", utc(2008, 6, 1, 7, 0, 0)),
        # RFC 822 military zones: A is UTC-1, N is UTC+1, Z is UTC.
        ("Mon, 02 Jan 2006 15:04:05 A", utc(2006, 1, 2, 16, 4, 5)),
        ("Mon, 02 Jan 2006 15:04:05 N", utc(2006, 1, 2, 14, 4, 5)),
        ("Mon, 02 Jan 2006 15:04:05 -0700 (PDT)", utc(2006, 1, 2, 22, 4, 5)),
        ("Mon, 02 Jan 2006 15:04:05 GMT+02:00", utc(2006, 1, 2, 13, 4, 5)),
        ("02 Jan 2006 15:04:05 +0100", utc(2006, 1, 2, 14, 4, 5)),  # no weekday
        ("Mon, 02 Jan 2006 15:04 GMT", utc(2006, 1, 2, 15, 4, 0)),  # no seconds
        ("Mon, 02 Jan 06 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5)),  # two-digit year
        ("Fri, 31 Dec 99 23:59:59 GMT", utc(1999, 12, 31, 23, 59, 59)),
        ("Mon,  02   Jan  2006   15:04:05   GMT", utc(2006, 1, 2, 15, 4, 5)),  # spaces
        ("Mon,02 Jan 2006 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5)),  # comma, no space
        ("Mon, 02 Jan 2006, 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5)),  # comma after year
        ("Monday, 02 January 2006 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5)),
        ("Mon, 2 Jan 2006 3:04:05 +0530", utc(2006, 1, 1, 21, 34, 5)),
        ("02-Jan-2006 15:04:05 -0500", utc(2006, 1, 2, 20, 4, 5)),
        ("Jan 2, 2006 3:04 PM", utc(2006, 1, 2, 15, 4, 0)),
        ("Mon Jan  2 15:04:05 2006", utc(2006, 1, 2, 15, 4, 5)),  # asctime
        ("Mon, 02 Jan 2006", utc(2006, 1, 2)),  # date only
        ("Mon, 02 Jan 2006 24:00:00 GMT", utc(2006, 1, 3)),
    ],
)
def test_rfc822_and_variants(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None
    assert parsed.tzinfo == UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15", utc(2024, 1, 15)),
        ("2024-01", utc(2024, 1, 1)),
        ("2024", utc(2024, 1, 1)),
        ("2024-01-15T10:30Z", utc(2024, 1, 15, 10, 30)),  # no seconds
        ("2024-01-15T10:30:15Z", utc(2024, 1, 15, 10, 30, 15)),
        ("2024-01-15T10:30:15.25Z", utc(2024, 1, 15, 10, 30, 15, 250000)),
        ("2024-01-15T10:30:15.123456789+02:00", utc(2024, 1, 15, 8, 30, 15, 123456)),
        ("2024-01-15T10:30:15-05:00", utc(2024, 1, 15, 15, 30, 15)),
        ("2024-01-15T10:30:15+0530", utc(2024, 1, 15, 5, 0, 15)),
        ("2024-01-15T10:30:15+02", utc(2024, 1, 15, 8, 30, 15)),
        ("2024-01-15 10:30:15 +0000", utc(2024, 1, 15, 10, 30, 15)),
        ("2024-01-15T10:30:15", utc(2024, 1, 15, 10, 30, 15)),  # no zone: taken as UTC
        ("20240115T103015Z", utc(2024, 1, 15, 10, 30, 15)),  # basic format
        ("  2024-01-15T10:30:15Z \n", utc(2024, 1, 15, 10, 30, 15)),
        ("2020/1/10 14:33:00", utc(2020, 1, 10, 14, 33)),  # slashes, one-digit month
        ("2020/01/10", utc(2020, 1, 10)),
    ],
)
def test_iso8601_and_w3cdtf(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "not a date",
        "yesterday",
        "Mon, 32 Jan 2006 15:04:05 GMT",
        "Mon, 02 Foo 2006 15:04:05 GMT",
        "Mon, 02 Jan 2006 15:04:05 XYZ",
        "2024-13-01",
        "2024-02-30T10:00:00Z",
        "2024-01-15T25:00:00Z",
        "2024-01-15T10:00:00+99:00",
    ],
)
def test_unparseable_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_the_usual_shapes_read_as_the_general_reading_reads_them() -> None:
    """Dates such as "Mon, 02 Jan 2006 15:04:05 -0700" and "2006-01-02T15:04:05Z" are read
    by a faster path first: for every date of those shapes, possible or not (day 31 of
    February, hour 24, second 60, offsets past 14 hours), it must give what the general
    reading gives."""
    import random

    from newsreader.parse.dates import _any_date, _usual_date

    rng = random.Random(3)

    def two(high: int) -> str:
        return f"{rng.randint(0, high):02d}"

    months = ["Jan", "feb", "MAR", "Apr", "Mai", "Okt", "Dez", "Xyz", "Sep"]
    zones = ["GMT", "UTC", "UT", "Z", "+0000", "-0700", "+0530", "+1500", "-0060", "+2359"]
    usual = 0
    for _ in range(6000):
        clock = f"{two(25)}:{two(61)}:{two(61)}"
        if rng.random() < 0.5:
            day = str(rng.randint(0, 33)).zfill(rng.choice([1, 2]))
            weekday = rng.choice(["Mon, ", "Sun, ", "", "Xyz, "])
            text = f"{weekday}{day} {rng.choice(months)} {rng.randint(1899, 2100)} {clock} "
            text += rng.choice(zones)
        else:
            fraction = rng.choice(["", ".5", ".123456", ".1234567", "." + "9" * 70])
            zone = rng.choice(["Z", "+01:00", "-05:30", "+14:00", "+15:00", "-00:60"])
            text = f"{rng.randint(1, 9999):04d}-{two(13)}-{two(32)}T{clock}{fraction}{zone}"
        fast = _usual_date(text)
        usual += fast is not None
        assert fast is None or fast == _any_date(text), text
        assert parse_date(text) == _any_date(text), text
    assert usual > 2000  # the fast path was taken often
