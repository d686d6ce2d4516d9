"""One instance per data folder, proven through real local sockets: the running side is an
InstanceServer in this process, the second start is a real separate process."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDir, Qt, QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from newsreader.errors import InstanceNotAnsweringError, OpenTargetError
from newsreader.feedurl import OpenTarget, TargetKind
from newsreader.gui.single_instance import (
    WINDOW_LOCK,
    FileOpenFilter,
    InstanceServer,
    claim_or_hand_over,
    decode_request,
    encode_request,
    hand_over,
    serve,
    server_name,
)
from newsreader.paths import DataPaths
from tests.processes import Children


@pytest.fixture
def server(qtbot: QtBot, data_paths: DataPaths) -> Iterator[InstanceServer]:
    instance = InstanceServer(server_name(data_paths))
    assert instance.listen()
    yield instance
    instance.close()


SecondStart = Callable[[str], "subprocess.Popen[str]"]


@pytest.fixture
def second_start() -> Iterator[SecondStart]:
    """Runs code in a fresh interpreter, as a second start of the app would."""
    children = Children()
    yield lambda code: children.python(["-c", code])
    children.reap()


def test_names_differ_per_data_folder_and_are_stable(tmp_path: Path) -> None:
    one = server_name(DataPaths(tmp_path / "one"))
    assert one == server_name(DataPaths(tmp_path / "one"))
    assert one != server_name(DataPaths(tmp_path / "two"))
    assert one.startswith("newsreader-") and len(one) < 40


def test_request_lines_round_trip() -> None:
    target = OpenTarget(TargetKind.SUBSCRIBE, "https://example.org/feed")
    assert decode_request(encode_request(target)) == target
    assert decode_request(encode_request(None)) is None
    for bad in [b"rm -rf /\n", b"open {}\n", b"\xff\xfe\n"]:
        with pytest.raises(OpenTargetError):
            decode_request(bad)


def test_no_running_instance_means_start_yourself(data_paths: DataPaths) -> None:
    assert hand_over(server_name(data_paths), None, timeout_ms=200) is False


def test_second_process_hands_its_target_over(
    qtbot: QtBot, server: InstanceServer, data_paths: DataPaths, second_start: SecondStart
) -> None:
    target = OpenTarget(TargetKind.IMPORT_OPML, "/tmp/subscriptions é.opml")
    code = (
        "from newsreader.feedurl import OpenTarget\n"
        "from newsreader.gui.single_instance import hand_over\n"
        f"print(hand_over({server.name!r}, OpenTarget.from_json({target.to_json()!r})))\n"
    )
    with qtbot.waitSignal(server.open_requested, timeout=60000) as received:
        process = second_start(code)
    out, err = process.communicate(timeout=60)
    assert received.args == [target]
    assert process.returncode == 0, err
    assert out.strip() == "True"


def test_started_again_with_a_feed_link_the_app_hands_it_over_and_exits(
    qtbot: QtBot, server: InstanceServer, data_paths: DataPaths, second_start: SecondStart
) -> None:
    code = (
        "import sys\nfrom newsreader.main import main\n"
        f"sys.exit(main(['--data-dir', {str(data_paths.root)!r}, 'feed:https://Example.org/rss']))\n"
    )
    with qtbot.waitSignal(server.open_requested, timeout=60000) as received:
        process = second_start(code)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert received.args == [OpenTarget(TargetKind.SUBSCRIBE, "https://example.org/rss")]


def test_started_again_without_arguments_brings_the_window_forward(
    qtbot: QtBot, server: InstanceServer, data_paths: DataPaths, second_start: SecondStart
) -> None:
    code = (
        "import sys\nfrom newsreader.main import main\n"
        f"sys.exit(main(['--data-dir', {str(data_paths.root)!r}]))\n"
    )
    with qtbot.waitSignal(server.activate_requested, timeout=60000):
        process = second_start(code)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err


def test_garbage_is_dropped_and_the_server_keeps_serving(
    qtbot: QtBot, server: InstanceServer, second_start: SecondStart
) -> None:
    received: list[object] = []
    server.open_requested.connect(received.append)
    intruder = QLocalSocket()
    intruder.connectToServer(server.name)
    assert intruder.waitForConnected(2000)
    intruder.write(b"format c:\n")
    intruder.flush()
    qtbot.waitUntil(lambda: intruder.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    code = (
        "from newsreader.gui.single_instance import hand_over\n"
        f"print(hand_over({server.name!r}, None))\n"
    )
    with qtbot.waitSignal(server.activate_requested, timeout=60000):
        process = second_start(code)
    out, _ = process.communicate(timeout=60)
    assert out.strip() == "True"
    assert received == []


def test_a_crashed_instance_leaves_no_lock_behind(qtbot: QtBot, data_paths: DataPaths) -> None:
    name = server_name(data_paths)
    stale = Path(QDir.tempPath()) / name
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(stale))  # a socket file that nobody will ever accept on
    dead.close()
    try:
        instance = InstanceServer(name)
        assert instance.listen()
        instance.close()
    finally:
        stale.unlink(missing_ok=True)


def test_a_live_instance_keeps_its_name(qtbot: QtBot, server: InstanceServer) -> None:
    rival = InstanceServer(server.name)
    assert rival.listen() is False


def test_serve_raises_the_window_and_passes_the_target_on(
    qtbot: QtBot, data_paths: DataPaths, second_start: SecondStart
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    opened: list[OpenTarget] = []
    instance = serve(window, data_paths, opened.append)
    target = OpenTarget(TargetKind.SUBSCRIBE, "https://example.org/feed")
    code = (
        "from newsreader.feedurl import OpenTarget\n"
        "from newsreader.gui.single_instance import hand_over\n"
        f"print(hand_over({instance.name!r}, OpenTarget.from_json({target.to_json()!r})))\n"
    )
    process = second_start(code)
    qtbot.waitUntil(lambda: opened == [target], timeout=60000)
    process.communicate(timeout=60)
    assert window.isVisible()
    assert not window.windowState() & Qt.WindowState.WindowMinimized
    instance.close()


def test_macos_file_open_events_become_open_requests(qtbot: QtBot, tmp_path: Path) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    file_open = FileOpenFilter()
    received: list[object] = []
    file_open.open_requested.connect(received.append)
    app.installEventFilter(file_open)
    try:
        QCoreApplication.sendEvent(app, QFileOpenEvent(QUrl("feed://Example.org/rss")))
        opml = tmp_path / "list.opml"
        QCoreApplication.sendEvent(app, QFileOpenEvent(QUrl.fromLocalFile(str(opml))))
        QCoreApplication.sendEvent(app, QFileOpenEvent(QUrl("javascript:alert(1)")))
    finally:
        app.removeEventFilter(file_open)
    assert received == [
        OpenTarget(TargetKind.SUBSCRIBE, "http://example.org/rss"),
        OpenTarget(TargetKind.IMPORT_OPML, str(opml)),
    ]


HOLD_LOCK = (
    "import os, sys, time\n"
    "from PySide6.QtCore import QLockFile\n"
    "lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0); assert lock.tryLock(0)\n"
    "print('locked', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
    "os._exit(0)  # as a crash: the lock file stays behind\n"
)


def test_two_starts_at_once_open_one_window(
    qtbot: QtBot, data_paths: DataPaths, second_start: SecondStart
) -> None:
    lock = claim_or_hand_over(data_paths, None)  # this process: the first start, still loading
    assert lock is not None
    try:
        code = (
            "import logging, sys\nfrom newsreader.main import main\n"
            "logging.basicConfig(level=logging.INFO, format='%(message)s')\n"
            f"sys.exit(main(['--data-dir', {str(data_paths.root)!r}, 'feed://example.org/a']))\n"
        )
        process = second_start(code)
        assert process.stderr is not None
        said: list[str] = []
        while not any("waiting for its window" in line for line in said):
            said.append(process.stderr.readline())  # until the second start says it waits
            assert said[-1], f"the second start ended without waiting: {said}"
        assert process.poll() is None
        instance = InstanceServer(server_name(data_paths))
        with qtbot.waitSignal(instance.open_requested, timeout=60000) as received:
            assert instance.listen()
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert received.args == [OpenTarget(TargetKind.SUBSCRIBE, "http://example.org/a")]
        instance.close()
    finally:
        lock.unlock()


def test_a_lock_left_by_a_crashed_start_is_taken_over(data_paths: DataPaths) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", HOLD_LOCK, str(data_paths.root / WINDOW_LOCK), "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )  # exits without unlocking: the file stays, naming a process that is gone
    assert crashed.stdout.strip() == "locked"
    assert (data_paths.root / WINDOW_LOCK).exists()
    lock = claim_or_hand_over(data_paths, None, wait_seconds=5)
    assert lock is not None and lock.isLocked()
    lock.unlock()


def test_a_start_that_never_shows_its_window_is_reported(data_paths: DataPaths) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(data_paths.root / WINDOW_LOCK), "60"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(InstanceNotAnsweringError, match="did not open its window"):
            claim_or_hand_over(data_paths, None, wait_seconds=1)
    finally:
        holder.kill()
        holder.communicate(timeout=60)
