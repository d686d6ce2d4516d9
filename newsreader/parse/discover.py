"""`discover_feeds`: the feeds a web page announces with <link rel="alternate">."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree
from lxml import html as lxml_html

from newsreader.model import DiscoveredFeed
from newsreader.parse import encoding, nodes
from newsreader.parse.text import html_to_text

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
        "application/x.atom+xml",
        "text/xml",
        "application/xml",
    }
)


def discover_feeds(
    html: bytes, url: str, headers: Mapping[str, str] | None = None
) -> list[DiscoveredFeed]:
    """Feeds named by `<link rel="alternate" type="...feed type...">` in page order, resolved
    against the page's <base href> (itself resolved against `url`), each URL once."""
    root = _parse(html, headers)
    if root is None:
        return []
    base = url
    found: dict[str, DiscoveredFeed] = {}
    seen_base = False
    for element in root.iter("base", "link"):
        if element.tag == "base":
            href = element.get("href")
            if not seen_base and href:
                base = nodes.resolve(url, href) or url
                seen_base = True
            continue
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").split(";")[0].strip().lower()
        if not ({"alternate", "feed"} & set(rel)) or kind not in FEED_TYPES:
            continue
        feed_url = nodes.resolve(base, element.get("href"))
        if feed_url is None or feed_url in found:
            continue
        title = element.get("title")
        found[feed_url] = DiscoveredFeed(
            url=feed_url, title=html_to_text(title) or None if title else None, type=kind
        )
    return list(found.values())


def _parse(data: bytes, headers: Mapping[str, str] | None) -> etree._Element | None:
    if not data.strip():
        return None
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    charset = encoding.http_charset(headers)
    try:
        if charset is not None or encoding.bom_encoding(data) is not None:
            text = encoding.decode(data, headers, None)
            return lxml_html.document_fromstring(text, parser=parser)
        return lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None  # nothing HTML-like in it (empty, only comments...): no feeds
