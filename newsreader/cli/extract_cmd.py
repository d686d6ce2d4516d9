"""`newsreader extract [--json] [--url URL] FILE...`: the article of saved web pages.

Needs no store: it shows what full-text extraction makes of a page (docs/fulltext.md). One
line per file, in order; with `--json` one object per line with exactly the keys of
`article_json`, or `{"error": "FILE: reason"}` for a file with no article (or unreadable). The
exit status is 1 when any file failed, once every file has been tried.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, add_json_flag, command_help
from newsreader.cli.files import base_url, each_file
from newsreader.wording import counted

if TYPE_CHECKING:
    from newsreader.parse.extract import ExtractedArticle


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "extract",
        parents=[common],
        help=command_help("extract"),
        description="Extract the article (text, sanitised HTML, title, author, date, language, "
        "lead image) of saved web pages; one line of output per file, in order. "
        "Exits 1 if any file held no article.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="HTML file ('-' for stdin)")
    parser.add_argument(
        "--url",
        default=None,
        type=base_url,
        metavar="URL",
        help="the address the pages came from (http or https), to make their links and "
        "images absolute",
    )
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from newsreader.parse.extract import extract_article  # trafilatura loads in ~0.5 s

    return each_file(
        args.files,
        ctx,
        lambda data: extract_article(data, args.url),
        article_json if args.json else None,
        summary_line,
    )


def article_json(article: ExtractedArticle) -> dict[str, Any]:
    """The documented JSON form of an extracted article (README, docs/fulltext.md)."""
    return {
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "image": article.image,
        "text": article.text,
        "content": article.content,
    }


def summary_line(name: str, article: ExtractedArticle) -> str:
    words = len(article.text.split())
    title = article.title or "(untitled)"
    line = f"{name}: {title!r}, {counted(words, 'word')}"
    return line if article.wall is None else f"{line} ({article.wall})"
