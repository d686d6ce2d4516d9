"""The `newsreader` entry point: a subcommand runs the CLI; no subcommand opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from newsreader import cli


def main(argv: Sequence[str] | None = None) -> int:
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        return cli.run_command(args)
    return open_window(args)


def open_window(args: object) -> int:
    print(
        "newsreader: the window is not built yet; use the subcommands (see `newsreader --help`)",
        file=sys.stderr,
    )
    return 1


def gui_main() -> None:
    sys.exit(main())
