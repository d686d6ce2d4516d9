"""SIGTERM (a session logging out, `kill`) and SIGINT (Ctrl+C) end the real app as Quit does:
exit code 0 and the window's state saved, instead of dying on the spot."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.errors import InstanceNotAnsweringError
from newsreader.gui.single_instance import hand_over, server_name
from newsreader.gui.state import WindowState
from newsreader.paths import DataPaths
from tests.processes import Children

OFFSCREEN_NOTE = "This plugin does not support"
START = (
    "import sys\nfrom newsreader.main import main\nsys.exit(main(['--data-dir', sys.argv[1]]))\n"
)


@pytest.fixture
def app(data_paths: DataPaths) -> Iterator[subprocess.Popen[str]]:
    """The app running on an empty store (no first-run feeds: nothing to fetch)."""
    WindowState(data_paths).mark_first_run_done()
    children = Children()
    yield children.python(["-c", START, str(data_paths.root)], env={"QT_QPA_PLATFORM": "offscreen"})
    children.reap()


def wait_for_window(process: subprocess.Popen[str], paths: DataPaths) -> None:
    """Until the window answers on its local socket (it is up and serving)."""
    deadline = time.monotonic() + 120
    while not answers(server_name(paths)):
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the window never came up"


def answers(name: str) -> bool:
    try:
        return hand_over(name, None, timeout_ms=500)
    except InstanceNotAnsweringError:  # listening, but still busy starting up
        return False


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_termination_signal_quits_cleanly_and_saves_the_window(
    app: subprocess.Popen[str], data_paths: DataPaths, number: int
) -> None:
    wait_for_window(app, data_paths)
    app.send_signal(number)
    _, err = app.communicate(timeout=60)
    assert app.returncode == 0, err
    # quitting prints nothing (it once printed three QBasicTimer warnings); the offscreen
    # platform's notes on what it cannot do (raise a window, size hints) are not the app's
    said = [line for line in err.splitlines() if line and not line.startswith(OFFSCREEN_NOTE)]
    assert said == []
    saved = (Path(data_paths.root) / "window.ini").read_text()
    assert "geometry" in saved  # save_state ran: the window closed as Quit closes it
