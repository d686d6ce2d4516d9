"""The index of the image cache: which URL is stored in which file, and which entries show
which images (so images of starred or commented entries are never evicted).

Files are content-addressed, so several URLs can map to one file: sizes count each file once,
and a file goes only with the last URL that names it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from newsreader.store import rows
from newsreader.store.codec import to_ts
from newsreader.store.db import StoreBase
from newsreader.store.entries import chunks, placeholders
from newsreader.store.types import CachedImage, ImageRecord

_SHOWN = (
    "SELECT entry_id, url, position FROM entry_images UNION ALL "
    "SELECT entry_id, url, 1000000 + position FROM full_text_images"
)
"""Images entries show: their own, then their full article's (`full_text_images`)."""
_KEPT = (
    f"SELECT ei.url FROM ({_SHOWN}) ei JOIN entries e ON e.id = ei.entry_id "
    "WHERE e.starred = 1 OR EXISTS (SELECT 1 FROM comments c WHERE c.entry_id = e.id "
    "AND c.origin = 'user')"
)


class ImageMixin(StoreBase):
    def record_cached_image(
        self, url: str, sha256: str, path: str, size: int, content_type: str | None
    ) -> CachedImage:
        """Records (or replaces) the cached file of an image URL, fetched and used now."""
        self.record_cached_images([ImageRecord(url, sha256, path, size, content_type)])
        found = self.cached_image(url)
        assert found is not None
        return found

    def record_cached_images(self, records: Sequence[ImageRecord]) -> None:
        """Records (or replaces) the cached files of several image URLs in one transaction
        (the sync writes its downloads in batches, not one writer round trip each)."""
        now = int(time.time())
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO images(url, sha256, path, size, content_type, fetched, "
                "last_used) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*record, now, now) for record in records],
            )

    def cached_image(self, url: str) -> CachedImage | None:
        row = self._row(f"SELECT {rows.IMAGE_COLUMNS} FROM images WHERE url = ?", (url,))
        return None if row is None else rows.cached_image(row)

    def cached_images(self, urls: Sequence[str]) -> dict[str, CachedImage]:
        """The cached files of these image URLs, by URL (those not cached are left out): one
        statement per 500 URLs, not one per URL (the feed panel reads every feed's icon)."""
        found: dict[str, CachedImage] = {}
        for part in chunks(list(dict.fromkeys(urls))):
            sql = (
                f"SELECT {rows.IMAGE_COLUMNS} FROM images WHERE url IN ({placeholders(len(part))})"
            )
            for row in self._rows(sql, part):
                image = rows.cached_image(row)
                found[image.url] = image
        return found

    def uncached_images(self, urls: Sequence[str]) -> list[str]:
        """The URLs among these that the cache has no file for (in the given order)."""
        known: set[str] = set()
        for part in chunks(urls):
            known.update(
                url
                for (url,) in self._conn.execute(
                    f"SELECT url FROM images WHERE url IN ({placeholders(len(part))})", part
                )
            )
        return [url for url in urls if url not in known]

    def touch_images(self, urls: Sequence[str], at: datetime) -> None:
        """Records that these images were shown (least recently used go first)."""
        with self._write() as conn:
            conn.executemany(
                "UPDATE images SET last_used = ? WHERE url = ?", [(to_ts(at), u) for u in urls]
            )

    def image_cache_size(self) -> int:
        """Bytes of the cached files, each counted once however many URLs share it."""
        return int(
            self._scalar(
                "SELECT coalesce(sum(size), 0) FROM "
                "(SELECT max(size) AS size FROM images GROUP BY path)"
            )
        )

    def evictable_images(self, over_bytes: int) -> list[CachedImage]:
        """Least recently used files whose sizes add up to at least `over_bytes` (or all that
        may go), as the rows of every URL mapped to them: a file shared by several URLs goes
        with all of them, or not at all. A file is kept while any of its URLs is shown by a
        starred entry or an entry with the user's comments; it was last used when any of its
        URLs was."""
        if over_bytes <= 0:
            return []
        paths: list[str] = []
        total = 0
        for path, size in self._conn.execute(
            f"SELECT path, max(size) FROM images GROUP BY path HAVING max(url IN ({_KEPT})) = 0 "
            "ORDER BY max(last_used), path"
        ):
            paths.append(path)
            total += size
            if total >= over_bytes:
                break
        order = {path: position for position, path in enumerate(paths)}
        found = [
            rows.cached_image(row)
            for part in chunks(paths)
            for row in self._rows(
                f"SELECT {rows.IMAGE_COLUMNS} FROM images WHERE path IN "
                f"({placeholders(len(part))})",
                part,
            )
        ]
        return sorted(found, key=lambda image: (order[image.path], image.url))

    def forget_cached_images(self, urls: Sequence[str]) -> list[str]:
        """Drops the index rows of these URLs and returns the paths of the files no row names
        any more: those the caller may delete (another URL may still use a file)."""
        with self._write() as conn:
            paths: dict[str, None] = {}
            for part in chunks(list(urls)):
                marks = placeholders(len(part))
                for (path,) in conn.execute(
                    f"SELECT DISTINCT path FROM images WHERE url IN ({marks})", part
                ):
                    paths[path] = None
                conn.execute(f"DELETE FROM images WHERE url IN ({marks})", part)
            return [
                path
                for path in paths
                if conn.execute("SELECT 1 FROM images WHERE path = ?", (path,)).fetchone() is None
            ]

    def entry_image_urls(self, entry_ids: Sequence[int]) -> dict[int, list[str]]:
        """Image URLs each entry shows (its own image, every <img> of its summary and
        content, then its image enclosures, then its full article's images), without repeats;
        entries showing none are left out."""
        found: dict[int, dict[str, None]] = {}
        for part in chunks(list(entry_ids)):
            for entry_id, url in self._conn.execute(
                f"SELECT entry_id, url FROM ({_SHOWN}) WHERE entry_id IN "
                f"({placeholders(len(part))}) ORDER BY entry_id, position",
                part,
            ):
                found.setdefault(entry_id, {})[url] = None
        return {entry_id: list(urls) for entry_id, urls in found.items()}
