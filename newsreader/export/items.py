"""What every export writer consumes: one article with its source title and comments."""

from __future__ import annotations

from dataclasses import dataclass

from newsreader.model import Comment, Entry


@dataclass(frozen=True, slots=True)
class ExportItem:
    entry: Entry
    feed_title: str | None
    comments: tuple[Comment, ...] = ()  # thread roots with their replies; () when not asked
