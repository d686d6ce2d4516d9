"""A connection that breaks says why, even when the library's exception has no text."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from newsreader.model import AccountKind, AccountStatus
from newsreader.paths import DataPaths
from tests.accounts.helpers import add_account, sync


@pytest.fixture
def resetting_server() -> Iterator[int]:
    """A server on 127.0.0.1 that reads each request and resets the connection (a server
    stopped mid-sync): httpx raises ReadError with an empty message."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(5)


def test_a_reset_connection_gives_its_reason_not_empty_brackets(
    data_paths: DataPaths, resetting_server: int
) -> None:
    url = f"http://127.0.0.1:{resetting_server}/api/greader.php"
    account = add_account(data_paths, AccountKind.GREADER, url, "tester")

    result = sync(data_paths, account, password="secret")

    assert result.status is AccountStatus.OFFLINE
    assert result.message is not None
    assert "()" not in result.message
    assert "closed without an answer" in result.message
    assert "ReadError" in result.message
