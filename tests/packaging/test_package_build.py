"""Builds the Linux package with `make package`, then uses it the way a person would: runs the
built binary in a clean environment, installs the archive into a temporary HOME with its
install script, starts the app through the installed desktop entry, and uninstalls it."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from newsreader import __version__
from tests.packaging.test_desktop_entry import exec_argv

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "dist"
APP_ID = "io.github.newsreader.Newsreader"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux package"),
]


def clean_env(home: Path) -> dict[str, str]:
    """What `env -i HOME=... PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen` leaves."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}


def run(argv: list[str], home: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=clean_env(home), capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def archive() -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "package"], cwd=REPO, capture_output=True, text=True, timeout=1100, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    built = sorted(DIST.glob(f"newsreader-{__version__}-linux-*.tar.gz"))
    assert built, "make package wrote no archive"
    return built[-1]


def test_built_binary_runs_in_a_clean_environment(archive: Path, tmp_path: Path) -> None:
    binary = DIST / "newsreader" / "newsreader"
    version = run([str(binary), "--version"], tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"newsreader {__version__}"
    selftest = run([str(binary), "--self-test"], tmp_path)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert "self-test passed" in selftest.stdout
    files = [p for p in binary.parent.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    # 148 MB before full-text extraction (issue 11), which may add at most 15 MB.
    assert size <= 163 * 1000 * 1000, f"package is {size / 1e6:.1f} MB unpacked"


def test_archive_installs_starts_from_its_menu_entry_and_uninstalls(
    archive: Path, tmp_path: Path
) -> None:
    home = tmp_path / "my home & co"  # install.sh must quote and escape it everywhere
    home.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    top = tmp_path / "unpacked" / f"newsreader-{__version__}"
    assert {p.name for p in top.iterdir()} >= {"newsreader", "install.sh", "uninstall.sh"}

    installed = run(["/bin/sh", str(top / "install.sh")], home)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    share = home / ".local" / "share"
    desktop_file = share / "applications" / f"{APP_ID}.desktop"
    parser = configparser.RawConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(desktop_file, encoding="utf-8")
    entry = parser["Desktop Entry"]
    for size in (16, 32, 48, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert entry["Icon"] == APP_ID
    argv = exec_argv(entry["Exec"])
    assert argv == [str(home / ".local" / "opt" / "newsreader" / "newsreader")]
    assert entry["Exec"].endswith("%u")
    if shutil.which("desktop-file-validate"):
        valid = run(["desktop-file-validate", str(desktop_file)], home)
        assert valid.returncode == 0, valid.stdout + valid.stderr

    started = run([*argv, "--version"], home)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"newsreader {__version__}"
    assert run([str(home / ".local" / "bin" / "newsreader"), "--version"], home).returncode == 0

    data = share / "newsreader"
    data.mkdir(parents=True)
    (data / "newsreader.sqlite3").write_bytes(b"the user's articles")
    uninstaller = home / ".local" / "opt" / "newsreader" / "uninstall.sh"
    removed = run(["/bin/sh", str(uninstaller)], home)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not desktop_file.exists()
    assert not (home / ".local" / "opt" / "newsreader").exists()
    assert not (home / ".local" / "bin" / "newsreader").exists()
    assert not list((share / "icons").rglob(f"{APP_ID}.*"))
    assert (data / "newsreader.sqlite3").read_bytes() == b"the user's articles"

    assert run(["/bin/sh", str(top / "install.sh")], home).returncode == 0
    purged = run(["/bin/sh", str(uninstaller), "--purge"], home)
    assert purged.returncode == 0, purged.stderr
    assert not data.exists()


def test_install_names_the_missing_system_packages(archive: Path, tmp_path: Path) -> None:
    """The libraries cannot be removed from this machine, so `ldd` is the one stand-in: it
    reports two of them missing, as on a desktop without them."""
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    top = tmp_path / "unpacked" / f"newsreader-{__version__}"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "ldd").write_text(
        "#!/bin/sh\n"
        "echo '\tlibxcb-cursor.so.0 => not found'\n"
        "echo '\tlibEGL.so.1 => not found'\n"
        "echo '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x0)'\n"
    )
    (fake / "ldd").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {**clean_env(home), "PATH": f"{fake}:/usr/bin:/bin"}
    result = subprocess.run(
        ["/bin/sh", str(top / "install.sh")], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "sudo apt-get install libegl1 libxcb-cursor0" in result.stderr
    assert (home / ".local" / "opt" / "newsreader" / "newsreader").is_file()


@pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xwininfo") is None, reason="needs Xvfb, x11-utils"
)
def test_packaged_app_opens_its_window_on_a_real_x_server(archive: Path, tmp_path: Path) -> None:
    """The self-test runs offscreen; this proves the bundled xcb plugin and its libraries load."""
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    app: subprocess.Popen[str] | None = None
    try:
        assert xvfb.stdout is not None
        display = ":" + xvfb.stdout.readline().strip()
        env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "DISPLAY": display}
        app = subprocess.Popen(
            [str(DIST / "newsreader" / "newsreader")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        windows = ""
        for _ in range(600):  # polls for up to a minute
            windows = subprocess.run(
                ["xwininfo", "-root", "-children", "-display", display],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if "Newsreader" in windows or app.poll() is not None:
                break
            time.sleep(0.1)
        assert app.poll() is None, app.communicate()[1][-2000:]
        assert "Newsreader" in windows
    finally:
        if app is not None:
            app.terminate()
            app.communicate(timeout=30)
        xvfb.terminate()
        xvfb.communicate(timeout=30)
