"""What every export writer consumes: one article with its source title and comments."""

from __future__ import annotations

from dataclasses import dataclass

from newsreader.model import Comment, Entry


@dataclass(frozen=True, slots=True)
class ExportItem:
    entry: Entry
    feed_title: str | None
    comments: tuple[Comment, ...] = ()  # thread roots with their replies; () when not asked
    article_html: str | None = None  # the full article fetched from its page, when exported
    key_points: tuple[str, ...] = ()  # its key sentences (`Store.key_points`); () when not asked

    @property
    def body_html(self) -> str:
        """What the article's body is made of: the full article when there is one (unless the
        export asked for the feed's text), else the feed's content or summary."""
        if self.article_html is not None:
            return self.article_html
        return self.entry.content or self.entry.summary or ""
