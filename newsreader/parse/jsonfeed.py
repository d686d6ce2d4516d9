"""JSON Feed 1.0 and 1.1, and RSS-in-JSON (Dave Winer's RSS 2.0 written as JSON).

JSON is untyped: every value is checked before use, so a number where a string belongs is
ignored rather than crashing the parse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from newsreader.errors import HostileDocumentError, ParseError
from newsreader.model import Author, Enclosure, ParsedEntry, ParsedFeed
from newsreader.parse import encoding, nodes
from newsreader.parse.dates import parse_date
from newsreader.parse.draft import EntryDraft
from newsreader.parse.html import sanitized, text_to_html
from newsreader.parse.text import decoded_text, markup_text

_MAX_JSON_DEPTH = 512
# Strings (an unterminated one runs to the end, a lone "\" included) and brackets; strings are
# skipped over. The possessive `*+` never gives back what it matched and the string always
# ends in `"` or at the end of the text, so each string is scanned once: linear time.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
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
    import json  # not at start-up: an XML feed's parse loads no JSON decoder

    try:
        try:
            return _without_lone_surrogates(json.loads(text, strict=False), text)
        except ValueError as error:
            repaired = _close_truncated(text)
            if repaired is None:
                raise ParseError(f"not a readable JSON document: {error}") from None
            try:
                return _without_lone_surrogates(json.loads(repaired, strict=False), repaired)
            except ValueError:
                raise ParseError(f"not a readable JSON document: {error}") from None
    except RecursionError:
        raise HostileDocumentError("the JSON document nests too deeply; refused") from None


def _without_lone_surrogates(value: object, source: str) -> object:
    """`value` with every half of a surrogate pair that JSON escaped on its own (`"\\ud83d"`,
    half an emoji) replaced by U+FFFD: such a string cannot be encoded, stored or printed."""
    if not _SURROGATE_ESCAPE.search(source):
        return value
    return _replace_surrogates(value)


def _replace_surrogates(value: object) -> object:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_LONE_SURROGATE.sub("\ufffd", k): _replace_surrogates(v) for k, v in value.items()}
    return value


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
    return ParsedFeed(
        format=fmt,
        title=_text(document.get("title")),
        link=nodes.resolve(base, home),
        subtitle=_text(document.get("description")),
        language=_string(document.get("language")),
        image=nodes.resolve(
            base, _string(document.get("icon")) or _string(document.get("favicon"))
        ),
        entries=tuple(entries),
    )


def _json_item(item: dict[str, Any], base: str, feed_authors: tuple[Author, ...]) -> ParsedEntry:
    draft = EntryDraft()
    draft.guid = _identifier(item.get("id"))
    draft.title = _text(item.get("title"))
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
    length = _int(attachment.get("size_in_bytes"))
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
    return ParsedFeed(
        format="rss20",
        title=_plain(channel.get("title")),
        link=nodes.resolve(base, link),
        subtitle=_plain(channel.get("description")),
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
    """A count JSON may write as 3456, 3456.0 or "3456"; None for anything else or negative."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value >= 0 else None


def _identifier(value: object) -> str | None:
    """An item id: JSON Feed says string, feeds also write numbers (124 -> "124")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _text(value: object) -> str | None:
    """A JSON Feed text field (title, description): plain text by the spec, so nothing in
    angle brackets is ever removed; character references, which feeds generated from HTML
    leave in (`&#8217;`, `&amp;`), are decoded once."""
    return decoded_text(_string(value)) or None


def _plain(value: object) -> str | None:
    """An RSS-in-JSON text field: as ambiguous as in RSS (text or escaped HTML)."""
    return markup_text(_string(value)) or None
