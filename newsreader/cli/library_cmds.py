"""Library commands: import, export-opml, feeds, entries, search, show, mark, comment,
comments, purge, vacuum. Each prints a readable table or text, or JSON with `--json`; the ids
they print are the ones the other commands take."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsreader.cli._common import Context, write_file
from newsreader.cli.commands import Subparsers, add_json_flag, command_help
from newsreader.cli.files import base_url
from newsreader.cli.format import (
    clip,
    long_date,
    relative,
    short_date,
    table,
    when,
    wrapped,
)
from newsreader.errors import FetchError, NotFoundError, ParseError
from newsreader.model import Comment, CommentOrigin, Entry, Feed, iso_utc
from newsreader.query import SYNTAX_HELP, field_hint
from newsreader.wording import agreeing, counted

if TYPE_CHECKING:
    from newsreader.store import EntryOrder, EntryQuery, Store

MARK_ACTIONS = ("read", "unread", "star", "unstar")


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    def command(name: str, handler: Any, description: str | None = None) -> Any:
        help_ = command_help(name)
        parser = subparsers.add_parser(
            name, parents=[common], help=help_, description=description or help_
        )
        add_json_flag(parser)
        parser.set_defaults(handler=handler)
        return parser

    imported = command(
        "import",
        run_import,
        "Subscribes to every feed of an OPML file, keeping its folders and titles. Feeds "
        "already subscribed are left alone, so importing the same file twice adds nothing.",
    )
    imported.add_argument("file", metavar="FILE.opml", help="OPML file ('-' for stdin)")
    imported.add_argument(
        "--base-url",
        metavar="URL",
        type=base_url,
        help="the address the file came from, to resolve relative feed addresses in it",
    )

    exported = command("export-opml", run_export)
    exported.add_argument("file", metavar="FILE", help="file to write ('-' for stdout)")
    exported.add_argument("--force", action="store_true", help="overwrite an existing file")

    command(
        "feeds",
        run_feeds,
        "Lists every feed: id, status (ok, failing, disabled), unread count, next fetch, "
        "folder, title, URL and the last error.",
    )

    entries = command("entries", run_entries)
    _add_entry_filters(entries, default_limit=50)
    entries.add_argument(
        "--search", metavar="NAME", help="only entries of this saved search (`searches list`)"
    )

    search = command(
        "search",
        run_search,
        f"Plain words match entries containing all of them. The syntax: {SYNTAX_HELP}. "
        "Best matches first; docs/search.md has the details. The words may be given apart "
        "(newsreader search climate policy) or quoted as one. A query that starts with - "
        "goes after -- (newsreader search -- -sport news), else it reads as an option; "
        "options go before -- (newsreader search --limit 3 -- -sport news): every word "
        "after -- is part of the query.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY")
    _add_entry_filters(search, default_limit=20)

    show = command("show", run_show)
    show.add_argument("entry", type=int, metavar="ENTRY", help="entry id")

    mark = command("mark", run_mark)
    mark.add_argument("action", choices=MARK_ACTIONS)
    mark.add_argument("entries", type=int, nargs="+", metavar="ENTRY", help="entry id")

    comment = command(
        "comment",
        run_comment,
        "`comment ENTRY TEXT` writes a comment on an entry, `comment edit ID TEXT` changes "
        "one of yours, `comment delete ID` deletes it. TEXT '-' reads the text from standard "
        "input.",
    )
    comment.add_argument(
        "words", nargs="+", metavar="ENTRY TEXT | edit ID TEXT | delete ID", help="see above"
    )
    comment.add_argument("--reply-to", type=int, metavar="ID", help="the comment answered")

    comments = command(
        "comments",
        run_comments,
        "Prints the comments on an entry, yours and the site's, threaded. A sync fetches an "
        "entry's comment feed when the entry is new or its announced comment count changed; "
        "--fetch fetches it now.",
    )
    comments.add_argument("entry", type=int, metavar="ENTRY", help="entry id")
    comments.add_argument(
        "--fetch", action="store_true", help="fetch the entry's comment feed from its site first"
    )

    purge = command(
        "purge",
        run_purge,
        "Deletes read entries older than the retention period (the retention_days setting, "
        "or --days). Starred entries and entries with your comments are always kept.",
    )
    purge.add_argument("--days", type=_non_negative, metavar="N", help="retention in days")

    command("vacuum", run_vacuum)


def _add_entry_filters(parser: argparse.ArgumentParser, *, default_limit: int) -> None:
    parser.add_argument("--feed", type=int, action="append", metavar="ID", help="only this feed")
    parser.add_argument("--unread", action="store_true", help="only unread entries")
    parser.add_argument("--starred", action="store_true", help="only starred entries")
    parser.add_argument(
        "--limit", type=_positive, default=default_limit, metavar="N", help="at most N entries"
    )


def _positive(text: str) -> int:
    value = int(text) if text.lstrip("-").isdigit() else None
    if value is None or value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


MAX_DAYS = 100_000  # about 270 years: further back than any date a store holds


def _non_negative(text: str) -> int:
    if not text.isdigit() or len(text) > 6 or int(text) > MAX_DAYS:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of days from 0 to {MAX_DAYS:,}, got {text!r}"
        )
    return int(text)


# --- subscriptions ---------------------------------------------------------------------


def run_import(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader.parse.opml import read_outline

    outline = read_outline(_read_input(args.file), args.base_url)
    result = ctx.store().import_outline(outline.feeds)
    if args.json:
        ctx.print_json(
            {
                "added": list(result.added_feed_ids),
                "existing": result.existing,
                "folders_created": result.folders_created,
                "repeated": outline.repeated,
                "pages": [
                    {"title": p.title, "url": p.url, "folder": "/".join(p.folder) or None}
                    for p in outline.pages
                ],
                "skipped": [{"title": s.title, "reason": s.reason} for s in outline.skipped],
            }
        )
        return 0
    added = len(result.added_feed_ids)
    summary = (
        f"imported {counted(added, 'feed')} into {counted(result.folders_created, 'new folder')}"
        f" ({result.existing} already subscribed"
    )
    if outline.repeated:
        summary += f"; {counted(outline.repeated, 'repeated listing')} merged"
    ctx.print(summary + ")")
    if outline.pages:
        ctx.print(
            f"{counted(len(outline.pages), 'outline')} "
            f"{agreeing(len(outline.pages), 'names', 'name')} only a web page, not its feed; "
            "`newsreader add URL` finds the feed on the page:"
        )
        for page in outline.pages:
            ctx.print(f"  {page.title or page.url}: {page.url}")
    if outline.skipped:
        ctx.print(f"{counted(len(outline.skipped), 'outline')} could not be imported:")
        for skipped in outline.skipped:
            ctx.print(f"  {skipped.title or '(untitled)'}: {skipped.reason}")
    if added:
        ctx.print("run `newsreader sync` to fetch them")
    return 0


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader.parse.opml import write_opml

    feeds = ctx.store().export_outline()
    target = write_file(args.file, write_opml(feeds, "Newsreader subscriptions"), force=args.force)
    if target is None:
        return 0
    if args.json:
        ctx.print_json({"path": str(target), "feeds": len(feeds)})
    else:
        ctx.print(f"wrote {counted(len(feeds), 'feed')} to {target}")
    return 0


def run_feeds(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    folders = {f.id: "/".join(store.folder_path(f.id)) for f in store.list_folders()}
    feeds = store.list_feeds()
    if args.json:
        ctx.print_json([feed_json(f, folders.get(f.folder_id or -1)) for f in feeds])
        return 0
    if not feeds:
        ctx.print("no feeds yet: `newsreader add URL` or `newsreader import FILE.opml`")
        return 0
    now = datetime.now(UTC)
    rows = [
        [
            str(f.id),
            _status(f),
            str(f.unread_count),
            _next(f, now),
            clip(folders.get(f.folder_id or -1, "-"), 24),
            clip(f.display_title, 40),
            f.url,
            clip(_problem(f), 60),
        ]
        for f in feeds
    ]
    headers = ["ID", "STATUS", "UNREAD", "NEXT", "FOLDER", "TITLE", "URL", "PROBLEM"]
    for line in table(headers, rows, right=(0, 2)):
        ctx.print(line)
    return 0


def _next(feed: Feed, now: datetime) -> str:
    """When the feed is fetched next; an account's feed comes with its account's sync; a
    feed never fetched yet, with the next sync."""
    if feed.account_id is not None:
        return f"account {feed.account_id}"
    if feed.disabled:
        return "-"
    if feed.next_due is None and _never_fetched(feed):
        return "next sync"
    return relative(feed.next_due, now)


def _never_fetched(feed: Feed) -> bool:
    """A local feed not fetched yet and without a failed fetch (just added or imported)."""
    return feed.last_fetched is None and feed.last_error is None and feed.account_id is None


def _status(feed: Feed) -> str:
    from newsreader.feed_status import FeedStatus, feed_status

    status = feed_status(feed)
    return NEW_STATUS if status is FeedStatus.OK and _never_fetched(feed) else status.value


NEW_STATUS = "new"
"""The STATUS of a feed not fetched yet: `ok` would claim a fetch that never happened."""


def _problem(feed: Feed) -> str:
    """The feed's problem as the window words it (`feed_status.problem_text`): the fetcher's
    error for a failing feed, the reason for one a sync switched off; "" for a feed without
    one (working, switched off by the user, bundled)."""
    from newsreader.feed_status import problem_text

    return problem_text(feed)


def feed_json(feed: Feed, folder: str | None) -> dict[str, Any]:
    """A feed as `feeds --json` (and `add --json`, `feed set --json`) write it."""
    from newsreader.feed_status import disabled_reason

    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "site_url": feed.site_url,
        "folder": folder,
        "folder_id": feed.folder_id,
        "status": _status(feed),
        "problem": _problem(feed) or None,
        "account": feed.account_id,
        "unread": feed.unread_count,
        "error_count": feed.error_count,
        "last_error": feed.last_error,
        "last_error_at": iso_utc(feed.last_error_at),
        "disabled_reason": disabled_reason(feed),
        "last_fetched": iso_utc(feed.last_fetched),
        "next_due": iso_utc(feed.next_due),
        "interval_minutes": feed.interval_minutes,
        "full_text": feed.full_text,
        "user_agent": feed.user_agent,
    }


# --- entries ---------------------------------------------------------------------------


def run_entries(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    search = store.saved_search(args.search).query if args.search is not None else None
    found = store.list_entries(_query(args, store, search=search, order="date"))
    _print_entries(ctx, found, args.json, empty="no entries")
    return 0


def run_search(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    words = " ".join(args.query)
    query = _query(args, store, search=words)
    hint = field_hint(words)
    if hint is not None:
        print(f"note: {hint}", file=sys.stderr)
    found = store.list_entries(query)
    _print_entries(ctx, found, args.json, empty=f"nothing found for {words!r}")
    if found and not args.json:  # the table alone does not say how it is ordered
        limit = " (--limit N shows more)" if len(found) == args.limit else ""
        ctx.print(
            f"{counted(len(found), 'entry', 'entries')}, best matches first (a match in the "
            f"title weighs most){limit}"
        )
    return 0


def _query(
    args: argparse.Namespace,
    store: Store,
    search: str | None = None,
    order: EntryOrder = "relevance",
) -> EntryQuery:
    from newsreader.store import EntryQuery

    feed_ids = None
    if args.feed:
        feed_ids = tuple(store.get_feed(feed_id).id for feed_id in args.feed)
    return EntryQuery(
        feed_ids=feed_ids,
        unread_only=args.unread,
        starred_only=args.starred,
        search=search,
        order=order if search is not None else "date",
        limit=args.limit,
    )


def _print_entries(ctx: Context, found: list[Entry], as_json: bool, *, empty: str) -> None:
    from newsreader.parse.text import html_to_text

    if as_json:
        from newsreader.export.json import entry_record

        ctx.print_json([entry_record(e) for e in found])
        return
    if not found:
        ctx.print(empty)
        return
    now = datetime.now(UTC)
    rows = [
        [
            str(e.id),
            short_date(e.date, now),
            ("N" if not e.read else " ") + ("*" if e.starred else " "),
            clip(e.feed_title, 24),
            clip(e.title or html_to_text(e.summary) or "(untitled)", 70),
        ]
        for e in found
    ]
    for line in table(["ID", "DATE", "NS", "FEED", "TITLE"], rows, right=(0,)):
        ctx.print(line)


def _author_names(entry: Entry) -> list[str]:
    """Each author's name, else email; authors with neither are left out."""
    return [name for a in entry.authors if (name := a.name or a.email)]


def run_show(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    entry = store.get_entry(args.entry)
    full_text = store.full_text(entry.id)
    if args.json:
        from newsreader.export.json import entry_record, full_text_record

        story = store.entry_story(entry.id)
        ctx.print_json(
            entry_record(entry)
            | {
                "story": None
                if story is None
                else {"id": story.id, "entries": list(story.entries), "copies": list(story.copies)},
                "key_points": store.key_points(entry.id),
                "full_text": full_text_record(full_text),
            }
        )
        return 0
    ctx.print(entry.title or "(untitled)")
    byline = [entry.feed_title or "", long_date(entry.date)]
    authors = ", ".join(_author_names(entry))
    if authors:
        byline.append(f"by {authors}")
    ctx.print(" | ".join(part for part in byline if part))
    if entry.link:
        ctx.print(entry.link)
    status = [
        word for flag, word in ((not entry.read, "unread"), (entry.starred, "starred")) if flag
    ]
    if status or entry.tags:
        ctx.print(", ".join([*status, *(f"#{t}" for t in entry.tags)]))
    for enclosure in entry.enclosures:
        ctx.print(f"attachment: {enclosure.url} ({enclosure.type or 'unknown type'})")
    ctx.print()
    points = store.key_points(entry.id)
    if points:
        ctx.print("Key points:")
        for point in points:
            for number, line in enumerate(textwrap.wrap(point, 74)):
                ctx.print(("  - " if number == 0 else "    ") + line)
        ctx.print()
    if full_text is not None and full_text.status == "ok":
        ctx.print("(the full article, from the entry's page)")
        ctx.print()
        for paragraph in (full_text.text or "").split("\n\n"):
            for line in textwrap.wrap(paragraph, 78):
                ctx.print(line)
            ctx.print()
    else:
        for line in wrapped(entry.content or entry.summary) or ["(no text)"]:
            ctx.print(line)
    _print_coverage(store, entry.id, ctx)
    count = len([c for c in store.list_comments(entry.id) if not c.deleted])
    if count:
        ctx.print()
        ctx.print(f"{counted(count, 'comment')}: newsreader comments {entry.id}")
    return 0


def _print_coverage(store: Store, entry_id: int, ctx: Context) -> None:
    """The other articles of the entry's story, as the reader's *Coverage* lists them: id,
    source, when, title; a reprint of the same text says so."""
    story = store.entry_story(entry_id)
    if story is None:
        return
    now = datetime.now(UTC)
    copies = set(story.copies)
    others = store.entries_by_ids(story.entries)
    ctx.print()
    ctx.print(f"Coverage: {counted(len(others), 'other article')} on this story")
    for other in others:
        copy = " (same text)" if other.id in copies else ""
        ctx.print(
            f"  {other.id:>6}  {other.feed_title or '?'} · {when(other.date, now)}{copy}: "
            f"{other.title or '(untitled)'}"
        )


def run_mark(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    ids = list(dict.fromkeys(args.entries))
    known = {e.id for e in store.entries_by_ids(ids)}
    missing = [i for i in ids if i not in known]
    if missing:
        unknown = (
            f"no entry with id {missing[0]}"
            if len(missing) == 1
            else f"no entries with ids {', '.join(map(str, missing))}"
        )
        others = len(ids) - len(missing)
        untouched = (
            f"; the other {counted(others, 'entry', 'entries')} {agreeing(others, 'was', 'were')}"
            " not marked either (nothing is changed when an id is unknown)"
            if others
            else ""
        )
        raise NotFoundError(unknown + untouched)
    if args.action in ("read", "unread"):
        changed = store.set_read(ids, args.action == "read")
    else:
        changed = store.set_starred(ids, args.action == "star")
    if args.json:
        ctx.print_json({"action": args.action, "ids": ids, "changed": changed})
    else:
        word = {"read": "read", "unread": "unread", "star": "starred", "unstar": "unstarred"}
        ctx.print(
            f"marked {counted(len(ids), 'entry', 'entries')} {word[args.action]}"
            f" ({changed} changed)"
        )
    return 0


# --- comments --------------------------------------------------------------------------


def run_comment(args: argparse.Namespace, ctx: Context) -> int:
    parsed = _comment_words(args.words)
    if parsed is None:
        print(
            "newsreader comment: error: expected `comment ENTRY TEXT`, "
            "`comment edit ID TEXT` or `comment delete ID`",
            file=sys.stderr,
        )
        return 2
    action, number, text = parsed
    if action != "add" and args.reply_to is not None:
        print(
            f"newsreader comment: error: --reply-to is for a new comment, not `comment {action}`",
            file=sys.stderr,
        )
        return 2
    store = ctx.store()
    if action == "delete":
        changed = store.delete_comment(number)
        said = f"comment {changed.id} deleted"
    elif action == "edit":
        changed = store.edit_comment(number, _comment_text(text))
        said = f"comment {changed.id} changed"
    else:
        author = store.load_settings().comment_author
        changed = store.add_comment(
            number, _comment_text(text), author=author, parent_id=args.reply_to
        )
        said = f"comment {changed.id} added to entry {changed.entry_id}"
    if args.json:
        from newsreader.export.json import comment_record

        ctx.print_json(comment_record(changed))
    else:
        ctx.print(said)
    return 0


def _comment_words(words: list[str]) -> tuple[str, int, str] | None:
    """(action, entry or comment id, text) from `comment`'s words; None when they fit none
    of its three forms."""
    action = words[0] if words[0] in ("edit", "delete") else "add"
    rest = words[1:] if action != "add" else words
    wanted = 1 if action == "delete" else 2
    if len(rest) != wanted or not rest[0].isascii() or not rest[0].isdigit():
        return None
    return action, int(rest[0]), rest[1] if wanted == 2 else ""


def _comment_text(text: str) -> str:
    """The comment's text: TEXT itself, or standard input for '-'."""
    return sys.stdin.read() if text == "-" else text


def run_comments(args: argparse.Namespace, ctx: Context) -> int:
    """Lists an entry's comments; with --fetch, loads the site's first. A fetch that fails
    is a warning and exit status 1, and the stored comments are still listed (they are
    what there is offline)."""
    status = 0 if not args.fetch or _fetched_site_comments(args, ctx) else 1
    _list_comments(args, ctx)
    return status


def _fetched_site_comments(args: argparse.Namespace, ctx: Context) -> bool:
    """Loads the entry's comment feed into the store; False (with a warning on stderr)
    when it could not be fetched or read."""
    import asyncio

    from newsreader.sync.engine import fetch_comments

    ctx.store().get_entry(args.entry)  # NotFoundError before any network
    try:
        changed = asyncio.run(fetch_comments(ctx.paths.ensure(), args.entry))
    except (FetchError, ParseError) as error:
        print(
            f"newsreader comments: warning: the site's comments could not be fetched "
            f"({error}); the stored ones follow",
            file=sys.stderr,
        )
        return False
    if not args.json:
        ctx.print(f"fetched the site's comments: {counted(changed, 'comment')} added or changed")
    return True


def _list_comments(args: argparse.Namespace, ctx: Context) -> None:
    threads = ctx.store().comment_threads(args.entry)
    flat: list[tuple[int, Comment]] = []

    def walk(items: tuple[Comment, ...] | list[Comment], depth: int) -> None:
        for item in items:
            flat.append((depth, item))
            walk(item.replies, depth + 1)

    if args.json:
        from newsreader.export.json import comment_record

        ctx.print_json([comment_record(root) for root in threads])
        return
    walk(threads, 0)
    if not flat:
        entry = ctx.store().get_entry(args.entry)
        if entry.comment_count and entry.comments_feed and not args.fetch:
            announced = counted(entry.comment_count, "comment")
            from newsreader.sync.comments import COMMENTS

            retry = ctx.store().follow_up_retry(COMMENTS, args.entry)
            if retry is not None:  # the last fetch failed: its retry is queued
                now = datetime.now(UTC)
                again = (
                    f"the next sync retries it ({relative(retry, now)}, {long_date(retry)})"
                    if retry > now
                    else "the next sync retries it"
                )
                ctx.print(
                    f"no comments stored for entry {args.entry}; the site announces "
                    f"{announced}, but the last fetch of them failed: {again}"
                )
            else:
                ctx.print(
                    f"no comments stored for entry {args.entry}; the site announces "
                    f"{announced}: `newsreader comments {args.entry} --fetch` loads them"
                )
        else:
            ctx.print(f"no comments on entry {args.entry}")
        return
    now = datetime.now(UTC)
    for index, (depth, item) in enumerate(flat):
        pad = "  " * depth
        if index:
            ctx.print()
        origin = "" if item.origin is CommentOrigin.USER else " (from the site)"
        edited = " (edited)" if item.edited and not item.deleted else ""
        ctx.print(
            f"{pad}#{item.id}  {item.author or 'anonymous'}{origin}  "
            f"{when(item.created, now)}{edited}"
        )
        if item.deleted:
            ctx.print(f"{pad}    [deleted]")
        elif item.origin is CommentOrigin.USER:
            for line in item.body.splitlines():
                ctx.print(f"{pad}    {line}".rstrip())
        else:
            for line in wrapped(item.body, 76 - len(pad), pad + "    "):
                ctx.print(line)


# --- upkeep ----------------------------------------------------------------------------


def run_purge(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    days = args.days if args.days is not None else store.load_settings().retention_days
    if days == 0 and args.days is not None:
        message = "--days 0 keeps every entry: nothing purged (give --days N, N of 1 or more)"
        removed = 0
    elif days == 0:
        message = "retention is off (retention_days is 0), nothing purged; use --days N"
        removed = 0
    else:
        removed = store.purge(days, datetime.now(UTC))
        message = f"purged {counted(removed, 'entry', 'entries')} read more than {days} days ago"
    if args.json:
        ctx.print_json({"days": days, "purged": removed})
    else:
        ctx.print(message)
    return 0


def run_vacuum(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    before = _store_bytes(ctx)
    store.vacuum()
    after = _store_bytes(ctx)
    if args.json:
        ctx.print_json({"before": before, "after": after})
    else:
        ctx.print(f"compacted the store from {_megabytes(before)} to {_megabytes(after)}")
    return 0


def _store_bytes(ctx: Context) -> int:
    paths = [ctx.paths.store, ctx.paths.store.with_name(ctx.paths.store.name + "-wal")]
    return sum(p.stat().st_size for p in paths if p.exists())


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name).expanduser()
    try:
        return path.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read {path}: {error.strerror or error}") from error
