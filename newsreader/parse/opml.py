"""OPML subscription lists: reading them from other readers and writing our own.

Untrusted input: the parser loads no DTD, resolves no entity, never touches the network, and a
document declaring entities is refused outright (billion laughs, XXE). Real files are messy,
so libxml2's recovery mode reads what is still readable (a stray `&`, a missing close tag).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from html.entities import html5

from lxml import etree

from newsreader import urls
from newsreader.errors import HostileDocumentError, OpenTargetError, ParseError
from newsreader.feedurl import unwrap_feed_scheme
from newsreader.model import Outline, OutlineFeed, OutlinePage, OutlineSkipped
from newsreader.parse import encoding

MAX_OPML_BYTES = 20 * 1024 * 1024
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_REFERENCE = re.compile(rb"&(?:(#[0-9]+;|#[xX][0-9a-fA-F]+;)|([A-Za-z][A-Za-z0-9]*);)?")
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_FEED_TYPES = frozenset({"rss", "atom", "feed", "rdf"})
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def parse_opml(data: bytes, base_url: str | None = None) -> list[OutlineFeed]:
    """The feeds of an OPML document (`read_outline(...).feeds`)."""
    return list(read_outline(data, base_url).feeds)


def read_outline(data: bytes, base_url: str | None = None) -> Outline:
    """Everything an OPML document lists, in document order.

    Feeds carry the path of the outline titles they are nested in; a feed outside any folder
    takes the first path of its `category` attribute (`"/Tech/Python,/News"`) instead. Title
    comes from `title`, else `text`. A relative `xmlUrl` is resolved against `base_url` (the
    file's own address), and skipped with its reason when there is none. A feed listed more
    than once (URLs equal but for the case of scheme and host, or a trailing slash) is one
    feed, in the first folder it was listed in. Outlines with a web page (`htmlUrl`) but no
    feed address are `pages`; other outlines that are neither feeds nor folders are `skipped`.

    The encoding is found as for feeds: byte-order mark, XML declaration, UTF-8, else a guess.
    """
    root = _parse(data)
    if _local(root) != "opml":
        name = root.tag if isinstance(root.tag, str) else ""
        raise ParseError(f"not an OPML document (the root element is <{name}>)")
    body = next((c for c in root if _local(c) == "body"), None)
    if body is None:
        raise ParseError("not an OPML document (it has no <body>)")
    reader = _Reader(base_url)
    reader.walk(body, ())
    return reader.outline()


def feed_key(url: str) -> str:
    """The key under which two addresses are the same feed: scheme and host lower-cased,
    the fragment and a trailing slash dropped (`HTTPS://Example.com/feed/` is
    `https://example.com/feed`)."""
    split = urls.split(url.strip())
    if split is None:
        return url.strip()
    return urls.unsplit(
        urls.origin_lowered(split._replace(path=split.path.rstrip("/"), fragment=""))
    )


def write_opml(feeds: Sequence[OutlineFeed], title: str) -> bytes:
    """An OPML 2.0 document of `feeds`, folders as nested outlines (in first-seen order)."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[tuple[str, ...], etree._Element] = {(): body}
    for feed in feeds:
        parent = _folder_element(folders, feed.folder)
        name = feed.title or feed.url
        attributes = {"type": "rss", "text": name, "title": name, "xmlUrl": feed.url}
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        etree.SubElement(parent, "outline", attributes)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _parse(data: bytes) -> etree._Element:
    if len(data) > MAX_OPML_BYTES:
        raise HostileDocumentError(
            f"the OPML file is too large ({len(data):,} bytes; the limit is {MAX_OPML_BYTES:,})"
        )
    data = _as_utf8(data)
    if _ENTITY_DECLARATION.search(data):
        raise HostileDocumentError("the OPML file declares XML entities; refusing to read it")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(_repair_references(data), parser)
    except etree.XMLSyntaxError as error:
        raise ParseError(f"not an OPML document: {error}") from error
    if root is None:
        raise ParseError("not an OPML document (no element could be read)")
    return root


def _as_utf8(data: bytes) -> bytes:
    """The document re-encoded as UTF-8 without its XML declaration, after finding its
    encoding as for feeds (`encoding.decode`: byte-order mark, declaration, UTF-8, else
    charset-normalizer's guess for undeclared files), so every later step reads one encoding."""
    text = encoding.decode(data, None, encoding.declared_encoding(data))
    return _XML_DECLARATION.sub("", text, count=1).encode("utf-8")


def _repair_references(data: bytes) -> bytes:
    """Escapes stray `&` (as in unescaped URLs) and turns HTML named entities, which XML does
    not define, into character references; recovery mode would drop both silently."""

    def fix(match: re.Match[bytes]) -> bytes:
        numeric, name = match.groups()
        if numeric or name in _XML_ENTITIES:
            return match.group(0)
        if name is not None:
            char = html5.get(name.decode("ascii") + ";")
            if char is not None:
                return "".join(f"&#{ord(c)};" for c in char).encode("ascii")
        return b"&amp;" + match.group(0)[1:]

    return _REFERENCE.sub(fix, data)


class _Reader:
    """The outlines of one document, gathered by `walk`."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.feeds: dict[str, OutlineFeed] = {}  # by feed_key, in first-listed order
        self.pages: dict[str, OutlinePage] = {}
        self.skipped: list[OutlineSkipped] = []
        self.repeated = 0

    def outline(self) -> Outline:
        return Outline(
            feeds=tuple(self.feeds.values()),
            pages=tuple(self.pages.values()),
            skipped=tuple(self.skipped),
            repeated=self.repeated,
        )

    def walk(self, parent: etree._Element, path: tuple[str, ...]) -> None:
        for outline in parent:
            if _local(outline) != "outline":
                continue
            attributes = {str(k).lower(): (v or "").strip() for k, v in outline.attrib.items()}
            name = attributes.get("title") or attributes.get("text") or None
            children = any(_local(child) == "outline" for child in outline)
            folder = path or _category_path(attributes.get("category", ""))
            if attributes.get("xmlurl"):
                self.feed(attributes, name, folder)
            elif not children:
                self.other(attributes, name, folder)
            self.walk(outline, (*path, name) if name else path)

    def feed(self, attributes: dict[str, str], name: str | None, folder: tuple[str, ...]) -> None:
        raw = attributes["xmlurl"]
        try:
            url = self.absolute(unwrap_feed_scheme(raw))
        except OpenTargetError:  # a feed: link that names no web address
            url = None
        if url is None:
            if urls.scheme(raw):
                reason = f"its feed address {raw!r} is not a web address"
            elif self.base_url:
                reason = f"its feed address {raw!r} is not a valid address"
            else:
                reason = (
                    f"its feed address {raw!r} is relative and the file's own address is unknown"
                )
            self.skipped.append(OutlineSkipped(name, reason))
            return
        url = urls.normalized_origin(url)
        site = self.absolute(attributes.get("htmlurl", ""))
        key = feed_key(url)
        known = self.feeds.get(key)
        if known is None:
            self.feeds[key] = OutlineFeed(url=url, title=name, site_url=site, folder=folder)
            return
        self.repeated += 1
        self.feeds[key] = OutlineFeed(
            url=known.url,
            title=known.title or name,
            site_url=known.site_url or site,
            folder=known.folder or folder,  # listed at the top and in a folder: the folder
        )

    def other(self, attributes: dict[str, str], name: str | None, folder: tuple[str, ...]) -> None:
        """An outline without a feed address and without children."""
        page = self.absolute(attributes.get("htmlurl") or attributes.get("url") or "")
        if page is not None and feed_key(page) not in self.pages:
            self.pages[feed_key(page)] = OutlinePage(url=page, title=name, folder=folder)
        elif page is None and attributes.get("type", "").lower() in _FEED_TYPES:
            self.skipped.append(OutlineSkipped(name, "it is marked as a feed but has no address"))

    def absolute(self, url: str) -> str | None:
        """`url` as an http(s) address (relative ones resolved against the file's address);
        None when it is empty, relative without a base, or of another scheme."""
        if not url:
            return None
        if not urls.scheme(url) and self.base_url:
            joined = urls.join(self.base_url, url)
            if joined is None:
                return None
            url = joined
        return url if urls.scheme(url) in urls.WEB_SCHEMES else None


def _category_path(category: str) -> tuple[str, ...]:
    """The folder path of OPML 2.0's `category` attribute: its first comma-separated
    category, split at slashes (`"/Tech/Python,/News"` -> ("Tech", "Python"))."""
    first = category.split(",", 1)[0]
    return tuple(part.strip() for part in first.split("/") if part.strip())


def _local(element: etree._Element) -> str:
    """The lower-cased local name of an element; "" for comments and for elements whose
    prefix was never declared (recovery keeps "dc:x" as the name), which are skipped."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    local = tag.rpartition("}")[2]
    return "" if ":" in local else local.lower()


def _folder_element(
    folders: dict[tuple[str, ...], etree._Element], path: tuple[str, ...]
) -> etree._Element:
    if path not in folders:
        parent = _folder_element(folders, path[:-1])
        folders[path] = etree.SubElement(parent, "outline", text=path[-1], title=path[-1])
    return folders[path]
