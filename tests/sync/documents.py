"""Feed and page documents written for these tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Item:
    guid: str
    title: str = "An item"
    html: str = "<p>Body</p>"
    comments_feed: str | None = None
    enclosure: tuple[str, str] | None = None  # (url, type)
    comment_count: int | None = None  # slash:comments


def rss(
    items: Sequence[Item], *, title: str = "Test feed", image: str | None = None, ttl: int = 0
) -> bytes:
    parts = []
    for item in items:
        comments = (
            f"<wfw:commentRss>{escape(item.comments_feed)}</wfw:commentRss>"
            if item.comments_feed
            else ""
        )
        if item.comment_count is not None:
            comments += f"<slash:comments>{item.comment_count}</slash:comments>"
        if item.enclosure:
            url, kind = item.enclosure
            comments += f'<enclosure url="{escape(url)}" type="{kind}" length="1"/>'
        parts.append(
            f"<item><guid isPermaLink='false'>{escape(item.guid)}</guid>"
            f"<title>{escape(item.title)}</title>"
            f"<description>{escape(item.html)}</description>{comments}</item>"
        )
    extra = (
        f"<image><url>{escape(image)}</url><title>x</title><link>https://site.invalid/</link></image>"
        if image
        else ""
    )
    if ttl:
        extra += f"<ttl>{ttl}</ttl>"
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
        ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
        f"<channel><title>{escape(title)}</title><link>https://site.invalid/</link>{extra}"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def comment_feed(comments: Sequence[tuple[str, str, str | None]]) -> bytes:
    """Atom comment feed: (id, text, in-reply-to id or None)."""
    entries = []
    for cid, text, parent in comments:
        reply = f'<thr:in-reply-to ref="{escape(parent)}"/>' if parent else ""
        entries.append(
            f"<entry><id>{escape(cid)}</id><title>re</title><updated>2026-01-01T00:00:00Z</updated>"
            f"<author><name>Reader</name></author>{reply}"
            f'<content type="html">{escape(text)}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">'
        "<title>Comments</title><id>urn:comments</id><updated>2026-01-01T00:00:00Z</updated>"
        + "".join(entries)
        + "</feed>"
    ).encode()


def page(*, feeds: Sequence[tuple[str, str]] = (), icon: str | None = None) -> bytes:
    """An HTML page announcing `feeds` as (href, title) and maybe an icon."""
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" title="{escape(t)}" href="{escape(h)}">'
        for h, t in feeds
    )
    if icon:
        links += f'<link rel="icon" href="{escape(icon)}">'
    return (
        f"<!doctype html><html><head><title>A site</title>{links}</head>"
        "<body><p>Hello</p></body></html>"
    ).encode()


PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4
