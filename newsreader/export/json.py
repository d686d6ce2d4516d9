"""JSON export for scripts: every field of each entry, with tags, enclosures and (when asked)
the threaded comments. Written one entry at a time, so memory stays flat.

    {"format": "newsreader-export", "version": 1, "exported": "...Z",
     "entries": [{...}, ...], "count": N}

Each entry carries `full_text` (what fetching its page gave, as in `show --json`) unless the
export asked for the feed's text only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, BinaryIO

from newsreader.export.items import ExportItem
from newsreader.model import Comment, Entry, FullText, iso_utc
from newsreader.parse.text import html_to_text

FORMAT_NAME = "newsreader-export"
FORMAT_VERSION = 1


def write_entries(
    items: Iterable[ExportItem],
    out: BinaryIO,
    *,
    with_comments: bool,
    with_full_text: bool,
    with_key_points: bool = False,
) -> int:
    """Writes the document; returns how many entries it holds. Each entry gets `comments`
    and `key_points` (a list of sentences) when asked for, and with `with_full_text` its
    `full_text` (`full_text_record` of the item's, null when never tried)."""
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": iso_utc(datetime.now(UTC)),
    }
    out.write(json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "entries": [\n')
    count = 0
    for item in items:
        if count:
            out.write(b",\n")
        record = entry_record(item.entry, item.feed_title)
        if with_full_text:
            record["full_text"] = full_text_record(item.full_text)
        if with_comments:
            record["comments"] = [comment_record(c) for c in item.comments]
        if with_key_points:
            record["key_points"] = list(item.key_points)
        out.write(json.dumps(record, ensure_ascii=False).encode())
        count += 1
    out.write(f'\n], "count": {count}}}\n'.encode())
    return count


def entry_record(entry: Entry, feed_title: str | None = None) -> dict[str, Any]:
    """One entry as JSON: the one schema of `newsreader show --json`, `entries --json`,
    `search --json` and JSON export, documented key by key in docs/export.md ("An entry as
    JSON"). A new key (full text, story, language, ...) is added here, and to that table.

    Dates are ISO 8601 in UTC with a `Z` (null when absent); `summary` and `content` are
    sanitised HTML; `text` is the plain text of the content (else the summary), one
    paragraph a line; `feed_title` is `feed_title` if given, else the entry's feed's title.
    """
    return {
        "id": entry.id,
        "feed_id": entry.feed_id,
        "feed_title": feed_title or entry.feed_title,
        "guid": entry.guid,
        "title": entry.title,
        "link": entry.link,
        "authors": [{"name": a.name, "email": a.email, "uri": a.uri} for a in entry.authors],
        "date": iso_utc(entry.date),
        "published": iso_utc(entry.published),
        "updated": iso_utc(entry.updated),
        "first_seen": iso_utc(entry.first_seen),
        "read": entry.read,
        "starred": entry.starred,
        "categories": list(entry.categories),
        "tags": list(entry.tags),
        "summary": entry.summary,
        "content": entry.content,
        "text": html_to_text(entry.content or entry.summary, paragraphs=True),
        "image": entry.image,
        "enclosures": [
            {"url": e.url, "type": e.type, "length": e.length} for e in entry.enclosures
        ],
        "comments_url": entry.comments_url,
        "comments_feed": entry.comments_feed,
        "comment_count": entry.comment_count,
        "language": entry.language,
    }


def full_text_record(full_text: FullText | None) -> dict[str, Any] | None:
    """What fetching an entry's page gave, as JSON (`show --json`, `fetch-article --json`,
    JSON export): `status` (ok, no-article, failed, paywalled), `reason`, `text` (paragraphs
    separated by blank lines), `content` (sanitised HTML), `fetched`; None when the page was
    never tried."""
    if full_text is None:
        return None
    return {
        "status": full_text.status,
        "reason": full_text.reason,
        "text": full_text.text,
        "content": full_text.content,
        "fetched": iso_utc(full_text.fetched),
    }


def comment_record(comment: Comment) -> dict[str, Any]:
    """One comment as JSON, with its replies nested: the one schema of `comments --json`,
    `comment --json` and JSON export (`--with-comments`), documented key by key in
    docs/export.md ("A comment as JSON"). A deleted comment keeps its place in the thread,
    without its body."""
    return {
        "id": comment.id,
        "entry_id": comment.entry_id,
        "parent_id": comment.parent_id,
        "origin": str(comment.origin),
        "author": comment.author,
        "created": iso_utc(comment.created),
        "edited": iso_utc(comment.edited),
        "deleted": comment.deleted,
        "body": None if comment.deleted else comment.body,
        "link": comment.link,
        "remote_id": comment.remote_id,
        "replies": [comment_record(r) for r in comment.replies],
    }
