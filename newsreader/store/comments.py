"""Comments on entries: the user's own (never touched by a sync, soft-deleted with undo) and
the site's (from a comment feed, upserted by their remote id)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import replace

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Comment, CommentOrigin, ParsedEntry
from newsreader.store import rows
from newsreader.store.codec import to_ts
from newsreader.store.db import StoreBase
from newsreader.store.entries import chunks, placeholders

_SELECT = f"SELECT {rows.COMMENT_COLUMNS} FROM comments"


class CommentMixin(StoreBase):
    def add_comment(
        self, entry_id: int, body: str, *, author: str, parent_id: int | None = None
    ) -> Comment:
        """Writes one of the user's comments (plain text), optionally replying to another
        comment on the same entry."""
        body = _clean_body(body)
        with self._write() as conn:
            self._require("entries", entry_id, "entry")
            if parent_id is not None:
                parent = self.get_comment(parent_id)
                if parent.entry_id != entry_id:
                    raise StoreError(
                        f"comment {parent_id} belongs to entry {parent.entry_id}, "
                        f"not to entry {entry_id}"
                    )
            cursor = conn.execute(
                "INSERT INTO comments(entry_id, parent_id, origin, author, body, created) "
                "VALUES (?, ?, 'user', ?, ?, ?)",
                (entry_id, parent_id, author, body, int(time.time())),
            )
            assert cursor.lastrowid is not None
            return self.get_comment(cursor.lastrowid)

    def edit_comment(self, comment_id: int, body: str) -> Comment:
        body = _clean_body(body)
        with self._write() as conn:
            if self.get_comment(comment_id).origin is not CommentOrigin.USER:
                raise StoreError(f"comment {comment_id} is the site's; only yours can be edited")
            conn.execute(
                "UPDATE comments SET body = ?, edited = ? WHERE id = ?",
                (body, int(time.time()), comment_id),
            )
            return self.get_comment(comment_id)

    def delete_comment(self, comment_id: int) -> Comment:
        """Soft delete of one of the user's comments: it stays, flagged deleted, until
        `restore_comment`. StoreError for the site's comments (the discussion as the site's
        comment feed gives it; as `edit_comment` refuses them), NotFoundError for an unknown
        id."""
        return self._set_deleted(comment_id, True)

    def restore_comment(self, comment_id: int) -> Comment:
        return self._set_deleted(comment_id, False)

    def get_comment(self, comment_id: int) -> Comment:
        row = self._row(f"{_SELECT} WHERE id = ?", (comment_id,))
        if row is None:
            raise NotFoundError(f"no comment with id {comment_id}")
        return rows.comment(row)

    def comment_counts(self, entry_ids: Sequence[int]) -> dict[int, int]:
        """How many comments each entry shows: the user's and the site's, deleted ones left
        out; entries without any are left out of the result.

        For the window's article list: one grouped query per page of rows, read only when
        shown, rather than a field every `entries_by_ids` caller (the sync included) would
        pay for."""
        counts: dict[int, int] = {}
        for part in chunks(list(dict.fromkeys(entry_ids))):
            counts.update(
                self._conn.execute(
                    "SELECT entry_id, count(*) FROM comments WHERE entry_id IN "
                    f"({placeholders(len(part))}) AND NOT deleted GROUP BY entry_id",
                    part,
                ).fetchall()
            )
        return counts

    def list_comments(self, entry_id: int) -> list[Comment]:
        """The comments on the entry as `comment_threads` gives them, flat, in thread order:
        each comment followed by its replies, oldest first at every level."""
        ordered: list[Comment] = []

        def walk(items: Sequence[Comment]) -> None:
            for item in items:
                ordered.append(replace(item, replies=()))
                walk(item.replies)

        walk(self.comment_threads(entry_id))
        return ordered

    def comment_threads(self, entry_id: int) -> list[Comment]:
        """Root comments with their `replies` filled, recursively, oldest first; comments
        without a date (some comment feeds give none) after the dated ones, in the order
        they were stored (they came first, dated "-", before). A deleted comment is left
        out unless a reply to it is shown: then it stays, flagged `deleted`, as the place
        its replies hang from (the window's thread, the command line and every export show
        the same comments; `get_comment` still finds a deleted one, for undo)."""
        self._require("entries", entry_id, "entry")
        found = [
            rows.comment(row)
            for row in self._rows(
                f"{_SELECT} WHERE entry_id = ? ORDER BY created IS NULL, created, id",
                (entry_id,),
            )
        ]
        ids = {c.id for c in found}
        children: dict[int | None, list[Comment]] = {}
        for item in found:
            parent = item.parent_id if item.parent_id in ids else None
            children.setdefault(parent, []).append(item)

        def build(item: Comment, depth: int) -> Comment:
            if depth > 200:  # a cycle cannot be stored, but a deep chain is cut, not recursed
                return item
            return replace(
                item, replies=tuple(build(c, depth + 1) for c in children.get(item.id, []))
            )

        return shown_comments(build(root, 0) for root in children.get(None, []))

    def replace_site_comments(self, entry_id: int, parsed: Sequence[ParsedEntry]) -> int:
        """Upserts the site's comments (the entries of its comment feed) by remote id and
        threads them by in_reply_to; the user's comments are never touched, and site comments
        missing from this fetch stay (comment feeds often list only the latest). Returns how
        many were added or changed."""
        changed = 0
        with self._write() as conn:
            self._require("entries", entry_id, "entry")
            existing = {
                row["remote_id"]: row
                for row in self._rows(
                    "SELECT id, remote_id, author, body, created, edited, link FROM comments "
                    "WHERE entry_id = ? AND origin = 'site'",
                    (entry_id,),
                )
            }
            for item in parsed:
                values = _site_values(item)
                row = existing.get(item.id)
                if row is None:
                    conn.execute(
                        "INSERT INTO comments(entry_id, origin, remote_id, author, body, "
                        "created, edited, link) VALUES (?, 'site', ?, ?, ?, ?, ?, ?)",
                        (entry_id, item.id, *values),
                    )
                    changed += 1
                elif (
                    tuple(row[k] for k in ("author", "body", "created", "edited", "link")) != values
                ):
                    conn.execute(
                        "UPDATE comments SET author = ?, body = ?, created = ?, edited = ?, "
                        "link = ? WHERE id = ?",
                        (*values, row["id"]),
                    )
                    changed += 1
            self._thread_site_comments(entry_id, parsed)
        return changed

    def _thread_site_comments(self, entry_id: int, parsed: Sequence[ParsedEntry]) -> None:
        """Sets each site comment's parent from its in_reply_to. A reply to the entry itself,
        to a comment we do not have, or one that would close a loop, is a root."""
        ids = {
            row[0]: row[1]
            for row in self._conn.execute(
                "SELECT remote_id, id FROM comments WHERE entry_id = ? AND origin = 'site'",
                (entry_id,),
            )
        }
        parents = {
            row[0]: row[1]
            for row in self._conn.execute(
                "SELECT id, parent_id FROM comments WHERE entry_id = ?", (entry_id,)
            )
        }
        for item in parsed:
            own = ids[item.id]
            parent = ids.get(item.in_reply_to) if item.in_reply_to else None
            if parent is not None and _reaches(parents, parent, own):
                parent = None
            parents[own] = parent
        self._conn.executemany(
            "UPDATE comments SET parent_id = ? WHERE id = ?",
            [(parents[ids[item.id]], ids[item.id]) for item in parsed],
        )

    def _set_deleted(self, comment_id: int, deleted: bool) -> Comment:
        with self._write() as conn:
            if self.get_comment(comment_id).origin is not CommentOrigin.USER:
                verb = "deleted" if deleted else "restored"
                raise StoreError(f"comment {comment_id} is the site's; only yours can be {verb}")
            conn.execute("UPDATE comments SET deleted = ? WHERE id = ?", (deleted, comment_id))
            return self.get_comment(comment_id)


def _reaches(parents: dict[int, int | None], start: int, target: int) -> bool:
    """Whether walking up from `start` through `parents` meets `target` (or a loop)."""
    seen: set[int] = set()
    current: int | None = start
    while current is not None and current not in seen:
        if current == target:
            return True
        seen.add(current)
        current = parents.get(current)
    return current is not None


def _clean_body(body: str) -> str:
    cleaned = body.strip()
    if not cleaned:
        raise StoreError("a comment needs some text")
    return cleaned


def _site_values(item: ParsedEntry) -> tuple[str | None, str, int | None, int | None, str | None]:
    author = next((a.name or a.email for a in item.authors if a.name or a.email), None)
    body = item.content or item.summary or item.title or ""
    created = to_ts(item.published or item.updated)
    edited = to_ts(item.updated) if item.published and item.updated else None
    return author, body, created, edited, item.link


def shown_comments(comments: Iterable[Comment]) -> list[Comment]:
    """`comments` (with their replies) without the deleted ones no shown reply hangs from."""
    shown: list[Comment] = []
    for comment in comments:
        replies = shown_comments(comment.replies)
        if comment.deleted and not replies:
            continue
        shown.append(
            comment
            if len(replies) == len(comment.replies)
            else replace(comment, replies=tuple(replies))
        )
    return shown
