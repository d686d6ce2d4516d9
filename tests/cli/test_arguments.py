"""Arguments from outside (issue 16): bytes that are not UTF-8 and numbers too large for the
store are refused before any command runs, in one line with exit 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newsreader.cli import build_parser, run_command
from newsreader.main import main
from newsreader.paths import DataPaths
from tests.conftest import REPO

NOT_UTF8 = os.fsdecode(b"caf\xe9")  # what Python makes of a Latin-1 argument
HUGE = str(10**30)


def cli(paths: DataPaths, *argv: str) -> int:
    return run_command(build_parser().parse_args(["--data-dir", str(paths.root), *argv]))


@pytest.mark.parametrize(
    "argv",
    [
        ["comment", "1", NOT_UTF8],
        ["search", NOT_UTF8],
        ["add", f"https://f.example/{NOT_UTF8}"],
        ["show", HUGE],
        ["mark", "read", "1", HUGE],
        ["entries", "--limit", HUGE],
        ["entries", "--feed", HUGE],
    ],
)
def test_unusable_arguments_are_one_line_and_exit_2(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert cli(data_paths, *argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"newsreader {argv[0]}: error: argument ")
    assert not data_paths.store.exists()  # refused before the store was opened


def test_purge_days_out_of_range_is_a_usage_error(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli(data_paths, "purge", "--days", HUGE)
    assert exited.value.code == 2
    assert "from 0 to 100,000" in capsys.readouterr().err


def test_a_non_utf8_argument_from_a_real_command_line(data_paths: DataPaths) -> None:
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsreader",
            "--data-dir",
            str(data_paths.root),
            "search",
            b"caf\xe9",
        ],
        capture_output=True,
        cwd=REPO,
    )
    assert finished.returncode == 2
    assert finished.stderr.count(b"\n") == 1 and b"Traceback" not in finished.stderr


def test_a_file_name_may_be_any_bytes(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = data_paths.root / NOT_UTF8
    assert cli(data_paths, "import", str(missing)) == 1  # read and not found, not refused
    assert "argument" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "unknown"),
    [
        (["show", "9", "--jsno"], "--jsno"),
        (["stories", "--sinse", "2026-01-01"], "--sinse 2026-01-01"),
        (["stories", "extra"], "extra"),
        (["feed", "set", "3", "--nosuch"], "--nosuch"),  # a command's own action
    ],
)
def test_an_unknown_word_after_a_command_is_that_commands_error(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], argv: list[str], unknown: str
) -> None:
    """The command's usage line and name, not the top-level `usage: newsreader [--data-dir
    PATH] [TARGET | COMMAND ...]`; exit 2, before the store is opened."""
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(data_paths.root), *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    command = " ".join(word for word in argv if word in ("show", "stories", "feed", "set"))
    assert err.startswith(f"usage: newsreader {argv[0]} "), err
    assert err.endswith(f"newsreader {command}: error: unrecognized arguments: {unknown}\n"), err
    assert not data_paths.store.exists()


def test_an_unknown_option_before_the_command_stays_the_top_levels(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(data_paths.root), "--jsno", "feeds"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: newsreader [--data-dir PATH] [TARGET | COMMAND ...]\n"), err
    assert err.endswith("newsreader: error: unrecognized arguments: --jsno\n"), err


@pytest.mark.parametrize("argv", [["search", "-lang:en"], ["search", "--unread", "-sport"]])
def test_a_search_query_starting_with_a_dash_is_told_to_go_after_two_dashes(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(data_paths.root), *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.endswith(
        "newsreader search: error: the following arguments are required: QUERY; a query that "
        "starts with - goes after --, options before it (every word after -- is part of the "
        f"query): newsreader search{' --unread' if '--unread' in argv else ''} -- '{argv[-1]}'\n"
    ), err


def test_a_query_word_taken_for_an_option_before_other_words_gets_the_hint(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """`search -sport news` fills QUERY with "news" and leaves "-sport" unknown: the error
    still says where a query starting with - goes (a newcomer got no hint here)."""
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(data_paths.root), "search", "-sport", "news", "--limit", "3"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        "newsreader search: error: unrecognized arguments: -sport; a query that starts with "
        "- goes after --, options before it (every word after -- is part of the query): "
        "newsreader search --limit 3 -- '-sport' news\n"
    )


def test_search_help_says_options_go_before_the_two_dashes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`search -- -earthquake --limit 3` reads `--limit 3` as query words: the help says
    where options go."""
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "options go before -- (newsreader search --limit 3 -- -sport news)" in text
    assert "every word after -- is part of the query" in text


def test_options_may_stand_between_a_querys_words(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_paths.root), "search", "wolves", "--unread", "zoo"]) == 0
    assert capsys.readouterr().out == "nothing found for 'wolves zoo'\n"


def test_a_search_query_may_be_several_words(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_paths.root), "search", "--", "-sport", "news"]) == 0
    assert capsys.readouterr().out == "nothing found for '-sport news'\n"


def test_a_missing_search_query_alone_gets_no_hint_about_dashes(
    data_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--data-dir", str(data_paths.root), "search", "--unread"])
    assert capsys.readouterr().err.endswith(
        "newsreader search: error: the following arguments are required: QUERY\n"
    )


@pytest.mark.parametrize(
    ("command", "options"), [("stories", ["--since"]), ("export", ["--since", "--until"])]
)
def test_date_options_say_a_day_is_midnight_utc(
    capsys: pytest.CaptureFixture[str], command: str, options: list[str]
) -> None:
    """`stories` shows local times: that a bare date is a UTC day is said where it is given."""
    with pytest.raises(SystemExit):
        main([command, "--help"])
    helped = " ".join(capsys.readouterr().out.split())
    for option in options:
        said = helped.split(f"{option} DATE ", 1)[1]
        assert said.split(")", 1)[0].endswith("YYYY-MM-DD, midnight UTC, or an ISO date-time")
