"""User settings: one typed record with defaults. The store persists it (table `settings`).

Both front ends read and write the same record, so a setting changed in the window applies to
the next `newsreader sync` too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class PageSize(StrEnum):
    A4 = "A4"
    LETTER = "Letter"


@dataclass(frozen=True, slots=True)
class Settings:
    refresh_interval_minutes: int = 30
    retention_days: int = 0  # 0 keeps everything
    concurrency: int = 16
    per_host_concurrency: int = 2
    max_feed_bytes: int = 20 * 1024 * 1024
    cache_images: bool = True
    image_cache_mb: int = 500
    max_image_bytes: int = 10 * 1024 * 1024
    # Seconds a sync of the command line spends on follow-up work (icons, comment feeds,
    # images) after its feeds; what it does not reach, the next sync does. It also stops
    # after a third of this (at least 1 s) with no answer from the hosts left.
    follow_up_seconds: int = 3
    theme: Theme = Theme.SYSTEM
    font_size: int = 0  # 0 follows the system font size
    remote_images: bool = False
    start_minimised: bool = False
    notifications: bool = True
    mark_read_delay_seconds: int = 0  # 0 marks an article read as soon as it is opened
    key_points: bool = True  # show an article's key points above its text
    mark_copies_read: bool = True  # reading an article marks its near-identical copies read
    collapse_stories: bool = False  # the article list shows a story (several feeds) as one row
    pdf_page_size: PageSize = PageSize.A4
    comment_author: str = "Me"

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Settings:
        """Builds settings from stored values, ignoring unknown keys and ill-typed values."""
        defaults = cls()
        known: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            try:
                known[f.name] = _coerce(getattr(defaults, f.name), values[f.name])
            except (TypeError, ValueError):
                continue
        return cls(**known)


def _coerce(default: object, value: object) -> object:
    if isinstance(default, StrEnum):
        return type(default)(str(value))
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, str)) and str(value).lower() in {"0", "1", "true", "false"}:
            return str(value).lower() in {"1", "true"}
        raise ValueError(value)
    if isinstance(default, int):
        if isinstance(value, bool):
            raise TypeError(value)
        return int(value)  # type: ignore[call-overload]
    return str(value)
