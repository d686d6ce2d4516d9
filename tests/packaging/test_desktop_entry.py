"""The Linux menu entry: the packaged desktop file and metainfo pass the freedesktop validators,
and `newsreader install-desktop-entry` puts a working entry and the icons into a temporary HOME."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader import desktop_entry
from newsreader.desktop_entry import APP_ID, ICON_SIZES, exec_value, render_desktop_entry

REPO = Path(__file__).resolve().parents[2]
DESKTOP = REPO / "newsreader" / "resources" / "desktop"
ICONS = REPO / "newsreader" / "resources" / "icons"
REQUIRED_TYPES = {
    "x-scheme-handler/feed",
    "x-scheme-handler/feeds",
    "text/x-opml",
    "application/rss+xml",
    "application/atom+xml",
}


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def exec_argv(value: str) -> list[str]:
    """Undoes the desktop-entry escapes (string level, then quoting) and drops field codes,
    as a launcher following the Desktop Entry Specification does."""
    text = value.replace("\\\\", "\\").replace("%%", "\0")
    words: list[str] = []
    word: str | None = None
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if quoted and char == "\\" and text[index + 1 : index + 2] in {'"', "`", "$", "\\"}:
            word = (word or "") + text[index + 1]
            index += 2
            continue
        if char == '"':
            quoted = not quoted
            word = word or ""
        elif char == " " and not quoted:
            if word is not None:
                words.append(word)
            word = None
        else:
            word = (word or "") + char
        index += 1
    if word is not None:
        words.append(word)
    return [w.replace("\0", "%") for w in words if w not in {"%u", "%U", "%f", "%F"}]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_is_valid(tmp_path: Path) -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    installed = tmp_path / f"{APP_ID}.desktop"
    template = (DESKTOP / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    installed.write_text(render_desktop_entry(template, ["/opt/my apps/$x/newsreader"]))
    result = subprocess.run(
        ["desktop-file-validate", str(installed)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_declares_the_feed_and_opml_types() -> None:
    entry = read_entry(DESKTOP / f"{APP_ID}.desktop")
    assert set(entry["MimeType"].strip(";").split(";")) >= REQUIRED_TYPES
    assert entry["Icon"] == APP_ID
    assert "%u" in entry["Exec"]


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_is_valid() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(DESKTOP / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_icon_size_is_a_png_of_that_size() -> None:
    assert (ICONS / "newsreader.svg").read_bytes().lstrip().startswith(b"<?xml")
    for size in ICON_SIZES:
        data = (ICONS / f"newsreader-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (size, size)


@pytest.mark.parametrize(
    "command",
    [
        ["/usr/bin/newsreader-gui"],
        ["/home/a b/venv/bin/python", "-m", "newsreader"],
        ['/odd/"quoted"/$HOME/`x`/back\\slash/100%/newsreader-gui'],
    ],
)
def test_exec_value_survives_the_desktop_escapes(command: list[str]) -> None:
    assert exec_argv(exec_value(command)) == command


def test_install_desktop_entry_into_a_temporary_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "NEWSREADER_DATA_DIR": str(tmp_path / "data"),
    }
    cli = [sys.executable, "-m", "newsreader"]
    result = subprocess.run(
        [*cli, "install-desktop-entry"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    share = home / ".local" / "share"
    desktop_file = share / "applications" / f"{APP_ID}.desktop"
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert icon.read_bytes() == (ICONS / f"newsreader-{size}.png").read_bytes()

    entry = read_entry(desktop_file)
    argv = exec_argv(entry["Exec"])
    assert Path(argv[0]).is_absolute() and os.access(argv[0], os.X_OK)
    assert entry["TryExec"] == argv[0]
    started = subprocess.run(
        [*argv, "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().startswith("newsreader ")

    data = tmp_path / "data"
    data.mkdir()
    (data / "keep.txt").write_text("user data")
    result = subprocess.run(
        [*cli, "uninstall-desktop-entry"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not desktop_file.exists()
    assert not list((share / "icons").rglob(f"{APP_ID}.*"))
    assert (data / "keep.txt").read_text() == "user data"


def test_xdg_data_home_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert desktop_entry.user_data_home() == tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop_entry.user_data_home() == tmp_path / ".local" / "share"


def test_a_relative_command_is_refused() -> None:
    with pytest.raises(desktop_entry.DesktopEntryError, match="absolute"):
        render_desktop_entry("Exec=x %u\n", ["newsreader"])
