"""The core must never load Qt: proven in a fresh interpreter, not by reading imports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import newsreader

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


def test_urls_are_split_and_joined_only_in_newsreader_urls() -> None:
    """One rule for taking a URL apart and putting it together: `newsreader.urls`."""
    package = Path(newsreader.__file__).parent
    raw = re.compile(r"\b(?:url(?:un)?(?:split|parse)|urljoin)\b")
    offenders = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path.name != "urls.py" or path.parent != package
        if raw.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
