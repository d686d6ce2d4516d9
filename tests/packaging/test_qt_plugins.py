"""The Qt plugins the package keeps: what a desktop window needs on each system, nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
from qt_plugins import keep, plugin_name

PLUGINS = "PySide6/Qt/plugins"


@pytest.mark.parametrize(
    ("filename", "name"),
    [("libqxcb.so", "xcb"), ("qwindows.dll", "windows"), ("libqsvgicon.dylib", "svgicon")],
)
def test_plugin_names(filename: str, name: str) -> None:
    assert plugin_name(filename) == name


@pytest.mark.parametrize(
    ("source", "dest", "kept"),
    [
        ("libqxcb.so", f"{PLUGINS}/platforms", True),
        ("libqoffscreen.so", f"{PLUGINS}/platforms", True),
        ("qwindows.dll", f"{PLUGINS}/platforms", True),
        ("libqcocoa.dylib", f"{PLUGINS}/platforms", True),
        ("libqdarwin.dylib", f"{PLUGINS}/platforms/darwin", True),
        ("libqsvg.so", f"{PLUGINS}/imageformats", True),
        ("libcupsprintersupport.so", f"{PLUGINS}/printsupport", True),
        ("libqwayland.so", f"{PLUGINS}/platforms", False),
        ("libqeglfs.so", f"{PLUGINS}/platforms", False),
        ("libqgtk3.so", f"{PLUGINS}/platformthemes", False),
        ("libqtiff.so", f"{PLUGINS}/imageformats", False),
        ("libqopensslbackend.so", f"{PLUGINS}/tls", False),
        ("qtbase_de.qm", "PySide6/Qt/translations", False),
        ("libQt6Core.so.6", "PySide6/Qt/lib", True),
        ("QtCore.abi3.so", "PySide6", True),
    ],
)
def test_only_needed_plugins_are_kept(source: str, dest: str, kept: bool) -> None:
    assert keep(f"/site-packages/{dest}/{source}", dest) is kept
