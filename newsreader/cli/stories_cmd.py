"""`newsreader stories`: the stories in the library, articles from several feeds on one event
(see docs/stories.md)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, add_json_flag, command_help, date_argument
from newsreader.cli.format import clip, short_date, table
from newsreader.model import iso_utc

if TYPE_CHECKING:
    from newsreader.store import Store, Story


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "stories",
        parents=[common],
        help=command_help("stories"),
        description="Lists stories, newest first: articles from different feeds that report "
        "the same event, matched as they arrive. Each line shows the story id, the number of "
        "sources, the newest article's date, the headline (the first article's title in the "
        "story's most common language) and the ids of its articles.",
    )
    add_json_flag(parser)
    parser.add_argument(
        "--since",
        type=date_argument,
        metavar="DATE",
        help="stories with an article on or after DATE (YYYY-MM-DD, midnight UTC, or an ISO "
        "date-time); the table shows local times",
    )
    parser.add_argument(
        "--min-sources",
        type=_at_least_two,
        default=2,
        metavar="N",
        help="only stories told by at least N feeds (default 2)",
    )
    parser.set_defaults(handler=run_stories)


def _at_least_two(text: str) -> int:
    if not text.isdigit() or int(text) < 2:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 2, got {text!r}")
    return int(text)


def run_stories(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    stories = store.list_stories(since=args.since, min_sources=args.min_sources)
    if args.json:
        ctx.print_json([story_json(store, s) for s in stories])
        return 0
    if not stories:
        ctx.print("no stories")
        return 0
    now = datetime.now(UTC)
    rows = [
        [
            str(s.id),
            str(s.sources),
            short_date(s.last, now),
            clip(s.title or "(untitled)", 60),
            " ".join(str(i) for i in s.entry_ids),
        ]
        for s in stories
    ]
    for line in table(["STORY", "SOURCES", "LATEST", "TITLE", "ENTRIES"], rows, right=(0, 1)):
        ctx.print(line)
    return 0


def story_json(store: Store, story: Story) -> dict[str, Any]:
    entries = store.entries_by_ids(list(story.entry_ids))
    by_id = {e.id: e for e in entries}
    return {
        "id": story.id,
        "title": story.title,
        "sources": story.sources,
        "first": iso_utc(story.first),
        "last": iso_utc(story.last),
        "entries": [
            {
                "id": i,
                "feed_id": by_id[i].feed_id,
                "feed_title": by_id[i].feed_title,
                "title": by_id[i].title,
                "date": iso_utc(by_id[i].date),
                "language": by_id[i].language,
            }
            for i in story.entry_ids
            if i in by_id
        ],
    }
