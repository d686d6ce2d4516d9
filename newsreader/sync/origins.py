"""What the sync reads of a URL's origin (its scheme, host name and authority) as
`newsreader.urls` reads it, once per origin rather than once per URL.

A large sync asks about tens of thousands of URLs on a few hosts: whether each image and
comment feed a feed's write queues can be fetched (`images.cacheable`, `comments.comment_jobs`,
in the writer thread), and each follow-up job's host (`followup.FollowUpStage`,
`fetch.Politeness.skipped`, on the event loop). `urls.split` (the standard parser, then the
port and the host's characters checked) cost ~8 µs a URL, twice for every one of the
dead-hosts benchmark's 36,000 jobs. All of those facts depend on the scheme and the
authority alone, so for a URL that the parser reads as it is written (it starts with a
scheme and `//`, and holds no tab or line break, which the parser would take out) they are
read from its `scheme://authority` prefix, and remembered per prefix; any other URL is read
in full.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from newsreader import urls

_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#]*")
"""A scheme and `//` then the authority, up to where the parser ends it (`/`, `?` or `#`)."""
_REMOVED = ("\t", "\n", "\r")  # the parser removes them anywhere in a URL


class Origin(NamedTuple):
    """`scheme`: lower-cased, "" when the URL has none or cannot be read (`urls.scheme`);
    `host`: the lower-cased host name or None (`urls.host`); `netloc`: the authority as
    written ("" when unreadable)."""

    scheme: str
    host: str | None
    netloc: str


def origin(url: str) -> Origin:
    """The URL's origin as `urls.split` reads it."""
    found = _PREFIX.match(url)
    if found is None or any(c in url for c in _REMOVED):
        return _read(url)
    return _of_prefix(found.group())


@lru_cache(maxsize=4096)
def _of_prefix(prefix: str) -> Origin:
    return _read(prefix)


def _read(url: str) -> Origin:
    parts = urls.split(url)
    if parts is None:
        return Origin("", None, "")
    return Origin(parts.scheme.lower(), parts.hostname, parts.netloc)


def scheme(url: str) -> str:
    """`urls.scheme(url)`."""
    return origin(url).scheme


def host(url: str) -> str | None:
    """`urls.host(url)`."""
    return origin(url).host
