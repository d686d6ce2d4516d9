"""The Linux menu entry for `pip install` users: desktop file, icons and AppStream data in the
user's XDG data folder (`newsreader install-desktop-entry`), and their removal.

The packaged app's install.sh does the same from the shell; both take the desktop file and
metainfo from `newsreader/resources/desktop/` and the icons from `resources/icons/`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from newsreader.errors import DesktopEntryError

APP_ID = "io.github.newsreader.Newsreader"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# What install-desktop-entry makes Newsreader the default for (the feed types stay a choice).
DEFAULT_HANDLER_TYPES = ("x-scheme-handler/feed", "x-scheme-handler/feeds", "text/x-opml+xml")
_QUOTED = re.compile(r'(["`$\\])')


@dataclass(frozen=True, slots=True)
class DesktopFiles:
    """Where the entry's files go under one XDG data folder."""

    data_home: Path

    @property
    def desktop_file(self) -> Path:
        return self.data_home / "applications" / f"{APP_ID}.desktop"

    @property
    def metainfo(self) -> Path:
        return self.data_home / "metainfo" / f"{APP_ID}.metainfo.xml"

    @property
    def scalable_icon(self) -> Path:
        return self.data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"

    def icon(self, size: int) -> Path:
        return self.data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"

    def all(self) -> list[Path]:
        icons = [self.icon(size) for size in ICON_SIZES]
        return [self.desktop_file, self.metainfo, self.scalable_icon, *icons]


def user_data_home() -> Path:
    """$XDG_DATA_HOME, else ~/.local/share (the XDG base directory default)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """The absolute command that opens the window from this installation.

    The `newsreader-gui` script pip put beside this interpreter when it exists; otherwise this
    interpreter running the package, which works from any virtualenv or checkout.
    """
    for folder in (Path(sys.argv[0]).resolve().parent, Path(sys.executable).parent):
        script = folder / "newsreader-gui"
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script)]
    found = shutil.which("newsreader-gui")
    if found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "newsreader"]


def exec_value(command: Sequence[str]) -> str:
    """An Exec= value for `command` plus the %u field code, quoted per the desktop entry spec.

    Every argument is quoted (`"`, backtick, `$` and backslash escaped inside the quotes); then
    the string-level escapes apply: backslashes double and `%` becomes `%%`.
    """
    quoted = ['"' + _QUOTED.sub(r"\\\1", arg) + '"' for arg in command]
    return " ".join(quoted).replace("\\", "\\\\").replace("%", "%%") + " %u"


def render_desktop_entry(template: str, command: Sequence[str]) -> str:
    """The packaged template with Exec and TryExec pointing at `command`."""
    if not command or not Path(command[0]).is_absolute():
        raise DesktopEntryError(f"the command must start with an absolute path: {command!r}")
    try_exec = command[0].replace("\\", "\\\\")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + exec_value(command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + try_exec
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(command: Sequence[str], data_home: Path) -> DesktopFiles:
    """Writes the desktop file, metainfo and icons; tells the desktop when its tools exist."""
    _require_linux()
    files = DesktopFiles(data_home)
    packaged = resources.files("newsreader") / "resources"
    template = (packaged / "desktop" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    _write(files.desktop_file, render_desktop_entry(template, command).encode("utf-8"))
    _write(files.metainfo, (packaged / "desktop" / f"{APP_ID}.metainfo.xml").read_bytes())
    _write(files.scalable_icon, (packaged / "icons" / "newsreader.svg").read_bytes())
    for size in ICON_SIZES:
        _write(files.icon(size), (packaged / "icons" / f"newsreader-{size}.png").read_bytes())
    _refresh_desktop(files, register_handlers=True)
    return files


def uninstall(data_home: Path) -> list[Path]:
    """Removes what `install` wrote; returns the files that were there. Never touches data."""
    _require_linux()
    files = DesktopFiles(data_home)
    removed = [path for path in files.all() if path.is_file()]
    for path in removed:
        path.unlink()
    _refresh_desktop(files, register_handlers=False)
    return removed


def _require_linux() -> None:
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        raise DesktopEntryError(
            "menu entries are for Linux desktops; on Windows and macOS use the installer"
        )


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".part")
    temp.write_bytes(data)
    temp.replace(path)


def _refresh_desktop(files: DesktopFiles, *, register_handlers: bool) -> None:
    """Best effort: the desktop picks changes up later by itself when a tool is missing."""
    commands: list[list[str]] = [
        ["update-desktop-database", "-q", str(files.desktop_file.parent)],
        ["gtk-update-icon-cache", "-q", "-t", "-f", str(files.data_home / "icons" / "hicolor")],
    ]
    if register_handlers:
        commands += [
            ["xdg-mime", "default", files.desktop_file.name, kind] for kind in DEFAULT_HANDLER_TYPES
        ]
    for command in commands:
        if shutil.which(command[0]) is None:
            continue
        try:
            subprocess.run(command, capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
