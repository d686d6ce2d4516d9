"""Feed parsing: bytes of a document -> a normalised, sanitised `ParsedFeed`.

RSS 0.90-2.0, RDF, Atom 0.3/1.0 and JSON Feed 1.0/1.1; feed discovery in HTML pages; the
HTML sanitiser the rest of the app uses. Nothing here does I/O.

The names below load their module on first use, so that importing one part (say
`newsreader.parse.text`) does not load the whole parser, and a command starts with only what
it uses (docs/cli.md, "Start-up").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsreader.lazy import lazy_names

if TYPE_CHECKING:
    from newsreader.parse.dates import parse_date
    from newsreader.parse.discover import discover_feeds
    from newsreader.parse.feed import DEFAULT_MAX_BYTES, parse_feed
    from newsreader.parse.html import sanitize_html, text_to_html
    from newsreader.parse.sniff import looks_like_feed
    from newsreader.parse.text import html_to_text

_HOMES = {
    "DEFAULT_MAX_BYTES": "newsreader.parse.feed",
    "discover_feeds": "newsreader.parse.discover",
    "html_to_text": "newsreader.parse.text",
    "looks_like_feed": "newsreader.parse.sniff",
    "parse_date": "newsreader.parse.dates",
    "parse_feed": "newsreader.parse.feed",
    "sanitize_html": "newsreader.parse.html",
    "text_to_html": "newsreader.parse.html",
}

__all__ = [
    "DEFAULT_MAX_BYTES",
    "discover_feeds",
    "html_to_text",
    "looks_like_feed",
    "parse_date",
    "parse_feed",
    "sanitize_html",
    "text_to_html",
]


__getattr__ = lazy_names(__name__, _HOMES)
