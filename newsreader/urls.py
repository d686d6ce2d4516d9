"""URLs from outside, split, joined and judged in one place.

Every URL the program reads comes from a document or a server it does not control, and
`urllib.parse` raises `ValueError` on some of them (a bracketed host that is not an IP
address: `http://[x]/`, an unbalanced bracket, a port out of range). The functions here never
raise: a URL that cannot be parsed has no parts, joins to None and has no scheme, so the one
bad link is dropped and the document around it is kept.

`browser_scheme` answers the question the sanitiser asks: which scheme would a browser see in
this attribute value, after its own clean-up (leading C0 controls and spaces stripped, ASCII
tab and newlines removed anywhere, as the WHATWG URL parser does).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

WEB_SCHEMES = frozenset({"http", "https"})
LINK_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "magnet", "news", "feed", "tel"})
"""Schemes a feed may use for links a reader can open; anything else (javascript:, data:,
file:, ...) is dropped by `resolve`."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_STRIPPED = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_REMOVED = str.maketrans("", "", "\t\n\r")
_FORBIDDEN_IN_HOST = frozenset(_STRIPPED + "<>\\^|%\x7f")
_HOST_PART = r"[^:/?#]+://(?:[^/?#]*@)?+[^/?#@]*"
"""An absolute URL up to the end of its host name (scheme, `//`, any login, the host)."""
_BAD_HOST_OR_PORT = re.compile(_HOST_PART + r"[\x00-\x20<>\\^|%\x7f:]")
"""An absolute URL whose host holds a character of `_FORBIDDEN_IN_HOST`, or whose authority
names a port (after any login), which `split` checks."""
_PLAIN_HOST = re.compile(r"https?://[A-Za-z0-9.\-]++(?:[/?#]|\Z)")
"""An http(s) URL whose authority is a host name of letters, digits, dots and hyphens (the
usual case, which `_BAD_HOST_OR_PORT` would also pass, in fewer steps)."""


class _BaseParts(NamedTuple):
    scheme: str
    origin: str  # "scheme://host[:port]"
    directory: str  # "scheme://host[:port]/dir/"


def split(url: str) -> SplitResult | None:
    """`urlsplit(url)`, or None when the URL cannot be parsed: `urlsplit` refuses it, its
    port is out of range or not a number, or its host holds a character no host may (a
    space, `<`, `%`, a control character: the WHATWG URL standard's forbidden domain code
    points), which a browser refuses too."""
    try:
        parts = urlsplit(url)
        if ":" in parts.netloc:
            parts.port  # noqa: B018 (read to have a port out of range or not a number refused)
    except ValueError:
        return None
    if parts.netloc and not _FORBIDDEN_IN_HOST.isdisjoint(_host_of(parts.netloc)):
        return None
    return parts


def unsplit(parts: SplitResult) -> str:
    """The URL of `parts` (`urlunsplit`): the one place a URL is put together from parts."""
    return urlunsplit(parts)


def origin_lowered(parts: SplitResult) -> SplitResult:
    """`parts` with scheme and host lower-cased; the user information (a login, which is
    case-sensitive), the port, path, query and fragment kept as written."""
    login, at, host_port = parts.netloc.rpartition("@")
    return parts._replace(scheme=parts.scheme.lower(), netloc=login + at + host_port.lower())


def normalized_origin(url: str) -> str:
    """`url` with scheme and host lower-cased, everything else as written
    (`HTTPS://User@Example.COM/Feed` -> `https://User@example.com/Feed`), the form a
    subscription is stored and compared in; a URL that cannot be parsed is returned as it is."""
    parts = split(url)
    return url if parts is None else unsplit(origin_lowered(parts))


def without_login(parts: SplitResult) -> str:
    """The URL of `parts` without its user information (`user:password@`), scheme and host
    lower-cased (`https://a:b@Example.org/f` -> `https://example.org/f`)."""
    return unsplit(origin_lowered(parts._replace(netloc=_host_of(parts.netloc))))


def _host_of(authority: str) -> str:
    """The host (and port) of an authority: what follows the user information."""
    return authority.rpartition("@")[2]


def scheme(url: str) -> str:
    """The lower-cased scheme of `url` as `urlsplit` reads it; "" for relative or unparseable
    URLs."""
    parts = split(url)
    return parts.scheme.lower() if parts is not None else ""


def host(url: str) -> str | None:
    """The lower-cased host name of `url` (no port, no brackets); None when it has none."""
    parts = split(url)
    return parts.hostname if parts is not None else None


def on_invalid_domain(url: str) -> bool:
    """Whether `url`'s host is on the `.invalid` domain (RFC 2606), which never resolves: the
    address of a feed shipped with the program (the bundled welcome feed)."""
    name = host(url) or ""
    return name == "invalid" or name.endswith(".invalid")


def browser_scheme(value: str) -> str:
    """The lower-cased scheme a browser would read in an attribute value ("" for a relative
    URL): leading C0 controls and spaces are stripped and tabs and newlines removed first, so
    `"\\x01ja\\tvascript:"` is "javascript". Character references must be decoded already
    (an HTML parser's attribute values are)."""
    cleaned = value.lstrip(_STRIPPED)
    colon = cleaned.find(":", 0, 64)
    if colon <= 0:
        return ""
    candidate = cleaned[:colon].translate(_REMOVED)
    return candidate.lower() if _SCHEME.fullmatch(candidate) else ""


def join(base: str | None, url: str) -> str | None:
    """`url` made absolute against `base` (as `urljoin` does: RFC 3986, dot segments removed,
    "" is the base itself); None when either cannot be parsed. The shapes feeds use most
    (absolute, root-relative, plain relative paths against an http(s) base) are answered from
    a cached split of the base, with the same result."""
    if url.startswith(("https://", "http://")):
        if plainly_parseable(url):
            return url
        return url if split(url) is not None else None
    if not base:
        return url if split(url) is not None else None
    parts = _base_parts(base)
    if (
        parts is None
        or not url
        or url.startswith((".", "?", "#"))
        or ":" in url[:12]
        or "/." in url  # dot segments ("a/../b") are removed by urljoin
    ):
        try:
            joined = urljoin(base, url)
        except ValueError:
            return None
        return joined if split(joined) is not None else None
    if url.startswith("//"):
        joined = f"{parts.scheme}:{url}"
        return joined if split(joined) is not None else None
    if url.startswith("/"):
        return parts.origin + url
    return parts.directory + url


def resolve(
    base: str | None, value: str | None, schemes: frozenset[str] = LINK_SCHEMES
) -> str | None:
    """`value` (surrounding white space removed) made absolute against `base`; None for empty
    values, for URLs that cannot be parsed and for schemes outside `schemes` (a reader must
    not open javascript:, data:, file: ...). A relative URL without a base stays relative."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    if value.startswith(("https://", "http://")) and plainly_parseable(value):
        return value  # already absolute, and a scheme we allow: the common case, made cheap
    absolute = join(base, value)
    if absolute is None:
        return None
    found = scheme(absolute)
    if found and found not in schemes:
        return None
    if not found and browser_scheme(absolute):
        return None  # "java\tscript:" is no scheme to urlsplit, but is one to a browser
    return absolute


def plainly_parseable(url: str) -> bool:
    """Whether an absolute `url` holds nothing `split` may refuse (brackets, which must hold
    an IP address; non-ASCII characters, which a host name may hold only when they survive
    NFKC normalisation; characters forbidden in a host; a port, which must be a number up to
    65535), so that it needs no split to be known parseable."""
    if not url.isascii() or "[" in url or "]" in url:
        return False
    return _PLAIN_HOST.match(url) is not None or _BAD_HOST_OR_PORT.match(url) is None


@lru_cache(maxsize=256)
def _base_parts(base: str) -> _BaseParts | None:
    """The parts of a plain http(s) base URL that relative references are joined to."""
    parts = split(base)
    if parts is None or parts.scheme not in WEB_SCHEMES or not parts.netloc:
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    return _BaseParts(parts.scheme, origin, origin + path[: path.rfind("/") + 1])
