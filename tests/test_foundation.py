"""Data folder resolution, settings round-trips and the Qt system-library check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsreader import sysdeps
from newsreader.paths import DATA_DIR_ENV, resolve_data_dir
from newsreader.settings import PageSize, Settings, Theme


def test_explicit_data_dir_wins_over_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "explicit").root == tmp_path / "explicit"
    assert resolve_data_dir(None).root == tmp_path / "from-env"


def test_platform_folder_is_used_without_flag_or_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV)
    root = resolve_data_dir(None).root
    assert root.name == "newsreader"
    assert root.is_absolute()


def test_data_paths_name_every_file_inside_the_root(tmp_path: Path) -> None:
    paths = resolve_data_dir(tmp_path).ensure()
    for path in (paths.store, paths.backups, paths.images, paths.sync_lock):
        assert path.parent == tmp_path


def test_settings_round_trip_and_tolerate_bad_stored_values() -> None:
    custom = Settings(theme=Theme.DARK, concurrency=4, remote_images=True)
    assert Settings.from_dict(custom.to_dict()) == custom
    messy = {
        "theme": "neon",  # unknown enum value: default kept
        "concurrency": "8",  # numeric string: accepted
        "remote_images": "true",
        "pdf_page_size": "Letter",
        "font_size": True,  # a bool is not a size: default kept
        "no_such_setting": 1,
    }
    settings = Settings.from_dict(messy)
    assert settings.theme is Theme.SYSTEM
    assert settings.concurrency == 8
    assert settings.remote_images is True
    assert settings.pdf_page_size is PageSize.LETTER
    assert settings.font_size == 0


def test_missing_qt_libraries_are_named_with_their_packages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A machine without libxcb-cursor cannot be made real inside a test: pretend it is absent.
    real_find = sysdeps.ctypes.util.find_library
    monkeypatch.setattr(
        sysdeps.ctypes.util,
        "find_library",
        lambda name: None if name == "xcb-cursor" else real_find(name),
    )
    monkeypatch.setattr(sysdeps.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":0")
    assert "libxcb-cursor0" in sysdeps.missing_qt_packages()
    assert sysdeps.main([]) == 1
    assert "apt-get install" in capsys.readouterr().err


def test_sysdeps_check_passes_offscreen() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsreader.sysdeps", "--check"],
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_no_display_is_named_before_qt_fails() -> None:
    env = {"PATH": "/usr/bin:/bin"}  # no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM
    result = subprocess.run(
        [sys.executable, "-m", "newsreader.sysdeps", "--check"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "DISPLAY" in result.stderr


def test_the_window_without_a_display_says_so_instead_of_qts_abort(tmp_path: Path) -> None:
    """Qt aborts the process (SIGABRT, exit 134) with "could not connect to display"; the app
    names what is missing and exits 1 (a reviewer's `newsreader` over ssh)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no DISPLAY, WAYLAND_DISPLAY or QPA
    result = subprocess.run(
        [sys.executable, "-m", "newsreader", "--data-dir", str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set" in result.stderr
