"""The keyboard journey on a real X server with a window manager, where focus matters (the
offscreen platform gives every window focus): the app opens, Ctrl+N's Add feed takes the
keys, Return finds the loopback page's feed and Return subscribes, focus comes back so `?`
opens the shortcut help, Escape closes it, and Ctrl+Q quits with nothing on stderr."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from newsreader.gui.state import WindowState
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.gui.test_session import atom
from tests.loopback import LoopbackServer, Response
from tests.processes import Children

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        any(shutil.which(tool) is None for tool in ("Xvfb", "openbox", "xdotool")),
        reason="needs Xvfb, openbox and xdotool",
    ),
]

START = (
    "import sys\nfrom newsreader.main import main\nsys.exit(main(['--data-dir', sys.argv[1]]))\n"
)
WAIT_S = 120  # a loaded machine: keys and windows may take long, never this long


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh X server with openbox managing its windows (focus, activation)."""
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert xvfb.stdout is not None
    name = ":" + xvfb.stdout.readline().strip()
    manager = subprocess.Popen(
        ["openbox"],
        env={"DISPLAY": name, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield name
    finally:
        manager.terminate()
        manager.wait(timeout=30)
        xvfb.terminate()
        xvfb.communicate(timeout=30)


def until(condition: Callable[[], bool], what: str) -> None:
    """Polls `condition` (state the app wrote, not time) for up to WAIT_S seconds."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.1)


def press_until(press: Callable[[], object], done: Callable[[], bool], what: str) -> None:
    """Presses, then polls `done` for a few seconds, and presses again while it is not: a
    key typed while the window manager is still handing focus over is lost, as a user's is."""
    deadline = time.monotonic() + WAIT_S
    while True:
        press()
        again = time.monotonic() + 5
        while time.monotonic() < again:
            if done():
                return
            time.sleep(0.1)
        assert time.monotonic() < deadline, f"never: {what}"


def test_the_keyboard_journey_on_a_real_x_server(display: str, data_paths: DataPaths) -> None:
    WindowState(data_paths).mark_first_run_done()
    with LoopbackServer() as server:
        newest = datetime.now(UTC).replace(microsecond=0)
        server.route("/feed.xml", Response(body=atom(3, base=server.url(""), newest=newest)))
        page = (
            '<html><head><link rel="alternate" type="application/atom+xml" '
            'title="Loopback Daily" href="/feed.xml"></head><body>Hello</body></html>'
        )
        server.route("/", Response(body=page.encode(), content_type="text/html; charset=utf-8"))
        children = Children()
        app = children.python(
            ["-c", START, str(data_paths.root)],
            env={"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
        )

        def xdotool(*args: str) -> str:
            done = subprocess.run(
                ["xdotool", *args],
                env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
                timeout=WAIT_S,
                check=True,
            )
            return done.stdout.strip()

        try:

            def named(title: str) -> bool:
                found = subprocess.run(
                    ["xdotool", "search", "--name", title],
                    env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
                    capture_output=True,
                    text=True,
                    check=False,
                )
                return bool(found.stdout.strip())

            window = xdotool("search", "--sync", "--name", "^Newsreader").split()[0]
            xdotool("windowactivate", "--sync", window)
            press_until(  # to the focused window, as a user types
                lambda: xdotool("key", "ctrl+n"), lambda: named("^Add feed$"), "Add feed"
            )
            dialog = xdotool("search", "--sync", "--name", "^Add feed$").split()[0]
            xdotool("windowactivate", "--sync", dialog)
            xdotool("type", "--delay", "20", server.url("/"))
            xdotool("key", "Return")  # finds the feed behind the page
            until(lambda: bool(server.requests_for("/feed.xml")), "discovery read the feed")

            def dialog_open() -> bool:
                return named("^Add feed$")

            def subscribed() -> bool:
                """Return again while the dialog is open: it subscribes once the feed is
                listed (before that, Return finds the feeds again)."""
                with Store.open(data_paths) as store:
                    feed = store.feed_by_url(server.url("/feed.xml"))
                    if feed is not None:
                        return store.count_entries(EntryQuery(feed_ids=(feed.id,))) == 3
                if dialog_open():
                    xdotool("key", "Return")
                return False

            until(subscribed, "subscribed with its 3 articles")
            until(lambda: not dialog_open(), "the dialog closed")
            xdotool("windowactivate", "--sync", window)
            press_until(  # focus is back in the window: `?` reaches it
                lambda: xdotool("key", "question"),
                lambda: named("^Keyboard shortcuts$"),
                "the shortcut help",
            )
            press_until(
                lambda: xdotool("key", "Escape"),
                lambda: not named("^Keyboard shortcuts$"),
                "the help closed",
            )
            xdotool("windowactivate", "--sync", window)
            press_until(lambda: xdotool("key", "ctrl+q"), lambda: app.poll() is not None, "quit")
            _, err = app.communicate(timeout=WAIT_S)
        finally:
            children.reap()
    assert app.returncode == 0, err
    assert err == ""  # quitting prints nothing (once three QBasicTimer warnings)
