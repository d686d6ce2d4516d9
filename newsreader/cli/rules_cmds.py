"""Tags, saved searches and rules: `tag`, `untag`, `tags`, `searches add|list|remove`,
`rules add|list|remove|run|preview|export|import`. Searches and rules use the search language
of `newsreader search` (docs/search.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsreader.cli._common import Context, write_file
from newsreader.cli.commands import Subparsers, add_json_flag, command_help, list_by_default
from newsreader.cli.format import clip, table
from newsreader.errors import NotFoundError, StoreError, UsageError
from newsreader.model import iso_utc
from newsreader.query import SYNTAX_HELP
from newsreader.wording import agreeing, counted

if TYPE_CHECKING:
    from newsreader.store import Rule, RuleRun, Store

PREVIEW_LIMIT = 50


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    def command(
        parent: Any, name: str, help_: str, handler: Any, description: str | None = None
    ) -> Any:
        parser = parent.add_parser(
            name, parents=[common], help=help_, description=description or help_
        )
        add_json_flag(parser, inherited=parent is not subparsers)
        parser.set_defaults(handler=handler)
        return parser

    tag = command(subparsers, "tag", command_help("tag"), run_tag)
    tag.add_argument("entries", type=int, nargs="+", metavar="ENTRY", help="entry id")
    tag.add_argument("name", metavar="NAME", help="the tag")
    untag = command(subparsers, "untag", command_help("untag"), run_untag)
    untag.add_argument("entries", type=int, nargs="+", metavar="ENTRY", help="entry id")
    untag.add_argument("name", metavar="NAME", help="the tag")
    command(subparsers, "tags", command_help("tags"), run_tags)

    searches = subparsers.add_parser(
        "searches",
        parents=[common],
        help=command_help("searches"),
        description="Saved searches: a name for a search, listed with its unread count. "
        "`newsreader entries --search NAME` lists its entries. Without an action: list.",
    )
    list_by_default(searches, run_searches_list)
    searches_sub = searches.add_subparsers(dest="searches_command", metavar="ACTION")
    added = command(searches_sub, "add", "save a search under a name", run_searches_add)
    added.add_argument("name", metavar="NAME")
    added.add_argument("query", metavar="QUERY", help=f"the search ({SYNTAX_HELP})")
    command(searches_sub, "list", "list the saved searches", run_searches_list)
    removed = command(searches_sub, "remove", "remove a saved search", run_searches_remove)
    removed.add_argument("name", metavar="NAME")

    rules = subparsers.add_parser(
        "rules",
        parents=[common],
        help=command_help("rules"),
        description="A rule is a search with actions (read, star, hide, delete, notify, "
        "tag:NAME), for all feeds, one folder or one feed. Rules run in order on each new "
        "entry as a sync stores it, and on stored entries with `rules run`. Without an "
        "action: list.",
    )
    list_by_default(rules, run_rules_list)
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION")
    rule_add = command(rules_sub, "add", "add a rule after the others", run_rules_add)
    rule_add.add_argument("name", metavar="NAME")
    rule_add.add_argument("--query", required=True, metavar="QUERY", help=SYNTAX_HELP)
    _add_scope(rule_add)
    rule_add.add_argument(
        "--action",
        action="append",
        required=True,
        type=_rule_action,
        metavar="ACTION",
        help="read, star, hide, delete, notify or tag:NAME (repeat for several)",
    )
    rule_add.add_argument("--disabled", action="store_true", help="add it switched off")
    command(rules_sub, "list", "list the rules in the order they run", run_rules_list)
    rule_remove = command(rules_sub, "remove", "remove a rule", run_rules_remove)
    rule_remove.add_argument("name", metavar="NAME")
    rule_run = command(
        rules_sub,
        "run",
        "run rules on the stored entries (all enabled ones, or these)",
        run_rules_run,
    )
    rule_run.add_argument("names", nargs="*", metavar="NAME")
    preview = command(
        rules_sub,
        "preview",
        "list what a rule (or --query with a scope) would match now, changing nothing",
        run_rules_preview,
    )
    preview.add_argument("name", nargs="?", metavar="NAME")
    preview.add_argument("--query", metavar="QUERY", help="preview this search instead")
    _add_scope(preview)
    exported = command(rules_sub, "export", "write the rules to a JSON file", run_rules_export)
    exported.add_argument("file", metavar="FILE", help="file to write ('-' for stdout)")
    exported.add_argument("--force", action="store_true", help="overwrite an existing file")
    imported = command(rules_sub, "import", "add the rules of a JSON file", run_rules_import)
    imported.add_argument("file", metavar="FILE", help="file to read ('-' for stdin)")


def _add_scope(parser: argparse.ArgumentParser) -> None:
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--feed", type=int, metavar="ID", help="only entries of this feed")
    scope.add_argument(
        "--folder", metavar="NAME", help="only entries of this folder (a name or a path a/b)"
    )


def _rule_action(text: str) -> str:
    """One `--action` value, checked as the store checks a rule's actions: an unknown one is
    a usage error (exit 2) before the store opens."""
    from newsreader.store.rules import check_actions

    try:
        return check_actions([text])[0]
    except StoreError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _folder_id(store: Store, name: str | None) -> int | None:
    """The folder named so (any case), or with this path; NotFoundError when none is, and
    StoreError when several folders have that name."""
    if name is None:
        return None
    wanted = name.strip().strip("/").casefold()
    paths = {f.id: "/".join(store.folder_path(f.id)) for f in store.list_folders()}
    by_path = [id_ for id_, path in paths.items() if path.casefold() == wanted]
    if by_path:
        return by_path[0]
    by_name = [id_ for id_, path in paths.items() if path.rpartition("/")[2].casefold() == wanted]
    if len(by_name) > 1:
        choices = ", ".join(sorted(paths[i] for i in by_name))
        raise StoreError(f"several folders are named {name!r} ({choices}): give the path")
    if not by_name:
        raise NotFoundError(f"no folder named {name!r}")
    return by_name[0]


# --- tags ------------------------------------------------------------------------------


def run_tag(args: argparse.Namespace, ctx: Context) -> int:
    changed = ctx.store().tag_entries(args.entries, args.name)
    if args.json:
        ctx.print_json({"tag": args.name, "entries": args.entries, "changed": changed})
    else:
        ctx.print(f"tagged {counted(changed, 'entry', 'entries')} {args.name!r}")
    return 0


def run_untag(args: argparse.Namespace, ctx: Context) -> int:
    changed = ctx.store().untag_entries(args.entries, args.name)
    if args.json:
        ctx.print_json({"tag": args.name, "entries": args.entries, "changed": changed})
    else:
        ctx.print(f"removed {args.name!r} from {counted(changed, 'entry', 'entries')}")
    return 0


def run_tags(args: argparse.Namespace, ctx: Context) -> int:
    tags = ctx.store().list_tags()
    if args.json:
        ctx.print_json([{"tag": name, "entries": count} for name, count in tags])
    elif not tags:
        ctx.print("no tags yet: `newsreader tag ENTRY... NAME`")
    else:
        for line in table(["ENTRIES", "TAG"], [[str(c), n] for n, c in tags], right=(0,)):
            ctx.print(line)
    return 0


# --- saved searches --------------------------------------------------------------------


def run_searches_add(args: argparse.Namespace, ctx: Context) -> int:
    saved = ctx.store().add_saved_search(args.name, args.query)
    if args.json:
        ctx.print_json({"id": saved.id, "name": saved.name, "query": saved.query})
    else:
        ctx.print(f"saved {saved.name!r}: newsreader entries --search {_shell(saved.name)}")
    return 0


def run_searches_list(args: argparse.Namespace, ctx: Context) -> int:
    saved = ctx.store().list_saved_searches()
    if args.json:
        ctx.print_json(
            [
                {"id": s.id, "name": s.name, "query": s.query, "unread": s.unread_count}
                for s in saved
            ]
        )
    elif not saved:
        ctx.print("no saved searches yet: `newsreader searches add NAME QUERY`")
    else:
        rows = [[str(s.unread_count), clip(s.name, 30), s.query] for s in saved]
        for line in table(["UNREAD", "NAME", "QUERY"], rows, right=(0,)):
            ctx.print(line)
    return 0


def run_searches_remove(args: argparse.Namespace, ctx: Context) -> int:
    ctx.store().remove_saved_search(args.name)
    if args.json:
        ctx.print_json({"removed": args.name})
    else:
        ctx.print(f"removed the saved search {args.name!r}")
    return 0


# --- rules -----------------------------------------------------------------------------


def _matching(count: int) -> str:
    """'1 stored entry matches', '3 stored entries match'."""
    entries = counted(count, "stored entry", "stored entries")
    return f"{entries} {agreeing(count, 'matches', 'match')}"


def run_rules_add(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader.store import EntryQuery

    store = ctx.store()
    if args.feed is not None:
        store.get_feed(args.feed)
    folder_id = _folder_id(store, args.folder)
    # counted before the rule is stored: a pattern that runs out of time on a stored entry
    # is reported and nothing is added (it used to be added, then reported as an error)
    matches = store.count_entries(
        EntryQuery(
            search=args.query,
            feed_ids=(args.feed,) if args.feed is not None else None,
            folder_id=folder_id,
        )
    )
    rule = store.add_rule(
        args.name,
        args.query,
        args.action,
        feed_id=args.feed,
        folder_id=folder_id,
        enabled=not args.disabled,
    )
    if args.json:
        ctx.print_json(_rule_json(store, rule))
    else:
        ctx.print(
            f"added rule {rule.name!r} ({_matching(matches)} now; "
            f"`newsreader rules run {_shell(rule.name)}` acts on them)"
        )
    return 0


def run_rules_list(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    rules = store.list_rules()
    if args.json:
        ctx.print_json([_rule_json(store, r) for r in rules])
        return 0
    if not rules:
        ctx.print("no rules yet: `newsreader rules add NAME --query QUERY --action ACTION`")
        return 0
    rows = [
        [
            str(r.position),
            _status(r),
            clip(r.name, 24),
            clip(_scope(store, r), 24),
            clip(" ".join(r.actions), 24),
            r.query,
            clip(f"{r.last_error} ({r.error_count}x)", 60) if r.error_count else "",
        ]
        for r in rules
    ]
    headers = ["#", "STATUS", "NAME", "SCOPE", "ACTIONS", "QUERY", "LAST ERROR"]
    for line in table(headers, rows, right=(0,)):
        ctx.print(line)
    return 0


def run_rules_remove(args: argparse.Namespace, ctx: Context) -> int:
    ctx.store().remove_rule(args.name)
    if args.json:
        ctx.print_json({"removed": args.name})
    else:
        ctx.print(f"removed the rule {args.name!r}")
    return 0


def run_rules_run(args: argparse.Namespace, ctx: Context) -> int:
    ran = ctx.store().run_rules(args.names or None)
    if args.json:
        ctx.print_json(_run_json(ran))
    else:
        for line in run_lines(ran):
            ctx.print(line)
    return 1 if ran.problems else 0


def run_lines(ran: RuleRun) -> list[str]:
    """What a rules run did, one line per action that touched anything, then one line per
    rule that failed."""
    done = [
        (len(ran.read), "marked read"),
        (len(ran.starred), "starred"),
        (len(ran.tagged), "tagged"),
        (len(ran.hidden), "hidden"),
        (len(ran.deleted), "deleted"),
        (len(ran.notify), "to notify"),
    ]
    lines = [f"{counted(n, 'entry', 'entries')} {what}" for n, what in done if n]
    if not lines:
        lines.append("the rules changed nothing")
    lines.extend(f"rule {p.name!r} failed and was skipped: {p.message}" for p in ran.problems)
    return lines


def run_rules_preview(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    if (args.name is None) == (args.query is None):
        raise UsageError("give a rule NAME or --query QUERY (not both)")
    if args.name is not None:
        rule = store.get_rule(args.name)
        query, feed_id, folder_id = rule.query, rule.feed_id, rule.folder_id
    else:
        query, feed_id, folder_id = args.query, args.feed, _folder_id(store, args.folder)
    ids = store.rule_entry_ids(query, feed_id=feed_id, folder_id=folder_id)
    shown = store.entries_by_ids(ids[:PREVIEW_LIMIT])
    if args.json:
        ctx.print_json(
            {
                "matches": len(ids),
                "entries": [
                    {
                        "id": e.id,
                        "feed_title": e.feed_title,
                        "title": e.title,
                        "date": iso_utc(e.date),
                    }
                    for e in shown
                ],
            }
        )
        return 0
    ctx.print(f"{_matching(len(ids))} {query!r}")
    for e in shown:
        ctx.print(f"{e.id:>8}  {clip(e.feed_title, 24):<24}  {clip(e.title or '(untitled)', 70)}")
    if len(ids) > PREVIEW_LIMIT:
        ctx.print(f"... and {len(ids) - PREVIEW_LIMIT} more")
    return 0


def run_rules_export(args: argparse.Namespace, ctx: Context) -> int:
    records = ctx.store().export_rules()
    data = (json.dumps({"rules": records}, ensure_ascii=False, indent=2) + "\n").encode()
    target = write_file(args.file, data, force=args.force)
    if target is None:
        return 0
    if args.json:
        ctx.print_json({"path": str(target), "rules": len(records)})
    else:
        ctx.print(f"wrote {counted(len(records), 'rule')} to {target}")
    return 0


def run_rules_import(args: argparse.Namespace, ctx: Context) -> int:
    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        raise StoreError(f"cannot read {args.file}: {error.strerror or error}") from error
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise StoreError(f"{args.file} is not JSON: {error}") from error
    records = document.get("rules") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise StoreError(f'{args.file} holds no list of rules (expected {{"rules": [...]}})')
    added = ctx.store().import_rules(records)
    if args.json:
        ctx.print_json({"added": [r.name for r in added]})
    else:
        ctx.print(f"imported {counted(len(added), 'rule')}")
    return 0


def _status(rule: Rule) -> str:
    if not rule.enabled:
        return "off"
    return "failing" if rule.error_count else "on"


def _scope(store: Store, rule: Rule) -> str:
    if rule.feed_id is not None:
        return f"feed {rule.feed_id}: {store.get_feed(rule.feed_id).display_title}"
    if rule.folder_id is not None:
        return "folder " + "/".join(store.folder_path(rule.folder_id))
    return "all feeds"


def _rule_json(store: Store, rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "query": rule.query,
        "actions": list(rule.actions),
        "position": rule.position,
        "feed_id": rule.feed_id,
        "folder": "/".join(store.folder_path(rule.folder_id)) if rule.folder_id else None,
        "enabled": rule.enabled,
        "error_count": rule.error_count,
        "last_error": rule.last_error,
        "last_error_at": iso_utc(rule.last_error_at),
    }


def _run_json(ran: RuleRun) -> dict[str, Any]:
    return {
        "read": list(ran.read),
        "starred": list(ran.starred),
        "tagged": list(ran.tagged),
        "hidden": list(ran.hidden),
        "deleted": list(ran.deleted),
        "notify": list(ran.notify),
        "problems": [{"rule": p.name, "error": p.message} for p in ran.problems],
    }


def _shell(text: str) -> str:
    return text if text.replace("-", "").replace("_", "").isalnum() else repr(text)
