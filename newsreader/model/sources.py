"""Feed addresses found to subscribe to: named by a web page (`DiscoveredFeed`) or listed by
an OPML file (`Outline`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DiscoveredFeed:
    """A feed named by a web page (<link rel="alternate">) or found at a usual path."""

    url: str
    title: str | None = None
    type: str | None = None  # MIME type as announced


@dataclass(frozen=True, slots=True)
class OutlineFeed:
    """A subscription read from OPML; `folder` is the path of nested outline titles."""

    url: str
    title: str | None = None
    site_url: str | None = None
    folder: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OutlinePage:
    """An OPML outline that names a web page (`htmlUrl`) but no feed: the feed must be
    discovered on the page, or the user told."""

    url: str
    title: str | None = None
    folder: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OutlineSkipped:
    """An OPML outline that could not become a subscription, and why (for the user)."""

    title: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Outline:
    """Everything an OPML file lists: feeds (one per feed, however often listed), pages
    without a feed address, outlines skipped with their reason, and how many outlines
    repeated a feed listed before."""

    feeds: tuple[OutlineFeed, ...] = ()
    pages: tuple[OutlinePage, ...] = ()
    skipped: tuple[OutlineSkipped, ...] = ()
    repeated: int = 0
