"""Human-readable output for the terminal: aligned tables, short and relative dates, wrapped
text. Plain ASCII markers, so output reads the same on any terminal and in any pipe."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import datetime

from newsreader.wording import time_from, time_or_date


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()
) -> list[str]:
    """Lines of an aligned table; columns listed in `right` are right-aligned (numbers).
    The last column is never padded, so long values (URLs, errors) do not widen the rest."""
    widths = [len(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    lines = []
    for row in (headers, *rows):
        cells = []
        for index, cell in enumerate(row):
            if index == len(row) - 1:
                cells.append(cell)
            elif index in right:
                cells.append(cell.rjust(widths[index]))
            else:
                cells.append(cell.ljust(widths[index]))
        lines.append("  ".join(cells).rstrip())
    return lines


def clip(text: str | None, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis mark."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def short_date(value: datetime | None, now: datetime) -> str:
    """`14:05` today, `Mar 03` this year, `2025-03-03` before; in local time."""
    if value is None:
        return "-"
    local, today = value.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%b %d")
    return local.strftime("%Y-%m-%d")


def long_date(value: datetime | None) -> str:
    return "-" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def relative(value: datetime | None, now: datetime) -> str:
    """`in 20 minutes`, `3 hours ago`, `now` (`wording.time_from`); `-` when absent."""
    return "-" if value is None else time_from(value, now)


def when(value: datetime | None, now: datetime) -> str:
    """`3 hours ago` within the last week, else the short date (`wording.time_or_date`, as
    the window decides it); `-` when absent. The date is `short_date`'s, as in the command
    line's other date columns: narrow (`Mar 03`) for a terminal table, ISO (`2025-03-03`)
    for an older year, which scripts read."""
    if value is None:
        return "-"
    return time_or_date(value, now, lambda date: short_date(date, now))


def wrapped(html: str | None, width: int = 78, indent: str = "") -> list[str]:
    """The readable text of an HTML fragment, paragraphs wrapped to `width`."""
    from newsreader.parse.text import html_to_text

    lines: list[str] = []
    for paragraph in html_to_text(html, paragraphs=True).split("\n"):
        if lines:
            lines.append("")
        lines.extend(
            textwrap.wrap(paragraph, width, initial_indent=indent, subsequent_indent=indent)
            or [indent.rstrip()]
        )
    return lines
