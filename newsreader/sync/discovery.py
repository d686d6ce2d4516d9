"""Finding the feeds behind an address: the address itself, the feeds a page announces with
`<link rel="alternate">`, else the paths where sites usually put them; and the site's icon.

The icon is chosen without fetching it (the page's declared icon, else the feed's image,
else the site's /favicon.ico): the sync caches it as follow-up work. Checking candidates
here made discovery wait on whatever host the feed's site link names, seconds on a host that
does not answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx

from newsreader import urls
from newsreader.errors import FetchError, NetworkError, ParseError
from newsreader.feedurl import typed_addresses
from newsreader.model import DiscoveredFeed, ParsedFeed
from newsreader.parse import discover_feeds, looks_like_feed, parse_feed
from newsreader.parse.discover import (
    MAYBE_FEED_TYPES,
    is_comments_feed,
    is_generic_title,
    youtube_feed_url,
)
from newsreader.sync.fetch import (
    ACCEPT_FEED,
    ACCEPT_HTML,
    WEB_SCHEMES,
    CredentialsLookup,
    FetchLimits,
    FetchResult,
    Politeness,
    fetch,
)
from newsreader.wording import agreeing, counted

log = logging.getLogger(__name__)
Progress = Callable[[str], None]  # told what discovery does now, as a sentence

MAX_CANDIDATES = 12  # feed links of a page checked at most
USUAL_PATHS = ("/feed", "/rss", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json")
_ICON_RELS = ("apple-touch-icon", "apple-touch-icon-precomposed", "icon", "shortcut icon")
_Probed = tuple[DiscoveredFeed, FetchResult]  # a candidate that answered as a feed, its answer


@dataclass(frozen=True, slots=True)
class Discovery:
    """What an address leads to: its feeds (best first) and the site's icon, if any."""

    url: str  # the address asked about
    feeds: tuple[DiscoveredFeed, ...]
    icon_url: str | None = None
    is_feed: bool = False  # the address itself is a feed
    # the feeds' documents as fetched to check them, by their `DiscoveredFeed.url`: a
    # subscription's first sync reads its feed from here instead of fetching it again
    fetched: Mapping[str, FetchResult] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Discoverer:
    client: httpx.AsyncClient
    politeness: Politeness
    limits: FetchLimits
    parse_pool: Executor | None = None
    credentials: CredentialsLookup | None = None
    progress: Progress | None = None

    def _say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    async def discover(self, url: str) -> Discovery:
        """Raises FetchError when the address cannot be fetched or leads to no feed that
        answers. An address typed without a scheme (`example.com`, `localhost:8765/feed`) is
        tried with https first, then http."""
        channel = youtube_feed_url(url)
        if channel is not None:  # a YouTube channel's address names its feed
            answered = await self._probe(DiscoveredFeed(channel), local=False)
            if not isinstance(answered, str):
                feed, result = answered
                return Discovery(url, (feed,), None, fetched={feed.url: result})
        page = await self._fetch_page(url)
        if looks_like_feed(page.body):
            return await self.feed_at(url, page)
        # A web page may not point us at local files; a local page may.
        local = urls.scheme(page.url) == "file"
        loop = asyncio.get_running_loop()
        links = await loop.run_in_executor(
            self.parse_pool, discover_feeds, page.body, page.url, dict(page.headers)
        )
        channel = youtube_feed_url(page.url, page.body)
        if channel is not None:
            links.insert(0, DiscoveredFeed(channel))
        announced = [f for f in links if local or urls.scheme(f.url) in WEB_SCHEMES]
        # Only feeds that answer with a feed are offered; the site's own before comments.
        if announced:
            checking = counted(len(announced[:MAX_CANDIDATES]), "feed link")
            self._say(f"Checking {checking} of the page…")
        missed: list[tuple[str, str]] = []  # announced feed links that did not answer
        probed = await self._probe_all(announced[:MAX_CANDIDATES], local, missed)
        if not probed:
            self._say("Trying the usual feed addresses (/feed, /rss.xml …)…")
            probed = await self._probe_usual_paths(page.url, local)
        feeds = tuple(feed for feed, _ in probed)
        if not feeds:
            raise FetchError(f"no feed found at {url} ({_tried(missed)}, none at the usual paths)")
        declared = await loop.run_in_executor(self.parse_pool, icon_links, page.body, page.url)
        icon = next(iter(declared), None) or _favicon(page.url)
        return Discovery(url, feeds, icon, fetched={feed.url: result for feed, result in probed})

    async def feed_at(self, url: str, page: FetchResult) -> Discovery:
        """The discovery of an address whose answer `page` is a feed (fetched here, or by
        an earlier discovery that a subscription now picks from). Raises ParseError when
        it does not parse."""
        own_url = page.permanent_url or page.url
        parsed = await self._parse(page)
        feed = DiscoveredFeed(own_url, parsed.title, page.content_type or None)
        icon = parsed.image or _favicon(parsed.link or own_url)
        return Discovery(url, (feed,), icon, is_feed=True, fetched={own_url: page})

    async def _fetch_page(self, url: str) -> FetchResult:
        """The page (or feed) at `url`; a typed address without a scheme falls back from
        https to http when nothing answered over https."""
        addresses = typed_addresses(url)
        if len(addresses) == 1 and not _HAS_SCHEME.match(addresses[0]):
            raise FetchError(
                f"{url} is not an address: expected a feed or web page address such as "
                "https://example.com/feed, or a host name with a dot, localhost or an IP "
                "address (example.com, 127.0.0.1:8457/feed.xml)"
            )
        failures: list[str] = []
        for number, address in enumerate(addresses, start=1):
            self._say(f"Fetching {address}…")
            try:
                return await fetch(
                    self.client,
                    address,
                    politeness=self.politeness,
                    limits=self.limits,
                    accept=f"{ACCEPT_HTML}, {ACCEPT_FEED}",
                    credentials=self.credentials,
                    allow_file=True,  # the user typed this address
                )
            except NetworkError as error:
                if number < len(addresses):
                    failures.append(str(error))
                    continue
                if not failures:
                    raise
                # "skipped: ..." is the politeness rule skipping a host that just failed:
                # the same reason, which is said once
                last = str(error).removeprefix("skipped: ")
                if last == failures[0]:
                    said = f"{last} (tried https and http)"
                else:
                    said = f"over https: {failures[0]}; over http: {last}"
                raise NetworkError(f"cannot reach {url}: {said}", error.kind) from None
        raise AssertionError("typed_addresses returns at least one address")

    async def _parse(self, result: FetchResult) -> ParsedFeed:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.parse_pool, parse_feed, result.body, result.url, dict(result.headers)
        )

    async def _probe_usual_paths(self, page_url: str, local: bool) -> tuple[_Probed, ...]:
        joined = (urls.join(page_url, path) for path in USUAL_PATHS)
        candidates = dict.fromkeys(url for url in joined if url)
        return await self._probe_all([DiscoveredFeed(url) for url in candidates], local)

    async def _probe_all(
        self,
        candidates: Sequence[DiscoveredFeed],
        local: bool,
        missed: list[tuple[str, str]] | None = None,
    ) -> tuple[_Probed, ...]:
        """The candidates that answer with a feed, in order, comment feeds last, each with
        its answer; a generic link title ("RSS", "Blog » Feed") replaced by the feed's own.
        `missed` receives (URL, why) of each other candidate, but a link of a type that is a
        feed only sometimes (`MAYBE_FEED_TYPES`: WordPress's REST API links), which no one
        would call a feed link that failed."""
        answered = await asyncio.gather(*(self._probe(c, local) for c in candidates))
        for candidate, probed in zip(candidates, answered, strict=True):
            maybe = candidate.type in MAYBE_FEED_TYPES
            if isinstance(probed, str) and missed is not None and not maybe:
                missed.append((candidate.url, probed))
        feeds = [probed for probed in answered if not isinstance(probed, str)]
        feeds.sort(key=lambda probed: is_comments_feed(probed[0]))  # stable: page order else
        unique: dict[str, _Probed] = {}
        for probed in feeds:
            unique.setdefault(probed[0].url, probed)
        return tuple(unique.values())

    async def _probe(self, candidate: DiscoveredFeed, local: bool) -> _Probed | str:
        """The candidate as a feed with its answer; else why not, in words."""
        try:
            result = await fetch(
                self.client,
                candidate.url,
                politeness=self.politeness,
                limits=self.limits,
                credentials=self.credentials,
                allow_file=local,
            )
            if not looks_like_feed(result.body):
                kind = result.content_type or "no content type"
                return f"it answered with {kind}, not a feed"
            if candidate.type in MAYBE_FEED_TYPES and not is_json_feed(result.body):
                return "it answered with JSON that is no JSON Feed"
            parsed = await self._parse(result)
        except (FetchError, ParseError) as error:
            log.info("feed candidate %s left out: %s", candidate.url, error)
            return str(error)
        title = candidate.title
        if is_generic_title(title) and parsed.title:
            title = parsed.title
        found = DiscoveredFeed(
            result.permanent_url or candidate.url,
            title or parsed.title,
            candidate.type or result.content_type or None,
        )
        return found, result


_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
JSON_FEED_VERSION = re.compile(rb"^https?://jsonfeed\.org/version/")


def is_json_feed(body: bytes) -> bool:
    """Whether a JSON document is a JSON Feed: its `version` is a jsonfeed.org URL."""
    try:
        document = json.loads(body)
    except ValueError:
        return False
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and bool(JSON_FEED_VERSION.match(version.encode()))


TRIED_NAMED = 3
"""Feed links that did not answer named (with why) in "no feed found"; the rest counted."""


def _tried(missed: Sequence[tuple[str, str]]) -> str:
    """What "no feed found" says of the page's feed links: none, or which did not answer
    with a feed and why."""
    if not missed:
        return "no feed links"
    named = "; ".join(f"{url}: {why}" for url, why in missed[:TRIED_NAMED])
    more = len(missed) - TRIED_NAMED
    rest = f"; and {counted(more, 'more')}" if more > 0 else ""
    links = agreeing(len(missed), "its feed link", "its feed links")
    answer = agreeing(len(missed), "did not answer with a feed", "did not answer with feeds")
    return f"{links} {answer} ({named}{rest})"


def _favicon(site_url: str) -> str | None:
    """Where a web site keeps its icon by convention (None for a file URL)."""
    if urls.scheme(site_url) not in WEB_SCHEMES:
        return None
    return urls.join(site_url, "/favicon.ico")


def icon_links(html: bytes, base_url: str) -> list[str]:
    """Icon URLs a page declares, apple-touch-icon (larger) first, made absolute."""
    collector = _IconLinks()
    collector.feed(html.decode("utf-8", errors="replace"))
    collector.close()
    ranked: list[tuple[int, str]] = []
    for rel, href in collector.links:
        absolute = urls.join(base_url, href)
        if absolute and urls.scheme(absolute) in urls.WEB_SCHEMES:
            ranked.append((_ICON_RELS.index(rel), absolute))
    return [url for _, url in sorted(ranked, key=lambda item: item[0])]


class _IconLinks(HTMLParser):
    """Collects (rel, href) of icon <link>s; the standard parser copes with any tag soup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name: (value or "") for name, value in attrs}
        rel = " ".join(values.get("rel", "").lower().split())
        href = values.get("href", "").strip()
        if rel in _ICON_RELS and href and not href.startswith("data:"):
            self.links.append((rel, href))
