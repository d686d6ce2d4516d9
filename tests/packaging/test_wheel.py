"""`pip install` works too: the wheel carries the resources and both entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # pip builds in an isolated environment, fetching setuptools
@pytest.mark.timeout(600)
def test_wheel_builds_with_resources_and_entry_points(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=580,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("newsreader-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    resources = REPO / "newsreader" / "resources"
    expected = {
        "newsreader/resources/" + p.relative_to(resources).as_posix()
        for p in resources.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected <= names, sorted(expected - names)
    assert "newsreader/resources/welcome/welcome.atom" in names
    assert "newsreader/resources/icons/newsreader.svg" in names
    assert "newsreader/selftest.py" in names and "newsreader/gui/single_instance.py" in names
    assert not any(n.startswith("tests/") for n in names)
    assert "[console_scripts]\nnewsreader = newsreader.main:main" in scripts
    assert "[gui_scripts]\nnewsreader-gui = newsreader.main:gui_main" in scripts
