"""JSON Feed 1.0 and 1.1, and RSS-in-JSON (Dave Winer's RSS 2.0 written as JSON).

JSON is untyped: every value is checked before use, so a number where a string belongs is
ignored rather than crashing the parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from newsreader.errors import HostileDocumentError, ParseError
from newsreader.model import Author, Enclosure, ParsedEntry, ParsedFeed
from newsreader.parse import encoding, nodes
from newsreader.parse.dates import parse_date
from newsreader.parse.draft import EntryDraft
from newsreader.parse.html import html_to_text, sanitized, text_to_html

_MAX_JSON_DEPTH = 512
# Strings (an unterminated one runs to the end, a lone "\" included) and brackets; strings are
# skipped over. The possessive `*+` never gives back what it matched and the string always
# ends in `"` or at the end of the text, so each string is scanned once: linear time.
_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def parse_json(data: bytes, url: str, headers: Mapping[str, str] | None) -> ParsedFeed:
    document = _load(encoding.decode(data, headers, None))
    if not isinstance(document, dict):
        raise ParseError("not a feed: the JSON document is not an object")
    rss = document.get("rss")
    if isinstance(rss, dict):
        return _rss_in_json(rss, url)
    version = _string(document.get("version")) or ""
    if "jsonfeed.org/version/" not in version and not isinstance(document.get("items"), list):
        raise ParseError("not a feed: a JSON document that is not a JSON Feed")
    return _json_feed(document, url, "json11" if version.rstrip("/").endswith("1.1") else "json10")


def _load(text: str) -> object:
    """The JSON value of `text`; control characters inside strings are tolerated, and a
    truncated document (an interrupted download) keeps its complete items."""
    try:
        try:
            return json.loads(text, strict=False)
        except ValueError as error:
            repaired = _close_truncated(text)
            if repaired is None:
                raise ParseError(f"not a readable JSON document: {error}") from None
            try:
                return json.loads(repaired, strict=False)
            except ValueError:
                raise ParseError(f"not a readable JSON document: {error}") from None
    except RecursionError:
        raise HostileDocumentError("the JSON document nests too deeply; refused") from None


def _close_truncated(text: str) -> str | None:
    """`text` cut after its last complete object or array, with the open ones closed."""
    closers = {"{": "}", "[": "]"}
    stack: list[str] = []
    cut: tuple[int, tuple[str, ...]] | None = None
    for token in _JSON_STRUCTURE.finditer(text):
        char = token.group(0)
        if char in closers:
            stack.append(char)
            if len(stack) > _MAX_JSON_DEPTH:
                raise HostileDocumentError("the JSON document nests too deeply; refused")
        elif char in "}]":
            if not stack or closers[stack.pop()] != char:
                return None
            cut = (token.end(), tuple(stack))
    if cut is None or not cut[1]:
        return None
    end, still_open = cut
    return text[:end] + "".join(closers[opener] for opener in reversed(still_open))


def _json_feed(document: dict[str, Any], url: str, fmt: str) -> ParsedFeed:
    home = _string(document.get("home_page_url"))
    base = url or _string(document.get("feed_url")) or home or ""
    feed_authors = _authors(document, base)
    items = document.get("items")
    entries = [
        _json_item(item, base, feed_authors)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]
    description = _string(document.get("description"))
    return ParsedFeed(
        format=fmt,
        title=_plain(document.get("title")),
        link=nodes.resolve(base, home),
        subtitle=html_to_text(description) or None if description else None,
        language=_string(document.get("language")),
        image=nodes.resolve(
            base, _string(document.get("icon")) or _string(document.get("favicon"))
        ),
        entries=tuple(entries),
    )


def _json_item(item: dict[str, Any], base: str, feed_authors: tuple[Author, ...]) -> ParsedEntry:
    draft = EntryDraft()
    identifier = item.get("id")
    if isinstance(identifier, (str, int)) and not isinstance(identifier, bool):
        draft.guid = str(identifier).strip() or None
    draft.title = _plain(item.get("title"))
    draft.link = nodes.resolve(base, _string(item.get("url")))
    draft.alternate_link = nodes.resolve(base, _string(item.get("external_url")))
    html = _string(item.get("content_html"))
    text = _string(item.get("content_text"))
    if html:
        draft.content = sanitized(html, base)
    elif text:
        draft.content = text_to_html(text) or None
    summary = _string(item.get("summary"))
    if summary:
        draft.summary = text_to_html(summary) or None
    draft.image = nodes.resolve(
        base, _string(item.get("image")) or _string(item.get("banner_image"))
    )
    draft.published = parse_date(_string(item.get("date_published")) or "")
    draft.updated = parse_date(_string(item.get("date_modified")) or "")
    draft.authors = list(_authors(item, base))
    tags = item.get("tags")
    if isinstance(tags, list):
        draft.categories = [" ".join(tag.split()) for tag in tags if isinstance(tag, str)]
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict):
            enclosure = _attachment(attachment, base)
            if enclosure is not None:
                draft.enclosures.append(enclosure)
    return draft.build(feed_authors)


def _authors(holder: dict[str, Any], base: str) -> tuple[Author, ...]:
    """1.1's `authors` list, else 1.0's single `author` object."""
    listed = holder.get("authors")
    candidates = listed if isinstance(listed, list) and listed else [holder.get("author")]
    authors = []
    for candidate in candidates:
        if isinstance(candidate, dict):
            name = _string(candidate.get("name"))
            uri = nodes.resolve(base, _string(candidate.get("url")))
            if name or uri:
                authors.append(Author(name=name, uri=uri))
    return tuple(dict.fromkeys(authors))


def _attachment(attachment: dict[str, Any], base: str) -> Enclosure | None:
    url = nodes.resolve(base, _string(attachment.get("url")))
    if url is None:
        return None
    size = attachment.get("size_in_bytes")
    length = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None
    return Enclosure(url=url, type=_string(attachment.get("mime_type")), length=length)


def _rss_in_json(rss: dict[str, Any], url: str) -> ParsedFeed:
    """RSS-in-JSON (scripting.com): RSS 2.0 elements as keys, reported as format rss20."""
    channel = rss.get("channel")
    if not isinstance(channel, dict):
        raise ParseError("an RSS-in-JSON document without a channel")
    link = _string(channel.get("link"))
    base = url or link or ""
    items = channel.get("item")
    if isinstance(items, dict):
        items = [items]
    entries = [
        _rss_item(item, base)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]
    description = _string(channel.get("description"))
    return ParsedFeed(
        format="rss20",
        title=_plain(channel.get("title")),
        link=nodes.resolve(base, link),
        subtitle=html_to_text(description) or None if description else None,
        language=_string(channel.get("language")),
        updated=parse_date(
            _string(channel.get("lastBuildDate")) or _string(channel.get("pubDate")) or ""
        ),
        entries=tuple(entries),
    )


def _rss_item(item: dict[str, Any], base: str) -> ParsedEntry:
    draft = EntryDraft()
    draft.title = _plain(item.get("title"))
    draft.link = nodes.resolve(base, _string(item.get("link")))
    guid = item.get("guid")
    if isinstance(guid, dict):
        guid = guid.get("#value")
    draft.guid = _string(guid)
    if draft.guid and draft.guid.startswith(("http://", "https://")):
        draft.permalink_guid = draft.guid
    draft.summary = sanitized(_string(item.get("description")), base)
    draft.published = parse_date(_string(item.get("pubDate")) or "")
    draft.add_author(_string(item.get("author")))
    draft.comments_url = nodes.resolve(base, _string(item.get("comments")))
    categories = item.get("category")
    for category in categories if isinstance(categories, list) else [categories]:
        value = _string(category.get("#value") if isinstance(category, dict) else category)
        if value:
            draft.categories.append(value)
    enclosures = item.get("enclosure")
    for enclosure in enclosures if isinstance(enclosures, list) else [enclosures]:
        if isinstance(enclosure, dict):
            found = _attachment(
                {"url": enclosure.get("url"), "mime_type": enclosure.get("type"),
                 "size_in_bytes": _int(enclosure.get("length"))},
                base,
            )  # fmt: skip
            if found is not None:
                draft.enclosures.append(found)
    return draft.build()


def _string(value: object) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _plain(value: object) -> str | None:
    text = _string(value)
    return html_to_text(text) or None if text else None
