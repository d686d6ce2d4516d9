"""Full articles: `newsreader fetch-article [--json] ENTRY...` (docs/fulltext.md); the feed
setting is `newsreader feed set ID --full-text auto|always|never` (sync_cmds)."""

from __future__ import annotations

import argparse

from newsreader.cli._common import Context
from newsreader.cli.commands import Subparsers, add_json_flag, command_help
from newsreader.model import FullText
from newsreader.wording import counted


def register(subparsers: Subparsers, common: argparse.ArgumentParser) -> None:
    fetch = subparsers.add_parser(
        "fetch-article",
        parents=[common],
        help=command_help("fetch-article"),
        description="Fetches each entry's web page now (even if it was tried before), "
        "extracts its article and stores it beside the feed's text. One line per entry, in "
        "order; exits 1 when any entry got no article.",
    )
    fetch.add_argument("entries", type=int, nargs="+", metavar="ENTRY", help="entry id")
    add_json_flag(fetch)
    fetch.set_defaults(handler=run_fetch_article)


def run_fetch_article(args: argparse.Namespace, ctx: Context) -> int:
    import asyncio

    from newsreader.export.json import full_text_record
    from newsreader.sync.articles import fetch_articles

    ctx.store()  # creates and migrates the store before the fetch opens its own connection
    results = asyncio.run(fetch_articles(ctx.paths.ensure(), list(args.entries)))
    failed = False
    for result in results:
        ok = result.full_text is not None and result.full_text.status == "ok"
        failed = failed or not ok
        if args.json:
            if result.error is not None:
                ctx.print_json({"error": f"{result.entry_id}: {result.error}"})
            else:
                ctx.print_json(
                    {"entry": result.entry_id, "full_text": full_text_record(result.full_text)}
                )
        else:
            ctx.print(_line(result.entry_id, result.full_text, result.error))
    return 1 if failed else 0


def _line(entry_id: int, full_text: FullText | None, error: str | None) -> str:
    if error is not None or full_text is None:
        return f"{entry_id}: error: {error or 'nothing stored'}"
    if full_text.status == "ok":
        words = len((full_text.text or "").split())
        return f"{entry_id}: ok, {counted(words, 'word')}"
    said = STATUS_WORDS.get(full_text.status, full_text.status)
    return f"{entry_id}: {said}: {full_text.reason or 'no reason given'}"


STATUS_WORDS = {
    "no-article": "no article found on the page",
    "failed": "failed",
    "paywalled": "behind a paywall",
}
"""How a line says a full text's status (`--json` keeps the codes: `no-article` ...)."""
