"""`newsreader install-desktop-entry` / `uninstall-desktop-entry`: the Linux menu entry for
people who installed with pip (the packaged app's install.sh does this itself).

The entry starts this installation's `newsreader-gui` by absolute path, so it keeps working
from a virtualenv that is not on PATH.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, command_help


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    install = subparsers.add_parser(
        "install-desktop-entry",
        parents=[common],
        help=command_help("install-desktop-entry"),
        description="Write the desktop entry, icons and AppStream data into the user's XDG data "
        "folder ($XDG_DATA_HOME, else ~/.local/share) and, where xdg-mime exists, make "
        "Newsreader open feed:/feeds: links and .opml files.",
    )
    install.add_argument(
        "--data-home",
        metavar="PATH",
        help="XDG data folder to write into (default: $XDG_DATA_HOME, else ~/.local/share)",
    )
    install.set_defaults(handler=run_install)
    remove = subparsers.add_parser(
        "uninstall-desktop-entry",
        parents=[common],
        help=command_help("uninstall-desktop-entry"),
        description="Remove what install-desktop-entry wrote. Feeds, articles and comments "
        "are not touched.",
    )
    remove.add_argument("--data-home", metavar="PATH", help="XDG data folder to remove from")
    remove.set_defaults(handler=run_uninstall)


def run_install(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader import desktop_entry

    command = desktop_entry.launch_command()
    files = desktop_entry.install(command, _data_home(args))
    ctx.print(f"menu entry: {files.desktop_file}")
    ctx.print(f"starts: {' '.join(command)}")
    return 0


def run_uninstall(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader import desktop_entry

    removed = desktop_entry.uninstall(_data_home(args))
    ctx.print(f"removed {len(removed)} files" if removed else "no menu entry was installed")
    ctx.print(f"your data stays in {ctx.paths.root}")
    return 0


def _data_home(args: argparse.Namespace) -> Path:
    from newsreader import desktop_entry

    given: str | None = args.data_home
    return Path(given).expanduser().resolve() if given else desktop_entry.user_data_home()
