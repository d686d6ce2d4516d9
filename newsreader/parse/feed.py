"""`parse_feed`: bytes of a feed document -> ParsedFeed, whatever its format."""

from __future__ import annotations

import re
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

# Bytes that can become a control character or lone surrogate in a field of a UTF-8 document:
# the character itself (C0, DEL; C1 as UTF-8), a character reference to one (also
# double-escaped), a JSON escape of one. Separate patterns: each is one fast scan.
_C0_AND_DEL = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_SOURCES = (  # each with the byte it starts with: a far faster scan than the pattern's
    (b"\xc2", re.compile(rb"\xc2[\x80-\x9f]")),
    (
        b"#",
        re.compile(
            rb"#(?:0*(?:[0-9]|[12][0-9]|3[01]|12[7-9]|1[3-5][0-9])"
            rb"|[xX]0*(?:[0-9a-fA-F]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]));"
        ),
    ),
    (b"\\", re.compile(rb"\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F])")),
)
_XML_BASE = re.compile(b"xml:base")  # a faster scan than `in` (re looks for its first byte)
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
    parsed = _parse(data, url, headers)
    if not _may_hold_controls(data, headers):
        return parsed
    return cast(ParsedFeed, _without_controls(parsed))


def _may_hold_controls(data: bytes, headers: Mapping[str, str] | None) -> bool:
    """Whether a parsed field of `data` could hold a control character or a lone surrogate.
    A UTF-8 document can only if its bytes hold one (C0, DEL, C1 as UTF-8), a character
    reference to one (also double-escaped), or a JSON escape of one; other encodings are
    always checked field by field."""
    if encoding.bom_encoding(data) is not None:
        return True
    for declared in (encoding.http_charset(headers), encoding.declared_encoding(data)):
        if declared is not None and not encoding.is_utf8(declared):
            return True
    if len(data.translate(None, _C0_AND_DEL)) != len(data):  # faster than a pattern
        return True
    return any(
        start in data and pattern.search(data) is not None for start, pattern in _CONTROL_SOURCES
    )


def _parse(data: bytes, url: str, headers: Mapping[str, str] | None) -> ParsedFeed:
    if _is_json(data):
        return parse_json(data, url, headers)
    has_xml_base = _XML_BASE.search(data) is not None or "xml:base" in (
        encoding.text_after_bom(data) or ""
    )
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
