"""RSS 0.90-0.94, 1.0 (RDF) and 2.0 from an lxml tree."""

from __future__ import annotations

from datetime import timedelta

from lxml import etree

from newsreader.errors import ParseError
from newsreader.model import Author, ParsedFeed
from newsreader.parse import extensions, nodes
from newsreader.parse.dates import parse_date
from newsreader.parse.draft import EntryDraft, integer, person
from newsreader.parse.html import sanitized

_RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
_VERSIONS = {"0.91": "rss091", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_PERIODS = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
    "monthly": timedelta(days=30),
    "yearly": timedelta(days=365),
}


def parse_rss(root: etree._Element, url: str, has_xml_base: bool) -> ParsedFeed:
    """Any RSS flavour; RDF documents keep their items beside the channel, not inside it."""
    root_key = nodes.key_of(root)
    children = nodes.elements(root)
    if root_key == "rdf:RDF":
        channel = next((c for c in children if nodes.key_of(c) == "channel"), None)
        items = [c for c in children if nodes.key_of(c) == "item"]
        fmt = (
            "rss090"
            if nodes.namespace_of(channel if channel is not None else root) == _RSS090
            else "rss10"
        )
    else:
        channel = next((c for c in children if nodes.key_of(c) == "channel"), root)
        items = []
        fmt = _VERSIONS.get((root.get("version") or "").strip(), "rss20")
    if channel is None:
        raise ParseError("an RSS document without a channel")
    return _Channel(url, has_xml_base).read(channel, items, fmt)


class _Channel:
    """State of one channel while its children are read."""

    def __init__(self, url: str, has_xml_base: bool) -> None:
        self.url = url
        self.has_xml_base = has_xml_base

    def read(self, channel: etree._Element, items: list[etree._Element], fmt: str) -> ParsedFeed:
        base = nodes.base_of(channel, self.url, self.has_xml_base)
        title = link = alternate = subtitle = language = image = None
        last_build = published = None
        ttl: timedelta | None = None
        period, frequency = None, 1
        authors: list[Author] = []
        for child in nodes.elements(channel):
            name = nodes.key_of(child)
            if name == "item":
                items.append(child)
            elif name == "title" or (name == "dc:title" and title is None):
                title = nodes.plain(child)
            elif name == "link":
                link = link or nodes.resolve(base, nodes.text(child))
            elif name == "atom:link" and nodes.link_rel(child) == "alternate":
                alternate = alternate or nodes.resolve(base, child.get("href"))
            elif name in ("description", "itunes:subtitle") and subtitle is None:
                subtitle = nodes.plain(child)
            elif name in ("language", "dc:language"):
                language = language or nodes.text(child)
            elif name == "lastBuildDate":
                last_build = parse_date(nodes.text(child) or "")
            elif name in ("pubDate", "dc:date", "atom:updated"):
                published = published or parse_date(nodes.text(child) or "")
            elif name == "image":
                image = image or _image_url(child, base)
            elif name in ("itunes:image", "media:thumbnail"):
                image = image or nodes.resolve(base, child.get("href") or child.get("url"))
            elif name == "ttl":
                minutes = integer(nodes.text(child))
                ttl = timedelta(minutes=minutes) if minutes else None
            elif name == "sy:updatePeriod":
                period = _PERIODS.get((nodes.text(child) or "").lower())
            elif name == "sy:updateFrequency":
                frequency = integer(nodes.text(child)) or 1
            elif name in ("dc:creator", "itunes:author"):
                author = person(nodes.plain(child))
                if author is not None:
                    authors.append(author)
        feed_authors = tuple(dict.fromkeys(authors))
        return ParsedFeed(
            format=fmt,
            title=title,
            link=link or alternate,
            subtitle=subtitle,
            language=language,
            updated=last_build or published,
            image=image,
            entries=tuple(self._item(item).build(feed_authors) for item in items),
            update_interval=ttl or (period / frequency if period else None),
        )

    def _item(self, item: etree._Element) -> EntryDraft:
        base = nodes.base_of(item, self.url, self.has_xml_base)
        draft = EntryDraft()
        about = item.get(nodes.RDF_ABOUT) or item.get(nodes.RDF_RESOURCE)
        for child in nodes.elements(item):
            name = nodes.key_of(child)
            if name == "title" or (name == "dc:title" and draft.title is None):
                draft.title = nodes.plain(child)
            elif name == "link":
                draft.link = draft.link or nodes.resolve(base, nodes.text(child))
            elif name == "guid":
                _guid(draft, child, base)
            elif name == "description":
                draft.summary = sanitized(nodes.inner_markup(child), base)
            elif name == "author":
                draft.add_author(_author_text(child))
            elif name == "category":
                draft.add_categories(nodes.inner_markup(child))
            elif name == "enclosure":
                _enclosure(draft, child, base)
            elif name == "comments":
                draft.comments_url = nodes.resolve(base, nodes.text(child))
            elif name == "pubDate":
                draft.published = parse_date(nodes.text(child) or "")
            else:
                extensions.apply(draft, name, child, base)
        if draft.guid is None and about:
            draft.guid = about.strip() or None
        return draft


def _author_text(element: etree._Element) -> str | None:
    """An RSS author: "jo@example.com (Jo)", escaped markup, or (in some feeds) structured
    XML with a `name` child beside a job title, of which the name is the author."""
    for child in nodes.elements(element):
        if nodes.key_of(child) in ("name", "atom:name"):
            return nodes.text(child)
    return nodes.plain(element)


def _guid(draft: EntryDraft, element: etree._Element, base: str) -> None:
    value = nodes.text(element)
    if not value:
        return
    draft.guid = value
    draft.guid_is_not_permalink = (element.get("isPermaLink") or "").strip().lower() == "false"
    if not draft.guid_is_not_permalink and value.startswith(("http://", "https://")):
        draft.permalink_guid = nodes.resolve(base, value)


def _enclosure(draft: EntryDraft, element: etree._Element, base: str) -> None:
    url = nodes.resolve(base, element.get("url") or element.get(nodes.RDF_RESOURCE))
    if url is not None:
        draft.enclosures.append(extensions.enclosure(url, element))


def _image_url(element: etree._Element, base: str) -> str | None:
    for child in nodes.elements(element):
        if nodes.key_of(child) == "url":
            return nodes.resolve(base, nodes.text(child))
    return nodes.resolve(base, element.get(nodes.RDF_RESOURCE))
