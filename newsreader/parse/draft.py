"""What the format parsers fill in while walking an entry, and how it becomes a ParsedEntry.

The rules shared by every format live here: which link wins, the stable id, the title of an
untitled entry, authors inherited from the feed, de-duplication of lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from newsreader import urls
from newsreader.model import Author, Enclosure, ParsedEntry
from newsreader.parse.text import html_to_text, markup_text

_TITLE_LENGTH = 80
_WEB = ("http://", "https://")
_MAX_PERSON_LENGTH = 320  # beyond this, no address parsing: a name, however odd

T = TypeVar("T")

_EMAIL_THEN_NAME = re.compile(r"^(?:mailto:)?([^\s()<>]+@[^\s()<>]+)\s*\((.*)\)$")
_NAME_THEN_EMAIL = re.compile(r"^(.*?)\s*[<(](?:mailto:)?([^\s()<>]+@[^\s()<>]+)[>)]$")
_BETWEEN_ELEMENTS = re.compile(r"(?<=>)\s*[,;|/]\s*(?=<)")
_EMAIL = re.compile(r"^(?:mailto:)?([^\s()<>@]+@[^\s()<>@]+)$")
_IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.IGNORECASE)


@dataclass
class EntryDraft:
    guid: str | None = None
    title: str | None = None  # plain text already
    link: str | None = None
    orig_link: str | None = None  # feedburner:origLink: the publisher's own URL
    alternate_link: str | None = None  # atom:link rel=alternate inside RSS
    permalink_guid: str | None = None  # an RSS guid that is a URL (isPermaLink not false)
    guid_is_not_permalink: bool = False  # RSS isPermaLink="false": never the entry's link
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[Author] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    summary: str | None = None  # sanitised HTML
    content: str | None = None  # sanitised HTML
    fallback_summary: str | None = None  # itunes:summary / media:description, sanitised
    enclosures: list[Enclosure] = field(default_factory=list)
    comments_url: str | None = None
    comments_feed: str | None = None
    comment_count: int | None = None
    image: str | None = None
    in_reply_to: str | None = None
    duration: timedelta | None = None

    @property
    def guid_as_link(self) -> str | None:
        """An id that is an http(s) URL is the link of last resort, unless the feed said
        it is not one (RSS isPermaLink="false")."""
        if self.guid and not self.guid_is_not_permalink and self.guid.startswith(_WEB):
            return self.guid
        return None

    def add_author(self, text: str | None) -> None:
        """An author in one of the RSS forms `person` reads; blank ones are left out."""
        author = person(text)
        if author is not None:
            self.authors.append(author)

    def add_category(self, text: str | None) -> None:
        """A category or tag, its white space folded; blank ones are left out."""
        if text and (value := " ".join(text.split())):
            self.categories.append(value)

    def add_categories(self, field: str | None) -> None:
        """The categories of a field that may hold markup: plain text is one category;
        separate elements (`<span>CSS</span>, <span>Web</span>`) are one category each."""
        if not field:
            return
        for part in _BETWEEN_ELEMENTS.split(field) if "<" in field else [field]:
            self.add_category(markup_text(part))

    def build(self, feed_authors: tuple[Author, ...] = ()) -> ParsedEntry:
        link = (
            self.orig_link
            or self.link
            or self.alternate_link
            or self.permalink_guid
            or self.guid_as_link
        )
        summary = self.summary or self.fallback_summary
        title = self.title or _title_from(summary or self.content)
        return ParsedEntry(
            id=self.guid
            or link
            or _content_hash(title, self.published or self.updated, self.content or summary),
            title=title,
            link=link,
            published=self.published,
            updated=self.updated,
            authors=_unique(self.authors) or feed_authors,
            categories=_unique(self.categories),
            summary=summary,
            content=self.content,
            enclosures=_unique_enclosures(self.enclosures),
            comments_url=self.comments_url,
            comments_feed=self.comments_feed,
            comment_count=self.comment_count,
            image=self.image or _image_enclosure(self.enclosures),
            in_reply_to=self.in_reply_to,
            duration=self.duration,
        )


def _image_enclosure(enclosures: list[Enclosure]) -> str | None:
    """The first enclosure that is a picture (`type` image/*; with no type, a URL path ending
    in an image extension) is the entry's picture when the feed names none otherwise
    (media:thumbnail, media:content medium="image", itunes:image): news feeds that attach their
    photo as `<enclosure type="image/jpeg">` show it above the text, as Miniflux and
    NetNewsWire do."""
    for enclosure in enclosures:
        if enclosure.type:
            if enclosure.type.lower().startswith("image/"):
                return enclosure.url
        elif (parts := urls.split(enclosure.url)) and _IMAGE_PATH.search(parts.path):
            return enclosure.url
    return None


def person(text: str | None) -> Author | None:
    """An author from RSS forms: "jo@example.com (Jo Doe)", "Jo Doe <jo@example.com>",
    a bare address, or a bare name."""
    if not text:
        return None
    value = " ".join(text.split())
    if not value:
        return None
    if len(value) > _MAX_PERSON_LENGTH:
        return Author(name=value)
    if match := _EMAIL_THEN_NAME.match(value):
        return Author(name=match.group(2).strip() or None, email=match.group(1))
    if match := _NAME_THEN_EMAIL.match(value):
        return Author(name=match.group(1).strip() or None, email=match.group(2))
    if match := _EMAIL.match(value):
        return Author(email=match.group(1))
    return Author(name=value)


def duration(text: str | None) -> timedelta | None:
    """itunes:duration: "H:MM:SS", "MM:SS" or a number of seconds."""
    if not text:
        return None
    parts = text.strip().split(":")
    if len(parts) > 3:
        return None
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    seconds = 0.0
    for number in numbers:
        if number < 0:
            return None
        seconds = seconds * 60 + number
    return timedelta(seconds=seconds)


def integer(text: str | None) -> int | None:
    if not text:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def _title_from(html: str | None) -> str | None:
    """An untitled entry (common for short posts) is titled by the start of its text."""
    if not html:
        return None
    words = html_to_text(html)
    if len(words) <= _TITLE_LENGTH:
        return words or None
    cut = words[:_TITLE_LENGTH].rsplit(" ", 1)[0] or words[:_TITLE_LENGTH]
    return cut.rstrip(" ,.;:-") + "…"


def _content_hash(title: str | None, date: datetime | None, content: str | None) -> str:
    """The id of last resort. It hashes the text of the content, not its markup, so that a
    change in how we sanitise does not give old entries new ids (and duplicates)."""
    import hashlib  # not at start-up: most entries have an id or a link (OpenSSL loads ~3 ms)

    digest = hashlib.sha256()
    text = html_to_text(content) if content else ""
    for part in (title or "", date.isoformat() if date else "", text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return f"sha256:{digest.hexdigest()}"


def _unique(items: list[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _unique_enclosures(items: list[Enclosure]) -> tuple[Enclosure, ...]:
    """One enclosure per URL; the first mention wins, later ones fill in type and length."""
    by_url: dict[str, Enclosure] = {}
    for item in items:
        known = by_url.get(item.url)
        if known is None:
            by_url[item.url] = item
        else:
            by_url[item.url] = Enclosure(
                url=known.url, type=known.type or item.type, length=known.length or item.length
            )
    return tuple(by_url.values())
