"""HTML fragments from feeds: sanitising and text-to-HTML (plain text out of HTML is
`parse/text.py`).

`sanitize_html` applies the sanitising policy (`newsreader.parse.policy`: what may be kept,
how URL attributes are vetted) to a fragment, after two steps on the raw fragment: elements
nested deeper than `nesting.MAX_DEPTH` are flattened (`newsreader.parse.nesting`), and video,
audio, iframes and plug-ins become links to their source (with the poster image, if any) on a
parsed tree. After nh3, images are checked on the parsed output: 1x1 tracking images and images
left without a source are dropped. Markup is only read by parsers (the nesting tokenizer,
lxml, nh3); a regular expression only looks for a media tag's name, to skip a step.
"""

from __future__ import annotations

import base64
import re
import struct
from functools import lru_cache
from html import escape, unescape

import lxml.html
from lxml import etree

from newsreader import urls
from newsreader.parse import nesting, policy

_MEDIA_LABELS = {
    "video": "Video",
    "audio": "Audio",
    "iframe": "Embedded page",
    "embed": "Embedded media",
    "object": "Embedded media",
}
_MEDIA_START = re.compile(r"<(?:video|audio|iframe|object|embed)\b", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# nh3's output is html5ever's serialisation: "<" in text is escaped, so outside attribute
# values every "<" starts a tag; each attribute is written ` name="value"`, the value holding
# no '"' (it escapes "&", '"' and U+00A0 only).
_LT_IN_VALUE = re.compile(r'="[^"<]*<')
_IMAGE_TAG = re.compile(r'<img((?: [^\s"=/>]+="[^"]*")*)>')
_ATTRIBUTE = re.compile(r' ([^\s"=/>]+)="([^"]*)"')


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """A safe version of an HTML fragment from a feed, with URLs made absolute against
    `base_url` (an http(s) URL; other bases leave them relative). Control characters other
    than tab and newlines are removed; nothing nests deeper than `nesting.MAX_DEPTH`.

    The last few answers are remembered: a feed's summary is often the same HTML as its
    content, and is then sanitised once."""
    if not html or html.isspace():
        return ""
    return _sanitize(html, base_url)


@lru_cache(maxsize=16)
def _sanitize(html: str, base_url: str | None) -> str:
    if _has_controls(html):
        html = _CONTROL.sub("", html)
    if "<" not in html and "&" not in html:
        return escape(html, quote=False)
    html = nesting.flatten(html)
    if _MEDIA_START.search(html):
        html = _media_to_links(html, base_url)
    cleaned: str = policy.cleaner(base_url).clean(html)
    if _has_controls(cleaned):  # from character references such as "&#1;"
        cleaned = _CONTROL.sub("", cleaned)
    if "<img" in cleaned and _images_need_checking(cleaned):
        cleaned = _checked_images(cleaned)
    return cleaned.strip()


def _has_controls(text: str) -> bool:
    """Whether `text` holds a character `_CONTROL` matches. A scan of its UTF-8 bytes, about
    three times as fast as the pattern's: in UTF-8, these characters (but U+FFFE and U+FFFF)
    are exactly the bytes below 0x20 other than tab and newlines, and 0x7F."""
    if "\ufffe" in text or "\uffff" in text:
        return True
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def sanitized(html: str | None, base_url: str | None) -> str | None:
    """`sanitize_html` for optional fields: None when nothing is left."""
    return sanitize_html(html, base_url) or None if html else None


def text_to_html(text: str) -> str:
    """Plain text as HTML: escaped, blank lines separate paragraphs, newlines become <br>."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def _images_need_checking(fragment: str) -> bool:
    """Whether `_checked_images` may drop an image of `fragment` (nh3's output): one without
    a source, 0 or 1 pixel wide or high, or with a data: source; and whenever the markup is
    not read with certainty (a "<" in an attribute value, an image tag of another shape).
    False only when it would drop none: the fragment is then not parsed again for nothing.
    This reads nh3's own serialisation, never a feed's markup."""
    if _LT_IN_VALUE.search(fragment):
        return True
    start = fragment.find("<img")
    while start != -1:
        tag = _IMAGE_TAG.match(fragment, start)
        if tag is None:
            return True
        attributes = {name: unescape(value) for name, value in _ATTRIBUTE.findall(tag[1])}
        src = attributes.get("src")
        if (
            not src
            or src.startswith("data:")
            or _tiny(attributes.get("width"))
            or _tiny(attributes.get("height"))
        ):
            return True
        start = fragment.find("<img", tag.end())
    return False


def _checked_images(fragment: str) -> str:
    """`fragment` (nh3's output) without tracking pixels (1x1 by attribute or by a data:
    image's own header) and images left without a source."""
    root = _fragment_tree(fragment)
    if root is None:
        return fragment
    changed = False
    for image in list(root.iter("img")):
        src = image.get("src")
        if (
            not src
            or _tiny(image.get("width"))
            or _tiny(image.get("height"))
            or (src.startswith("data:") and _data_image_size(src) in {(1, 1), (0, 0)})
        ):
            image.drop_tree()
            changed = True
    return _inner_html(root) if changed else fragment


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


def _media_to_links(fragment: str, base_url: str | None) -> str:
    """Video, audio, iframes and plug-ins become a link to their source (with the poster
    image inside, if any) followed by their content; the sanitiser then drops what is left
    of them (<source>, <param>, iframe content). Done on lxml's tree of the fragment."""
    root = _fragment_tree(fragment)
    if root is None:
        return fragment
    try:
        for element in list(root.iter("video", "audio", "iframe", "object", "embed")):
            if element.getparent() is None:
                continue
            link = _media_link(element, base_url)
            if link is not None:
                element.addprevious(link)
            element.drop_tag()
    except ValueError:  # text lxml cannot hold ("&#1;" read as U+0001): nh3 drops the media
        return fragment
    return _inner_html(root)


def _media_link(
    element: lxml.html.HtmlElement, base_url: str | None
) -> lxml.html.HtmlElement | None:
    kind = str(element.tag)
    source = element.get("src") or element.get("data")
    if not source and kind in ("video", "audio"):
        inner = next((s for s in element.iter("source") if s.get("src")), None)
        source = inner.get("src") if inner is not None else None
    source = _CONTROL.sub("", source or "").strip()  # lxml keeps what "&#1;" stands for
    if not source or not policy.safe_link(source):
        return None
    href = urls.join(policy.web_base(base_url), source)
    if href is None:
        return None
    link = lxml.html.Element("a", {"href": href})
    poster = _CONTROL.sub("", element.get("poster") or "").strip()
    if poster and policy.safe_image_source(poster):
        link.append(lxml.html.Element("img", {"src": poster, "alt": kind}))
    else:
        link.text = f"{_MEDIA_LABELS[kind]}: {source}"
    return link


def _fragment_tree(fragment: str) -> lxml.html.HtmlElement | None:
    """lxml's tree of an HTML fragment, inside a <div>; None if lxml reads nothing in it."""
    try:
        return lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # lxml asserts on some documents
        return None


def _inner_html(root: lxml.html.HtmlElement) -> str:
    """What `root` (the <div> of `_fragment_tree`) holds, as HTML: its serialisation without
    its own tags, in one call (not one per child)."""
    markup = lxml.html.tostring(root, encoding="unicode")
    return markup[len("<div>") : -len("</div>")]
