"""The command line's behaviour at its edges: a closed pipe, an impossible data folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_output_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    opml = tmp_path / "subs.opml"
    outlines = "".join(
        f'<outline type="rss" text="Feed {n}" xmlUrl="http://127.0.0.1:9/{n}.xml"/>'
        for n in range(3000)
    )
    opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
    assert run_cli("import", str(opml), data_dir=data).returncode == 0
    # `newsreader feeds | head -1`: the reader closes the pipe after one line.
    with subprocess.Popen(
        [sys.executable, "-m", "newsreader", "--data-dir", str(data), "feeds"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as producer:
        assert producer.stdout is not None and producer.stderr is not None
        producer.stdout.readline()
        producer.stdout.close()
        stderr = producer.stderr.read().decode()
        producer.wait(timeout=60)
    assert "Traceback" not in stderr
    assert producer.returncode == 141


def test_data_dir_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli("feeds", data_dir=blocker / "data")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "newsreader feeds: error:" in result.stderr


def test_an_empty_data_dir_is_refused_not_read_as_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--data-dir=` (an unset shell variable) opened the default folder, a user's real
    library, unasked (a reviewer's run did)."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("NEWSREADER_DATA_DIR", raising=False)
    for args in (["--data-dir=", "feeds"], ["feeds", "--data-dir", ""], ["--data-dir", " "]):
        result = subprocess.run(
            [sys.executable, "-m", "newsreader", *args], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2, args
        assert "argument --data-dir: an empty folder name" in result.stderr
    assert not home.exists()
