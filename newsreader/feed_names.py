"""Names that tell feeds apart wherever they are listed together (the feed panel, the export
dialog): two feeds called "Blog" become "Blog (alpha.example)" and "Blog (beta.example)".

A title shared by several feeds gets the host of each feed's address, without a leading
"www."; when the host is shared too (two feeds of one site), the address's host and path;
failing that, the whole address.
Feeds with a title of their own are named by it alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from newsreader import urls
from newsreader.model import Feed


def feed_names(feeds: Iterable[Feed]) -> dict[int, str]:
    """Feed id -> the name to list it under (its title, plus where it comes from when
    another feed of `feeds` has the same title, compared without case)."""
    by_title: dict[str, list[Feed]] = defaultdict(list)
    for feed in feeds:
        by_title[feed.display_title.casefold()].append(feed)
    names: dict[int, str] = {}
    for group in by_title.values():
        if len(group) == 1:
            names[group[0].id] = group[0].display_title
            continue
        places = [_place(feed, group) for feed in group]
        for feed, where in zip(group, places, strict=True):
            names[feed.id] = f"{feed.display_title} ({where})"
    return names


def _place(feed: Feed, group: list[Feed]) -> str:
    """The shortest of host, host and path, and whole address that no other feed of
    `group` shares."""
    for describe in (_host, _host_and_path):
        where = describe(feed.url)
        if where and all(describe(other.url) != where for other in group if other is not feed):
            return where
    return feed.url


def _host(url: str) -> str:
    host = urls.host(url) or ""
    return host.removeprefix("www.")


def _host_and_path(url: str) -> str:
    """ "example.com/blog/feed.xml": the address without scheme, login, query or fragment
    (a port stays: two feeds may differ only by it)."""
    parts = urls.split(url)
    if parts is None:
        return url
    where = urls.origin_lowered(parts).netloc.rpartition("@")[2].removeprefix("www.")
    return f"{where}{parts.path.rstrip('/')}" or url
