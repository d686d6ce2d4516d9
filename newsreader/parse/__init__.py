"""Feed parsing: bytes of a document -> a normalised, sanitised `ParsedFeed`.

RSS 0.90-2.0, RDF, Atom 0.3/1.0 and JSON Feed 1.0/1.1; feed discovery in HTML pages; the
HTML sanitiser the rest of the app uses. Nothing here does I/O.
"""

from newsreader.parse.dates import parse_date
from newsreader.parse.discover import discover_feeds
from newsreader.parse.feed import DEFAULT_MAX_BYTES, parse_feed
from newsreader.parse.html import sanitize_html
from newsreader.parse.sniff import looks_like_feed
from newsreader.parse.text import html_to_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "discover_feeds",
    "html_to_text",
    "looks_like_feed",
    "parse_date",
    "parse_feed",
    "sanitize_html",
]
