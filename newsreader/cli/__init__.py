"""The command-line front end: argparse over the core. Each command group lives in its own
module exposing `register(subparsers, common)`; handlers take `(args, ctx)` and return an exit
code. Expected failures raise `NewsreaderError` and become one line on stderr with exit 1.
"""

from __future__ import annotations

import argparse
import os
import sys

from newsreader import __version__
from newsreader.cli import (
    account_cmds,
    desktop_cmd,
    export_cmd,
    library_cmds,
    parse_cmd,
    rules_cmds,
    subscription_cmds,
    sync_cmds,
)
from newsreader.cli._common import CommandModule, Context, Handler, common_options
from newsreader.errors import NewsreaderError

# Each helper module registers its own subcommands; keep one import per line above.
COMMAND_MODULES: tuple[CommandModule, ...] = (
    sync_cmds,
    parse_cmd,
    export_cmd,
    desktop_cmd,
    library_cmds,
    account_cmds,
    rules_cmds,
    subscription_cmds,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A desktop news reader that works offline. "
        "Without a command, opens the window.",
        parents=[common_options(suppress_defaults=False)],
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options(suppress_defaults=True)
    for module in COMMAND_MODULES:
        module.register(subparsers, common)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Runs the handler a subcommand registered; expected errors become exit 1."""
    handler: Handler = args.handler
    ctx = Context.from_args(args)
    try:
        return handler(args, ctx)
    except NewsreaderError as error:
        print(f"newsreader {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"newsreader {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`newsreader entries | head`): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    finally:
        ctx.close()
