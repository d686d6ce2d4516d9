"""Managing subscriptions and folders from the command line, as the window's feed panel does:
`unsubscribe`, `rename`, `move` a feed; `folder add|rename|remove`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, add_json_flag, command_help
from newsreader.errors import NotFoundError
from newsreader.model import Feed, Folder
from newsreader.wording import counted

if TYPE_CHECKING:
    from newsreader.store import Store


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    def command(
        parent: Any, name: str, help_: str, handler: Any, description: str | None = None
    ) -> Any:
        parser = parent.add_parser(
            name, parents=[common], help=help_, description=description or help_
        )
        add_json_flag(parser)
        parser.set_defaults(handler=handler)
        return parser

    unsubscribe = command(
        subparsers,
        "unsubscribe",
        command_help("unsubscribe"),
        run_unsubscribe,
        "Deletes the feed with its entries and your comments on them. There is no undo: "
        "`newsreader export` first if you want to keep something.",
    )
    unsubscribe.add_argument("feed", metavar="FEED", help="feed id or address")

    rename = command(subparsers, "rename", command_help("rename"), run_rename)
    rename.add_argument("feed", metavar="FEED", help="feed id or address")
    rename.add_argument("title", metavar="TITLE", help="the new title ('' takes the feed's own)")

    move = command(subparsers, "move", command_help("move"), run_move)
    move.add_argument("feed", metavar="FEED", help="feed id or address")
    move.add_argument(
        "folder", metavar="FOLDER", help="folder id or path like Tech/Python ('' or / for none)"
    )

    folder = subparsers.add_parser(
        "folder", parents=[common], help=command_help("folder"), description=None
    )
    actions = folder.add_subparsers(dest="folder_command", metavar="ACTION", required=True)
    add = command(actions, "add", "make a folder (and its parents)", run_folder_add)
    add.add_argument("path", metavar="PATH", help="folder path like Tech/Python")
    renamed = command(actions, "rename", "rename a folder", run_folder_rename)
    renamed.add_argument("folder", metavar="FOLDER", help="folder id or path")
    renamed.add_argument("name", metavar="NAME", help="its new name")
    remove = command(
        actions,
        "remove",
        "remove a folder; its feeds and folders move up one level",
        run_folder_remove,
    )
    remove.add_argument("folder", metavar="FOLDER", help="folder id or path")


def find_feed(store: Store, text: str) -> Feed:
    """The feed with this id or address; NotFoundError otherwise."""
    if text.isascii() and text.isdigit():
        return store.get_feed(int(text))
    feed = store.feed_by_url(text)
    if feed is None:
        raise NotFoundError(f"no feed with the address {text}")
    return feed


def _path(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("/") if part.strip())


def find_folder(store: Store, text: str) -> Folder:
    """The folder with this id or path ("Tech/Python"); NotFoundError otherwise."""
    if text.isascii() and text.isdigit():
        return store.get_folder(int(text))
    wanted = _path(text)
    for folder in store.list_folders():
        if store.folder_path(folder.id) == wanted:
            return folder
    raise NotFoundError(f"no folder {'/'.join(wanted) or text!r}")


def _feed_json(feed: Feed) -> dict[str, Any]:
    return {"id": feed.id, "url": feed.url, "title": feed.title, "folder_id": feed.folder_id}


def run_unsubscribe(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    feed = find_feed(store, args.feed)
    store.delete_feed(feed.id)
    if args.json:
        ctx.print_json(_feed_json(feed))
    else:
        ctx.print(f"unsubscribed from {feed.display_title} (feed {feed.id})")
    return 0


def run_rename(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    feed = store.rename_feed(find_feed(store, args.feed).id, args.title.strip() or None)
    if args.json:
        ctx.print_json(_feed_json(feed))
    else:
        ctx.print(f"feed {feed.id} is now called {feed.display_title}")
    return 0


def run_move(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    feed = find_feed(store, args.feed)
    folder_id = find_folder(store, args.folder).id if _path(args.folder) else None
    moved = store.move_feed(feed.id, folder_id)
    if args.json:
        ctx.print_json(_feed_json(moved))
    else:
        where = "/".join(store.folder_path(folder_id)) if folder_id is not None else "the top"
        ctx.print(f"moved {moved.display_title} to {where}")
    return 0


def run_folder_add(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    path = _path(args.path)
    if not path:
        raise NotFoundError("a folder needs a name")
    folder_id = store.ensure_folder_path(path)
    assert folder_id is not None  # a non-empty path always names a folder
    if args.json:
        ctx.print_json({"id": folder_id, "path": list(path)})
    else:
        ctx.print(f"folder {folder_id}: {'/'.join(path)}")
    return 0


def run_folder_rename(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    found = find_folder(store, args.folder)
    accounts = _accounts_in(store.list_feeds(), found.id)
    folder = store.rename_folder(found.id, args.name)
    if args.json:
        ctx.print_json({"id": folder.id, "path": list(store.folder_path(folder.id))})
    else:
        ctx.print(f"folder {folder.id}: {'/'.join(store.folder_path(folder.id))}")
        _say_queued(ctx, accounts)
    return 0


def run_folder_remove(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    folder = find_folder(store, args.folder)
    inside = [f for f in store.list_feeds() if f.folder_id == folder.id]
    store.delete_folder(folder.id)
    if args.json:
        ctx.print_json({"id": folder.id, "feeds_moved": [f.id for f in inside]})
    else:
        ctx.print(f"removed folder {folder.name}; {counted(len(inside), 'feed')} moved up")
        _say_queued(ctx, _accounts_in(inside, folder.id))
    return 0


def _accounts_in(feeds: Sequence[Feed], folder_id: int) -> list[int]:
    """The feed-server accounts with feeds directly in the folder."""
    return sorted({f.account_id for f in feeds if f.folder_id == folder_id and f.account_id})


def _say_queued(ctx: Context, accounts: Sequence[int]) -> None:
    for account_id in accounts:
        ctx.print(
            f"queued for account {account_id}: its server learns of it at the next sync "
            "(`newsreader sync`)"
        )
