"""`newsreader --self-test`: passes on a working installation, names what fails otherwise."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from pytestqt.qtbot import QtBot

from newsreader import selftest

FORMATS = ("html", "md", "txt", "pdf", "epub", "json")


def test_self_test_passes_and_reports_every_check(qtbot: QtBot) -> None:
    out = io.StringIO()
    assert selftest.run_self_test(out) == 0, out.getvalue()
    report = out.getvalue()
    checks = ("store", "welcome feed", "certificates", "window", *(f"export {f}" for f in FORMATS))
    for name in checks:
        assert f"ok   {name}" in report
    assert "self-test passed: 10 checks" in report


def test_a_failing_check_is_named_and_the_exit_code_is_1(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (*selftest.CHECKS, ("export doc", selftest._export_check("doc")))
    monkeypatch.setattr(selftest, "CHECKS", broken)
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    report = out.getvalue()
    assert "FAIL export doc" in report
    assert "self-test FAILED (1 of 11): export doc" in report
    assert "ok   export epub" in report  # the other checks still ran


def test_the_command_line_flag_runs_it() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsreader", "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
