"""The index of the image cache: which URL is stored in which file, and which entries show
which images (so images of starred or commented entries are never evicted)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from newsreader.store import rows
from newsreader.store.codec import to_ts
from newsreader.store.db import StoreBase
from newsreader.store.entries import chunks
from newsreader.store.types import CachedImage

_KEPT = (
    "SELECT ei.url FROM entry_images ei JOIN entries e ON e.id = ei.entry_id "
    "WHERE e.starred = 1 OR EXISTS (SELECT 1 FROM comments c WHERE c.entry_id = e.id "
    "AND c.origin = 'user')"
)


class ImageMixin(StoreBase):
    def record_cached_image(
        self, url: str, sha256: str, path: str, size: int, content_type: str | None
    ) -> CachedImage:
        """Records (or replaces) the cached file of an image URL, fetched and used now."""
        now = int(time.time())
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO images(url, sha256, path, size, content_type, fetched, "
                "last_used) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (url, sha256, path, size, content_type, now, now),
            )
        found = self.cached_image(url)
        assert found is not None
        return found

    def cached_image(self, url: str) -> CachedImage | None:
        row = self._row(f"SELECT {rows.IMAGE_COLUMNS} FROM images WHERE url = ?", (url,))
        return None if row is None else rows.cached_image(row)

    def touch_images(self, urls: Sequence[str], at: datetime) -> None:
        """Records that these images were shown (least recently used go first)."""
        with self._write() as conn:
            conn.executemany(
                "UPDATE images SET last_used = ? WHERE url = ?", [(to_ts(at), u) for u in urls]
            )

    def image_cache_size(self) -> int:
        return int(self._scalar("SELECT coalesce(sum(size), 0) FROM images"))

    def evictable_images(self, over_bytes: int) -> list[CachedImage]:
        """Least recently used images whose sizes add up to at least `over_bytes` (or all that
        may go), never those shown by starred entries or entries with the user's comments."""
        if over_bytes <= 0:
            return []
        chosen: list[CachedImage] = []
        total = 0
        for row in self._rows(
            f"SELECT {rows.IMAGE_COLUMNS} FROM images WHERE url NOT IN ({_KEPT}) "
            "ORDER BY last_used, url"
        ):
            chosen.append(rows.cached_image(row))
            total += row["size"]
            if total >= over_bytes:
                break
        return chosen

    def forget_cached_images(self, urls: Sequence[str]) -> None:
        """Drops the index rows (the caller deletes the files)."""
        with self._write() as conn:
            conn.executemany("DELETE FROM images WHERE url = ?", [(u,) for u in urls])

    def entry_image_urls(self, entry_ids: Sequence[int]) -> dict[int, list[str]]:
        """Image URLs each entry shows (its own image and every <img> of its summary and
        content); entries showing none are left out."""
        found: dict[int, list[str]] = {}
        for part in chunks(list(entry_ids)):
            for entry_id, url in self._conn.execute(
                "SELECT entry_id, url FROM entry_images WHERE entry_id IN "
                f"({', '.join('?' * len(part))}) ORDER BY entry_id, position",
                part,
            ):
                found.setdefault(entry_id, []).append(url)
        return found
