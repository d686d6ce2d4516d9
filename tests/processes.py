"""Child Python processes for tests that start the app (or part of it) as a user's second
start, a logout or a crash would: each is ended and reaped with its test, so none outlives it
(a leftover one is a whole second app, and its unread pipes surface later as warnings)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence


class Children:
    """Starts Python children and, on `reap`, kills and waits for those still running."""

    def __init__(self) -> None:
        self._started: list[subprocess.Popen[str]] = []

    def python(
        self, args: Sequence[str], env: Mapping[str, str] | None = None
    ) -> subprocess.Popen[str]:
        """`python ARGS...` with pipes for stdout and stderr (text)."""
        process = subprocess.Popen(
            [sys.executable, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=None if env is None else {**os.environ, **env},
        )
        self._started.append(process)
        return process

    def reap(self) -> None:
        for process in self._started:
            if process.poll() is None:
                process.kill()
            process.communicate()
