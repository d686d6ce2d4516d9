"""`newsreader parse [--json] FILE...`: parse feed files and print one line per file.

Needs no store: it shows what the parser makes of a document, for scripts and bug reports.
A file that cannot be read or parsed prints an error on its line and the run goes on; the
exit status is 1 when any file failed.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any, TextIO

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, add_json_flag, command_help
from newsreader.cli.files import base_url, each_file
from newsreader.model import iso_utc
from newsreader.wording import counted

if TYPE_CHECKING:
    from newsreader.model import ParsedEntry, ParsedFeed


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "parse",
        parents=[common],
        help=command_help("parse"),
        description="Parse RSS, Atom or JSON Feed files; one line of output per file, in order. "
        "Exits 1 if any file could not be parsed.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="feed file ('-' for stdin)")
    parser.add_argument(
        "--base-url",
        default=None,
        type=base_url,
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
        lambda data: parse_feed(data, args.base_url or ""),
        feed_json if args.json else None,
        summary_line,
        lambda value: print_json_line(ctx.out, value),
    )


def print_json_line(out: TextIO, value: dict[str, Any]) -> None:
    """`value` as one line of compact JSON (no space after ":" or ","), control characters
    removed as `Context.print_json` removes them. orjson writes it: over the news corpus of
    `benchmarks/parse.py` a tenth of the json module's time, which was a tenth of the whole
    run. A value orjson refuses (a lone surrogate, an integer beyond 64 bits) is written by
    the json module, which writes the same bytes for the values both take. The UTF-8 goes to
    `out`'s byte stream as it is when `out` writes UTF-8 with "\\n" line ends."""
    import orjson

    try:
        data = orjson.dumps(value)
    except orjson.JSONEncodeError:
        import json

        from newsreader.parse.text import without_controls

        print(
            without_controls(json.dumps(value, ensure_ascii=False, separators=(",", ":"))), file=out
        )
        return
    from newsreader.parse.text import utf8_without_controls

    data = utf8_without_controls(data)
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "")
    if buffer is None or encoding != "utf8" or os.linesep != "\n":
        print(data.decode(), file=out)
        return
    out.flush()  # what was printed to `out` before goes first
    buffer.write(data + b"\n")


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
    published = iso_utc(entry.published)
    return {
        "id": entry.id,
        "title": entry.title,
        "link": entry.link,
        "published": published,
        # often the very same datetime (`parse_date` remembers its last answers)
        "updated": published if entry.updated is entry.published else iso_utc(entry.updated),
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
