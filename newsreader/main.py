"""The `newsreader` entry point: a subcommand runs the CLI; no subcommand opens the window.

`newsreader [TARGET]` with TARGET a feed:/feeds:/http(s) URL, an .opml or a feed file: when a
window already runs for the same data folder, TARGET is handed to it (gui/single_instance.py)
and this process exits; otherwise `open_window(args)` gets it as `args.open_target`
(a `feedurl.OpenTarget`, or None).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from newsreader import cli


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # the packaged app: its sync parse process starts here
        import multiprocessing

        multiprocessing.freeze_support()
    words = list(sys.argv[1:] if argv is None else argv)
    command = cli.command_named(words)  # its parser only: no other command's imports
    parser = cli.build_parser(() if command is None else (command,))
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen (store, rendering, every export format), exit",
    )
    parser.usage = "%(prog)s [--data-dir PATH] [TARGET | COMMAND ...]"
    parser.epilog = (
        "TARGET opens in the window: a feed:/feeds: link, a feed or web page address, or an "
        ".opml file (e.g. newsreader feed://example.com/rss). If a window already runs for "
        "the data folder, it gets the TARGET and comes forward."
    )
    target_word = None  # a command named: there is none
    if command is None and any(not w.startswith("-") or w in ("-", "--") for w in words):
        from newsreader.feedurl import split_open_argument  # a word that may be a TARGET

        target_word, words = split_open_argument(words, _options_with_values(parser))
    args = parser.parse_args(words)
    if args.self_test:
        from newsreader.selftest import run_self_test

        return run_self_test()
    if args.command is not None:
        if target_word is not None:
            parser.error(f"unexpected {target_word!r} before the command {args.command!r}")
        return cli.run_command(args)
    return _open_or_hand_over(args, target_word)


def _open_or_hand_over(args: argparse.Namespace, target_word: str | None) -> int:
    """Opens the window on TARGET, unless a window runs for the data folder: it gets TARGET."""
    from newsreader.errors import NewsreaderError
    from newsreader.feedurl import resolve_open_target
    from newsreader.gui.single_instance import claim_or_hand_over
    from newsreader.paths import resolve_data_dir

    try:
        args.open_target = resolve_open_target(target_word, Path.cwd()) if target_word else None
        lock = claim_or_hand_over(resolve_data_dir(args.data_dir), args.open_target)
    except NewsreaderError as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return 1
    if lock is None:  # a running window took the request
        return 0
    try:
        return open_window(args)
    finally:
        lock.unlock()


def _options_with_values(parser: argparse.ArgumentParser) -> set[str]:
    return {
        option
        for action in parser._actions
        if action.nargs != 0 and action.option_strings
        for option in action.option_strings
    }


def open_window(args: argparse.Namespace) -> int:
    """Opens the desktop window on the data folder the options name; without a display, says
    so and returns 1 (Qt would abort the process with "could not connect to display")."""
    from newsreader import sysdeps

    if sysdeps.display_missing():
        print(f"newsreader: {sysdeps.NO_DISPLAY}", file=sys.stderr)
        return 1
    from newsreader.gui.app import run
    from newsreader.paths import resolve_data_dir

    return run(resolve_data_dir(args.data_dir), getattr(args, "open_target", None))


def gui_main() -> None:
    sys.exit(main())
