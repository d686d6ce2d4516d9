"""The window opens without the network side: HTTP, the keyring, the sync engine and the
feed-server accounts load with the first sync (after the window is drawn), never before it
is shown. Proven in a fresh interpreter, as tests/test_startup.py proves it for the commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_startup import offending

MARKER = "--- modules ---"
LATER = (
    "httpx",
    "httpcore",
    "keyring",
    "newsreader.sync.engine",
    "newsreader.sync.fetch",
    "newsreader.accounts.engine",
    "newsreader.gui.export_dialog",
)


def test_the_window_opens_without_the_network_side(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from newsreader.gui.app import Session\n"
        "from newsreader.paths import DataPaths\n"
        "from newsreader.store import Store\n"
        "app = QApplication([])\n"
        "paths = DataPaths(Path(sys.argv[1]))\n"
        "session = Session(Store.open(paths.ensure()), paths, tray=False)\n"
        "session.window.show()\n"
        "app.processEvents()\n"
        "assert session.window.articles.model.rowCount() > 0\n"
        f"print({MARKER!r})\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
        "session.window.close()\n"
        "session.close()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    modules = set(result.stdout.split(MARKER + "\n", 1)[1].split())
    assert "newsreader.gui.window" in modules  # the probe saw the window's modules
    assert offending(modules, LATER) == []
