"""Folders: a tree (parent_id), names unique among siblings."""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Folder
from newsreader.store import rows
from newsreader.store.db import StoreBase
from newsreader.store.pending import folder_accounts, queue_feed_change, queue_folder_change

_SELECT = "SELECT id, name, parent_id FROM folders"
_SIBLING_NAMED = "coalesce(parent_id, 0) = coalesce(?, 0) AND name = ?"
"""A folder of this name under this parent (None: top level); the expression of the unique
index `folders_name`, so the lookup is an index search."""


class FolderMixin(StoreBase):
    def add_folder(self, name: str, parent_id: int | None = None) -> Folder:
        """Creates a folder, or returns the existing one of that name under that parent."""
        name = _clean_name(name)
        with self._write() as conn:
            if parent_id is not None:
                self.get_folder(parent_id)
            conn.execute(
                "INSERT OR IGNORE INTO folders(name, parent_id) VALUES (?, ?)", (name, parent_id)
            )
            row = self._row(f"{_SELECT} WHERE {_SIBLING_NAMED}", (parent_id, name))
        assert row is not None
        return rows.folder(row)

    def ensure_folder_path(self, names: Sequence[str]) -> int | None:
        """The id of the folder at path `names` (creating what is missing); None for ()."""
        parent_id: int | None = None
        with self._write():
            for name in names:
                parent_id = self.add_folder(name, parent_id).id
        return parent_id

    def get_folder(self, folder_id: int) -> Folder:
        row = self._row(f"{_SELECT} WHERE id = ?", (folder_id,))
        if row is None:
            raise NotFoundError(f"no folder with id {folder_id}")
        return rows.folder(row)

    def list_folders(self) -> list[Folder]:
        """Every folder, parents before children, siblings by name."""
        found = self._rows(f"{_SELECT} ORDER BY name COLLATE NOCASE")
        children: dict[int | None, list[Folder]] = {}
        for row in found:
            item = rows.folder(row)
            children.setdefault(item.parent_id, []).append(item)
        ordered: list[Folder] = []
        stack = list(reversed(children.get(None, [])))
        while stack:
            item = stack.pop()
            ordered.append(item)
            stack.extend(reversed(children.get(item.id, [])))
        return ordered

    def folder_path(self, folder_id: int | None) -> tuple[str, ...]:
        """The names from the root down to the folder; () for no folder."""
        path: list[str] = []
        while folder_id is not None:
            item = self.get_folder(folder_id)
            path.append(item.name)
            folder_id = item.parent_id
        return tuple(reversed(path))

    def rename_folder(self, folder_id: int, name: str) -> Folder:
        """Renames the folder. For each server account with feeds in it the rename of that
        label is queued in the same transaction (StoreError if one is a Fever account)."""
        name = _clean_name(name)
        with self._write() as conn:
            current = self.get_folder(folder_id)
            clash = self._scalar(
                f"SELECT id FROM folders WHERE {_SIBLING_NAMED} AND id != ?",
                (current.parent_id, name, folder_id),
            )
            if clash is not None:
                raise StoreError(f"a folder named {name!r} already exists there")
            if name != current.name:
                accounts = folder_accounts(conn, folder_id, current.name)
                queue_folder_change(conn, accounts, "rename_folder", current.name, name)
            conn.execute("UPDATE folders SET name = ? WHERE id = ?", (name, folder_id))
        return self.get_folder(folder_id)

    def delete_folder(self, folder_id: int) -> None:
        """Deletes the folder; its feeds and subfolders move up to its parent (a subfolder
        whose name the parent already has is merged into that folder). For each server
        account with feeds in it, the same transaction queues the move of those feeds into
        the parent (when there is one), then the deletion of the label (StoreError, and
        nothing changed, if one is a Fever account)."""
        with self._write() as conn:
            current = self.get_folder(folder_id)
            parent = None if current.parent_id is None else self.get_folder(current.parent_id)
            accounts = folder_accounts(conn, folder_id, current.name)
            if parent is not None and accounts:
                for (feed_id,) in conn.execute(
                    "SELECT id FROM feeds WHERE folder_id = ? AND account_id IS NOT NULL "
                    "ORDER BY id",
                    (folder_id,),
                ).fetchall():
                    queue_feed_change(
                        conn, feed_id, "move", value=parent.name, previous=current.name
                    )
            moved_to = None if parent is None else parent.name
            queue_folder_change(conn, accounts, "delete_folder", current.name, moved_to)
            self._move_contents(folder_id, current.parent_id)
            conn.execute("DELETE FROM folders WHERE id = ?", (folder_id,))

    def _move_contents(self, source_id: int, target_id: int | None) -> None:
        self._conn.execute(
            "UPDATE feeds SET folder_id = ? WHERE folder_id = ?", (target_id, source_id)
        )
        for child in self._rows("SELECT id, name FROM folders WHERE parent_id = ?", (source_id,)):
            twin = self._scalar(
                f"SELECT id FROM folders WHERE {_SIBLING_NAMED}", (target_id, child["name"])
            )
            if twin is None:
                self._conn.execute(
                    "UPDATE folders SET parent_id = ? WHERE id = ?", (target_id, child["id"])
                )
            else:
                self._move_contents(child["id"], twin)
                self._conn.execute("DELETE FROM folders WHERE id = ?", (child["id"],))


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise StoreError("a folder needs a name")
    return cleaned
