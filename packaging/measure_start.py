"""Time from starting the packaged app to its window on screen, on a real X server (Xvfb).

    .venv/bin/python packaging/measure_start.py [--runs 5]

Starts Xvfb, then dist/newsreader/newsreader with a fresh HOME (the first run imports the
starter feeds and the welcome feed) and again on the same HOME (a normal start), and polls
`xwininfo` until a top-level window named "...Newsreader..." exists (Qt creates the X window
when the window is shown). Needs Xvfb and xwininfo (x11-utils). Prints the figures that
packaging/README.md reports.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dist" / "newsreader" / "newsreader"
DISPLAY = ":97"
TIMEOUT = 30.0


def window_shown(display: str) -> bool:
    result = subprocess.run(
        ["xwininfo", "-root", "-children", "-display", display],
        capture_output=True,
        text=True,
        check=False,
    )
    return any("Newsreader" in line and "x" in line for line in result.stdout.splitlines())


def time_to_window(home: Path, display: str) -> float:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "DISPLAY": display}
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(APP)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - started < TIMEOUT:
            if window_shown(display):
                return time.perf_counter() - started
            if process.poll() is not None:
                raise SystemExit(f"measure_start: the app exited with {process.returncode}")
            time.sleep(0.01)
        raise SystemExit("measure_start: no window within 30 s")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not APP.is_file():
        print("measure_start: build first (make package)", file=sys.stderr)
        return 1
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        print("measure_start: needs Xvfb and xwininfo", file=sys.stderr)
        return 1
    xvfb = subprocess.Popen(
        ["Xvfb", DISPLAY, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        first: list[float] = []
        again: list[float] = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as home:
                first.append(time_to_window(Path(home), DISPLAY))
                again.append(time_to_window(Path(home), DISPLAY))
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    size = sum(
        f.stat().st_size for f in APP.parent.rglob("*") if f.is_file() and not f.is_symlink()
    )
    print(f"package size unpacked: {size / 1e6:.1f} MB ({APP.parent})")
    print(
        f"start to window, first run: median {statistics.median(first):.2f} s "
        f"(min {min(first):.2f}, max {max(first):.2f}, {args.runs} runs)"
    )
    print(
        f"start to window, later starts: median {statistics.median(again):.2f} s "
        f"(min {min(again):.2f}, max {max(again):.2f}, {args.runs} runs)"
    )
    print(f"cpu cores: {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
