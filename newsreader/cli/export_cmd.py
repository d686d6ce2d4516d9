"""`newsreader export`: articles to HTML, Markdown, text, PDF, EPUB or JSON files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, add_json_flag, command_help, date_argument
from newsreader.settings import PageSize
from newsreader.wording import counted

if TYPE_CHECKING:
    from newsreader.export import ExportFormat, ExportProgress

STDOUT = "-"
"""`--out -`: the one file of html, md, txt or json on standard output."""
OUT_RULE = (
    "--out is the file to write for epub, pdf and json. For html, md and txt, an --out ending "
    "in .html/.htm, .md or .txt is one file (one article, or a digest of many with a table "
    "of contents); any other --out is a folder, created if "
    "missing, that receives one file per article named from its title (Markdown images go to "
    "its assets/ folder). Existing files are never overwritten without --force. --out - "
    "writes the one file of html, md (images linked at their web address), txt or json to "
    "standard output."
)


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export",
        parents=[common],
        help=command_help("export"),
        description="Exports the chosen articles (filters combine) to files that open "
        "offline, with cached images embedded. " + OUT_RULE,
    )
    parser.add_argument(
        "--format",
        required=True,
        type=_export_format,
        metavar="FORMAT",
        help="html, md (Markdown), txt, pdf, epub or json",
    )
    parser.add_argument(
        "--entry",
        type=int,
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="the articles with these ids (one or more; the option may be repeated)",
    )
    parser.add_argument(
        "--story",
        type=int,
        metavar="ID",
        help="the articles of one story, oldest first (ids from `newsreader stories`)",
    )
    parser.add_argument("--feed", type=int, metavar="ID", help="the articles of one feed")
    parser.add_argument("--folder", metavar="NAME", help="the articles of a folder (or A/B)")
    parser.add_argument("--starred", action="store_true", help="starred articles")
    parser.add_argument("--search", metavar="QUERY", help="articles matching a search")
    parser.add_argument(
        "--since",
        type=date_argument,
        metavar="DATE",
        help="articles dated on or after DATE (YYYY-MM-DD, midnight UTC, or an ISO date-time)",
    )
    parser.add_argument(
        "--until",
        type=date_argument,
        metavar="DATE",
        help="articles dated before DATE (YYYY-MM-DD, midnight UTC, or an ISO date-time); "
        "with --since: a range",
    )
    parser.add_argument("--with-comments", action="store_true", help="include comments, threaded")
    parser.add_argument(
        "--with-key-points",
        action="store_true",
        help="put each article's key points (2-4 of its own sentences) before its text",
    )
    parser.add_argument(
        "--feed-text",
        action="store_true",
        help="the feed's own text even for articles whose full article was fetched",
    )
    parser.add_argument(
        "--out", required=True, metavar="PATH", help="file or folder, or - (stdout); see above"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument(
        "--page-size",
        choices=[p.value for p in PageSize],
        help="PDF page size (default: the pdf_page_size setting)",
    )
    parser.add_argument(
        "--remote-images",
        action="store_true",
        help="Markdown: link images at their web address instead of saving them in assets/",
    )
    parser.add_argument("--title", help="title of a set (book, PDF, HTML page)")
    add_json_flag(parser)
    parser.set_defaults(handler=run_export)


def _export_format(text: str) -> ExportFormat:
    """`--format`'s value; checked when the command runs, so that building the parser loads
    no export code (start-up, docs/cli.md)."""
    from newsreader.export import ExportFormat

    try:
        return ExportFormat(text)
    except ValueError:
        names = ", ".join(f.value for f in ExportFormat)
        raise argparse.ArgumentTypeError(f"expected one of {names}, got {text!r}") from None


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    import shutil
    import tempfile
    from contextlib import nullcontext

    from newsreader.errors import UsageError
    from newsreader.export import ExportFormat, ExportOptions, ExportScope, export, store_images
    from newsreader.export.scope import NOTHING_CHOSEN

    scope = ExportScope(
        entry_ids=tuple(args.entry),
        story_id=args.story,
        feed_id=args.feed,
        folder=args.folder,
        starred=args.starred,
        search=args.search,
        since=args.since,
        until=args.until,
    )
    if scope.is_empty:
        raise UsageError(NOTHING_CHOSEN)
    to_stdout = args.out == STDOUT
    if to_stdout and args.json:
        raise UsageError(
            "--json with --out -: standard output is the export itself; give --out a file or folder"
        )
    if to_stdout and args.format in (ExportFormat.PDF, ExportFormat.EPUB):
        raise UsageError(
            f"{args.format.value} export is a binary file: give --out a file name "
            "(- writes html, md, txt and json to standard output)"
        )
    store = ctx.store()
    page_size = PageSize(args.page_size) if args.page_size else store.load_settings().pdf_page_size
    show = sys.stderr.isatty()
    with tempfile.TemporaryDirectory() if to_stdout else nullcontext("") as spool:
        # `-`: one file (a digest of many articles) in a temporary folder, then copied to
        # stdout; Markdown's images link to their web address, having no assets/ beside it
        out = Path(spool, f"export.{args.format.extensions[0]}") if spool else Path(args.out)
        options = ExportOptions(
            format=args.format,
            out=out,
            with_comments=args.with_comments,
            with_key_points=args.with_key_points,
            feed_text=args.feed_text,
            force=args.force,
            page_size=page_size,
            remote_images=args.remote_images or to_stdout,
            title=args.title,
        )
        result = export(
            store,
            scope,
            options,
            images=store_images(store, ctx.paths.images),
            progress=_progress if show else None,
        )
        if show:
            print(file=sys.stderr)
        if to_stdout:
            sys.stdout.flush()
            with out.open("rb") as written:
                shutil.copyfileobj(written, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            exported = f"Exported {counted(result.articles, 'article')} to standard output"
            print(exported, file=sys.stderr)
            return 0
    files = [path.absolute() for path in result.files]
    if args.json:
        ctx.print_json(
            {
                "format": args.format.value,
                "articles": result.articles,
                "files": [str(path) for path in files],
            }
        )
        return 0
    # every format names its file (or folder) as a full path: Markdown's were relative
    where = files[0] if len(files) == 1 else options.out.absolute()
    ctx.print(f"Exported {counted(result.articles, 'article')} to {where}")
    return 0


def _progress(update: ExportProgress) -> None:
    print(f"\rExporting {update.done}/{update.total}", end="", file=sys.stderr, flush=True)
