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
    from collections.abc import Sequence
    from datetime import datetime
    from typing import NoReturn

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


class CommandParser(argparse.ArgumentParser):
    """A command's parser (every parser below the top-level one): a word it does not know is
    its own error, under its own usage line (`newsreader show: error: unrecognized arguments:
    --jsno`), not the top-level parser's, which would show `newsreader`'s usage; and when a
    positional argument is missing while a word starting with - was not known, the error says
    that such a value goes after `--` (`newsreader search -- '-lang:en'`)."""

    _words: Sequence[str] = ()
    _plain = False  # inside argparse's intermixed parsing, which calls this twice itself

    def parse_known_args(  # type: ignore[override]  # as a subparsers action calls it
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._plain:
            return super().parse_known_args(args, namespace)
        self._words = () if args is None else args
        if self._takes_word_lists() and "--" not in self._words:  # (intermixed mistakes --)
            # Options between the words (`comment 12 --reply-to 5 "Agreed"`, `search
            # climate --unread policy`): argparse alone takes only the words before them.
            self._plain = True
            try:
                parsed, extras = super().parse_known_intermixed_args(args, namespace)
            finally:
                self._plain = False
        else:
            parsed, extras = super().parse_known_args(args, namespace)
        if extras:  # every word after the command is its parser's: none is left to the top
            self.error("unrecognized arguments: " + " ".join(extras))
        return parsed, extras

    def _takes_word_lists(self) -> bool:
        """Whether a positional takes one or more words and no subcommand follows (argparse's
        intermixed parsing refuses subcommands)."""
        return not any(isinstance(a, argparse._SubParsersAction) for a in self._actions) and any(
            not a.option_strings and a.nargs in ("+", "*") for a in self._actions
        )

    def error(self, message: str) -> NoReturn:
        required = "the following arguments are required: "
        if message.startswith(required):
            message += self._dash_hint(message.removeprefix(required).split(", "))
        elif message.startswith("unrecognized arguments: ") and self._takes_words():
            message += self._dash_hint(self._positional_names()[:1], single_dash=True)
        super().error(message)

    def _takes_words(self) -> bool:
        """Whether the first positional is free words (`search QUERY...`), which a word
        starting with - may belong to, rather than one value such as an id."""
        first = next((a for a in self._actions if not a.option_strings), None)
        return first is not None and first.nargs == "+"

    def _positional_names(self) -> list[str]:
        return [
            a.metavar if isinstance(a.metavar, str) else a.dest
            for a in self._actions
            if not a.option_strings
        ]

    def _dash_hint(self, names: list[str], *, single_dash: bool = False) -> str:
        """The hint for a positional among `names` (missing, or taken by a later word) when
        a word starting with - (with `single_dash`, not --: that is a mistyped option) that
        is no option of this parser was given ("" when none): that word and the plain words
        after it, put after `--`."""
        name = next((name for name in names if name in self._positional_names()), None)
        if name is not None and name in self._action_names():
            return ""  # a missing ACTION: an unknown option is no action put after --
        words = list(self._words)
        words = words[: words.index("--")] if "--" in words else words
        start = next(
            (
                i
                for i, w in enumerate(words)
                if self._unknown_option(w) and not (single_dash and w.startswith("--"))
            ),
            None,
        )
        if name is None or start is None:
            return ""
        import shlex  # not at start-up: an error's only

        value = [words[start]]
        for word in words[start + 1 :]:
            if word.startswith("-"):
                break
            value.append(word)
        first = f"'{value[0]}'" if "'" not in value[0] else shlex.quote(value[0])
        quoted = " ".join([first, *map(shlex.quote, value[1:])])
        # the other words (options, mostly) stay where they are read as such: before --
        others = [*words[:start], *words[start + len(value) :]]
        before = "".join(f" {shlex.quote(word)}" for word in others)
        article = "an" if name[:1].lower() in "aeiou" else "a"
        return (
            f"; {article} {name.lower()} that starts with - goes after --, options before it "
            f"(every word after -- is part of the {name.lower()}): "
            f"{self.prog}{before} -- {quoted}"
        )

    def _action_names(self) -> list[str]:
        """The names of this parser's subcommand positionals (ACTION)."""
        return [
            a.metavar if isinstance(a.metavar, str) else a.dest
            for a in self._actions
            if isinstance(a, argparse._SubParsersAction)
        ]

    def _unknown_option(self, word: str) -> bool:
        if not word.startswith("-") or word in ("-", "--"):
            return False
        option = word.split("=", 1)[0]
        return not any(
            known == option or (option.startswith("--") and known.startswith(option))
            for known in self._option_string_actions
        )


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


def add_json_flag(parser: argparse.ArgumentParser, *, inherited: bool = False) -> None:
    """`--json`. `inherited`: on an action's parser whose command's parser has `--json` too
    (`rules --json list`): no default of its own, which would overwrite the command's."""
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if inherited else False,
        help="machine-readable JSON output",
    )


def list_by_default(parser: argparse.ArgumentParser, handler: Callable[..., int]) -> None:
    """A command with actions (`rules`, `searches`, `account`) given none lists, as `feeds`
    and `tags` do: `handler` is its `list` action's, and the command takes `--json` too."""
    add_json_flag(parser)
    parser.set_defaults(handler=handler)
