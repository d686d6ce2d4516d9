"""Packs dist/newsreader (the PyInstaller folder) into the installable Linux archive.

    dist/newsreader-<version>-linux-<machine>.tar.gz
      newsreader-<version>/
        newsreader/            the app (run newsreader/newsreader to try it without installing)
        install.sh             per-user install: app, menu entry, icons, feed:/OPML handlers
        uninstall.sh           removes them again; keeps the user's data unless --purge
        system-libraries.txt   library -> Debian/Ubuntu package, for install.sh's check

Run by `make package` after PyInstaller; on other systems it says so and does nothing.
"""

from __future__ import annotations

import platform
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsreader import __version__  # noqa: E402
from newsreader.sysdeps import QT_XCB_LIBRARIES  # noqa: E402

DIST = ROOT / "dist"
APP = DIST / "newsreader"
SCRIPTS = ROOT / "packaging" / "linux"


def archive_path(dist: Path = DIST) -> Path:
    return dist / f"newsreader-{__version__}-linux-{platform.machine()}.tar.gz"


def system_libraries_table() -> str:
    lines = [f"{library} {package}" for library, package in sorted(QT_XCB_LIBRARIES.items())]
    return "# library (as in lib<name>.so) -> Debian/Ubuntu package\n" + "\n".join(lines) + "\n"


def _owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def build(app: Path = APP, out: Path | None = None) -> Path:
    if not (app / "newsreader").is_file():
        raise SystemExit(f"build_archive: {app}/newsreader is missing; run PyInstaller first")
    out = out or archive_path(app.parent)
    top = f"newsreader-{__version__}"
    table = out.parent / "system-libraries.txt"
    table.write_text(system_libraries_table(), encoding="utf-8")
    temp = out.with_name(out.name + ".part")
    try:
        with tarfile.open(temp, "w:gz", compresslevel=6) as tar:
            tar.add(app, arcname=f"{top}/newsreader", filter=_owned_by_root)
            for script in ("install.sh", "uninstall.sh"):
                tar.add(SCRIPTS / script, arcname=f"{top}/{script}", filter=_owned_by_root)
            tar.add(table, arcname=f"{top}/system-libraries.txt", filter=_owned_by_root)
        temp.replace(out)
    finally:
        temp.unlink(missing_ok=True)
        table.unlink(missing_ok=True)
    return out


def main() -> int:
    if not sys.platform.startswith("linux"):
        print("build_archive: the .tar.gz is for Linux; see packaging/README.md for this system")
        return 0
    out = build()
    print(f"build_archive: wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
