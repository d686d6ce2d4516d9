"""`discover_feeds`: the feeds a web page announces: `Link: <...>; rel="alternate"` headers,
`<link rel="alternate">` elements, then plain `<a>` links to feed-looking URLs; a YouTube
channel page's own feed. Also the rules that rank them (`is_comments_feed`) and tell a
generic link title ("RSS", "Blog » Feed") from a real one (`is_generic_title`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qs

from lxml import etree
from lxml import html as lxml_html

from newsreader import urls
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

MAYBE_FEED_TYPES = frozenset({"application/json"})
"""Link types that are a feed only when the document says so: many sites announce a JSON Feed
as plain `application/json`, but WordPress announces its REST API pages (no feeds) so too.
Discovery takes such a link only when it answers with a JSON Feed (`version` a jsonfeed.org
URL), and never counts it among the feed links that did not answer."""

YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
YOUTUBE_FEED = "https://www.youtube.com/feeds/videos.xml?channel_id={}"
_CHANNEL_ID = r"UC[A-Za-z0-9_-]{22}"
_CHANNEL_PATH = re.compile(rf"^/channel/({_CHANNEL_ID})(?:/|$)")
_CHANNEL_IN_PAGE = (
    re.compile(rf'<meta[^>]+itemprop="(?:identifier|channelId)"[^>]+content="({_CHANNEL_ID})"'),
    re.compile(rf'<link[^>]+rel="canonical"[^>]+href="[^"]*/channel/({_CHANNEL_ID})"'),
    re.compile(rf'"(?:externalId|channelId)":"({_CHANNEL_ID})"'),
)
_FEEDISH_PATH = re.compile(
    r"(?:\.(?:rss|atom|rdf)|/(?:feed|rss|atom)(?:\.xml|\.json)?/?|/feed\.json|/index\.xml"
    r"|/rss\.xml|/atom\.xml|/feeds/[^/]+\.xml)$",
    re.IGNORECASE,
)
_FEEDISH_QUERY = {"feed": {"rss", "rss2", "atom", "rdf"}, "format": {"rss", "atom", "feed"}}
_LINK_VALUE = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_LINK_PARAM = re.compile(r';\s*([A-Za-z*-]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))')
_GENERIC_TITLES = frozenset(
    {
        "rss",
        "rss 2.0",
        "rss2",
        "atom",
        "atom 1.0",
        "feed",
        "feeds",
        "rss feed",
        "atom feed",
        "json feed",
        "subscribe",
        "syndicate",
        "syndication",
        "comments",
        "comments feed",
        "posts",
        "entries",
        "xml",
    }
)


def discover_feeds(
    html: bytes, url: str, headers: Mapping[str, str] | None = None
) -> list[DiscoveredFeed]:
    """The feeds a page announces, each URL once: its `Link` header, then
    `<link rel="alternate" type="...feed type...">` in page order, then `<a href>` links whose
    URL looks like a feed (`/feed`, `.rss`, `?feed=rss2` ...), titled by their text. URLs are
    resolved against the page's <base href> (itself resolved against `url`)."""
    found: dict[str, DiscoveredFeed] = {}
    for feed in link_header_feeds((headers or {}).get("link", ""), url):
        found.setdefault(feed.url, feed)
    root = _parse(html, headers)
    if root is None:
        return list(found.values())
    base = url
    seen_base = False
    anchors: list[DiscoveredFeed] = []
    for element in root.iter("base", "link", "a"):
        if element.tag == "a":
            target = nodes.resolve(base, element.get("href"))
            if target is not None and looks_like_feed_url(target):
                text = " ".join("".join(element.itertext()).split()) or None
                anchors.append(DiscoveredFeed(url=target, title=text))
            continue
        if element.tag == "base":
            href = element.get("href")
            if not seen_base and href:
                base = nodes.resolve(url, href) or url
                seen_base = True
            continue
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").split(";")[0].strip().lower()
        if not ({"alternate", "feed"} & set(rel)) or kind not in FEED_TYPES | MAYBE_FEED_TYPES:
            continue
        feed_url = nodes.resolve(base, element.get("href"))
        if feed_url is None or feed_url in found:
            continue
        title = element.get("title")
        found[feed_url] = DiscoveredFeed(
            url=feed_url, title=html_to_text(title) or None if title else None, type=kind
        )
    announced = {u.rstrip("/") for u in found}
    for anchor in anchors:  # "/feed" beside an announced "/feed/" is the same feed
        if anchor.url.rstrip("/") not in announced:
            found.setdefault(anchor.url, anchor)
    return list(found.values())


def link_header_feeds(value: str, url: str) -> list[DiscoveredFeed]:
    """Feeds an HTTP `Link` header announces (`<URL>; rel="alternate"; type="application/
    rss+xml"; title="..."`, RFC 8288), resolved against `url`."""
    found: list[DiscoveredFeed] = []
    for match in _LINK_VALUE.finditer(value):
        params = {
            name.lower(): quoted if quoted is not None else bare
            for name, quoted, bare in _LINK_PARAM.findall(match.group(2))
        }
        rel = set(params.get("rel", "").lower().split())
        kind = params.get("type", "").split(";")[0].strip().lower()
        target = nodes.resolve(url, match.group(1).strip())
        if (
            target is not None
            and {"alternate", "feed"} & rel
            and kind in FEED_TYPES | MAYBE_FEED_TYPES
        ):
            found.append(DiscoveredFeed(url=target, title=params.get("title") or None, type=kind))
    return found


def looks_like_feed_url(url: str) -> bool:
    """Whether a link's URL looks like a feed's (by its path or a `?feed=rss2` query)."""
    parts = urls.split(url)
    if parts is None or parts.scheme not in {"http", "https"}:
        return False
    if _FEEDISH_PATH.search(parts.path):
        return True
    query = parse_qs(parts.query)
    return any(
        value.lower() in wanted
        for name, wanted in _FEEDISH_QUERY.items()
        for value in query.get(name, [])
    )


def youtube_feed_url(url: str, html: bytes | None = None) -> str | None:
    """The feed of a YouTube channel for its page (`/channel/ID...`, `/@handle`, `/c/name`,
    `/user/name`): from the address when it names the channel, else from the channel id the
    page carries. None for other addresses, or a page without a channel id."""
    parts = urls.split(url)
    if parts is None or (parts.hostname or "").lower() not in YOUTUBE_HOSTS:
        return None
    direct = _CHANNEL_PATH.match(parts.path)
    if direct:
        return YOUTUBE_FEED.format(direct.group(1))
    if html is None:
        return None
    text = html[:2_000_000].decode("utf-8", errors="replace")
    for pattern in _CHANNEL_IN_PAGE:
        match = pattern.search(text)
        if match:
            return YOUTUBE_FEED.format(match.group(1))
    return None


def is_generic_title(title: str | None) -> bool:
    """Whether a link title says nothing of the feed ("RSS", "Feed", "Blog » Feed",
    "Comments"): the feed's own title then names the subscription."""
    if not title:
        return True
    last = re.split(r"\s+[»|:–—-]\s+", title.strip())[-1]
    return last.strip().lower() in _GENERIC_TITLES


def is_comments_feed(feed: DiscoveredFeed) -> bool:
    """Whether a discovered feed is a comments feed (WordPress's "» Comments Feed",
    `/comments/feed/`): listed after the site's own feeds."""
    title = (feed.title or "").lower()
    parts = urls.split(feed.url)
    path = parts.path.lower() if parts is not None else ""
    return "comment" in title or "/comments" in path


def _parse(data: bytes, headers: Mapping[str, str] | None) -> etree._Element | None:
    if not data.strip():
        return None
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    charset = encoding.http_charset(headers)
    try:
        if charset is not None or encoding.bom_encoding(data) is not None:
            text = encoding.decode(data, headers, None)
            return lxml_html.document_fromstring(text, parser=parser)
        try:  # undeclared: bytes that are valid UTF-8 are UTF-8 (libxml2 would say Latin-1)
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return lxml_html.document_fromstring(data, parser=parser)
        if b"<meta" in data[:4096].lower():  # the page may declare its charset: libxml2 reads it
            return lxml_html.document_fromstring(data, parser=parser)
        return lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None  # nothing HTML-like in it (empty, only comments...): no feeds
