"""The sanitising policy: which HTML a feed may put in front of the user. One policy, used at
ingest (`parse.html.sanitize_html`) and again at display and export (`export.render`).

The output rule: no script, style, frame, object, embed or form; no event-handler attribute;
and in every URL-bearing attribute (href, src, srcset, poster) no `javascript:`, `vbscript:`,
`file:` or `data:` URL other than an inline raster image. The scheme is judged as a browser
reads it (`newsreader.urls.browser_scheme`: leading C0 controls and spaces stripped, tabs and
newlines removed), on attribute values as the HTML parser decoded them, never on markup text.

Tags and attributes outside the allow-lists below are dropped by nh3 (ammonia); URL attributes
are vetted by `vet_attribute`, which nh3 calls for every attribute of the parsed tree, and made
absolute there by `newsreader.urls` (nh3 passes relative URLs through: its own resolver is not
used, so an image's src and its srcset, and an entry's links, are joined by one rule).

Images the reader must not load are refused (`refused_image`): tracking pixels (0 or 1 pixel
wide or high, or a data: GIF/PNG whose header says 1x1) and images left without a source. They
are judged in the same nh3 callback, as nh3 reads them: nh3 adds a marker attribute
(`IMAGE_END`) to every image, after its own attributes, so the callback sees each image's
attributes and then its end, and gives the marker a value naming a refused image (or one it
cannot judge with certainty, see `_ImageVetting.verdict`); every other image loses the marker.
`clean` returns nh3's output and how many images were refused or not judged; `parse.html`
removes the refused ones.
"""

from __future__ import annotations

import base64
import os
import re
import struct
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import nh3

from newsreader import urls
from newsreader.parse.srcset import parse_srcset, usual_candidates

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
IMAGE_END = "data-newsreader-end"
"""The attribute nh3 adds to every <img> (after the image's own attributes) so that the
attribute callback learns where an image ends. Not in `ATTRIBUTES`: a feed's own is dropped."""
REFUSED_SCHEMES = frozenset({"javascript", "vbscript", "file", "data"})
"""Never allowed in a link a user can follow or a source the reader loads (except inline
raster images, see `safe_image_source`)."""

_SAFE_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|jpg|webp|avif|bmp)[;,]", re.IGNORECASE)
_STRIPPED = "".join(chr(c) for c in range(0x21))
_WEB_PREFIXES = ("https://", "http://")  # what most values start with: allowed at once
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Control characters removed from sanitised HTML (all but tab and newlines)."""
_TOKEN = os.urandom(12).hex()  # a feed cannot write the marker values below (as
# secrets.token_hex(12), without loading `secrets` and `random`)
_REFUSED = f"refused-{_TOKEN}"
REFUSED_MARK = f' {IMAGE_END}="{_REFUSED}"'
"""How a refused image's marker is serialised in nh3's output."""
_TWO_SLASHES = frozenset({"//", "/\\", "\\/", "\\\\"})


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
    cannot be parsed dropped; None when no candidate is left. Candidates are read as browsers
    read them (`parse.srcset`): a comma inside a URL is part of it."""
    usual = usual_candidates(value)
    if usual is not None and all(
        url.startswith(_WEB_PREFIXES) and urls.plainly_parseable(url) for url, _ in usual
    ):  # the common case: absolute http(s) URLs, kept as they are (as `urls.join` keeps them)
        return ", ".join(f"{url} {descriptor}" for url, descriptor in usual)
    candidates = []
    base = web_base(base_url)
    for candidate in parse_srcset(value):
        if not safe_link(candidate.url):
            continue
        url = urls.join(base, candidate.url)
        if url is None:
            continue
        candidates.append(f"{url} {candidate.descriptors}".rstrip())
    return ", ".join(candidates) or None


def vet_attribute(tag: str, name: str, value: str, base_url: str | None) -> str | None:
    """The value to keep for attribute `name` of element `tag` (decoded, as the HTML parser
    read it), or None to drop the attribute. URL attributes are made absolute against
    `base_url` (an http(s) URL or None) by `newsreader.urls`, as every URL of the app is."""
    if name not in URL_ATTRIBUTES:
        return value
    if name == "srcset":
        return vet_srcset(value, base_url)
    source = (tag == "img" and name == "src") or name == "poster"
    if value.startswith(_WEB_PREFIXES):  # the common case, safe and absolute: kept
        return value.strip() if source else value
    if source:
        return absolute(value.strip(), base_url) if safe_image_source(value) else None
    return absolute(value, base_url) if safe_link(value) else None


def absolute(value: str, base_url: str | None) -> str | None:
    """A relative URL attribute value (no scheme, as a browser reads it) joined to
    `base_url` (used when it is an http(s) URL) with `urls.join`, surrounding white space
    removed; None when it cannot be parsed. A value with a scheme, or any value without a
    web base, is returned as it is (nh3 then judges its scheme against `URL_SCHEMES`)."""
    if value.startswith(_WEB_PREFIXES) or urls.browser_scheme(value):
        return value
    base = web_base(base_url)
    return value if base is None else urls.join(base, value.strip(_STRIPPED))


def refused_image(src: str | None, width: str | None, height: str | None) -> bool:
    """Whether an image with these attribute values (as an HTML parser decoded them; None when
    absent) is refused: no source, 0 or 1 pixel wide or high, or a data: GIF or PNG of 1x1 or
    0x0 pixels by its own header."""
    return (
        not src
        or _tiny(width)
        or _tiny(height)
        or (src.startswith("data:") and _data_image_size(src) in {(1, 1), (0, 0)})
    )


def _tiny(dimension: str | None) -> bool:
    return dimension is not None and dimension.strip().lower().removesuffix("px") in {"0", "1"}


def _data_image_size(url: str) -> tuple[int, int] | None:
    """Width and height from the header of a base64 GIF or PNG data: URL."""
    header, _, payload = url.partition(",")
    if not header.endswith(";base64"):
        return None
    try:
        head = base64.b64decode(payload[:64] + "=" * (-len(payload[:64]) % 4))
    except ValueError:
        return None
    if head[:6] in {b"GIF87a", b"GIF89a"} and len(head) >= 10:
        width, height = struct.unpack("<HH", head[6:10])
        return width, height
    if head[:8] == b"\x89PNG\r\n\x1a\n" and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    return None


class Cleaned(NamedTuple):
    """nh3's output for one fragment, how many of its images carry `REFUSED_MARK`, and how
    many the callback could not judge (without a mark). A named tuple, as `srcset.Candidate`."""

    html: str
    refused: int
    unsure: int


class _ImageVetting:
    """What the attribute callback has seen of the image it is reading, and the marks given
    during one `clean` call. Each thread has its own cleaners, each with its own vetting
    (`_cleaner`): nh3 calls back on the thread that cleans, and the callback reads plain
    attributes (a `threading.local`'s cost more, and the callback runs for every image
    attribute of every article)."""

    __slots__ = ("height", "odd", "refused", "src", "unsure", "width")

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        """Forgets everything seen: a `clean` call begins."""
        self.src: str | None = None
        self.width: str | None = None
        self.height: str | None = None
        self.odd = False
        self.refused = self.unsure = 0

    def see(self, name: str, value: str) -> None:
        """Notes an attribute the policy keeps on the current image: the values the rule
        reads, and whether any value holds "<" or ">"."""
        if name == "src":
            self.src = value
        elif name == "width":
            self.width = value
        elif name == "height":
            self.height = value
        if "<" in value or ">" in value:
            self.odd = True

    def verdict(self) -> str | None:
        """The marker's value at the end of an image (None: the image is kept), and a fresh
        start for the next one. An image is judged "unsure" when nh3's output may not show
        what the callback saw: a source or size with a control character (removed after
        nh3), a value with "<" or ">" (the image's tag could not be cut out by position), an
        empty source or one starting with two slashes (left relative without a base, where
        nh3 may read it otherwise)."""
        src, width, height = self.src, self.width, self.height
        # a control character in a value the rule reads (removed after nh3)
        unsure = self.odd or CONTROL.search(f"{src or ''}{width or ''}{height or ''}") is not None
        if src is not None and not unsure and not src.startswith(_WEB_PREFIXES):
            start = src.lstrip(_STRIPPED).replace("\t", "").replace("\n", "").replace("\r", "")
            unsure = not start or start[:2] in _TWO_SLASHES
        refused = not unsure and refused_image(src, width, height)
        self.src = self.width = self.height = None
        self.odd = False
        if unsure:
            self.unsure += 1  # and the marker goes: it would take the place of a dropped value
            return None
        if refused:
            self.refused += 1
            return _REFUSED
        return None


_threads = threading.local()  # each thread's cleaners (`_cleaner`)
_CLEANERS = 64  # bases whose cleaners a thread keeps
_CHANGED_WEB_VALUES = frozenset({"srcset", "poster"})
"""URL attributes whose absolute http(s) value `vet_attribute` may change (a srcset is
written anew, a poster loses surrounding white space); the others' it keeps as it is."""


def clean(html: str, base_url: str | None) -> Cleaned:
    """`html` through the policy's nh3 cleaner, relative URLs resolved against `base_url` (an
    http(s) URL; anything else leaves them relative), refused images marked."""
    cleaner, images = _cleaner(web_base(base_url))
    images.start()
    markup: str = cleaner.clean(html)
    return Cleaned(markup, images.refused, images.unsure)


@lru_cache(maxsize=256)
def web_base(base_url: str | None) -> str | None:
    """`base_url` when it is an http(s) URL, the only bases relative URLs are resolved against.
    Cached: asked for each fragment and each srcset, mostly with a feed's few bases."""
    return base_url if base_url and urls.scheme(base_url) in urls.WEB_SCHEMES else None


def _cleaner(base: str | None) -> tuple[nh3.Cleaner, _ImageVetting]:
    """This thread's nh3 cleaner of the policy for `base` (an http(s) URL or None), with the
    image vetting its callback fills in. Kept: a feed's entries mostly share one base (a
    thread keeps the cleaners of up to `_CLEANERS` bases, then starts afresh)."""
    cleaners: dict[str | None, tuple[nh3.Cleaner, _ImageVetting]] | None = getattr(
        _threads, "cleaners", None
    )
    if cleaners is None:
        cleaners = _threads.cleaners = {}
    found = cleaners.get(base)
    if found is None:
        if len(cleaners) >= _CLEANERS:
            cleaners.clear()
        images = _ImageVetting()
        cleaner = nh3.Cleaner(
            tags=set(TAGS),
            clean_content_tags=set(CLEAN_CONTENT),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            attribute_filter=_attribute_filter(base, images),
            set_tag_attribute_values={"img": {IMAGE_END: ""}},
            url_schemes=set(URL_SCHEMES),
            url_relative="pass_through",  # relative URLs are resolved in `filter_attribute`
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
        found = cleaners[base] = (cleaner, images)
    return found


def _attribute_filter(
    base: str | None, images: _ImageVetting
) -> Callable[[str, str, str], str | None]:
    """nh3's attribute callback for fragments whose base is `base`, noting what it sees of
    images in `images`."""

    def filter_attribute(tag: str, name: str, value: str) -> str | None:
        # nh3 calls back for every attribute of every fragment. Answered here, without a
        # call: what `vet_attribute` keeps as it is outside images, the attributes that hold
        # no URL (most of them) and absolute http(s) links.
        if tag != "img":
            if name not in URL_ATTRIBUTES or (
                value.startswith(_WEB_PREFIXES) and name not in _CHANGED_WEB_VALUES
            ):
                return value
            return vet_attribute(tag, name, value, base)
        if name == IMAGE_END:
            return images.verdict()
        if name in URL_ATTRIBUTES:
            kept = vet_attribute(tag, name, value, base)
            if kept is None:
                return None
            value = kept
        images.see(name, value)
        return value

    return filter_attribute
