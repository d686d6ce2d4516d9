"""`looks_like_feed`: a cheap test of the first bytes, used before a full parse (discovery)."""

from __future__ import annotations

import re

from newsreader.parse import encoding

_HEAD_BYTES = 4096
_XML_FEED = re.compile(r"<(?:rss|feed|rdf:rdf|channel)\b")
_HTML = re.compile(r"<(?:html|!doctype\s+html|head|body)\b")
_JSON_FEED = re.compile(r"jsonfeed\.org/version/|^\{\s*\"rss\"\s*:")
_JSON_FEED_KEYS = re.compile(r"\"(?:feed_url|home_page_url)\"\s*:")


def looks_like_feed(data: bytes) -> bool:
    """True when the start of `data` reads like an RSS, RDF, Atom or JSON feed."""
    head = _head(data).lstrip().lower()
    if head.startswith("{"):
        head = head.replace("\\/", "/")
        return bool(_JSON_FEED.search(head) or ('"items"' in head and _JSON_FEED_KEYS.search(head)))
    feed = _XML_FEED.search(head)
    if feed is None:
        return False
    html = _HTML.search(head)
    return html is None or html.start() > feed.start()


def _head(data: bytes) -> str:
    text = encoding.text_after_bom(data, _HEAD_BYTES)
    if text is None:
        text = data[:_HEAD_BYTES].decode("utf-8", errors="ignore")
    return text
