"""The command-line front end: argparse over the core. Each command group lives in its own
module exposing `register(subparsers, common)`; handlers take `(args, ctx)` and return an exit
code. Expected failures raise `NewsreaderError` and become one line on stderr with exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import cast

from newsreader import __version__
from newsreader.cli._common import (
    CommandModule,
    Context,
    Handler,
    argument_problem,
    common_options,
)
from newsreader.errors import NewsreaderError, describe_os_error

# Each helper module registers its own subcommands; keep one name per line.
COMMAND_MODULES: tuple[str, ...] = (
    "sync_cmds",
    "parse_cmd",
    "extract_cmd",
    "export_cmd",
    "desktop_cmd",
    "library_cmds",
    "fulltext_cmds",
    "stories_cmd",
    "account_cmds",
    "rules_cmds",
    "subscription_cmds",
)
"""The modules of `newsreader.cli` that register subcommands, in the order of `--help`."""
QUICK_COMMANDS = {"extract": "extract_cmd", "parse": "parse_cmd"}
"""Commands that scripts run once per file (`newsreader extract --json page.html`, `parse`), whose
start is most of their time: named first on the command line, they get a parser of their own
module only (the same arguments, help and errors), not every command's imports (~0.15 s)."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's, or only `command`'s when it is one of
    `QUICK_COMMANDS` (the first word of the command line, as `main` passes it)."""
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A desktop news reader that works offline. "
        "Without a command, opens the window.",
        parents=[common_options(suppress_defaults=False)],
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options(suppress_defaults=True)
    quick = QUICK_COMMANDS.get(command) if command is not None else None
    for name in (quick,) if quick is not None else COMMAND_MODULES:
        module = cast(CommandModule, importlib.import_module(f"newsreader.cli.{name}"))
        module.register(subparsers, common)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Runs the handler a subcommand registered; expected errors and file errors (a full
    disk, a read-only folder) become one line and exit 1, unusable arguments exit 2."""
    problem = argument_problem(args)
    if problem is not None:
        _say_error(args.command, problem)
        return 2
    handler: Handler = args.handler
    ctx = Context.from_args(args)
    try:
        return handler(args, ctx)
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
