"""One window per data folder: a second start hands its request to the running window.

The running window listens on a QLocalServer whose name is derived from the data folder (and
the user), so two data folders can run side by side. A second `newsreader [TARGET]` connects
with a QLocalSocket, sends one line and waits for "ok": the window comes forward and, when a
target was given, asks to subscribe or import. Only when nothing listens does it start itself,
and then only if it gets the data folder's `window.lock` (`claim_or_hand_over`): of two starts
at the same moment one opens the window and the other waits to hand over.

Wire format, one UTF-8 line each way:  `activate` | `open {"kind": ..., "value": ...}`  ->  `ok`
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLockFile, QObject, Qt, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from newsreader.errors import InstanceNotAnsweringError, OpenTargetError
from newsreader.feedurl import OpenTarget, resolve_open_target
from newsreader.paths import DataPaths

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 16 * 1024
WINDOW_LOCK = "window.lock"
ACK = b"ok\n"
_ACTIVATE = "activate"
_OPEN = "open "


def server_name(paths: DataPaths) -> str:
    """A socket name unique to this user and data folder, short enough for any platform."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (containers): the folder alone still separates
        user = ""
    key = f"{user}\0{paths.root.expanduser().resolve()}"
    return "newsreader-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def encode_request(target: OpenTarget | None) -> bytes:
    line = _ACTIVATE if target is None else _OPEN + target.to_json()
    return line.encode("utf-8") + b"\n"


def decode_request(line: bytes) -> OpenTarget | None:
    """The target a request line carries (None: just come forward); bad lines raise."""
    try:
        text = line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise OpenTargetError("the request is not UTF-8 text") from error
    if text == _ACTIVATE:
        return None
    if text.startswith(_OPEN):
        return OpenTarget.from_json(text[len(_OPEN) :])
    raise OpenTargetError(f"unknown request: {text[:40]!r}")


def hand_over(name: str, target: OpenTarget | None, timeout_ms: int = 3000) -> bool:
    """Gives the request to a running instance. False when none runs: start the window.

    Needs no QApplication: the socket is used with blocking waits.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(encode_request(target))
    socket.flush()
    reply = b""
    while not reply.endswith(b"\n") and socket.waitForReadyRead(timeout_ms):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if reply != ACK:
        raise InstanceNotAnsweringError(
            "Newsreader is already running for this data folder but did not answer; "
            "close it (or end the process) and try again"
        )
    return True


def claim_or_hand_over(
    paths: DataPaths, target: OpenTarget | None, wait_seconds: float = 20.0
) -> QLockFile | None:
    """Hands `target` to the window running for `paths` (returns None), or returns the lock
    that makes this process the one to open it (hold it while the window runs).

    Two starts at once (a desktop opening two files launches two processes) would both find
    no server yet; the lock file in the data folder lets only one open a window while the
    other waits for its server and hands over. A lock left by a crashed process is taken over
    (QLockFile checks that its process still lives).
    """
    name = server_name(paths)
    if hand_over(name, target):
        return None
    paths.ensure()
    lock = QLockFile(str(paths.root / WINDOW_LOCK))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it ran
    deadline = time.monotonic() + wait_seconds
    waiting = False
    while not lock.tryLock(0):
        if not waiting:  # said once (INFO): a second start waits for the first one's window
            log.info("another Newsreader is starting for %s: waiting for its window", paths.root)
            waiting = True
        if hand_over(name, target, timeout_ms=500):
            return None
        if time.monotonic() > deadline:
            raise InstanceNotAnsweringError(
                "another Newsreader is starting for this data folder but did not open its "
                "window; close it (or end the process) and try again"
            )
        time.sleep(0.1)
    return lock


class _Request(QObject):
    """One incoming connection: collects its line, answers "ok", reports what it asked.

    A child of its socket, connected only to Qt objects, so that nothing of it outlives the
    socket or the server (plain Python callbacks on socket signals could run while Qt tears
    the server down).
    """

    received = Signal(object)  # OpenTarget, or None for "come forward"

    def __init__(self, socket: QLocalSocket) -> None:
        super().__init__(socket)
        self._socket = socket
        self._data = b""
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(socket.deleteLater)
        if socket.bytesAvailable():
            self._read()

    def _read(self) -> None:
        self._data += bytes(self._socket.readAll().data())
        if b"\n" not in self._data:
            if len(self._data) > MAX_REQUEST_BYTES:
                self._socket.abort()
            return
        line = self._data.split(b"\n", 1)[0]
        self._data = b""
        try:
            target = decode_request(line)
        except OpenTargetError:
            self._socket.abort()
            return
        self._socket.write(ACK)
        self._socket.flush()
        self._socket.disconnectFromServer()
        self.received.emit(target)


class InstanceServer(QObject):
    """Listens for later starts of the app; emits what they asked for."""

    activate_requested = Signal()
    open_requested = Signal(object)  # OpenTarget

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    @property
    def name(self) -> str:
        return self._name

    def listen(self) -> bool:
        """Starts listening; False when another live instance already owns the name.

        Probes first: with access options Qt would silently take over a live name. A name left
        behind by a crashed instance (a socket file nobody answers on) is removed.
        """
        probe = QLocalSocket()
        probe.connectToServer(self._name)
        if probe.waitForConnected(500):
            probe.abort()
            return False
        QLocalServer.removeServer(self._name)
        return self._server.listen(self._name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            request = _Request(self._server.nextPendingConnection())
            request.received.connect(self._dispatch)

    def _dispatch(self, target: object) -> None:
        if target is None:
            self.activate_requested.emit()
        elif isinstance(target, OpenTarget):
            self.open_requested.emit(target)


def bring_to_front(window: QWidget) -> None:
    """Shows, un-minimises and raises the window; the desktop may still refuse focus."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


class FileOpenFilter(QObject):
    """macOS does not start the app again for a double-clicked .opml file or feed: link; it
    sends the running app a QFileOpenEvent. This turns those into open requests too."""

    open_requested = Signal(object)  # OpenTarget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return super().eventFilter(watched, event)
        url = event.url()
        text = event.file() if url.isLocalFile() or not url.isValid() else url.toString()
        try:
            target = resolve_open_target(text, Path.home())
        except OpenTargetError:
            return True
        self.open_requested.emit(target)
        return True


def serve(
    window: QWidget, paths: DataPaths, on_open: Callable[[OpenTarget], None]
) -> InstanceServer:
    """Makes `window` the instance for `paths`: later starts bring it forward and pass targets.

    Call once the QApplication and the window exist. If the name cannot be taken the window
    still works; it just does not receive hand-overs (returned server is not listening).
    Files and links the system sends as QFileOpenEvent (macOS) are handled the same way.
    """
    server = InstanceServer(server_name(paths), window)
    server.listen()
    server.activate_requested.connect(lambda: bring_to_front(window))

    def open_target(target: object) -> None:
        bring_to_front(window)
        if isinstance(target, OpenTarget):
            on_open(target)

    server.open_requested.connect(open_target)
    app = QCoreApplication.instance()
    # Only macOS sends these; elsewhere a filter on the application would cost a Python call
    # per event for nothing.
    if app is not None and sys.platform == "darwin":
        file_open = FileOpenFilter(server)
        file_open.open_requested.connect(open_target)
        app.installEventFilter(file_open)
    return server
