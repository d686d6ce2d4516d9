"""Turning untrusted bytes into an lxml tree, safely.

The parser never touches the network or the file system (no DTD loading, no external entities,
no XInclude) and keeps libxml2's depth limit (256 levels), so absurd nesting fails fast. Entity
declarations that could expand (nested references, parameter or external entities: "billion
laughs" and XXE) are refused before parsing.

Well-formed UTF-8 documents without a DOCTYPE take the fast path: one strict parse of the
original bytes. Everything else is decoded (see `encoding`), repaired (HTML named entities
mapped to characters, stray `&` escaped, control characters dropped) and parsed with
libxml2's recovery mode.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from html.entities import html5

from lxml import etree

from newsreader.errors import HostileDocumentError, ParseError
from newsreader.parse import encoding

_MAX_DECLARED_ENTITIES = 64
_MAX_ENTITY_LENGTH = 1024

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_MAX_SUBSET_LENGTH = 100_000
_DOCTYPE_START = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE\b[^\[>]*(?:\[(.*?)\])?\s*>", re.DOTALL | re.IGNORECASE)
_ENTITY_DECL = re.compile(
    r"<!ENTITY\s+(%\s+)?([^\s\"']+)\s+(?:\"([^\"]*)\"|'([^']*)'|(SYSTEM|PUBLIC)\b)", re.DOTALL
)
# Every `&` except the predefined and numeric references, which need no repair.
_REFERENCE = re.compile(
    r"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#[xX][0-9a-fA-F]+);)(?:([A-Za-z_][\w.\-]*);)?"
)
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_ROOT_START = re.compile(r"<[A-Za-z_]")

# HTML's void elements no feed format names an element of its own (`link`, `source`, `meta`
# and the like are left alone): raw HTML in a feed writes them unclosed (`<img src=...>`).
_VOID_NAMES = "area|br|col|embed|hr|img|input|wbr"
_UNCLOSED_VOID = re.compile(rf"mismatch: (?:{_VOID_NAMES}) line", re.IGNORECASE)
_VOID_START = re.compile(rf"<({_VOID_NAMES})\b([^<>]*?)/?>", re.IGNORECASE)
_VOID_END = re.compile(rf"</(?:{_VOID_NAMES})\s*>", re.IGNORECASE)

_local = threading.local()
_RESOURCE_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT
"""libxml2's code for a limit of the parser met (nesting depth, text or name size)."""
_MAX_DEPTH = 256  # libxml2's nesting limit (without XML_PARSE_HUGE, which is never set)
_OVER_A_LIMIT = (
    "the document goes past the XML parser's limits (elements nested too deeply, or a name "
    "or text too long); refused"
)


def parse_xml(
    data: bytes, url: str, headers: Mapping[str, str] | None = None, *, repair: bool = False
) -> etree._Element:
    """The root element of `data`, parsed safely; `url` is the base of relative URLs.

    `repair=True` skips the fast path: for documents whose bytes libxml2 accepted but Python
    cannot decode (UTF-8-encoded surrogates), which surface as UnicodeDecodeError later.
    """
    strict_tried = False
    if not repair and encoding.bom_encoding(data) is None:
        prolog_end = _FIRST_ELEMENT.search(data)
        if prolog_end is None:
            raise ParseError("not an XML document (no element found)")
        if _fast_path_allowed(data, data[: prolog_end.start()], headers):
            strict_tried = True
            try:
                return etree.fromstring(data, _parser(recover=False), base_url=url)
            except etree.XMLSyntaxError:
                pass  # repaired below; a limit libxml2 met is judged there, on its tree
    return _parse_repaired(data, url, headers, strict_tried=strict_tried)


def _fast_path_allowed(data: bytes, prolog: bytes, headers: Mapping[str, str] | None) -> bool:
    if b"<!DOCTYPE" in prolog.upper():
        return False
    http = encoding.http_charset(headers)
    declared = encoding.declared_encoding(data)
    return (http is None or encoding.is_utf8(http)) and (
        declared is None or encoding.is_utf8(declared)
    )


def _parse_repaired(
    data: bytes, url: str, headers: Mapping[str, str] | None, *, strict_tried: bool
) -> etree._Element:
    text = encoding.decode(data, headers, encoding.declared_encoding(data))
    text = _XML_DECLARATION.sub("", text, count=1)
    root_at = _root_start(text)
    if root_at is None:
        raise ParseError("not an XML document (no element found)")
    prolog, body = text[:root_at], text[root_at:]
    declared = _declared_entities(prolog)
    if not declared and not strict_tried:
        try:  # transcoding may be all a document needed
            return etree.fromstring(body.encode("utf-8"), _parser(recover=False), base_url=url)
        except etree.XMLSyntaxError:
            pass
    body = _CONTROL.sub("", _repair_references(body, declared))
    parser = _parser(recover=True)
    try:
        root = etree.fromstring(body.encode("utf-8"), parser, base_url=url)
    except etree.XMLSyntaxError as error:
        if error.code == _RESOURCE_LIMIT:
            raise HostileDocumentError(_OVER_A_LIMIT) from None
        raise ParseError(f"not a readable XML document: {error}") from None
    if root is None:
        raise ParseError("not a readable XML document")
    limited = any(entry.type == _RESOURCE_LIMIT for entry in parser.error_log)
    if any(_UNCLOSED_VOID.search(entry.message) for entry in parser.error_log):
        root, limited = _with_void_elements_closed(body, url, parser, (root, limited))
    if limited:
        _refuse_if_too_deep(root)
    return root


def _with_void_elements_closed(
    body: str, url: str, parser: etree.XMLParser, recovered: tuple[etree._Element, bool]
) -> tuple[etree._Element, bool]:
    """`body` parsed again with HTML's void elements closed (`<img ...>` -> `<img .../>`, their
    end tags dropped), and whether libxml2 met a resource limit: raw HTML in a description
    that leaves an `<img>` open makes libxml2's recovery nest every later item inside that
    one, and the feed lost them. `recovered` (the first tree and its answer) when the second
    parse fails."""
    closed = _VOID_END.sub("", _VOID_START.sub(r"<\1\2/>", body))
    try:
        root: etree._Element | None = etree.fromstring(closed.encode("utf-8"), parser, base_url=url)
    except etree.XMLSyntaxError:
        return recovered
    if root is None:
        return recovered
    return root, any(entry.type == _RESOURCE_LIMIT for entry in parser.error_log)


def _root_start(text: str) -> int | None:
    """Where the root element starts: after the prolog's comments, processing instructions
    and DOCTYPE (a tag inside a comment is not the root). None when there is no element."""
    position = 0
    doctype_tried = False  # one DOCTYPE per document: a flood of "<!DOCTYPE x [" costs linear time
    while True:
        found = text.find("<", position)
        if found < 0:
            return None
        if text.startswith("<!--", found):
            end = text.find("-->", found + 4)
            position = len(text) if end < 0 else end + 3
        elif text.startswith("<?", found):
            end = text.find("?>", found + 2)
            position = len(text) if end < 0 else end + 2
        elif text.startswith("<!", found):
            doctype = None if doctype_tried else _DOCTYPE.match(text, found)
            doctype_tried = True
            position = doctype.end() if doctype else found + 2
        elif _ROOT_START.match(text, found):
            return found
        else:
            position = found + 1


def _declared_entities(prolog: str) -> dict[str, str]:
    """Simple internal entities of the DOCTYPE; anything that could expand is refused."""
    start = _DOCTYPE_START.search(prolog)
    if start is None:
        return {}
    match = _DOCTYPE.match(prolog, start.start())
    subset = match.group(1) if match else None
    if not subset:
        return {}
    if len(subset) > _MAX_SUBSET_LENGTH:
        raise HostileDocumentError("the document's DOCTYPE is too large to check; refused")
    entities: dict[str, str] = {}
    for decl in _ENTITY_DECL.finditer(subset):
        parameter, name, double, single, external = decl.groups()
        if parameter or external:
            raise HostileDocumentError(
                f"the document declares a {'parameter' if parameter else 'external'} "
                f"entity ({name}); refused"
            )
        value = double if double is not None else single
        if re.search(r"&(?!#)|%", value) or len(value) > _MAX_ENTITY_LENGTH:
            raise HostileDocumentError(
                f"the document declares an expanding entity ({name}); refused"
            )
        entities[name] = value
    if len(entities) > _MAX_DECLARED_ENTITIES or subset.count("<!ENTITY") != len(entities):
        raise HostileDocumentError("the document declares entities we cannot check; refused")
    return entities


def _repair_references(body: str, declared: Mapping[str, str]) -> str:
    """HTML named entities to characters, declared entities inlined, stray `&` escaped."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "&amp;"
        if name in declared:
            return declared[name]
        characters = html5.get(f"{name};")
        if characters is None:
            return f"&amp;{name};"
        return "".join(f"&#{ord(c)};" for c in characters)

    body = _REFERENCE.sub(replace, body)
    return _NUMERIC_REFERENCE.sub(_valid_character_reference, body) if "&#" in body else body


def _valid_character_reference(match: re.Match[str]) -> str:
    """A reference to a character XML forbids (NUL, surrogates, ...) becomes U+FFFD: libxml2's
    recovery would otherwise keep it and the text could not be decoded."""
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal is not None else int(decimal)
    allowed = (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )
    return match.group(0) if allowed else "\ufffd"


def _refuse_if_too_deep(root: etree._Element) -> None:
    """Refuses a document whose recovered tree reaches libxml2's depth limit. Called when
    libxml2 reported a resource limit (`XML_ERR_RESOURCE_LIMIT`): that one code stands for
    too deep a nesting and for a text node or name over its size; the tree tells them apart
    (a text over the limit is cut and the document kept, as a browser would show it)."""
    depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= _MAX_DEPTH:
            raise HostileDocumentError(
                f"the document nests elements too deeply (more than {_MAX_DEPTH} levels); refused"
            )


def _parser(*, recover: bool) -> etree.XMLParser:
    """One parser per thread and mode: lxml parsers must not be shared between threads."""
    key = "recover" if recover else "strict"
    parser: etree.XMLParser | None = getattr(_local, key, None)
    if parser is None:
        parser = etree.XMLParser(
            recover=recover,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            attribute_defaults=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
            strip_cdata=True,
        )
        setattr(_local, key, parser)
    return parser
