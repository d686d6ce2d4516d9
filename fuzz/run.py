"""Runs every fuzz target (fuzz/harness.py) for a given time and reports runs and crashes.

    .venv/bin/python fuzz/run.py [--seconds 60] [--targets feed,opml,discover,html]
    .venv/bin/python fuzz/run.py --replay        # what CI runs: the same inputs every time

Each target starts from its seeds (fuzz/seeds/TARGET/, small documents of our own) and the
shared real-world corpus when it is there (../shared/corpus/real-world/, read in place); what
libFuzzer learns goes to fuzz/corpus/TARGET/ (kept between runs, not in git). A crashing, too
slow (over --timeout seconds) or memory-hungry input is saved as fuzz/crashes/TARGET-*; turn
it into a regression test in tests/parse/test_fuzz_regressions.py. Exits 1 if any target
crashed.

`--replay` is for CI: a fixed seed, a fixed number of inputs per target and a fresh corpus, so
it runs the same inputs on every machine and a submission passes or fails on its code alone
(a time-limited run explores a different path each time and may find a new crash on CI that
no local run saw). Open-ended search stays with `make fuzz`.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REAL_WORLD = REPO.parent / "shared" / "corpus" / "real-world"
TARGETS = ("feed", "opml", "discover", "html")
REPLAY_SEED = 1
REPLAY_RUNS = {"feed": 1500, "opml": 4000, "discover": 8000, "html": 800}
"""Inputs per target in a replay: about 20 s each on a quiet CI core."""
_RUNS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")


def run_target(target: str, limit: list[str], timeout: int, corpus: Path) -> tuple[int, list[Path]]:
    """(inputs run, crash files written) for one target; `limit` is libFuzzer's stopping
    options (`-max_total_time=S`, or `-runs=N -seed=K` for a replay)."""
    corpus.mkdir(parents=True, exist_ok=True)
    crashes = HERE / "crashes"
    crashes.mkdir(exist_ok=True)
    before = set(crashes.glob(f"{target}-*"))
    seeds = [HERE / "seeds" / target]
    if REAL_WORLD.is_dir():
        seeds.append(REAL_WORLD)
    command = [
        sys.executable,
        str(HERE / "harness.py"),
        target,
        *limit,
        f"-timeout={timeout}",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        "-print_final_stats=1",
        f"-artifact_prefix={crashes}/{target}-",
        str(corpus),
        *map(str, seeds),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, errors="replace")
    runs = sum(int(found) for found in _RUNS.findall(finished.stderr))
    new = sorted(set(crashes.glob(f"{target}-*")) - before)
    if finished.returncode != 0 and not new:
        print(finished.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"fuzz target {target} failed to run (exit {finished.returncode})")
    if new:  # the traceback, so a crash found on CI can be fixed without its file
        print(_last_traceback(finished.stderr), file=sys.stderr)
    return runs, new


def _last_traceback(stderr: str) -> str:
    """The last Python traceback libFuzzer's output holds (or its last lines)."""
    start = stderr.rfind("Traceback (most recent call last)")
    return stderr[start:][:4000] if start >= 0 else stderr[-2000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--replay", action="store_true", help="fixed inputs, as CI runs it")
    args = parser.parse_args()
    crashed = False
    with tempfile.TemporaryDirectory(prefix="fuzz-replay-") as fresh:
        for target in args.targets.split(","):
            if args.replay:
                limit = [f"-runs={REPLAY_RUNS[target]}", f"-seed={REPLAY_SEED}"]
                corpus, told = Path(fresh) / target, f"seed {REPLAY_SEED}"
            else:
                limit = [f"-max_total_time={args.seconds}"]
                corpus, told = HERE / "corpus" / target, f"{args.seconds} s"
            runs, crashes = run_target(target, limit, args.timeout, corpus)
            crashed = crashed or bool(crashes)
            names = ", ".join(p.name for p in crashes) or "none"
            print(f"{target:<9} {runs:>9,} runs ({told})   crashes: {names}", flush=True)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
