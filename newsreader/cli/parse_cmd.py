"""`newsreader parse [--json] FILE...`: parse feed files and print one line per file.

Needs no store: it shows what the parser makes of a document, for scripts and bug reports.
A file that cannot be read or parsed prints an error on its line and the run goes on; the
exit status is 1 when any file failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from newsreader.cli._common import Context, Subparsers, add_json_flag
from newsreader.errors import NewsreaderError
from newsreader.model import iso_utc
from newsreader.wording import counted

if TYPE_CHECKING:
    from newsreader.model import ParsedEntry, ParsedFeed

T = TypeVar("T")


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "parse",
        parents=[common],
        help="parse feed files and print what they hold",
        description="Parse RSS, Atom or JSON Feed files; one line of output per file, in order. "
        "Exits 1 if any file could not be parsed.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="feed file ('-' for stdin)")
    parser.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="the address the files came from, to make relative links absolute",
    )
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader.parse.feed import parse_feed

    return each_file(
        args.files,
        ctx,
        lambda data: parse_feed(data, args.base_url),
        feed_json if args.json else None,
        summary_line,
    )


def each_file(
    files: list[str],
    ctx: Context,
    work: Callable[[bytes], T],
    as_json: Callable[[T], dict[str, Any]] | None,
    summarise: Callable[[str, T], str],
) -> int:
    """One line per file, in order: `work(bytes)`'s result as JSON (`as_json`) or summarised,
    or the file's error (`{"error": "FILE: reason"}` / `FILE: error: reason`). Returns the exit
    code: 1 when any file failed, the others still printed. Used by `parse` and `extract`."""
    failed = False
    for name in files:
        try:
            result = work(read_input(name))
        except (NewsreaderError, OSError) as error:
            failed = True
            why = reason(error)
            if as_json is not None:
                ctx.print_json({"error": f"{name}: {why}"})
            else:
                ctx.print(f"{name}: error: {why}")
            continue
        if as_json is not None:
            ctx.print_json(as_json(result))
        else:
            ctx.print(summarise(name, result))
    return 1 if failed else 0


def feed_json(feed: ParsedFeed) -> dict[str, Any]:
    """The documented JSON form of a parsed feed (docs/parse.md)."""
    return {
        "format": feed.format,
        "title": feed.title,
        "link": feed.link,
        "subtitle": feed.subtitle,
        "language": feed.language,
        "updated": iso_utc(feed.updated),
        "image": feed.image,
        "entries": [_entry_json(entry) for entry in feed.entries],
    }


def summary_line(name: str, feed: ParsedFeed) -> str:
    count = len(feed.entries)
    title = feed.title or "(untitled)"
    return f"{name}: {feed.format} {title!r}, {counted(count, 'entry', 'entries')}"


def _entry_json(entry: ParsedEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "link": entry.link,
        "published": iso_utc(entry.published),
        "updated": iso_utc(entry.updated),
        "authors": [{"name": a.name, "email": a.email, "uri": a.uri} for a in entry.authors],
        "categories": list(entry.categories),
        "summary": entry.summary,
        "content": entry.content,
        "enclosures": [
            {"url": e.url, "type": e.type, "length": e.length} for e in entry.enclosures
        ],
        "comments_url": entry.comments_url,
        "comments_feed": entry.comments_feed,
        "comment_count": entry.comment_count,
    }


def read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
