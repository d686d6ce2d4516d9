"""The queue of follow-up work (table `follow_ups`): images, icons, comment feeds and other
fetches a sync does after its feeds, under a time budget. Jobs stay queued until done, so
what one sync did not reach, the next one does."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from newsreader.store.codec import from_ts, to_ts
from newsreader.store.db import StoreBase
from newsreader.store.entries import chunks, placeholders
from newsreader.store.types import FollowUp, NewFollowUp

_COLUMNS = "id, kind, url, entry_id, feed_id, priority, attempts"


class FollowUpMixin(StoreBase):
    def add_follow_ups(self, jobs: Sequence[NewFollowUp], at: datetime) -> int:
        """Queues jobs (one already queued for the same kind, URL and entry stays as it is);
        returns how many were added."""
        if not jobs:
            return 0
        with self._write() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO follow_ups(kind, url, entry_id, feed_id, priority, added) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(j.kind, j.url, j.entry_id, j.feed_id, j.priority, to_ts(at)) for j in jobs],
            )
            return conn.total_changes - before

    def due_follow_ups(
        self,
        kinds: Collection[str],
        now: datetime,
        *,
        feed_ids: Collection[int] | None = None,
        limit: int = 10_000,
    ) -> list[FollowUp]:
        """Queued jobs of these kinds (and, when given, of these feeds) whose retry time has
        come, highest priority first, then those that failed fewer times, then oldest first;
        at most `limit`."""
        if not kinds or (feed_ids is not None and not feed_ids):
            return []
        where = f"kind IN ({placeholders(len(kinds))}) AND not_before <= ?"
        params: list[object] = [*kinds, to_ts(now)]
        if feed_ids is not None:
            where += f" AND feed_id IN ({placeholders(len(feed_ids))})"
            params.extend(feed_ids)
        found = self._rows(
            f"SELECT {_COLUMNS} FROM follow_ups WHERE {where} ORDER BY priority DESC, attempts, id "
            "LIMIT ?",
            (*params, limit),
        )
        return [FollowUp(*row) for row in found]

    def count_follow_ups(self, kinds: Collection[str]) -> int:
        """How many jobs of these kinds are queued (due or waiting to retry)."""
        if not kinds:
            return 0
        return int(
            self._scalar(
                f"SELECT count(*) FROM follow_ups WHERE kind IN ({placeholders(len(kinds))})",
                tuple(kinds),
            )
        )

    def finish_follow_ups(self, ids: Sequence[int]) -> None:
        """Removes jobs that are done (or that can never succeed)."""
        with self._write() as conn:
            for part in chunks(ids):
                conn.execute(
                    f"DELETE FROM follow_ups WHERE id IN ({placeholders(len(part))})", part
                )

    def fail_follow_up(
        self, job: NewFollowUp, at: datetime, until: datetime, max_attempts: int
    ) -> None:
        """Records a failed fetch of `job` done on request (`comments --fetch`, the window's
        "load comments"): queues it if it is not queued and counts the attempt as
        `defer_follow_ups` does, so the next sync from `until` on tries it again and
        `follow_up_retry` can say so."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO follow_ups(kind, url, entry_id, feed_id, priority, added) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (job.kind, job.url, job.entry_id, job.feed_id, job.priority, to_ts(at)),
            )
            where = "kind = ? AND url = ? AND coalesce(entry_id, 0) = coalesce(?, 0)"
            conn.execute(
                f"UPDATE follow_ups SET attempts = attempts + 1, not_before = ? WHERE {where}",
                (to_ts(until), job.kind, job.url, job.entry_id),
            )
            conn.execute(
                f"DELETE FROM follow_ups WHERE {where} AND attempts >= ?",
                (job.kind, job.url, job.entry_id, max_attempts),
            )

    def follow_up_retry(self, kind: str, entry_id: int) -> datetime | None:
        """When a queued job of `kind` for the entry that failed before is tried again (the
        first sync from then on); None when none such is queued."""
        found = self._scalar(
            "SELECT min(not_before) FROM follow_ups WHERE kind = ? AND entry_id = ? "
            "AND attempts > 0",
            (kind, entry_id),
        )
        return from_ts(found) if found is not None else None

    def forget_follow_ups(self, kind: str, entry_id: int) -> None:
        """Removes the entry's queued jobs of `kind` (done on request meanwhile)."""
        with self._write() as conn:
            conn.execute("DELETE FROM follow_ups WHERE kind = ? AND entry_id = ?", (kind, entry_id))

    def defer_follow_ups(self, ids: Sequence[int], until: datetime, max_attempts: int) -> None:
        """Counts a failed attempt for each job and waits until `until` before the next;
        a job that has failed `max_attempts` times is dropped."""
        with self._write() as conn:
            for part in chunks(ids):
                marks = placeholders(len(part))
                conn.execute(
                    f"UPDATE follow_ups SET attempts = attempts + 1, not_before = ? "
                    f"WHERE id IN ({marks})",
                    (to_ts(until), *part),
                )
                conn.execute(
                    f"DELETE FROM follow_ups WHERE id IN ({marks}) AND attempts >= ?",
                    (*part, max_attempts),
                )
