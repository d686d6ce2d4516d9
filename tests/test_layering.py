"""The core must never load Qt: proven in a fresh interpreter, not by reading imports."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "newsreader.model",
    "newsreader.errors",
    "newsreader.paths",
    "newsreader.settings",
    "newsreader.cli",
    "newsreader.wording",
    "newsreader.feed_status",
    "newsreader.failures",
]
# Modules allowed to load Qt: the window, the entry point that may open it, and PDF export.
FRONT_AND_QT = ("newsreader.gui", "newsreader.main", "newsreader.export.pdf")


def test_core_imports_without_qt() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in CORE_MODULES)
        + "import pkgutil, importlib, newsreader\n"
        "for m in pkgutil.walk_packages(newsreader.__path__, 'newsreader.'):\n"
        f"    if m.name.startswith({FRONT_AND_QT!r}) or m.name.endswith('__main__'):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in {'PySide6', 'qasync'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"core loaded Qt modules: {result.stdout}"
