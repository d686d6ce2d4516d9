"""Namespaced extension elements that RSS items and Atom entries share: content:encoded,
Dublin Core and dcterms, Media RSS, iTunes, wfw, slash, feedburner, the threading extension
and atom:link inside RSS."""

from __future__ import annotations

from lxml import etree

from newsreader.model import Enclosure
from newsreader.parse import nodes
from newsreader.parse.dates import parse_date
from newsreader.parse.draft import EntryDraft, duration, integer
from newsreader.parse.html import sanitized, text_to_html


def apply(draft: EntryDraft, name: str, element: etree._Element, base: str) -> bool:
    """Reads one extension element into `draft`; False when `name` is not an extension."""
    handler = _HANDLERS.get(name)
    if handler is None:
        return False
    handler(draft, element, base)
    return True


def enclosure(url: str, element: etree._Element) -> Enclosure:
    """An enclosure typed and sized by the element's `type` and `length` attributes (RSS
    <enclosure>, atom:link rel="enclosure")."""
    return Enclosure(url=url, type=element.get("type"), length=integer(element.get("length")))


def media_enclosure(element: etree._Element, base: str) -> Enclosure | None:
    url = nodes.resolve(base, element.get("url"))
    if url is None:
        return None
    return Enclosure(url=url, type=element.get("type"), length=integer(element.get("fileSize")))


def _content_encoded(draft: EntryDraft, element: etree._Element, base: str) -> None:
    draft.content = sanitized(nodes.inner_markup(element), base) or draft.content


def _xhtml_body(draft: EntryDraft, element: etree._Element, base: str) -> None:
    if draft.content is None:
        draft.content = sanitized(nodes.inner_markup(element), base)


def _creator(draft: EntryDraft, element: etree._Element, base: str) -> None:
    draft.add_author(nodes.plain(element))


def _issued(draft: EntryDraft, element: etree._Element, base: str) -> None:
    if draft.published is None:
        draft.published = parse_date(nodes.text(element) or "")


def _modified(draft: EntryDraft, element: etree._Element, base: str) -> None:
    if draft.updated is None:
        draft.updated = parse_date(nodes.text(element) or "")


def _subject(draft: EntryDraft, element: etree._Element, base: str) -> None:
    draft.add_categories(nodes.inner_markup(element))


def _itunes_category(draft: EntryDraft, element: etree._Element, base: str) -> None:
    """`<itunes:category text="Technology">`, with its subcategories nested inside."""
    draft.add_categories(element.get("text"))
    for child in nodes.elements(element):
        if nodes.key_of(child) == "itunes:category":
            _itunes_category(draft, child, base)


def _dc_description(draft: EntryDraft, element: etree._Element, base: str) -> None:
    """Dublin Core's description is a summary; RSS's own description wins."""
    if draft.summary is None:
        draft.summary = sanitized(nodes.inner_markup(element), base)


def _media_content(draft: EntryDraft, element: etree._Element, base: str) -> None:
    enclosure = media_enclosure(element, base)
    if enclosure is None:
        return
    is_image = element.get("medium") == "image" or (enclosure.type or "").startswith("image/")
    if is_image and draft.image is None:
        draft.image = enclosure.url
    draft.enclosures.append(enclosure)
    for child in nodes.elements(element):
        apply(draft, nodes.key_of(child), child, base)


def _media_thumbnail(draft: EntryDraft, element: etree._Element, base: str) -> None:
    if draft.image is None:
        draft.image = nodes.resolve(base, element.get("url"))


def _media_description(draft: EntryDraft, element: etree._Element, base: str) -> None:
    value = nodes.text(element)
    if value and draft.fallback_summary is None:
        html = value if element.get("type") == "html" else text_to_html(value)
        draft.fallback_summary = sanitized(html, base)


def _media_group(draft: EntryDraft, element: etree._Element, base: str) -> None:
    for child in nodes.elements(element):
        apply(draft, nodes.key_of(child), child, base)


def _itunes_image(draft: EntryDraft, element: etree._Element, base: str) -> None:
    if draft.image is None:
        draft.image = nodes.resolve(base, element.get("href") or nodes.text(element))


def _itunes_summary(draft: EntryDraft, element: etree._Element, base: str) -> None:
    value = nodes.text(element)
    if value and draft.fallback_summary is None:
        draft.fallback_summary = text_to_html(value) or None


def _itunes_duration(draft: EntryDraft, element: etree._Element, base: str) -> None:
    draft.duration = duration(nodes.text(element))


def _wfw_comment(draft: EntryDraft, element: etree._Element, base: str) -> None:
    if draft.comments_url is None:
        draft.comments_url = nodes.resolve(base, nodes.text(element))


def _wfw_comment_rss(draft: EntryDraft, element: etree._Element, base: str) -> None:
    draft.comments_feed = nodes.resolve(base, nodes.text(element))


def _comment_count(draft: EntryDraft, element: etree._Element, base: str) -> None:
    count = integer(nodes.text(element))
    if count is not None:
        draft.comment_count = count


def _orig_link(draft: EntryDraft, element: etree._Element, base: str) -> None:
    draft.orig_link = nodes.resolve(base, nodes.text(element))


def _in_reply_to(draft: EntryDraft, element: etree._Element, base: str) -> None:
    if draft.in_reply_to is None:
        ref = element.get("ref") or element.get("href")
        draft.in_reply_to = ref.strip() if ref else None


def _atom_link(draft: EntryDraft, element: etree._Element, base: str) -> None:
    """atom:link inside an RSS item (Atom entries read their links themselves)."""
    href = nodes.resolve(base, element.get("href"))
    if href is None:
        return
    rel = nodes.link_rel(element)
    if rel == "alternate" and draft.alternate_link is None:
        draft.alternate_link = href
    elif rel == "replies":
        replies(draft, element, href)
    elif rel == "enclosure":
        draft.enclosures.append(enclosure(href, element))


def replies(draft: EntryDraft, element: etree._Element, href: str) -> None:
    """rel="replies": an HTML page of comments or a feed of them (RFC 4685)."""
    if (element.get("type") or "").startswith("text/html"):
        draft.comments_url = draft.comments_url or href
    else:
        draft.comments_feed = href
    count = integer(element.get("{http://purl.org/syndication/thread/1.0}count"))
    if count is not None and draft.comment_count is None:
        draft.comment_count = count


_HANDLERS = {
    "content:encoded": _content_encoded,
    "xhtml:body": _xhtml_body,
    "xhtml:div": _xhtml_body,
    "dc:creator": _creator,
    "dc:author": _creator,
    "itunes:author": _creator,
    "dc:date": _issued,
    "dcterms:issued": _issued,
    "dcterms:created": _issued,
    "dcterms:date": _issued,
    "dcterms:modified": _modified,
    "dc:subject": _subject,
    "dc:description": _dc_description,
    "dcterms:abstract": _dc_description,
    "dcterms:description": _dc_description,
    "media:category": _subject,
    "itunes:category": _itunes_category,
    "media:content": _media_content,
    "media:thumbnail": _media_thumbnail,
    "media:description": _media_description,
    "media:group": _media_group,
    "itunes:image": _itunes_image,
    "itunes:summary": _itunes_summary,
    "itunes:duration": _itunes_duration,
    "wfw:comment": _wfw_comment,
    "wfw:commentRss": _wfw_comment_rss,
    "wfw:commentrss": _wfw_comment_rss,
    "slash:comments": _comment_count,
    "thr:total": _comment_count,
    "feedburner:origLink": _orig_link,
    "thr:in-reply-to": _in_reply_to,
    "atom:link": _atom_link,
}
