"""Atom 1.0 (RFC 4287) and Atom 0.3 from an lxml tree.

Text constructs are read by their type (text, html, xhtml; Atom 0.3's MIME types and
`mode="escaped"|"xml"|"base64"`), and every URL is resolved against the xml:base in force
at the element that carries it.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from lxml import etree

from newsreader.model import Author, ParsedFeed
from newsreader.parse import extensions, nodes
from newsreader.parse.dates import parse_date
from newsreader.parse.draft import EntryDraft
from newsreader.parse.html import sanitized, text_to_html
from newsreader.parse.text import markup_text

ATOM03 = "http://purl.org/atom/ns#"
_TEXT_TYPES = frozenset({"text", "text/plain"})
_HTML_TYPES = frozenset({"html", "text/html"})
_XHTML_TYPES = frozenset({"xhtml", "application/xhtml+xml"})
_HAS_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


@dataclass(frozen=True, slots=True)
class _Text:
    value: str
    is_html: bool


def parse_atom(root: etree._Element, url: str, has_xml_base: bool) -> ParsedFeed:
    reader = _Reader(url, has_xml_base, bare=nodes.namespace_of(root) is None)
    return reader.feed(root, "atom03" if nodes.namespace_of(root) == ATOM03 else "atom10")


class _Reader:
    def __init__(self, url: str, has_xml_base: bool, *, bare: bool) -> None:
        self.url = url
        self.has_xml_base = has_xml_base
        self.bare = bare  # an Atom document without the Atom namespace

    def key(self, element: etree._Element) -> str:
        name = nodes.key_of(element)
        if self.bare and ":" not in name and not name.startswith("{"):
            return f"atom:{name}"
        return name

    def base(self, element: etree._Element) -> str:
        return nodes.base_of(element, self.url, self.has_xml_base)

    def feed(self, root: etree._Element, fmt: str) -> ParsedFeed:
        title = link = subtitle = image = icon = updated = None
        authors: list[Author] = []
        entries: list[etree._Element] = []
        for child in nodes.elements(root):
            name = self.key(child)
            if name == "atom:entry":
                entries.append(child)
            elif name == "atom:title":
                title = self.plain(child)
            elif name in ("atom:subtitle", "atom:tagline"):
                subtitle = self.plain(child)
            elif name == "atom:link":
                link = link or self.alternate(child)
            elif name in ("atom:updated", "atom:modified"):
                updated = parse_date(nodes.text(child) or "")
            elif name == "atom:logo":
                image = nodes.resolve(self.base(child), nodes.text(child))
            elif name == "atom:icon":
                icon = nodes.resolve(self.base(child), nodes.text(child))
            elif name == "itunes:image":
                image = image or nodes.resolve(self.base(child), child.get("href"))
            elif name == "atom:author":
                author = self.person(child)
                if author is not None:
                    authors.append(author)
        language = root.get("{http://www.w3.org/XML/1998/namespace}lang")
        feed_authors = tuple(dict.fromkeys(authors))
        return ParsedFeed(
            format=fmt,
            title=title,
            link=link,
            subtitle=subtitle,
            language=language.strip() or None if language else None,
            updated=updated,
            image=image or icon,
            entries=tuple(self.entry(entry).build(feed_authors) for entry in entries),
        )

    def entry(self, entry: etree._Element) -> EntryDraft:
        draft = EntryDraft()
        base = self.base(entry)
        source_authors: list[Author] = []
        for child in nodes.elements(entry):
            name = self.key(child)
            if name == "atom:id":
                draft.guid = nodes.text(child)
                if draft.guid and draft.guid.startswith(("http://", "https://")):
                    draft.permalink_guid = draft.guid  # the last resort for a link
            elif name == "atom:title":
                draft.title = self.plain(child)
            elif name == "atom:link":
                self.entry_link(draft, child)
            elif name in ("atom:published", "atom:issued", "atom:created"):
                draft.published = draft.published or parse_date(nodes.text(child) or "")
            elif name in ("atom:updated", "atom:modified"):
                draft.updated = parse_date(nodes.text(child) or "")
            elif name == "atom:author":
                author = self.person(child)
                if author is not None:
                    draft.authors.append(author)
            elif name == "atom:category":
                draft.add_category(child.get("label") or child.get("term"))
            elif name == "atom:summary":
                draft.summary = self.html(child)
            elif name == "atom:content":
                draft.content = self.html(child)
            elif name == "atom:source":
                source_authors = [
                    author
                    for c in nodes.elements(child)
                    if self.key(c) == "atom:author" and (author := self.person(c)) is not None
                ]
            else:
                extensions.apply(draft, name, child, base)
        if not draft.authors:
            draft.authors = source_authors
        return draft

    def entry_link(self, draft: EntryDraft, element: etree._Element) -> None:
        href = nodes.resolve(self.base(element), element.get("href"))
        if href is None:
            return
        rel = nodes.link_rel(element)
        if rel == "alternate":
            kind = element.get("type") or "text/html"
            if kind.startswith(("text/html", "application/xhtml+xml")):
                draft.link = draft.link or href
            else:
                draft.alternate_link = draft.alternate_link or href
        elif rel == "enclosure":
            draft.enclosures.append(extensions.enclosure(href, element))
        elif rel == "replies":
            extensions.replies(draft, element, href)

    def alternate(self, element: etree._Element) -> str | None:
        if nodes.link_rel(element) != "alternate":
            return None
        return nodes.resolve(self.base(element), element.get("href"))

    def person(self, element: etree._Element) -> Author | None:
        name = email = uri = None
        for child in nodes.elements(element):
            field = self.key(child)
            if field == "atom:name":
                name = nodes.text(child)
            elif field == "atom:email":
                email = nodes.text(child)
            elif field in ("atom:uri", "atom:url"):
                uri = nodes.resolve(self.base(child), nodes.text(child))
        if name is None and email is None and uri is None:
            return None
        return Author(name=name, email=email, uri=uri)

    def plain(self, element: etree._Element) -> str | None:
        """A text construct as plain text (titles, subtitles)."""
        content = self.text_construct(element)
        if content is None:
            return None
        value = markup_text(content.value) if content.is_html else " ".join(content.value.split())
        return value or None

    def html(self, element: etree._Element) -> str | None:
        """A text construct as sanitised HTML (summaries, content)."""
        content = self.text_construct(element)
        if content is None:
            return None
        markup = content.value if content.is_html else text_to_html(content.value)
        return sanitized(markup, self.base(element))

    def text_construct(self, element: etree._Element) -> _Text | None:
        kind = (element.get("type") or "text").strip().lower()
        mode = (element.get("mode") or "").strip().lower()
        if mode == "base64":
            return _base64(element, is_html="html" in kind)
        if kind in _XHTML_TYPES or mode == "xml":
            return self.xhtml(element)
        if kind in _HTML_TYPES or mode == "escaped" or kind.endswith(("+xml", "/xml")):
            markup = nodes.inner_markup(element)
            return _Text(markup, is_html=True) if markup else None
        if kind in _TEXT_TYPES or kind.startswith("text/"):
            value = nodes.text(element)
            return _Text(value, is_html=False) if value else None
        if element.get("src"):
            return None  # out-of-line content: nothing to show here
        return _base64(element, is_html=None)  # any other media type is base64 (RFC 4287 4.1.3.3)

    def xhtml(self, element: etree._Element) -> _Text | None:
        """Inline XHTML: the content of the wrapping xhtml:div (RFC 4287 §3.1.1.3)."""
        children = nodes.elements(element)
        wrapper = element
        if (
            len(children) == 1
            and nodes.key_of(children[0]) in ("xhtml:div", "div")
            and not (element.text or "").strip()
        ):
            wrapper = children[0]
        markup = nodes.inner_markup(wrapper)
        return _Text(markup, is_html=True) if markup else None


def _base64(element: etree._Element, *, is_html: bool | None) -> _Text | None:
    """Base64 content decoded as UTF-8: Atom 0.3's `mode="base64"` (HTML when its type says
    so), or Atom 1.0 content of a binary media type (`is_html=None`), which is kept only when
    it decodes to text, and read as HTML when it holds tags."""
    raw = nodes.text(element)
    if not raw:
        return None
    try:
        data = base64.b64decode("".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = data.decode("utf-8", errors="replace" if is_html is not None else "strict")
    except UnicodeDecodeError:
        return None  # an image or other binary file: nothing a reader can show as text
    text = text.strip()
    if is_html is None:
        is_html = _HAS_TAG.search(text) is not None
    return _Text(text, is_html=is_html) if text else None
