"""Checks, before Qt loads, that the system libraries of Qt's Linux window plugin are present.

Without them Qt aborts with "could not load the Qt platform plugin", naming nothing useful.
`python -m newsreader.sysdeps --check` prints the missing Debian/Ubuntu packages and exits 1.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# shared library name -> Debian/Ubuntu package that provides it
QT_XCB_LIBRARIES: dict[str, str] = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
}


def missing_qt_packages() -> list[str]:
    """Packages whose libraries the xcb plugin needs and the loader cannot find (Linux only)."""
    if not sys.platform.startswith("linux"):
        return []
    return [pkg for lib, pkg in QT_XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def needs_xcb() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    return sys.platform.startswith("linux") and platform in {"", "xcb"}


def explain_missing(missing: list[str]) -> str:
    return (
        "Newsreader's window needs system libraries that are not installed:\n  "
        + " ".join(missing)
        + "\nInstall them, e.g.:  sudo apt-get install "
        + " ".join(missing)
    )


def has_display() -> bool:
    """Whether an X11 or Wayland display is there to open a window on."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY = (
    "Newsreader's window needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is "
    "set. Run it from a desktop session (or over ssh -X); the command-line tools work "
    "anywhere: `newsreader --help`."
)


def display_missing() -> bool:
    """Whether Qt would abort for want of a display (Linux, the default or xcb platform,
    neither DISPLAY nor WAYLAND_DISPLAY set). A check of the environment only: the app
    makes it before every window, `main` below adds the libraries' check for `make run`."""
    return needs_xcb() and not has_display()


def main(argv: list[str] | None = None) -> int:
    if not needs_xcb():
        return 0
    missing = missing_qt_packages()
    if missing:
        print(explain_missing(missing), file=sys.stderr)
        return 1
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
