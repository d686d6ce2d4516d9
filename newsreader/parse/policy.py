"""The sanitising policy: which HTML a feed may put in front of the user. One policy, used at
ingest (`parse.html.sanitize_html`) and again at display and export (`export.render`).

The output rule: no script, style, frame, object, embed or form; no event-handler attribute;
and in every URL-bearing attribute (href, src, srcset, poster) no `javascript:`, `vbscript:`,
`file:` or `data:` URL other than an inline raster image. The scheme is judged as a browser
reads it (`newsreader.urls.browser_scheme`: leading C0 controls and spaces stripped, tabs and
newlines removed), on attribute values as the HTML parser decoded them, never on markup text.

Tags and attributes outside the allow-lists below are dropped by nh3 (ammonia); URL attributes
are vetted by `vet_attribute`, which nh3 calls for every attribute of the parsed tree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import nh3

from newsreader import urls

TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
        "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
CLEAN_CONTENT = frozenset(
    {"script", "style", "template", "iframe", "noembed", "noframes", "svg", "math", "title"}
)
"""Elements removed with everything inside them (the rest of a refused element's content is
kept as text)."""
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "hreflang"}),
    "img": frozenset({"src", "alt", "title", "width", "height", "srcset"}),
    "abbr": frozenset({"title"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "time": frozenset({"datetime"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "*": frozenset({"lang", "dir"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "data", "tel", "magnet"})
"""Schemes a URL attribute may carry (`data:` only for inline raster images in img src)."""
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "poster", "cite", "action", "background"})
REFUSED_SCHEMES = frozenset({"javascript", "vbscript", "file", "data"})
"""Never allowed in a link a user can follow or a source the reader loads (except inline
raster images, see `safe_image_source`)."""

_SAFE_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|jpg|webp|avif|bmp)[;,]", re.IGNORECASE)
_STRIPPED = "".join(chr(c) for c in range(0x21))
_WEB_PREFIXES = ("https://", "http://")  # what most values start with: allowed at once


def safe_link(value: str) -> bool:
    """Whether a link target (href, a media source) may be kept: no scheme, or one of
    `URL_SCHEMES` other than `data:`, as a browser would read it."""
    if value.startswith(_WEB_PREFIXES):
        return True
    scheme = urls.browser_scheme(value)
    return not scheme or (scheme in URL_SCHEMES and scheme not in REFUSED_SCHEMES)


def safe_image_source(value: str) -> bool:
    """Whether an image source (img src, a srcset candidate, a poster) may be kept: a link
    `safe_link` accepts, or an inline raster image (`data:image/png;base64,...`)."""
    if value.startswith(_WEB_PREFIXES):
        return True
    scheme = urls.browser_scheme(value)
    if scheme == "data":
        return _SAFE_DATA_IMAGE.match(value.lstrip(_STRIPPED).replace("\t", "")) is not None
    return safe_link(value)


def vet_srcset(value: str, base_url: str | None) -> str | None:
    """A srcset value with each candidate made absolute against `base_url` (an http(s) URL or
    None) and candidates that are not safe image sources (`safe_link`: no data: URL either) or
    cannot be parsed dropped; None when no candidate is left."""
    candidates = []
    base = web_base(base_url)
    for candidate in value.split(","):
        parts = candidate.split()
        if not parts or not safe_link(parts[0]):
            continue
        url = urls.join(base, parts[0])
        if url is None:
            continue
        candidates.append(" ".join([url, *parts[1:]]))
    return ", ".join(candidates) or None


def vet_attribute(tag: str, name: str, value: str, base_url: str | None) -> str | None:
    """The value to keep for attribute `name` of element `tag` (decoded, as the HTML parser
    read it), or None to drop the attribute."""
    if name not in URL_ATTRIBUTES:
        return value
    if name == "srcset":
        return vet_srcset(value, base_url)
    if (tag == "img" and name == "src") or name == "poster":
        return value.strip() if safe_image_source(value) else None
    return value if safe_link(value) else None


@lru_cache(maxsize=256)
def web_base(base_url: str | None) -> str | None:
    """`base_url` when it is an http(s) URL, the only bases relative URLs are resolved against.
    Cached: asked for each fragment and each srcset, mostly with a feed's few bases."""
    return base_url if base_url and urls.scheme(base_url) in urls.WEB_SCHEMES else None


def cleaner(base_url: str | None) -> nh3.Cleaner:
    """The nh3 cleaner of the policy, resolving relative URLs against `base_url` (an http(s)
    URL; anything else leaves them relative). Cached: a feed's entries mostly share one base."""
    return _cleaner(web_base(base_url))


@lru_cache(maxsize=64)
def _cleaner(base: str | None) -> nh3.Cleaner:
    def filter_attribute(tag: str, name: str, value: str) -> str | None:
        return vet_attribute(tag, name, value, base)

    def make(
        url_relative: Literal["pass_through"] | tuple[Literal["rewrite_with_base"], str],
    ) -> nh3.Cleaner:
        return nh3.Cleaner(
            tags=set(TAGS),
            clean_content_tags=set(CLEAN_CONTENT),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            attribute_filter=filter_attribute,
            url_schemes=set(URL_SCHEMES),
            url_relative=url_relative,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )

    if base and urls.split(base) is not None:
        try:
            return make(("rewrite_with_base", base))
        except ValueError:  # a base nh3 cannot parse (bad host name): leave URLs as they are
            pass
    return make("pass_through")
