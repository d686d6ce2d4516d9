"""Where the user's data lives: one folder holding the store, the image cache and backups."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from newsreader import APP_ID

DATA_DIR_ENV = "NEWSREADER_DATA_DIR"


@dataclass(frozen=True, slots=True)
class DataPaths:
    """Every file and folder the app keeps, derived from one root folder."""

    root: Path

    @property
    def store(self) -> Path:
        return self.root / "newsreader.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def sync_lock(self) -> Path:
        return self.root / "sync.lock"

    def ensure(self) -> DataPaths:
        self.root.mkdir(parents=True, exist_ok=True)
        return self


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    """`--data-dir` wins, then $NEWSREADER_DATA_DIR, then the platform's user data folder."""
    if explicit:
        return DataPaths(Path(explicit).expanduser().resolve())
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    import platformdirs  # only without --data-dir and $NEWSREADER_DATA_DIR: a faster start

    return DataPaths(Path(platformdirs.user_data_dir(APP_ID, appauthor=False)))
