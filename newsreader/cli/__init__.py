"""The command-line front end: argparse over the core. Each command group lives in its own
module exposing `register(subparsers, common)` (commands.py has the table of commands);
handlers take `(args, ctx)` and return an exit code. Expected failures raise `NewsreaderError`
and become one line on stderr with exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Collection, Sequence

from newsreader import __version__
from newsreader.cli.commands import (
    COMMANDS,
    DATA_DIR_OPTION,
    CommandParser,
    Register,
    common_options,
)


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Every command's in full when `commands` is None. Else only
    the named commands' modules are imported and their parsers built; with no command named,
    every command is listed (its name and help line, for `--help` and for the choices an
    unknown command is told) by a parser that takes no arguments: `newsreader --help` lists
    them from `COMMANDS` alone, in the same words and order. (A command line naming a command
    needs no listing: `command_named` reads one asking for `--help` first as naming none.)"""
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A desktop news reader that works offline. "
        "Without a command, opens the window.",
        parents=[common_options(suppress_defaults=False)],
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    # `prog` given, as argparse would work it out by formatting the usage (~3 ms of a start)
    # Each command's parser a CommandParser (and so their own actions' parsers): a word
    # after the command that it does not know is the command's error, under its usage line
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", prog="newsreader", parser_class=CommandParser
    )
    common = common_options(suppress_defaults=True)
    modules = {module for module, _ in COMMANDS.values()}
    built = modules if commands is None else {COMMANDS[name][0] for name in commands}
    registered: set[str] = set()
    for name, (module_name, help_line) in COMMANDS.items():
        if not built:  # no command named: the listing
            subparsers.add_parser(name, help=help_line, add_help=False)
        elif module_name in built and module_name not in registered:
            register: Register = importlib.import_module(f"newsreader.cli.{module_name}").register
            # all its commands, in the table's order (a CommandParser is an ArgumentParser, but
            # argparse's subparsers action is invariant in the class of parser it makes)
            register(subparsers, common)  # type: ignore[arg-type]
            registered.add(module_name)
    return parser


def command_named(words: Sequence[str]) -> str | None:
    """The command a command line names: its first word that is neither an option nor an
    option's value, when that word is a key of `COMMANDS`; else None (no command, a TARGET,
    an unknown word, anything after `--`, which is a TARGET, or `--help` before the command,
    which shows the listing of every command). Options are read as the top-level parser
    reads them, abbreviations included (`--data PATH`, `--he`)."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--" or word == "-h" or (len(word) > 2 and "--help".startswith(word)):
            return None
        if word.startswith("-") and word != "-":
            if len(word) > 2 and "=" not in word and DATA_DIR_OPTION.startswith(word):
                index += 1  # its value
            index += 1
            continue
        return word if word in COMMANDS else None
    return None


def run_command(args: argparse.Namespace) -> int:
    """Runs the handler a subcommand registered; expected errors and file errors (a full
    disk, a read-only folder) become one line and exit 1, unusable arguments exit 2."""
    # not at start-up: `--help` loads no records and no exception tree
    from newsreader.cli._common import Context, Handler, argument_problem
    from newsreader.errors import NewsreaderError, UsageError, describe_os_error

    problem = argument_problem(args)
    if problem is not None:
        _say_error(args.command, problem)
        return 2
    handler: Handler = args.handler
    ctx = Context.from_args(args)
    try:
        return handler(args, ctx)
    except UsageError as error:
        _say_error(args.command, str(error))
        return 2
    except NewsreaderError as error:
        _say_error(args.command, str(error))
        return 1
    except KeyboardInterrupt:
        print(f"newsreader {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`newsreader entries | head`): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:  # a file the command wrote: disk full, read-only, ...
        _say_error(args.command, describe_os_error(error))
        return 1
    finally:
        ctx.close()


def _say_error(command: str, message: str) -> None:
    """One line on stderr; bytes of a file name that are not UTF-8 shown as escapes."""
    line = f"newsreader {command}: error: {message}"
    print(line.encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)
