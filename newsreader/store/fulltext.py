"""Full articles fetched from entries' pages (table `full_texts`, step 0006; docs/fulltext.md).

The article is kept beside the feed's own text, never replacing it. Writing it is one
transaction: its status, the article, its words in the entry's search row (`content` column,
see `schema.index_content`) and the images it shows (kept from eviction like the entry's own).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newsreader.errors import StoreError
from newsreader.model import FULL_TEXT_MODES, FullText, FullTextMode, FullTextStatus
from newsreader.store.codec import from_ts, to_ts
from newsreader.store.db import StoreBase
from newsreader.store.entries import chunks, placeholders
from newsreader.store.schema import (
    INDEX_DELETE,
    INDEX_DELETE_VALUES_FULL,
    index_content,
    index_values,
    search_key,
)
from newsreader.store.text import image_urls

_COLUMNS = "entry_id, status, reason, content, text, fetched"
_DELETE_INDEXED = (
    f"{INDEX_DELETE} SELECT {INDEX_DELETE_VALUES_FULL.format(row='e')} FROM entries e "
    "WHERE e.id = ?"
)


class FullTextMixin(StoreBase):
    def full_text(self, entry_id: int) -> FullText | None:
        """The entry's full article or why there is none; None when its page was never
        tried."""
        row = self._row(f"SELECT {_COLUMNS} FROM full_texts WHERE entry_id = ?", (entry_id,))
        if row is None:
            return None
        return FullText(
            entry_id=row["entry_id"],
            status=row["status"],
            reason=row["reason"],
            content=row["content"],
            text=row["text"],
            fetched=from_ts(row["fetched"]) or datetime.min,
        )

    def full_text_tried(self, entry_ids: Sequence[int]) -> set[int]:
        """Which of these entries' pages were tried already (whatever came of it): the sync
        never fetches those again unless the user asks."""
        tried: set[int] = set()
        for part in chunks(list(entry_ids)):
            tried.update(
                entry_id
                for (entry_id,) in self._conn.execute(
                    f"SELECT entry_id FROM full_texts WHERE entry_id IN "
                    f"({placeholders(len(part))})",
                    part,
                )
            )
        return tried

    def record_full_text(
        self,
        entry_id: int,
        status: FullTextStatus,
        fetched: datetime,
        *,
        reason: str | None = None,
        content: str | None = None,
        text: str | None = None,
    ) -> FullText:
        """Stores what fetching the entry's page gave, in one transaction with its search
        words and images. A failure never overwrites an article fetched before (a retry that
        fails leaves the article readable); the stored row is returned either way.
        `content`/`text` are required with status ok and ignored otherwise."""
        if status == "ok" and not text:
            raise StoreError("a full article needs its text")
        with self._write() as conn:
            self._require("entries", entry_id, "entry")
            stored = conn.execute(
                "SELECT status FROM full_texts WHERE entry_id = ?", (entry_id,)
            ).fetchone()
            if not (stored is not None and stored[0] == "ok" and status != "ok"):
                kept = (content, text) if status == "ok" else (None, None)
                conn.execute(_DELETE_INDEXED, (entry_id,))
                conn.execute(
                    f"INSERT OR REPLACE INTO full_texts({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                    (entry_id, status, reason, *kept, to_ts(fetched)),
                )
                self._index_entry(entry_id, kept[1])
                conn.execute("DELETE FROM full_text_images WHERE entry_id = ?", (entry_id,))
                conn.executemany(
                    "INSERT INTO full_text_images(entry_id, url, position) VALUES (?, ?, ?)",
                    [
                        (entry_id, url, position)
                        for position, url in enumerate(image_urls(None, kept[0]))
                    ],
                )
        found = self.full_text(entry_id)
        assert found is not None
        return found

    def set_feed_full_text(self, feed_id: int, mode: FullTextMode) -> None:
        """When the sync fetches this feed's full articles (see `model.FullTextMode`)."""
        if mode not in FULL_TEXT_MODES:
            raise StoreError(f"unknown full-article setting {mode!r}")
        with self._write() as conn:
            self._require("feeds", feed_id, "feed")
            conn.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (mode, feed_id))

    def _index_entry(self, entry_id: int, full_text: str | None) -> None:
        """Writes the entry's `entries_fts` row (after its old one was deleted)."""
        row = self._conn.execute(
            "SELECT sort_date, title, summary, content, authors FROM entries WHERE id = ?",
            (entry_id,),
        ).fetchone()
        sort_date, title, summary, content, authors = row
        title, summary_words, _, author = index_values(title, summary, content, authors)
        self._conn.execute(
            "INSERT INTO entries_fts(rowid, title, summary, content, author) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                search_key(sort_date, entry_id),
                title,
                summary_words,
                index_content(content, full_text),
                author,
            ),
        )
