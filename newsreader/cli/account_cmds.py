"""`newsreader account add|list|remove|password|sync|subscribe`: feed-server accounts (Google Reader
API, Fever API). Passwords go to the system keyring; the store keeps the rest."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, add_json_flag, command_help, list_by_default
from newsreader.cli.format import table
from newsreader.errors import NewsreaderError
from newsreader.model import Account, AccountKind, iso_utc
from newsreader.wording import counted

if TYPE_CHECKING:
    from newsreader.accounts.engine import AccountSyncResult

KIND_NAMES = {AccountKind.GREADER: "Google Reader API", AccountKind.FEVER: "Fever API"}
FEVER_NOTE = "subscriptions read-only (Fever cannot subscribe; change them on the server)"


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    account = subparsers.add_parser(
        "account",
        parents=[common],
        help=command_help("account"),
        description="With a feed-server account (FreshRSS, Miniflux, Inoreader, ... through "
        "the Google Reader API or the Fever API), the server owns that account's "
        "subscriptions, folders and read/starred state; local changes are queued and sent "
        "at each sync. Without an action: list.",
    )
    list_by_default(account, run_list)
    actions = account.add_subparsers(dest="account_command", metavar="ACTION")

    add = actions.add_parser(
        "add",
        parents=[common],
        help="add an account (the password is asked for, or read from stdin)",
        description="Logs in once to check the address and password, keeps the password in "
        "the system keyring, adds the account and syncs it. The password is the server's "
        "API password; it is asked for on a terminal, else read from the first line of "
        "standard input.",
    )
    add.add_argument("kind", choices=[k.value for k in AccountKind], help="the API to use")
    add.add_argument(
        "url",
        metavar="URL",
        help="the API address, e.g. https://host/api/greader.php; a bare server address "
        "(host or https://host) is tried at the API's usual paths",
    )
    add.add_argument("--user", required=True, metavar="NAME", help="user name on the server")
    add_json_flag(add, inherited=True)
    add.set_defaults(handler=run_add)

    listed = actions.add_parser("list", parents=[common], help="list the accounts")
    add_json_flag(listed, inherited=True)
    listed.set_defaults(handler=run_list)

    remove = actions.add_parser(
        "remove",
        parents=[common],
        help="remove an account (its feeds stay, as local feeds)",
        description="Forgets the account, its queued changes and its password. Its feeds and "
        "articles stay, as local feeds fetched directly from now on.",
    )
    remove.add_argument("account_id", type=int, metavar="ID")
    remove.add_argument(
        "--force",
        action="store_true",
        help="remove it even though local changes are still queued for its server (they "
        "are discarded)",
    )
    add_json_flag(remove, inherited=True)
    remove.set_defaults(handler=run_remove)

    password = actions.add_parser(
        "password",
        parents=[common],
        help="enter an account's new password (changed on the server); keeps its queue",
        description="Asks for the account's new API password (or reads it from the first "
        "line of standard input), logs in once with it (a wrong one is reported and nothing "
        "is saved), keeps it in the system keyring and syncs the account: the changes "
        "queued meanwhile are sent.",
    )
    password.add_argument("account_id", type=int, metavar="ID")
    add_json_flag(password, inherited=True)
    password.set_defaults(handler=run_password)

    sync = actions.add_parser(
        "sync",
        parents=[common],
        help="sync accounts: send local changes, fetch what changed on the server",
        description="Syncs the named accounts, or all. Exit status 1 when any sync failed "
        "(the queued changes are kept for the next sync).",
    )
    sync.add_argument("account_ids", nargs="*", type=int, metavar="ID")
    add_json_flag(sync, inherited=True)
    sync.set_defaults(handler=run_sync)

    subscribe = actions.add_parser(
        "subscribe",
        parents=[common],
        help="subscribe to a feed through an account's server",
        description="Subscribes the account to the feed URL on its server (Google Reader API "
        "accounts only), then syncs the account.",
    )
    subscribe.add_argument("account_id", type=int, metavar="ID")
    subscribe.add_argument("url", metavar="URL")
    subscribe.add_argument("--folder", metavar="NAME", help="put the feed in this folder")
    subscribe.add_argument("--title", metavar="TITLE", help="your title for the feed")
    add_json_flag(subscribe, inherited=True)
    subscribe.set_defaults(handler=run_subscribe)


def read_password(prompt: str) -> str:
    """The password: asked for on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        password = getpass.getpass(prompt)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise NewsreaderError("no password given")
    return password


def run_add(args: argparse.Namespace, ctx: Context) -> int:
    import asyncio

    from newsreader.accounts.address import find_api
    from newsreader.accounts.engine import sync_account
    from newsreader.accounts.passwords import save_password

    kind = AccountKind(args.kind)
    typed = args.url.strip()
    password = read_password(f"API password for {args.user} at {typed}: ")
    found = asyncio.run(find_api(kind, typed, args.user, password))
    if found.note and not args.json:
        ctx.print(found.note[0].upper() + found.note[1:])
    url = found.url
    account = ctx.store().add_account(kind, url, args.user)  # refuses one that exists
    try:
        save_password(kind, url, args.user, password)
    except NewsreaderError:
        ctx.store().remove_account(account.id)
        raise
    if not args.json:
        ctx.print(f"Added account {account.id}: {account.label} ({KIND_NAMES[kind]})")
    result = asyncio.run(sync_account(ctx.paths, account.id))
    return _report(ctx, [result], args.json)


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    accounts = ctx.store().list_accounts()
    if args.json:
        ctx.print_json([account_json(a) for a in accounts])
        return 0
    if not accounts:
        ctx.print("No accounts: every feed is local. Add one with `newsreader account add`.")
        return 0
    rows = [
        [
            str(a.id),
            KIND_NAMES[a.kind],
            a.label,
            a.status.value,
            str(a.pending),
            iso_utc(a.last_sync) or "never",
        ]
        for a in accounts
    ]
    for line in table(["ID", "API", "ACCOUNT", "STATUS", "QUEUED", "LAST SYNC"], rows):
        ctx.print(line)
    for a in accounts:
        if a.status_message:
            ctx.print(f"account {a.id}: {a.status_message}")
        if not a.kind.edits_subscriptions:
            ctx.print(f"account {a.id}: {FEVER_NOTE}")
    return 0


def run_remove(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader.accounts.passwords import delete_password

    store = ctx.store()
    account = store.get_account(args.account_id)
    if account.pending and not args.force:
        raise NewsreaderError(
            f"account {account.id} ({account.label}) has {unsent(account.pending)} that "
            "removing it would discard; sync it first (`newsreader account sync "
            f"{account.id}`; after a password change, `newsreader account password "
            f"{account.id}`), or remove it with --force"
        )
    store.remove_account(account.id)
    delete_password(account.kind, account.url, account.username)
    if args.json:
        ctx.print_json(
            {"account": account.id, "label": account.label, "discarded": account.pending}
        )
        return 0
    ctx.print(f"Removed account {account.id} ({account.label}); its feeds stay, as local feeds.")
    if account.pending:
        ctx.print(f"Discarded {unsent(account.pending)}.")
    return 0


def unsent(count: int) -> str:
    """ "3 unsent changes": local changes queued for a server and not sent yet."""
    return counted(count, "unsent change")


def run_password(args: argparse.Namespace, ctx: Context) -> int:
    import asyncio

    from newsreader.accounts.engine import check_login, sync_account
    from newsreader.accounts.passwords import save_password, save_token

    account = ctx.store().get_account(args.account_id)
    password = read_password(f"New API password for {account.label}: ")
    asyncio.run(check_login(account.kind, account.url, account.username, password))
    save_password(account.kind, account.url, account.username, password)
    save_token(account.kind, account.url, account.username, None)  # the old login's
    if not args.json:
        ctx.print(f"Saved the new password of account {account.id} ({account.label}).")
    return _report(ctx, [asyncio.run(sync_account(ctx.paths, account.id))], args.json)


def run_sync(args: argparse.Namespace, ctx: Context) -> int:
    import asyncio

    from newsreader.accounts.engine import sync_account

    store = ctx.store()
    ids = args.account_ids or [a.id for a in store.list_accounts()]
    if not ids and not args.json:
        ctx.print("No accounts to sync: every feed is local (`newsreader sync` fetches them).")
        return 0
    for account_id in ids:
        store.get_account(account_id)  # NotFoundError before anything is sent
    results = [asyncio.run(sync_account(ctx.paths, account_id)) for account_id in ids]
    return _report(ctx, results, args.json)


def run_subscribe(args: argparse.Namespace, ctx: Context) -> int:
    import asyncio

    from newsreader.accounts.engine import sync_account
    from newsreader.accounts.subscribe import queue_subscription

    store = ctx.store()
    account = store.get_account(args.account_id)
    folder = (args.folder,) if args.folder else ()
    queue_subscription(store, account.id, args.url, title=args.title, folder=folder)
    if not args.json:
        ctx.print(f"Queued the subscription to {args.url} for {account.label}.")
    return _report(ctx, [asyncio.run(sync_account(ctx.paths, account.id))], args.json)


def _report(ctx: Context, results: list[AccountSyncResult], as_json: bool) -> int:
    if as_json:
        ctx.print_json([result_json(r) for r in results])
    for result in results:
        if not as_json:
            ctx.print(result_line(result))
        if not result.ok:
            print(f"newsreader account: error: {result.message}", file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1


def result_line(result: AccountSyncResult) -> str:
    """One line (and one more per change the server refused, and per listed feed another
    account holds) for an account's sync."""
    name = (
        f"account {result.account_id} ({result.label})"
        if result.label
        else (f"account {result.account_id}")
    )
    if not result.ok:
        return f"{name}: {result.status.value}: {result.message or 'no reason given'}"
    line = (
        f"{name}: synced; sent {counted(result.sent, 'change')}, "
        f"{counted(result.new_entries, 'new article')}, "
        f"{counted(result.state_changes, 'state change')}, {counted(result.requests, 'request')}"
        + (f", {counted(result.full_articles, 'full article')}" if result.full_articles else "")
    )
    return (
        line
        + "".join(f"\n  not done: {why}" for why in result.refused)
        + "".join(
            f"\n  {url}: also listed by another account, which keeps it"
            for url in result.elsewhere_news
        )
    )


def account_json(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "kind": account.kind.value,
        "url": account.url,
        "username": account.username,
        "status": account.status.value,
        "message": account.status_message,
        "last_sync": iso_utc(account.last_sync),
        "pending": account.pending,
        "edits_subscriptions": account.kind.edits_subscriptions,
    }


def result_json(result: AccountSyncResult) -> dict[str, Any]:
    return {
        "account": result.account_id,
        "status": result.status.value,
        "message": result.message,
        "sent": result.sent,
        "new_entries": result.new_entries,
        "state_changes": result.state_changes,
        "feeds_added": result.feeds_added,
        "feeds_removed": result.feeds_removed,
        "refused": list(result.refused),
        "feeds_elsewhere": list(result.feeds_elsewhere),
        "feeds_elsewhere_new": list(result.elsewhere_news),
        "requests": result.requests,
        "full_articles": result.full_articles,
        "images_cached": result.images_cached,
        "follow_ups_left": result.follow_ups_left,
    }
