"""`newsreader add URL` and `newsreader sync [--all] [FEED...]` (local feeds, then the
feed-server accounts)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any, TextIO

from newsreader.cli._common import Context
from newsreader.cli.account_cmds import result_line
from newsreader.cli.commands import Subparsers, add_json_flag, command_help
from newsreader.model import FULL_TEXT_MODES, AccountStatus
from newsreader.wording import counted

if TYPE_CHECKING:
    from collections.abc import Sequence

    from newsreader.accounts.refresh import RefreshResult
    from newsreader.model import Feed
    from newsreader.store import Store
    from newsreader.sync.events import FeedSynced, SyncEvent, SyncSummary

_BAR_WIDTH = 30
ADD_LOCK_WAIT_SECONDS = 30.0  # `add` while another program syncs: wait this long for it


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    add = subparsers.add_parser(
        "add",
        parents=[common],
        help=command_help("add"),
        description="Subscribes to URL: a feed, or a web page whose feeds are discovered "
        "(its <link rel=alternate> tags, then /feed, /rss, /rss.xml, /atom.xml, /index.xml, "
        "/feed.json). Lists what was found, subscribes to the first (or --pick N) and "
        "fetches it once.",
    )
    add.add_argument("url", metavar="URL")
    add.add_argument("--folder", metavar="NAME", help="put the feed in this folder (a/b nests)")
    add.add_argument("--pick", type=int, default=1, metavar="N", help="subscribe to feed N")
    add.add_argument(
        "--user",
        metavar="NAME",
        help="HTTP login for the feed; the password is asked for and kept in the system keyring",
    )
    add_json_flag(add)
    add.set_defaults(handler=run_add)

    run = subparsers.add_parser(
        "sync",
        parents=[common],
        help=command_help("sync"),
        description="Fetches due feeds, or all feeds with --all, or the feeds named by id or "
        "URL, then syncs every feed-server account (`newsreader account list`), one line "
        "each. A named feed of an account is not fetched from its site: its account is "
        "synced instead. Exits 0 when the sync ran (even if some feeds or accounts failed), "
        "1 when nothing could be reached (every feed and account failed with a network "
        "error).",
    )
    run.add_argument("feeds", nargs="*", metavar="FEED", help="feed id or URL")
    run.add_argument("--all", action="store_true", dest="all_feeds", help="fetch every feed")
    add_json_flag(run)
    run.set_defaults(handler=run_sync)

    feed = subparsers.add_parser(
        "feed",
        parents=[common],
        help=command_help("feed"),
        description="Changes how one feed is fetched.",
    )
    actions = feed.add_subparsers(dest="feed_command", metavar="ACTION", required=True)
    settable = actions.add_parser(
        "set",
        parents=[common],
        help="set a feed's fetch options",
        description="Sets the User-Agent one feed is fetched with, for a site that answers "
        "403 unless the client looks like a browser (an empty value goes back to "
        "Newsreader's own, honest, User-Agent), and when its entries' full articles are "
        "fetched from their pages (docs/fulltext.md). Give at least one option.",
    )
    settable.add_argument("feed_id", type=_feed_id, metavar="ID", help="feed id")
    settable.add_argument("--user-agent", metavar="UA", help="the User-Agent header ('' resets)")
    settable.add_argument(
        "--full-text",
        choices=FULL_TEXT_MODES,
        help="fetch entries' full articles: auto (when the feed gives a teaser; the default), "
        "always, never",
    )
    add_json_flag(settable)
    settable.set_defaults(handler=run_feed_set, usage_error=settable.error)


def run_sync(args: argparse.Namespace, ctx: Context) -> int:
    import asyncio

    from newsreader.accounts.refresh import refresh
    from newsreader.sync.engine import SyncOptions

    options = SyncOptions(feeds=tuple(args.feeds), all_feeds=args.all_feeds)
    progress = Progress(ctx.out, tty=ctx.out.isatty(), quiet=args.json)
    done = asyncio.run(refresh(ctx.paths.ensure(), options, [progress]))
    notify = [*progress.notify, *(i for result in done.accounts for i in result.notify_entry_ids)]
    if args.json:
        ctx.print_json(refresh_json(done, notify))
    else:
        for line in refresh_lines(done, failures_shown=not progress.tty):
            ctx.print(line)
        if notify:
            for line in notify_lines(ctx.store(), notify):
                ctx.print(line)
    if nothing_reached(done):
        why = unreached_hosts_said(failed_hosts(done, ctx.store()))
        print(f"newsreader sync: error: nothing could be fetched: {why}", file=sys.stderr)
        return 1
    return 0


def refresh_json(done: RefreshResult, notify: Sequence[int]) -> dict[str, Any]:
    """`sync --json`: the local feeds' summary (null when no local feed was fetched), each
    account's sync, the named feeds synced through their account, the articles `notify`
    rules found, and whether nothing could be reached (exit status 1)."""
    from newsreader.cli.account_cmds import result_json

    return {
        "feeds": None if done.summary is None else summary_json(done.summary),
        "accounts": [result_json(result) for result in done.accounts],
        "routed": [feed.id for feed in done.routed],
        "notify": list(notify),
        "nothing_reached": nothing_reached(done),
    }


def summary_json(summary: SyncSummary) -> dict[str, Any]:
    """The local feeds' part of `sync --json` (and the first fetch of `add --json`)."""
    return {
        "checked": summary.checked,
        "unchanged": summary.unchanged,
        "updated": summary.updated,
        "new_entries": summary.new_entries,
        "disabled": summary.disabled,
        "failed": len(summary.failures),
        "failures": [
            {"feed": f.feed_id, "url": f.url, "reason": f.reason, "network": f.network}
            for f in summary.failures
        ],
        "images_cached": summary.images_cached,
        "comments_fetched": summary.comments_fetched,
        "follow_ups_left": summary.follow_ups_left,
        "follow_ups_retrying": summary.follow_ups_retrying,
        "follow_up_hosts_retrying": list(summary.follow_up_hosts_retrying),
        "cancelled": summary.cancelled,
        "rule_problems": list(summary.rule_problems),
    }


def failed_hosts(done: RefreshResult, store: Store) -> set[str]:
    """The host names of the feeds and accounts that failed for lack of a network answer."""
    from newsreader.urls import host

    accounts = [
        store.get_account(result.account_id).url
        for result in done.accounts
        if result.status is AccountStatus.OFFLINE
    ]
    feeds = done.summary.unreached_hosts if done.summary else frozenset()
    return set(feeds) | {name for name in map(host, accounts) if name}  # unreadable: none


def unreached_hosts_said(hosts: set[str]) -> str:
    """Why nothing could be fetched: one host unreachable is that host (a site down, a name
    that does not resolve), not this computer; only failures on two hosts or more suggest
    being offline."""
    from newsreader.sync.events import offline_judged

    if hosts and not offline_judged(hosts):
        return f"cannot reach {next(iter(hosts))}"
    offline = " (is this computer offline?)" if offline_judged(hosts) else ""
    return f"every feed and account failed with a network error{offline}"


NOTIFY_LISTED = 20
"""Articles listed by name after a sync when `notify` rules found more."""


def notify_lines(store: Store, entry_ids: Sequence[int]) -> list[str]:
    """What `notify` rules found in this sync: a heading, then "ID  TITLE" per article (the
    first `NOTIFY_LISTED`, those still stored)."""
    listed = store.entries_by_ids(entry_ids[:NOTIFY_LISTED])
    more = len(entry_ids) - NOTIFY_LISTED
    return [
        f"Your rules asked to tell you about {counted(len(entry_ids), 'article')}:",
        *(f"  {entry.id}  {entry.title or '(untitled)'}" for entry in listed),
        *([f"  … and {more} more (newsreader show ID)"] if more > 0 else []),
    ]


def refresh_lines(done: RefreshResult, *, failures_shown: bool = False) -> list[str]:
    """The closing lines of `sync`: the local feeds' summary, then one line per account."""
    lines = [
        f"Feed {feed.id} ({feed.display_title}) comes from account {feed.account_id}: "
        "synced through the account, not fetched from its site."
        for feed in done.routed
    ]
    if done.summary is not None:
        summary = done.summary
        if summary.checked == 0 and not summary.cancelled and done.accounts:
            lines.append("No local feeds are due. (`newsreader sync --all` fetches every one.)")
            lines.extend(follow_up_lines(summary))
        else:
            lines.extend(summary_lines(summary, failures_shown=failures_shown))
    lines.extend(result_line(result) for result in done.accounts)
    problems = [p for result in done.accounts for p in result.rule_problems]
    if problems:
        lines.append("Rules that failed on the accounts' articles and were skipped:")
        lines.extend(f"  {problem}" for problem in problems)
    return lines


def nothing_reached(done: RefreshResult) -> bool:
    """Something was tried and nothing answered: every local feed checked failed on the
    network (or none was checked) and every account synced was offline (or none was)."""
    summary = done.summary
    checked = summary is not None and summary.checked > 0
    if not checked and not done.accounts:
        return False
    local_dead = not checked or (summary is not None and summary.nothing_fetched)
    return local_dead and all(r.status is AccountStatus.OFFLINE for r in done.accounts)


def _feed_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise argparse.ArgumentTypeError(f"not a feed id: {text!r}")
    return int(text)


def run_feed_set(args: argparse.Namespace, ctx: Context) -> int:
    if args.user_agent is None and args.full_text is None:
        args.usage_error("give --user-agent or --full-text (or both)")
    store = ctx.store()
    lines = []
    if args.full_text is not None:
        store.set_feed_full_text(args.feed_id, args.full_text)
        feed = store.get_feed(args.feed_id)
        lines.append(f"Feed {feed.id} ({feed.display_title}) full articles: {feed.full_text}")
    if args.user_agent is not None:
        feed = store.set_feed_user_agent(args.feed_id, args.user_agent)
        from newsreader.sync.fetch import USER_AGENT

        shown = feed.user_agent or f"Newsreader's own ({USER_AGENT})"
        lines.append(f"Feed {feed.id} ({feed.display_title}) is fetched as: {shown}")
    if args.json:
        ctx.print_json(feed_record(store, store.get_feed(args.feed_id)))
    else:
        for line in lines:
            ctx.print(line)
    return 0


def feed_record(store: Store, feed: Feed) -> dict[str, Any]:
    """The feed as `feeds --json` lists it (`user_agent` null: Newsreader's own)."""
    from newsreader.cli.library_cmds import feed_json

    folder = "/".join(store.folder_path(feed.folder_id)) if feed.folder_id else None
    return feed_json(feed, folder)


def run_add(args: argparse.Namespace, ctx: Context) -> int:
    import asyncio

    from newsreader.sync.credentials import Credentials
    from newsreader.sync.engine import SyncOptions
    from newsreader.sync.subscribe import subscribe

    credentials = None
    if args.user:
        password = getpass.getpass(f"Password for {args.user} at {args.url}: ")
        credentials = Credentials(args.user, password)
    folder = tuple(p for p in (args.folder or "").split("/") if p.strip())
    progress = Progress(ctx.out, tty=False, quiet=True)
    result = asyncio.run(
        subscribe(
            ctx.paths.ensure(),
            args.url,
            folder=folder,
            pick=args.pick,
            credentials=credentials,
            options=SyncOptions(lock_wait=ADD_LOCK_WAIT_SECONDS),
            subscribers=[progress],
        )
    )
    found = result.discovery.feeds
    if args.json:
        first_fetch = {
            "new_entries": result.first_sync.new_entries,
            "error": result.first_sync.failures[0].reason if result.first_sync.failures else None,
        }
        ctx.print_json(
            {
                "feed": feed_record(ctx.store(), result.feed),
                "is_feed": result.discovery.is_feed,
                "found": [{"url": f.url, "title": f.title, "type": f.type} for f in found],
                "picked": args.pick,
                "first_fetch": first_fetch,
            }
        )
        return 0
    if not result.discovery.is_feed:
        ctx.print(f"Found {counted(len(found), 'feed')} at {args.url}:")
        for number, candidate in enumerate(found, start=1):
            mark = "*" if number == args.pick else " "
            ctx.print(f" {mark}{number}. {candidate.title or '(untitled)'}  {candidate.url}")
    feed = result.feed
    ctx.print(f"Subscribed to {feed.display_title} (feed {feed.id}, {feed.url})")
    first = result.first_sync
    if first.failures:
        ctx.print(f"First fetch failed: {first.failures[0].reason}")
    else:
        ctx.print(f"Fetched {counted(first.new_entries, 'entry', 'entries')}.")
    return 0


class Progress:
    """A progress bar on a terminal (and a line while the articles are grouped into stories),
    one plain line per feed otherwise."""

    def __init__(self, out: TextIO, *, tty: bool, quiet: bool = False) -> None:
        self.out = out
        self.tty = tty
        self.quiet = quiet
        self.new_entries = 0
        self.failed = 0
        self.notify: list[int] = []  # entries `notify` rules found, in the order found
        self.matching = False  # the stories' line is on the terminal

    def __call__(self, event: SyncEvent) -> None:
        from newsreader.sync.events import (
            FeedOutcome,
            FeedSynced,
            StoriesMatched,
            SyncFinished,
            SyncStarted,
        )

        if self.quiet:  # nothing written; what `notify` rules found is still collected
            if isinstance(event, FeedSynced):
                self.notify.extend(event.notify_entry_ids)
            return
        match event:
            case SyncStarted(total=total):
                if not self.tty and total:  # none: the summary line says so
                    self.out.write(f"Checking {counted(total, 'feed')}\n")
            case FeedSynced():
                self.notify.extend(event.notify_entry_ids)
                self.new_entries += event.new_entries
                self.failed += event.outcome in {FeedOutcome.FAILED, FeedOutcome.DISABLED}
                self._feed(event)
            case StoriesMatched(done=done, total=total):
                if self.tty:  # its own line under the feeds' bar, redrawn per batch
                    if not self.matching:
                        self.out.write("\n")
                        self.matching = True
                    self.out.write(f"\rGrouping articles into stories: {done:,} of {total:,}")
            case SyncFinished():
                if self.tty:
                    self.out.write("\n")
        self.out.flush()

    def _feed(self, event: FeedSynced) -> None:
        from newsreader.parse.text import without_controls

        if not self.tty:
            self.out.write(without_controls(f"[{event.done}/{event.total}] {feed_line(event)}\n"))
            return
        filled = _BAR_WIDTH * event.done // max(event.total, 1)
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        self.out.write(
            f"\r[{bar}] {event.done}/{event.total} feeds, {self.new_entries} new, "
            f"{self.failed} failed"
        )


def feed_line(event: FeedSynced) -> str:
    from newsreader.sync.events import FeedOutcome

    name = event.title or event.url
    if event.outcome is FeedOutcome.UPDATED:
        return f"{name}: {event.new_entries} new, {event.updated_entries} updated"
    if event.outcome is FeedOutcome.UNCHANGED:
        return f"{name}: unchanged"
    if event.outcome is FeedOutcome.DISABLED:
        return f"{name}: disabled: {event.error}"
    return f"{name}: {event.error}"


HOSTS_NAMED = 3
"""Hosts the follow-up line names (most jobs first); the rest are counted."""


def follow_up_line(summary: SyncSummary) -> str:
    """One line for the follow-up work (images, icons, comment feeds, article pages) a sync
    left: not reached within its time budget (the next sync does it), and failed on hosts
    that did not answer or did not resolve (retried later, a few times)."""
    parts = []
    if summary.follow_ups_left and summary.follow_up_quiet_end is not None:
        parts.append(
            f"{summary.follow_ups_left} not started, as their hosts had not answered for "
            f"{summary.follow_up_quiet_end:g} s (a third of setting follow_up_seconds), left "
            "for the next sync"
        )
    elif summary.follow_ups_left:
        budget = f"the {summary.follow_up_budget:g} s" if summary.follow_up_budget else "the"
        parts.append(
            f"{summary.follow_ups_left} not reached in {budget} time allowed (setting "
            "follow_up_seconds), left for the next sync"
        )
    if summary.follow_ups_retrying:
        hosts = summary.follow_up_hosts_retrying
        named = ", ".join(hosts[:HOSTS_NAMED])
        if len(hosts) > HOSTS_NAMED:
            named += f" and {counted(len(hosts) - HOSTS_NAMED, 'more host')}"
        parts.append(
            f"{summary.follow_ups_retrying} on hosts that did not answer, do not resolve or "
            "were failing" + (f" ({named})" if named else "") + ", retried later"
        )
    return "Images, icons, comment feeds and article pages left: " + "; ".join(parts) + "."


def summary_lines(summary: SyncSummary, *, failures_shown: bool = False) -> list[str]:
    """The closing lines of `sync`; the failures are listed unless the per-feed lines already
    named each one (`failures_shown`), so each failure is printed once."""
    if summary.checked == 0 and not summary.cancelled:
        lines = ["No feeds are due. (`newsreader sync --all` fetches every feed.)"]
    else:
        lines = [
            f"Checked {counted(summary.checked, 'feed')}: {summary.unchanged} unchanged, "
            f"{summary.updated} updated, "
            f"{counted(summary.new_entries, 'new entry', 'new entries')}, "
            f"{len(summary.failures)} failed."
        ]
    return lines + follow_up_lines(summary, failures_shown=failures_shown)


def follow_up_lines(summary: SyncSummary, *, failures_shown: bool = False) -> list[str]:
    """The lines after the feeds' line: what the follow-up work did and left (also when no
    feed was due: the work queued by earlier syncs runs then too), failures, rule problems."""
    lines = []
    if summary.images_cached or summary.comments_fetched:
        lines.append(
            f"Cached {counted(summary.images_cached, 'image')}; "
            f"{counted(summary.comments_fetched, 'site comment')} added or changed."
        )
    if summary.follow_ups_left or summary.follow_ups_retrying:
        lines.append(follow_up_line(summary))
    if summary.failures and not failures_shown:
        lines.append("Failures:")
        lines.extend(f"  {f.url}: {f.reason}" for f in summary.failures)
    if summary.rule_problems:
        lines.append("Rules that failed and were skipped (`newsreader rules list`):")
        lines.extend(f"  {problem}" for problem in summary.rule_problems)
    return lines
