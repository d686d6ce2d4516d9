"""HTML fragments from feeds: sanitising and text-to-HTML (plain text out of HTML is
`parse/text.py`).

`sanitize_html` applies the sanitising policy (`newsreader.parse.policy`: what may be kept,
how URL attributes are vetted) to a fragment, after two steps on the raw fragment: elements
nested deeper than `nesting.MAX_DEPTH` are flattened (`newsreader.parse.nesting`), and video,
audio, iframes and plug-ins become links to their source (with the poster image, if any) on a
parsed tree. Images the policy refuses (tracking pixels, images left without a source) are
judged in nh3's attribute callback and marked there; their tags are then cut out of nh3's
output by the markers' positions (`_without_refused_images`), with no second parse. Markup is
only read by parsers (the nesting tokenizer, lxml, nh3); a regular expression only looks for a
media tag's name, to skip a step.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from html import escape

from lxml import etree

from newsreader import urls
from newsreader.parse import figures, nesting, policy

_MEDIA_LABELS = {
    "video": "Video",
    "audio": "Audio",
    "iframe": "Embedded page",
    "embed": "Embedded media",
    "object": "Embedded media",
}
_MEDIA_START = re.compile(r"<(?:video|audio|iframe|object|embed)\b", re.IGNORECASE)
_IMG_TAG = re.compile(r"<[iI][mM][gG]\b[^>]*>")
_LAZY_SRCSETS = ("data-srcset", "data-lazy-srcset")
_LAZY_ATTRIBUTE = re.compile(
    r"\b(?:" + "|".join((*figures.LAZY_SOURCES, *_LAZY_SRCSETS)) + r")\s*="
    r"|\bsrc\s*=\s*[\"']?\s*data:"
)
_SRC_ATTRIBUTE = re.compile(r"\bsrc\s*=")
_RAW_TEXT = frozenset(
    {"iframe", "textarea", "xmp", "noembed", "noframes", "title", "style", "script", "plaintext"}
)  # elements whose content lxml reads as raw text, up to their end tag
_RAW_TEXT_START = re.compile(r"<(?:" + "|".join(sorted(_RAW_TEXT)) + r")\b", re.IGNORECASE)
_WRAPPER_END = "</body></html>"
_CONTROL = policy.CONTROL
_LINE_END = re.compile(r"\r\n?")
_BLANK_LINE = re.compile(r"\n\s*\n")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_WHOLE_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)
_parsers = threading.local()


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
    # Without control characters (removed above), only a numeric character reference such
    # as "&#1;" can bring one back (the parsers decode it; no named one stands for one).
    references = "#" in html and "&#" in html  # "#" alone is a faster scan, and often absent
    html = nesting.flatten(html)
    if _MEDIA_START.search(html):
        html = _media_to_links(html, base_url)
    if _may_hold_lazy_images(html):
        html = _with_lazy_images_restored(html)
    cleaned = policy.clean(html, base_url)
    markup = cleaned.html
    if references and _has_controls(markup):
        markup = _CONTROL.sub("", markup)
    if cleaned.refused or cleaned.unsure:
        markup = _without_refused_images(cleaned, markup)
    return markup.strip()


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
    """Plain text as HTML, the app's one text-to-HTML function (feeds' text fields, the
    user's comments): escaped, line ends of any kind (CRLF, CR, LF) read as one, a blank
    line (spaces allowed) separates paragraphs, other newlines become <br>. Empty when the
    text is blank."""
    text = _LINE_END.sub("\n", text)
    paragraphs = [p.strip() for p in _BLANK_LINE.split(text.strip()) if p.strip()]
    return "".join(
        "<p>" + escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def _without_refused_images(cleaned: policy.Cleaned, markup: str) -> str:
    """`markup` (nh3's output of `cleaned`, control characters removed) without the images
    the policy refused, and without the markers nh3 put on them. Each refused image's tag is
    cut out where its marker is: in nh3's output a tag runs from the "<" before an attribute
    to the ">" after it, as the callback saw no "<" or ">" in that image's values. When an
    image could not be judged in the callback, the images are checked on lxml's tree of the
    fragment instead, by the same rule."""
    if not cleaned.unsure:
        cut = _cut_refused_images(markup)
        if cut is not None:
            return cut
    return _checked_images(markup.replace(policy.REFUSED_MARK, ""))


def _cut_refused_images(markup: str) -> str | None:
    """`markup` without the <img> tags holding `policy.REFUSED_MARK`; None if one is not
    found where nh3 writes it."""
    kept = []
    position = 0
    mark = markup.find(policy.REFUSED_MARK)
    while mark != -1:
        start = markup.rfind("<", position, mark)
        end = markup.find(">", mark) + 1
        if start == -1 or end == 0 or not markup.startswith("<img ", start):
            return None
        kept.append(markup[position:start])
        position = end
        mark = markup.find(policy.REFUSED_MARK, position)
    kept.append(markup[position:])
    return "".join(kept)


def _checked_images(fragment: str) -> str:
    """`fragment` (nh3's output) without the images `policy.refused_image` refuses, checked on
    lxml's tree of it; the fragment itself when none is refused."""
    root = _fragment_tree(fragment)
    if root is None:
        return fragment
    changed = False
    for image in list(root.iter("img")):
        if policy.refused_image(image.get("src"), image.get("width"), image.get("height")):
            _drop_tree(image)
            changed = True
    return _inner_html(root) if changed else fragment


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
            if element.tag == "iframe":
                _drop_tree(element)  # what an iframe holds is never shown (raw text)
            else:
                _drop_tag(element)  # video, audio, object: their fallback content is shown
    except ValueError:  # text lxml cannot hold ("&#1;" read as U+0001): nh3 drops the media
        return fragment
    return _inner_html(root)


def _may_hold_lazy_images(markup: str) -> bool:
    """Whether an <img> tag of the markup has a `data-src`-like attribute, a `data:` stand-in
    in `src`, or a srcset without a src: only a hint, the tree decides. Each image's tag is
    looked at alone, in lower case (one pattern over the whole fragment cost a tenth of the
    sanitising of an article with images)."""
    for tag in _IMG_TAG.findall(markup):
        lowered = tag.lower()
        if ("data" in lowered and _LAZY_ATTRIBUTE.search(lowered)) or (
            # " src=" (the usual way of writing it) is a src, found without the pattern
            "srcset" in lowered and " src=" not in lowered and not _SRC_ATTRIBUTE.search(lowered)
        ):
            return True
    return False


def _with_lazy_images_restored(fragment: str) -> str:
    """Images a page loads lazily, as a browser running the page's script would show them:
    `src` becomes the image's real address (`figures.image_source`: a `data-src`-like
    attribute, else a `src` that is not a `data:` stand-in, else the widest srcset
    candidate), and a `data-srcset` becomes the srcset. Feeds of sites with lazy loading
    carry a 1x1 stand-in in `src`, which the policy refuses as a tracking pixel: without
    this, their images vanished (FreshRSS #3823, a reader's report of the same). Done on
    lxml's tree of the fragment."""
    root = _fragment_tree(fragment)
    if root is None:
        return fragment
    changed = False
    try:
        for image in root.iter("img"):
            changed = _restore_lazy_image(image) or changed
    except ValueError:  # text lxml cannot hold ("&#1;" read as U+0001): left as it is
        return fragment
    return _inner_html(root) if changed else fragment


def _restore_lazy_image(image: etree._Element) -> bool:
    """Whether the image's `src` or `srcset` was set from its lazy-loading attributes."""
    changed = False
    lazy_srcset = next((v for name in _LAZY_SRCSETS if (v := image.get(name, "").strip())), "")
    if lazy_srcset:
        image.set("srcset", lazy_srcset)
        changed = True
    source = figures.image_source(image)
    src = image.get("src", "").strip()
    if source is not None and source != src and (figures.is_stand_in(src) or _lazy_source(image)):
        image.set("src", source)
        changed = True
    return changed


def _lazy_source(image: etree._Element) -> bool:
    """Whether a lazy-loading attribute gives the image's address (its `src` is then a
    stand-in, however it is named)."""
    return any(image.get(name, "").strip() for name in figures.LAZY_SOURCES)


def _media_link(element: etree._Element, base_url: str | None) -> etree._Element | None:
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
    link = _html_parser().makeelement("a", {"href": href})
    poster = _CONTROL.sub("", element.get("poster") or "").strip()
    if poster and policy.safe_image_source(poster):
        link.append(_html_parser().makeelement("img", {"src": poster, "alt": kind}))
    else:
        link.text = f"{_MEDIA_LABELS[kind]}: {source}"
    return link


def _fragment_tree(fragment: str) -> etree._Element | None:
    """lxml's tree of an HTML fragment, inside a <div>, as `lxml.html.fragment_fromstring(
    fragment, create_parent="div")` builds it, but of plain elements (lxml.html's element
    classes cost a third of the parse); None if lxml reads nothing in it, or reads text it
    cannot hold (a control character from a reference such as "&#1;", in the text before
    the first element or in a raw-text element left open at the end: the fragment is then
    left to nh3 as it is)."""
    document = fragment
    if not _WHOLE_DOCUMENT.match(fragment):
        document = f"<html><body>{fragment}</body></html>"
    try:
        page = etree.fromstring(document, _html_parser())
        if page is None or page.tag != "html":  # lxml.html refuses these
            return None
        bodies = [element for element in page if element.tag == "body"]
        if len(bodies) != 1:
            return None
        body = bodies[0]
        root = _html_parser().makeelement("div")  # of an HTML document, as it is serialised
        if body.text and body.text.strip():  # white space alone before the first element goes
            root.text = body.text
        root.extend(list(body))
        if _RAW_TEXT_START.search(fragment):
            _drop_wrapper_text(root)
    except (etree.ParserError, ValueError):
        return None
    return root


def _html_parser() -> etree.HTMLParser:
    """lxml's HTML parser with lxml.html's settings, one per thread (lxml parsers must not be
    shared between threads)."""
    parser: etree.HTMLParser | None = getattr(_parsers, "html", None)
    if parser is None:
        parser = _parsers.html = etree.HTMLParser()
    return parser


def _drop_tree(element: etree._Element) -> None:
    """Removes `element` with what it holds; its tail text joins the text before it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _drop_tag(element: etree._Element) -> None:
    """Removes `element`'s tags, keeping its text and children in its place."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if element.text and isinstance(element.tag, str):
        if previous is None:
            parent.text = (parent.text or "") + element.text
        else:
            previous.tail = (previous.tail or "") + element.text
    if element.tail:
        if len(element):
            last = element[-1]
            last.tail = (last.tail or "") + element.tail
        elif previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    index = parent.index(element)
    parent[index : index + 1] = element[:]


def _drop_wrapper_text(root: etree._Element) -> None:
    """lxml parses a fragment inside `<html><body>...</body></html>`; an element whose content
    is raw text (`_RAW_TEXT`: an iframe, a textarea, a script...) left open at the end takes
    the rest as its text, the wrapper's closing tags too, which then showed as
    "</body></html>" in the article. That last text is taken off."""
    last = root  # the last node in document order: the last child's last child...
    while len(last):
        last = last[-1]
    text = last.text or ""
    if last.tag in _RAW_TEXT and text.endswith(_WRAPPER_END):
        last.text = text[: -len(_WRAPPER_END)]


def _inner_html(root: etree._Element) -> str:
    """What `root` (the <div> of `_fragment_tree`) holds, as HTML: its serialisation without
    its own tags, in one call (not one per child)."""
    markup = etree.tostring(root, encoding="unicode", method="html")
    return markup[len("<div>") : -len("</div>")]
