"""HTML fragments from feeds: sanitising (nh3 allow-list) and text-to-HTML (plain text out of
HTML is `parse/text.py`).

`sanitize_html` keeps the markup a reader needs (paragraphs, links, images, headings, lists,
quotes, code, tables, figures) and nothing that runs, loads or submits: no script, style,
iframe, object, embed or form, no event-handler attribute, no `javascript:`/`vbscript:` URL, no
`data:` URL except inline raster images. Relative URLs in href/src/srcset/poster are resolved
against the fragment's base. Video, audio and iframes become links (with the poster image, if
any); 1x1 tracking images are dropped.
"""

from __future__ import annotations

import base64
import re
import struct
from functools import lru_cache
from html import escape, unescape
from typing import Literal

import nh3

from newsreader.errors import HostileDocumentError
from newsreader.parse import nodes

_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
        "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
_CLEAN_CONTENT = frozenset(
    {"script", "style", "template", "iframe", "noembed", "noframes", "svg", "math", "title"}
)
_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "srcset"},
    "abbr": {"title"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "*": {"lang", "dir"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "data", "tel", "magnet"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|jpg|webp|avif|bmp);", re.IGNORECASE)
_UNSAFE_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|file)\s*:", re.IGNORECASE)

_MEDIA_LABELS = {
    "video": "Video",
    "audio": "Audio",
    "iframe": "Embedded page",
    "embed": "Embedded media",
    "object": "Embedded media",
}
_MEDIA_START = re.compile(r"<(video|audio|iframe|object|embed)\b([^<>]*)>", re.IGNORECASE)
_SOURCE = re.compile(r"<source\b([^<>]*)>", re.IGNORECASE)
_SOURCE_WINDOW = 2000  # how far after <video>/<audio> a <source> is looked for
_RAW_ATTRIBUTE = re.compile(r"([^\s=/>\"']+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))")
_IMG = re.compile(r"<img(?:\s+[^\s=>]+(?:=\"[^\"]*\")?)*\s*/?>")
_SRCSET = re.compile(r" srcset=\"([^\"]*)\"")
_ATTR = re.compile(r"([^\s=>]+)=\"([^\"]*)\"")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr", "param", "p", "li", "dt", "dd", "option", "tr", "td", "th"}
)  # fmt: skip
_MAX_DEPTH = 1024


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """A safe version of an HTML fragment from a feed, with URLs made absolute."""
    if not html or html.isspace():
        return ""
    if "<" not in html and "&" not in html:
        return escape(html, quote=False)
    _refuse_deep_nesting(html)
    if _MEDIA_START.search(html):
        html = _media_to_links(html)
    cleaned: str = _cleaner(base_url, "data:" in html).clean(html)
    if "<img" in cleaned:
        cleaned = _IMG.sub(lambda match: _image(match.group(0), base_url), cleaned)
    return cleaned.strip()


def sanitized(html: str | None, base_url: str | None) -> str | None:
    """`sanitize_html` for optional fields: None when nothing is left."""
    return sanitize_html(html, base_url) or None if html else None


def text_to_html(text: str) -> str:
    """Plain text as HTML: escaped, blank lines separate paragraphs, newlines become <br>."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


@lru_cache(maxsize=64)
def _cleaner(base_url: str | None, careful: bool) -> nh3.Cleaner:
    """One nh3 cleaner per base URL and mode; a feed's entries mostly share one base.

    The careful cleaner runs a Python callback on every URL attribute to let inline raster
    images through as `data:` URLs; fragments without "data:" use the plain one, which
    refuses the scheme outright and runs no Python per attribute.
    """
    base = _web_base(base_url)

    def filter_attribute(tag: str, name: str, value: str) -> str | None:
        if name in _URL_ATTRIBUTES and value.lstrip()[:5].lower() == "data:":
            keep = tag == "img" and name == "src" and _SAFE_DATA_IMAGE.match(value.strip())
            return value.strip() if keep else None
        return value

    def cleaner(
        url_relative: Literal["pass_through"] | tuple[Literal["rewrite_with_base"], str],
    ) -> nh3.Cleaner:
        return nh3.Cleaner(
            tags=set(_TAGS),
            clean_content_tags=set(_CLEAN_CONTENT),
            attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
            attribute_filter=filter_attribute if careful else None,
            url_schemes=set(_URL_SCHEMES if careful else _URL_SCHEMES - {"data"}),
            url_relative=url_relative,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )

    if base:
        try:
            return cleaner(("rewrite_with_base", base))
        except ValueError:  # a base nh3 cannot parse (bad host name): leave URLs as they are
            pass
    return cleaner("pass_through")


def _web_base(base_url: str | None) -> str | None:
    return base_url if base_url and base_url.startswith(("http://", "https://")) else None


def _srcset_attribute(match: re.Match[str], base_url: str | None) -> str:
    """A sanitised srcset (nh3 neither resolves nor vets it): each candidate made absolute,
    candidates with a script or data: URL dropped, and the attribute too if none is left."""
    base = _web_base(base_url)
    candidates = []
    value = match.group(1)
    for candidate in (unescape(value) if "&" in value else value).split(","):
        parts = candidate.split()
        if not parts or _UNSAFE_SCHEME.match(parts[0]):
            continue
        url = nodes.join(base, parts[0]) if base else parts[0]
        candidates.append(" ".join([url, *parts[1:]]))
    if not candidates:
        return ""
    return f' srcset="{escape(", ".join(candidates))}"'


def _image(tag: str, base_url: str | None) -> str:
    """An <img> of the sanitiser's output, checked: tracking pixels (1x1 by attribute or by a
    data: image's own header) and images left without a source are dropped, and srcset
    candidates (which nh3 neither resolves nor vets) are made absolute and vetted."""
    plain = "width=" not in tag and "height=" not in tag and "data:" not in tag
    if not (plain and ' src="' in tag and ' src=""' not in tag):
        attributes = dict(_ATTR.findall(tag))
        src = attributes.get("src")
        if not src or _tiny(attributes.get("width")) or _tiny(attributes.get("height")):
            return ""
        if src.startswith("data:") and _data_image_size(src) in {(1, 1), (0, 0)}:
            return ""
    if " srcset=" in tag:
        return _SRCSET.sub(lambda match: _srcset_attribute(match, base_url), tag)
    return tag


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


def _refuse_deep_nesting(fragment: str) -> None:
    """Sanitising cost grows with nesting depth; a fragment nested hundreds of levels deep is
    an attack, not an article. Only fragments with enough tags to be that deep are scanned."""
    if fragment.count("<") < _MAX_DEPTH:
        return
    depth = 0
    for match in _TAG.finditer(fragment):
        text = match.group(0)
        if text[1] == "/":
            depth = max(depth - 1, 0)
        elif not match.group(2) and match.group(1).lower() not in _VOID:
            depth += 1
            if depth > _MAX_DEPTH:
                raise HostileDocumentError(
                    f"an HTML fragment nests more than {_MAX_DEPTH} elements deep; refused"
                )


def _media_to_links(fragment: str) -> str:
    """Video, audio, iframes and plug-ins become a link to their source (with the poster
    image inside, if any) in place of their start tag; the sanitiser then drops the rest.
    Regular expressions suffice: whatever they miss, the sanitiser removes, so a miss costs a
    link, never safety."""
    return _MEDIA_START.sub(lambda match: _media_link(match, fragment), fragment)


def _media_link(match: re.Match[str], fragment: str) -> str:
    kind = match.group(1).lower()
    attributes = _attributes(match.group(2))
    source = attributes.get("src") or attributes.get("data")
    if not source and kind in ("video", "audio"):
        window = fragment[match.end() : match.end() + _SOURCE_WINDOW]
        inner = _SOURCE.search(window)
        source = _attributes(inner.group(1)).get("src") if inner else None
    if not source or _UNSAFE_SCHEME.match(source):
        return ""
    href = escape(source)
    poster = attributes.get("poster")
    if poster:
        return f'<a href="{href}"><img src="{escape(poster)}" alt="{kind}"></a>'
    return f'<a href="{href}">{_MEDIA_LABELS[kind]}: {href}</a>'


def _attributes(text: str) -> dict[str, str]:
    """Attributes of a raw HTML start tag, names lower-cased, values unescaped."""
    return {
        name.lower(): unescape(next((v for v in values if v), ""))
        for name, *values in _RAW_ATTRIBUTE.findall(text)
    }
