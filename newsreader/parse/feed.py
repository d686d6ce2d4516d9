"""`parse_feed`: bytes of a feed document -> ParsedFeed, whatever its format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from typing import cast

from lxml import etree

from newsreader.errors import HostileDocumentError, ParseError
from newsreader.model import ParsedFeed
from newsreader.parse import encoding, nodes
from newsreader.parse.atom import parse_atom
from newsreader.parse.jsonfeed import parse_json
from newsreader.parse.rss import parse_rss
from newsreader.parse.text import without_controls
from newsreader.parse.xml import parse_xml

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_RSS_ROOTS = frozenset({"rss", "rdf:RDF", "channel"})
_ATOM_ROOTS = frozenset({"atom:feed", "feed"})


def parse_feed(
    data: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedFeed:
    """Reads an RSS, Atom or JSON Feed document. `url` is where it came from (the base of
    relative links); `headers` are the HTTP response headers, for the charset.

    Raises ParseError when the document is not a feed we can read, HostileDocumentError when
    it is larger than `max_bytes` or tries something dangerous.
    """
    if len(data) > max_bytes:
        raise HostileDocumentError(
            f"the document is {len(data):,} bytes, over the {max_bytes:,}-byte limit"
        )
    return cast(ParsedFeed, _without_controls(_parse(data, url, headers)))


def _parse(data: bytes, url: str, headers: Mapping[str, str] | None) -> ParsedFeed:
    if _is_json(data):
        return parse_json(data, url, headers)
    has_xml_base = b"xml:base" in data or "xml:base" in (encoding.text_after_bom(data) or "")
    try:
        return _read_tree(parse_xml(data, url, headers), url, has_xml_base)
    except UnicodeDecodeError:
        return _read_tree(parse_xml(data, url, headers, repair=True), url, has_xml_base)


def _without_controls(value: object) -> object:
    """`value` (a parsed record, a tuple of them, a string) with control characters removed
    from every string in it and lone surrogates replaced (`text.without_controls`); what
    holds none is returned as it is."""
    if isinstance(value, str):
        return without_controls(value)
    if isinstance(value, tuple):
        items = tuple(_without_controls(item) for item in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in fields(value):
            old = getattr(value, field.name)
            new = _without_controls(old)
            if new is not old:
                changes[field.name] = new
        return replace(value, **changes) if changes else value
    return value


def _read_tree(root: etree._Element, url: str, has_xml_base: bool) -> ParsedFeed:
    name = nodes.key_of(root)
    if name in _RSS_ROOTS:
        return parse_rss(root, url, has_xml_base)
    if name in _ATOM_ROOTS:
        return parse_atom(root, url, has_xml_base)
    raise ParseError(f"not a feed: the document's root element is <{_local(nodes.tag_of(root))}>")


def _is_json(data: bytes) -> bool:
    head = encoding.text_after_bom(data, 64)
    if head is None:
        head = data[:64].decode("latin-1")
    return head.lstrip()[:1] in {"{", "["}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
