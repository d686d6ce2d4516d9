"""What every export writer consumes: one article with its source title, comments, key points
and (when the export uses it) the full article fetched from its page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsreader.model import Comment, Entry, FullText


@dataclass(frozen=True, slots=True)
class ExportItem:
    entry: Entry
    feed_title: str | None
    comments: tuple[Comment, ...] = ()  # thread roots with their replies; () when not asked
    full_text: FullText | None = None  # what fetching its page gave; None: never tried or not
    # asked (an export with --feed-text)
    key_points: tuple[str, ...] = ()  # its key sentences (`Store.key_points`); () when not asked

    @property
    def article_html(self) -> str | None:
        """The full article's HTML when one is stored and exported, else None."""
        if self.full_text is None or self.full_text.status != "ok":
            return None
        return self.full_text.content

    @property
    def body_html(self) -> str:
        """What the article's body is made of: the full article when there is one (unless the
        export asked for the feed's text), else the feed's content or summary."""
        if self.article_html is not None:
            return self.article_html
        return self.entry.content or self.entry.summary or ""


def most_common_language(languages: Iterable[str | None]) -> str | None:
    """The language most of a set's articles are in (each its `Entry.language`, None when not
    known), the first seen among equals; None when none is known. A book's `dc:language`, an
    HTML page's `<html lang>`."""
    counts = Counter(language for language in languages if language)
    return counts.most_common(1)[0][0] if counts else None
