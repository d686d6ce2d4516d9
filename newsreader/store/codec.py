"""Conversions between Python values and column values (datetimes, JSON lists)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from newsreader.model import Author


def to_ts(value: datetime | None) -> int | None:
    """Unix seconds; a naive datetime is taken as UTC (the model promises aware UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def from_ts(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def authors_json(authors: Iterable[Author]) -> str:
    return json.dumps(
        [{"name": a.name, "email": a.email, "uri": a.uri} for a in authors], ensure_ascii=False
    )


def authors_from_json(value: str) -> tuple[Author, ...]:
    return tuple(
        Author(name=a.get("name"), email=a.get("email"), uri=a.get("uri"))
        for a in json.loads(value)
    )


def authors_text(value: str) -> str:
    """The authors' names (else emails) from the JSON column, for the full-text index."""
    names = (a.get("name") or a.get("email") or "" for a in json.loads(value))
    return ", ".join(n for n in names if n)


def strings_json(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def strings_from_json(value: str) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(value))
