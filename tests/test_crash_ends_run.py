"""A crash anywhere in the suite ends `make test` at once with the crash's traceback, never a
hang: the options `make test` runs pytest with (read from the Makefile, so the test follows
them) are tried on a throwaway suite in which one test kills its worker with SIGSEGV."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CRASHING = """
import faulthandler

def test_crashes():
    faulthandler._sigsegv()
"""
# Files the lost worker's replacement would have had to run: with --dist loadfile, xdist can
# wait for them forever once their worker is gone.
FILLER = """
def test_ok_{n}():
    assert True
"""


def makefile_value(name: str) -> list[str]:
    text = (REPO / "Makefile").read_text()
    match = re.search(rf"^{name} :?= (.*)$", text, re.MULTILINE)
    assert match, f"{name} not set in the Makefile"
    return shlex.split(match.group(1))


def test_a_worker_crash_ends_the_run_with_its_traceback(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_a_crash.py").write_text(CRASHING)
    for n in range(6):
        (tmp_path / f"test_filler_{n}.py").write_text(FILLER.format(n=n))
    command = [
        *makefile_value("PYTEST_GUARD"),
        sys.executable,
        "-m",
        "pytest",
        *makefile_value("PYTEST_PARALLEL"),
        "-p",
        "no:cacheprovider",
        str(tmp_path),
    ]
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=240, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode not in (0, 124), output  # failed, and not by the outer time limit
    assert "Fatal Python error: Segmentation fault" in output, output
    assert "test_a_crash.py" in output, output  # the traceback names where it crashed
    assert "worker restarting disabled" in output, output
