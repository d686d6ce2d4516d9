"""Which of Qt's plugins the packaged app keeps: those a desktop window needs, nothing more.

Used by packaging/pyinstaller_hooks (which replace PyInstaller's own hooks for the Qt modules
the app uses) so that a dropped plugin's libraries (GTK, Wayland, EGLFS, ...) are never even
analysed, and by packaging/newsreader.spec for Qt's translations.
"""

from __future__ import annotations

from pathlib import PurePath

# plugin folder -> plugin names kept (file name without lib/q prefixes and suffix)
KEEP_PLUGINS: dict[str, frozenset[str]] = {
    "platforms": frozenset({"xcb", "offscreen", "minimal", "windows", "cocoa"}),
    "platformthemes": frozenset({"xdgdesktopportal"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "xcbglintegrations": frozenset({"xcb-glx-integration", "xcb-egl-integration"}),
    "imageformats": frozenset({"svg", "gif", "jpeg", "ico", "webp"}),
    "iconengines": frozenset({"svgicon"}),
    "printsupport": frozenset({"cupsprintersupport"}),
    "styles": frozenset({"windowsvistastyle", "modernwindowsstyle", "macstyle"}),
}
# Plugin folders kept whole (macOS keeps its native platform integration here).
KEEP_FOLDERS = frozenset({"platforms/darwin"})

Entry = tuple[str, str]


def plugin_name(filename: str) -> str:
    """`libqxcb.so` -> `xcb`, `qwindows.dll` -> `windows`, `libqsvgicon.dylib` -> `svgicon`."""
    stem = filename.split(".")[0]
    stem = stem.removeprefix("lib")
    return stem[1:] if stem.startswith("q") else stem


def keep(source: str, dest_dir: str) -> bool:
    """False for a Qt plugin outside KEEP_PLUGINS, or any Qt translation file."""
    parts = PurePath(dest_dir).parts
    if "translations" in parts:
        return False
    if "plugins" not in parts:
        return True
    at = parts.index("plugins")
    if len(parts) <= at + 1:
        return True
    if "/".join(parts[at + 1 :]) in KEEP_FOLDERS:
        return True
    allowed = KEEP_PLUGINS.get("/".join(parts[at + 1 :]))
    return allowed is not None and plugin_name(PurePath(source).name) in allowed


def filtered(
    hiddenimports: list[str], binaries: list[Entry], datas: list[Entry]
) -> tuple[list[str], list[Entry], list[Entry]]:
    return (
        hiddenimports,
        [entry for entry in binaries if keep(*entry)],
        [entry for entry in datas if keep(*entry)],
    )
