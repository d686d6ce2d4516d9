"""The table of commands, and what registering a command needs: light enough that
`newsreader --help` lists every command from here without importing any command's module
(their records, store and parser code take ~0.1 s to load), and a command line that names a
command imports that command's module only (`build_parser` in `newsreader.cli`).

Each module of `newsreader.cli` named in `COMMANDS` exposes `register(subparsers, common)`,
which adds a parser for each of its commands, with the one-line help of `command_help`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, which type checkers read alike (PEP 781),
# without loading `typing` (~3 ms of the ~60 of `newsreader --help`)
if TYPE_CHECKING:
    from datetime import datetime

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Subparsers = argparse._SubParsersAction
Register = Callable[[Subparsers, argparse.ArgumentParser], None]
"""A command module's `register(subparsers, common)`: adds a parser for each of its commands,
with `handler=` defaults."""

DATA_DIR_OPTION = "--data-dir"
"""The one option taking a value that goes before a command (and after it, for every command)."""

# One command per line: name, the module registering it, the help line `--help` shows. In the
# order of `--help`, which is the order the modules register their commands in.
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("sync_cmds", "subscribe to a feed, or to a feed a web page links to"),
    "sync": (
        "sync_cmds",
        "fetch the feeds that are due (or all, or the named ones) and sync the accounts",
    ),
    "feed": ("sync_cmds", "fetch options of one feed"),
    "parse": ("parse_cmd", "parse feed files and print what they hold"),
    "extract": ("extract_cmd", "extract the article of saved web pages"),
    "export": ("export_cmd", "export articles to HTML, Markdown, text, PDF, EPUB or JSON"),
    "install-desktop-entry": (
        "desktop_cmd",
        "add Newsreader to the Linux applications menu (for pip installs)",
    ),
    "uninstall-desktop-entry": (
        "desktop_cmd",
        "remove the menu entry and icons again (your data stays)",
    ),
    "import": ("library_cmds", "subscribe to the feeds of an OPML file"),
    "export-opml": ("library_cmds", "write the subscriptions as an OPML file"),
    "feeds": ("library_cmds", "list the subscriptions with their status"),
    "entries": ("library_cmds", "list entries, newest first"),
    "search": ("library_cmds", "search entries: words, phrases, fields, dates, patterns"),
    "show": ("library_cmds", "print one entry: title, source, date, link and text"),
    "mark": ("library_cmds", "mark entries read or unread, starred or not"),
    "comment": ("library_cmds", "write, edit or delete a comment"),
    "comments": ("library_cmds", "print the comments on an entry, threaded"),
    "purge": (
        "library_cmds",
        "delete old read entries (never starred ones or ones you commented)",
    ),
    "vacuum": ("library_cmds", "compact the store file"),
    "fetch-article": (
        "fulltext_cmds",
        "fetch the full article of entries from their web pages now",
    ),
    "stories": ("stories_cmd", "list stories: the same event reported by several feeds"),
    "account": ("account_cmds", "feed-server accounts (Google Reader API, Fever API)"),
    "tag": ("rules_cmds", "tag entries"),
    "untag": ("rules_cmds", "remove a tag from entries"),
    "tags": ("rules_cmds", "list the tags in use with their entry counts"),
    "searches": ("rules_cmds", "saved searches (smart feeds)"),
    "rules": ("rules_cmds", "rules: searches with actions, run on new entries"),
    "unsubscribe": ("subscription_cmds", "stop following a feed and delete its entries"),
    "rename": ("subscription_cmds", "give a feed its own title"),
    "move": ("subscription_cmds", "put a feed into a folder"),
    "folder": ("subscription_cmds", "add, rename or remove folders"),
}
"""Each command's name: the module of `newsreader.cli` that registers it, and its help line."""


def command_help(name: str) -> str:
    """The help line of command `name` (a key of `COMMANDS`), for the module registering it."""
    return COMMANDS[name][1]


def common_options(*, suppress_defaults: bool) -> argparse.ArgumentParser:
    """Options accepted both before and after the subcommand.

    Subcommand parsers suppress their defaults so that `newsreader --data-dir X feeds` is not
    overwritten by the subparser's own default.
    """
    default = argparse.SUPPRESS if suppress_defaults else None
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        DATA_DIR_OPTION,
        metavar="PATH",
        type=folder_name,
        default=default,
        help="folder holding the store and caches (default: $NEWSREADER_DATA_DIR, else the "
        "platform's user data folder)",
    )
    return parser


def folder_name(value: str) -> str:
    """`--data-dir`'s value: any path but an empty one, which would otherwise read as no
    option at all and open the default folder (a user's real library) unasked."""
    if not value.strip():
        raise argparse.ArgumentTypeError(
            "an empty folder name (leave the option out for the default)"
        )
    return value


def date_argument(text: str) -> datetime:
    """A `--since`/`--until` value (YYYY-MM-DD, midnight UTC, or an ISO 8601 date-time) as an
    aware UTC datetime; anything else is a usage error (exit 2) before the command runs."""
    from newsreader.errors import ExportError
    from newsreader.export.scope import parse_date

    try:
        return parse_date(text)
    except ExportError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable JSON output")
