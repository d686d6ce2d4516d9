"""Reading lxml elements of a feed: namespace-aware keys, text, inner markup and URLs
(`resolve` is `newsreader.urls.resolve`, named here for the parsers' convenience).

Elements are matched by a short key such as `"title"`, `"dc:creator"` or `"atom:link"`,
computed once per distinct tag and cached: the parsers walk children once and dispatch on
keys, with no XPath in the hot loop.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache

from lxml import etree

from newsreader.parse.text import markup_text
from newsreader.urls import resolve as resolve

# Core RSS namespaces map to bare names; the rest to the conventional prefix.
NAMESPACES: dict[str, str] = {
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://purl.org/rss/1.0/": "",
    "http://backend.userland.com/rss2": "",
    "http://backend.userland.com/rss": "",
    "http://www.w3.org/2005/Atom": "atom",
    "http://purl.org/atom/ns#": "atom",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://search.yahoo.com/mrss/": "media",
    "http://search.yahoo.com/mrss": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://www.itunes.com/DTDs/Podcast-1.0.dtd": "itunes",
    "http://wellformedweb.org/CommentAPI/": "wfw",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://purl.org/syndication/thread/1.0": "thr",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/1999/xhtml": "xhtml",
}

ATOM_DRAFTS = "http://purl.org/atom/ns#draft-"
RDF_RESOURCE = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"
RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_CDATA_MARKER = re.compile(r"<!\[CDATA\[|\]\]>")
_IANA_RELATIONS = "http://www.iana.org/assignments/relation/"


@lru_cache(maxsize=4096)
def key(tag: str) -> str:
    """`"{http://purl.org/dc/elements/1.1/}creator"` -> `"dc:creator"`; unknown namespaces keep
    the Clark notation, so they never match a key the parsers look for."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    prefix = NAMESPACES.get(uri)
    if prefix is None:
        prefix = NAMESPACES.get(uri.rstrip("/") + "/", NAMESPACES.get(uri.rstrip("/")))
    if prefix is None and uri.startswith(ATOM_DRAFTS):
        prefix = "atom"  # the IETF drafts of 2004-2005 between Atom 0.3 and 1.0
    if prefix is None:
        return tag
    return f"{prefix}:{local}" if prefix else local


def tag_of(element: etree._Element) -> str:
    """The Clark-notation tag of an element ("" for comments and other non-elements)."""
    tag = element.tag
    return tag if isinstance(tag, str) else ""


def key_of(element: etree._Element) -> str:
    tag = element.tag  # `key(tag_of(element))`, one call less: the parsers ask for every element
    return key(tag if isinstance(tag, str) else "")


def namespace_of(element: etree._Element) -> str | None:
    tag = tag_of(element)
    return tag[1:].partition("}")[0] if tag.startswith("{") else None


def elements(parent: etree._Element) -> list[etree._Element]:
    """Child elements (comments and processing instructions are parsed away already)."""
    return list(parent.iterchildren(etree.Element))  # elements only, chosen by lxml


def text(element: etree._Element) -> str | None:
    """All text inside an element, stripped; None when empty."""
    value = element.text if len(element) == 0 else "".join(element.itertext())
    if value is None:
        return None
    value = value.strip()
    return value or None


def inner_markup(element: etree._Element) -> str | None:
    """An element's content as an HTML string: its text, or, when the feed put unescaped
    (X)HTML inside, that markup serialised without namespaces. The markers of a CDATA
    section that the feed escaped (so they reached us as text) are dropped, keeping what
    the section held."""
    if len(element) == 0:
        value = text(element)
    else:
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str):
                parts.append(_html_of(child))
            else:
                parts.append(child.tail or "")
        value = "".join(parts).strip() or None
    if value is not None and "<![CDATA[" in value:
        value = _CDATA_MARKER.sub("", value).strip() or None
    return value


def plain(element: etree._Element) -> str | None:
    """The text of a field feeds write as plain text or as HTML alike (RSS titles, names,
    categories): see `text.markup_text`."""
    return markup_text(inner_markup(element)) or None


def _html_of(element: etree._Element) -> str:
    """One element as HTML: namespaces dropped from a copy, so `<xhtml:p>` becomes `<p>`."""
    copy = deepcopy(element)
    copy.tail = None
    for node in copy.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            try:
                node.tag = node.tag.partition("}")[2]
            except ValueError:  # a local name only recovery could make ("https:"): harmless
                node.tag = "span"
        for name in [n for n in node.attrib if n.startswith("{")]:
            del node.attrib[name]
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="unicode", method="html") + (element.tail or "")


def link_rel(element: etree._Element) -> str:
    """An Atom link's relation; absent means "alternate", and the IANA IRI form is shortened
    ("http://www.iana.org/assignments/relation/replies" -> "replies")."""
    rel = (element.get("rel") or "alternate").strip()
    return rel.removeprefix(_IANA_RELATIONS) or "alternate"


def base_of(element: etree._Element, document_url: str, has_xml_base: bool) -> str:
    """The base URL in force at `element`: xml:base chain when the document uses it."""
    if not has_xml_base:
        return document_url
    base = element.base
    return base or document_url
