"""OPML subscription lists: reading them from other readers and writing our own.

Untrusted input: the parser loads no DTD, resolves no entity, never touches the network, and a
document declaring entities is refused outright (billion laughs, XXE). Real files are messy,
so libxml2's recovery mode reads what is still readable (a stray `&`, a missing close tag).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from html.entities import html5

from lxml import etree

from newsreader.errors import HostileDocumentError, ParseError
from newsreader.model import OutlineFeed

MAX_OPML_BYTES = 20 * 1024 * 1024
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_REFERENCE = re.compile(rb"&(?:(#[0-9]+;|#[xX][0-9a-fA-F]+;)|([A-Za-z][A-Za-z0-9]*);)?")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def parse_opml(data: bytes) -> list[OutlineFeed]:
    """The feeds of an OPML document, in document order, each with the path of the outline
    titles it is nested in. Title comes from `title`, else `text`; outlines without an
    `xmlUrl` and without children (links, notes) are skipped."""
    root = _parse(data)
    if _local(root) != "opml":
        name = root.tag if isinstance(root.tag, str) else ""
        raise ParseError(f"not an OPML document (the root element is <{name}>)")
    body = next((c for c in root if _local(c) == "body"), None)
    if body is None:
        raise ParseError("not an OPML document (it has no <body>)")
    return list(_walk(body, ()))


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


def _repair_references(data: bytes) -> bytes:
    """Escapes stray `&` (as in unescaped URLs) and turns HTML named entities, which XML does
    not define, into character references; recovery mode would drop both silently.
    UTF-16 documents (which the byte patterns cannot read) are left as they are."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data

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


def _walk(parent: etree._Element, path: tuple[str, ...]) -> Iterator[OutlineFeed]:
    for outline in parent:
        if _local(outline) != "outline":
            continue
        attributes = {str(k).lower(): (v or "").strip() for k, v in outline.attrib.items()}
        name = attributes.get("title") or attributes.get("text") or None
        url = _web_url(attributes.get("xmlurl", ""))
        if url:
            yield OutlineFeed(
                url=url, title=name, site_url=attributes.get("htmlurl") or None, folder=path
            )
        yield from _walk(outline, (*path, name) if name else path)


def _web_url(url: str) -> str:
    """`feed://host/x` and `feed:https://host/x` (as some readers export) as web URLs."""
    lowered = url.lower()
    for prefix in ("feed:https://", "feed:http://"):
        if lowered.startswith(prefix):
            return url[len("feed:") :]
    if lowered.startswith("feed://"):
        return "http://" + url[len("feed://") :]
    return url


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
