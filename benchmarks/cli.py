"""Command-line start-up: wall-clock time of whole `newsreader` processes, peers in the same run.

Builds a small store (20 feeds of 25 entries, written through `Store.apply_parsed_feed`) and a
small feed file in a temporary folder, then runs the commands N times in turns (one process
at a time, never in parallel) and prints each one's median and fastest wall-clock time in
milliseconds, the median's ratio to the bare interpreter (`python -c pass`) and its median CPU
time (user + system: what the machine's other work changes least). Peers in the same run:
`python -c "import feedparser"` (the usual Python feed library) and `newsboat -h` when
newsboat is installed.
A first run of every command is not counted: bytecode is cached, as for a user.
The issue's target is 150 ms for `--help` and the light commands.

The development environment installs Newsreader editable: setuptools' import hook, loaded by
a `.pth` file at every start of its Python, imports pathlib and importlib.util (~15-20 ms of
CPU). An installed wheel has no such hook. The light commands are timed again as a wheel
would start them: from a virtual environment whose `.pth` file only puts the checkout and the
libraries on `sys.path` ("as installed").

    .venv/bin/python benchmarks/cli.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FetchInfo, Store

FEEDS = 20
ENTRIES_PER_FEED = 25
SMALL_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Small</title><link>https://small.example/</link>
<item><title>First post</title><link>https://small.example/1</link>
<pubDate>Mon, 02 Mar 2026 09:00:00 +0000</pubDate>
<description>&lt;p&gt;Some &lt;b&gt;text&lt;/b&gt; about a release.&lt;/p&gt;</description></item>
<item><title>Second post</title><link>https://small.example/2</link>
<pubDate>Tue, 03 Mar 2026 09:00:00 +0000</pubDate>
<description>&lt;p&gt;More text about the release.&lt;/p&gt;</description></item>
</channel></rss>
"""


def build_store(data_dir: Path) -> int:
    """Fills a store in `data_dir`; returns the id of one entry (for `show`)."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with Store.open(DataPaths(data_dir)) as store:
        for f in range(FEEDS):
            feed_id = store.add_feed(f"https://feed{f}.example.org/feed").id
            entries = [
                ParsedEntry(
                    id=f"feed{f}-{e}",
                    title=f"Release {e} of project {f}",
                    link=f"https://feed{f}.example.org/posts/{e}",
                    published=start - timedelta(hours=e),
                    content=f"<p>Notes on release {e}: the parser, the store and the window.</p>",
                )
                for e in range(ENTRIES_PER_FEED)
            ]
            parsed = ParsedFeed(format="rss20", title=f"Project {f}", entries=tuple(entries))
            store.apply_parsed_feed(feed_id, parsed, FetchInfo(fetched_at=start))
        return store.list_entries(EntryQuery(limit=1))[0].id


def plain_install(folder: Path) -> Path:
    """A virtual environment in `folder` that finds Newsreader and its libraries on `sys.path`,
    as an installed wheel is found, with no import hook; returns its `newsreader` script (the
    console script's text, for this environment's Python)."""
    venv.create(folder, with_pip=False)
    site_packages = Path(
        sysconfig.get_path("purelib", vars={"base": str(folder), "platbase": str(folder)})
    )
    checkout = Path(__file__).resolve().parent.parent
    libraries = sysconfig.get_path("purelib")
    (site_packages / "newsreader-checkout.pth").write_text(f"{checkout}\n{libraries}\n")
    script = folder / "bin" / "newsreader"
    console_script = (Path(sys.executable).parent / "newsreader").read_text().split("\n", 1)[1]
    script.write_text(f"#!{folder / 'bin' / 'python'}\n{console_script}")
    script.chmod(0o755)
    return script


def time_commands(
    commands: list[list[str]], runs: int, env: dict[str, str]
) -> list[tuple[list[float], list[float]]]:
    """Per command, the wall-clock and the CPU seconds (user + system) of `runs` runs, after
    one uncounted run of each. The commands run in turns (one run of each, then the next
    round), so that the machine's other work weighs on all of them alike. Fails if a command
    does."""
    for command in commands:
        subprocess.run(command, env=env, check=True, capture_output=True)
    times: list[tuple[list[float], list[float]]] = [([], []) for _ in commands]
    for _ in range(runs):
        for command, (walls, cpus) in zip(commands, times, strict=True):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=11, help="counted runs per command")
    runs = options.parse_args().runs
    python = sys.executable
    newsreader = str(Path(python).parent / "newsreader")
    with tempfile.TemporaryDirectory(prefix="newsreader-cli-bench-") as folder:
        data_dir = Path(folder) / "data"
        entry_id = build_store(data_dir)
        small = Path(folder) / "small.xml"
        small.write_bytes(SMALL_FEED)
        installed = plain_install(Path(folder) / "venv")
        installed_python = str(installed.parent / "python")
        env = {**os.environ, "NEWSREADER_DATA_DIR": str(data_dir)}
        commands: list[tuple[str, list[str]]] = [
            ("python -c pass (floor)", [python, "-c", "pass"]),
            ("newsreader --version", [newsreader, "--version"]),
            ("newsreader --help", [newsreader, "--help"]),
            ("newsreader parse small.xml", [newsreader, "parse", str(small)]),
            ("newsreader feeds", [newsreader, "feeds"]),
            ("newsreader entries", [newsreader, "entries", "--limit", "20"]),
            (f"newsreader show {entry_id}", [newsreader, "show", str(entry_id)]),
            ("newsreader search release", [newsreader, "search", "release"]),
            ("as installed: python -c pass", [installed_python, "-c", "pass"]),
            ("as installed: newsreader --help", [str(installed), "--help"]),
            ("as installed: newsreader parse small.xml", [str(installed), "parse", str(small)]),
            ("peer: python -c 'import feedparser'", [python, "-c", "import feedparser"]),
        ]
        if shutil.which("newsboat"):
            commands.append(("peer: newsboat -h", ["newsboat", "-h"]))
        print(f"{runs} runs each, one process at a time, in turns; load average {os.getloadavg()}")
        print(f"{'command':40} {'median ms':>10} {'min ms':>8} {'x floor':>8} {'CPU ms':>8}")
        times = time_commands([command for _, command in commands], runs, env)
        floor = statistics.median(times[0][0])
        for (label, _), (walls, cpus) in zip(commands, times, strict=True):
            median = statistics.median(walls)
            ms = f"{median * 1000:10.0f} {min(walls) * 1000:8.0f}"
            print(f"{label:40} {ms} {median / floor:8.1f} {statistics.median(cpus) * 1000:8.0f}")
        print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
