"""What the parser makes of one feed document: `ParsedFeed` and its `ParsedEntry` items, with
their `Author`s and `Enclosure`s (which stored entries hold too). No database ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Author:
    name: str | None = None
    email: str | None = None
    uri: str | None = None


@dataclass(frozen=True, slots=True)
class Enclosure:
    url: str
    type: str | None = None
    length: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One item of a feed. `id` is never empty: guid/id, else link, else a content hash."""

    id: str
    title: str | None = None  # plain text
    link: str | None = None  # absolute URL
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[Author, ...] = ()
    categories: tuple[str, ...] = ()
    summary: str | None = None  # sanitised HTML
    content: str | None = None  # sanitised HTML
    enclosures: tuple[Enclosure, ...] = ()
    comments_url: str | None = None  # RSS <comments> / wfw:comment: the discussion page
    comments_feed: str | None = None  # wfw:commentRss / Atom rel="replies": a feed of comments
    comment_count: int | None = None  # slash:comments / thr:total
    image: str | None = None  # media:thumbnail / itunes:image, absolute URL
    in_reply_to: str | None = None  # thr:in-reply-to ref, for entries of a comment feed
    duration: timedelta | None = None  # itunes:duration of the episode (added by the parser)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    format: str  # "rss090", "rss091", "rss092", "rss093", "rss094", "rss10", "rss20",
    #              "atom03", "atom10", "json10", "json11"
    title: str | None = None
    link: str | None = None  # the site's page
    subtitle: str | None = None  # plain text
    language: str | None = None
    updated: datetime | None = None
    image: str | None = None  # logo/icon/itunes:image, absolute URL
    entries: tuple[ParsedEntry, ...] = ()
    # The publisher's refresh hint from RSS ttl or sy:updatePeriod/updateFrequency.
    update_interval: timedelta | None = None
