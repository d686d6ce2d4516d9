"""SIGTERM and SIGINT end the app as its Quit action does.

A desktop session that logs out, a service manager, `kill` and Ctrl+C in the terminal that
started the app send these. Python's default would end the process on the spot (SIGTERM) or
raise KeyboardInterrupt wherever the GUI thread happens to be (SIGINT), so the window state,
undo operations waiting to become final and the parse processes would not be closed.

Qt's event loop runs in C++, where Python signal handlers cannot run, so the C-level handler's
wake-up byte (`signal.set_wakeup_fd`) goes to a socket a QSocketNotifier watches: the GUI
thread wakes, Python runs the handler, which only notes the signal, and the notifier's slot
then asks for the quit from a clean point of the event loop. This is the usual pattern for Qt
with Python (see the Python docs for `signal.set_wakeup_fd`).
"""

from __future__ import annotations

import signal
import socket
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

HANDLED = (signal.SIGTERM, signal.SIGINT)


class TerminationWatcher(QObject):
    """Emits `requested` (the signal number) on the GUI thread once SIGTERM or SIGINT came.
    Create it on the main thread (only it may install signal handlers)."""

    requested = Signal(int)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._received: list[int] = []
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wake)
        for number in HANDLED:
            signal.signal(number, self._note)

    def _note(self, number: int, frame: FrameType | None) -> None:
        self._received.append(number)

    def _wake(self) -> None:
        try:
            while self._reader.recv(512):
                pass
        except BlockingIOError:
            pass
        if self._received:
            number = self._received[0]
            self._received.clear()
            QTimer.singleShot(0, lambda: self.requested.emit(number))

    def close(self) -> None:
        """Gives the signals back to Python's defaults (the app is ending)."""
        for number in HANDLED:
            signal.signal(
                number, signal.SIG_DFL if number == signal.SIGTERM else signal.default_int_handler
            )
        signal.set_wakeup_fd(-1)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
