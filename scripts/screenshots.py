"""Renders the real window offscreen, light and dark, into docs/screenshot-{light,dark}.png.

A fresh data folder gets the first-run content (starter subscriptions and the welcome feed,
no network), the welcome article is opened and given a short comment thread, and the window is
drawn with QWidget.grab.  Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from newsreader.gui.app import Session
from newsreader.model import Author, ParsedEntry
from newsreader.paths import DataPaths
from newsreader.settings import Theme
from newsreader.store import Store

DOCS = Path(__file__).resolve().parent.parent / "docs"
SIZE = (1360, 820)


def wait_for(ready: Callable[[], bool], seconds: float = 10.0) -> None:
    """Lets background reads (related articles, the full article list) arrive."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit("the window did not finish loading")
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def render(theme: Theme, out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = DataPaths(Path(folder)).ensure()
        store = Store.open(paths)
        store.save_settings(replace(store.load_settings(), theme=theme))
        session = Session(store, paths, tray=False)
        window = session.window
        window.resize(*SIZE)
        window.main_splitter.setSizes([240, 470, 650])
        window.reader_splitter.setSizes([470, 350])
        entry = window.reader.entry
        if entry is not None:
            # A discussion as a site's comment feed would deliver it, and the user's reply.
            site = ParsedEntry(
                id="screenshot-comment-1",
                title="Works on the train",
                authors=(Author(name="Sam"),),
                published=datetime.now(UTC) - timedelta(minutes=18),
                content="<p>A reader that keeps working on the train. Exactly what I wanted.</p>",
            )
            store.replace_site_comments(entry.id, [site])
            [root] = store.comment_threads(entry.id)
            store.add_comment(
                entry.id,
                "Agreed. The keyboard shortcuts make it quick, too.",
                author="Me",
                parent_id=root.id,
            )
            window.comments.refresh()
        wait_for(lambda: window.reader.related is not None and window.articles.model.complete)
        window.grab().save(str(out))
        window.close()
        session.close()
    print(f"wrote {out}")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    DOCS.mkdir(exist_ok=True)
    render(Theme.LIGHT, DOCS / "screenshot-light.png")
    render(Theme.DARK, DOCS / "screenshot-dark.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
