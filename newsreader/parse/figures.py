"""The images inside a page's article, found beside trafilatura's text, not by it.

trafilatura asked for images (`include_images`) also keeps their captions and photo credits
as paragraphs of the text, which costs precision (F1 -0.008 on the corpus). So the text is
extracted without them, and this module puts the article's images back into its HTML only:

1. the extracted blocks (paragraphs, headings, quotes) are found again in the page by their
   first words (`anchors`); the nearest element holding all those found is the article's
   container;
2. every `<img>` inside that container, from just before the first found block to the last
   one, is an image of the article, unless it sits in a part that is not (a `<nav>`, an
   `<aside>`, a share or related-stories box, a link to another page: a teaser), is tiny (an
   icon, a tracking pixel) or is the lead image again;
3. its address is the first of the lazy-loading attributes (`data-src`, `data-lazy-src`,
   `data-original`: its `src` is then a stand-in), `src`, the widest `srcset` candidate; a
   `data:` placeholder, or a file named as a logo, icon or placeholder, is never taken;
4. each goes after the block it follows in the page, as `<figure><img><figcaption>` with its
   `<figure>`'s caption, in the article's HTML (never in its text).

Pure functions on lxml trees; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from newsreader.parse.srcset import parse_srcset, widest

if TYPE_CHECKING:
    from lxml.html import HtmlElement  # the feed parser's start loads no lxml.html

_KEY_CHARS = 60  # a block is found again by its first characters (whitespace folded)
_MIN_KEY_CHARS = 25  # shorter blocks ("Advertisement", a date) could be anywhere
_MIN_ANCHORS = 2  # fewer blocks found: the article's place in the page is not known
MAX_FIGURES = 40
_MIN_SIDE = 80  # pixels: a declared width or height below this is an icon or a pixel
_CAPTION_CHARS = 400
_BLOCKS = "p|h1|h2|h3|h4|h5|h6|blockquote"
_FIND = etree.XPath("|".join(f"//{tag}" for tag in [*_BLOCKS.split("|"), "img"]))  # document order
_OUTPUT_BLOCKS = frozenset({"p", "head", "quote"})
_NOT_ARTICLE_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "button", "menu"})
_NOT_ARTICLE_NAMES = re.compile(
    r"(?:^|[_-])(?:related|recommend\w*|promo|teaser|share|sharing|social|newsletter|"
    r"avatar|author|byline|logo|icon|sprite|ad|ads|advert\w*|sponsor\w*|banner|outbrain|"
    r"taboola|most-?read|trending|comments?)(?:$|[_-])",
    re.IGNORECASE,
)
LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src")
"""Attributes lazy-loading scripts keep an image's real address in (its `src` is a stand-in)."""
_NOT_A_PICTURE = re.compile(
    r"(?:logo|icon|sprite|placeholder|preloader|spacer|blank|pixel|grey_bg|loading)[^/]*$",
    re.IGNORECASE,
)  # the file name of a site's furniture or of a lazy-loading stand-in
_IMAGE_LINK = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)", re.IGNORECASE)


class Figure(NamedTuple):
    """An image of the article: its address as the page gives it (maybe relative), its
    alternative text and caption, and `after`, the index of the extracted block it follows
    (-1: before the first). A named tuple: cheaper to define than a dataclass at each start
    of `newsreader extract` (see `extract.ExtractedArticle`)."""

    src: str
    alt: str
    caption: str
    after: int


def article_figures(page: HtmlElement, blocks: Sequence[etree._Element]) -> list[Figure]:
    """The images of the article whose extracted blocks (trafilatura's body's children) are
    `blocks`, found in `page` (the parsed page, as trafilatura got it), in page order.
    Empty when fewer than two blocks are found again in the page."""
    keys = {
        key: index
        for index, block in enumerate(blocks)
        if block.tag in _OUTPUT_BLOCKS and (key := _key(block.itertext())) is not None
    }
    if len(keys) < _MIN_ANCHORS:
        return []
    anchors: list[etree._Element] = []
    images: list[tuple[HtmlElement, int, int]] = []  # (image, block it follows, page order)
    last = -1
    final_order = 0
    for order, element in enumerate(_FIND(page)):
        if element.tag == "img":
            images.append((element, last, order))
            continue
        index = keys.get(_key(element.itertext()) or "")
        if index is not None and index >= last:
            anchors.append(element)
            last, final_order = index, order
    if len(anchors) < _MIN_ANCHORS:
        return []
    container = _common_ancestor(anchors)
    final = anchors[-1]
    whole_page = container.tag in ("html", "body")
    figures: list[Figure] = []
    seen: set[str] = set()
    for image, after, order in images:
        if order > final_order and not any(a is final for a in image.iterancestors()):
            break  # after the article: related stories, the author's box, the footer
        if after == -1 and whole_page:
            continue  # before the article, and the article's place is the whole page
        if not _shown_in_article(image, container):
            continue
        src = image_source(image)
        if src is None or src in seen or _NOT_A_PICTURE.search(src.split("?")[0]):
            continue
        seen.add(src)
        figures.append(Figure(src, _folded(image.get("alt", "")), _caption(image), after))
        if len(figures) == MAX_FIGURES:
            break
    return figures


def image_source(image: etree._Element) -> str | None:
    """The image's real address: a lazy-loading attribute (its `src` is then a stand-in),
    else `src` unless it is a `data:` placeholder or empty, else the widest `srcset` (or
    `data-srcset`) candidate."""
    for name in (*LAZY_SOURCES, "src"):
        value = (image.get(name) or "").strip()
        if not is_stand_in(value):
            return value
    for name in ("srcset", "data-srcset"):
        best = _widest(image.get(name) or "")
        if best is not None:
            return best
    return None


def _widest(value: str) -> str | None:
    """The widest candidate of a srcset that is not a stand-in."""
    found = widest([c for c in parse_srcset(value) if not is_stand_in(c.url)])
    return None if found is None else found.url


def is_stand_in(source: str) -> bool:
    """Whether an image source holds no picture of its own: empty, or a `data:` URL (what
    lazy-loading pages put in `src` until their script swaps the real address in)."""
    return not source or source[:5].lower() == "data:"


def _key(texts: Iterable[str]) -> str | None:
    """The first `_KEY_CHARS` characters of a block's text, whitespace folded, case folded
    (None for a short block); reads only as much of the text as it needs."""
    parts: list[str] = []
    length = 0
    for text in texts:
        parts.append(text)
        length += len(text)
        if length > 4 * _KEY_CHARS:
            break
    folded = " ".join("".join(parts).split())
    return folded[:_KEY_CHARS].casefold() if len(folded) >= _MIN_KEY_CHARS else None


def _common_ancestor(elements: Sequence[etree._Element]) -> etree._Element:
    path = [elements[0], *elements[0].iterancestors()]
    depth = {id(element): position for position, element in enumerate(path)}
    lowest = 0
    for element in elements[1:]:
        for candidate in (element, *element.iterancestors()):
            if id(candidate) in depth:
                lowest = max(lowest, depth[id(candidate)])
                break
    return path[lowest]


def _shown_in_article(image: HtmlElement, container: etree._Element) -> bool:
    """Whether nothing between the image and the article's container says it is not the
    article's: a navigation, aside or footer element, a box named for sharing, related
    stories, ads or the author, a link to another page (a teaser), or a size of an icon;
    and that it is inside the container at all."""
    for side in ("width", "height"):
        value = image.get(side, "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _MIN_SIDE:
            return False
    for element in (image, *image.iterancestors()):
        if element is container:
            return True
        if element.tag in _NOT_ARTICLE_TAGS:
            return False
        names = [element.get("id", ""), *element.get("class", "").split()]
        if any(_NOT_ARTICLE_NAMES.search(name) for name in names if name):
            return False
        if element.tag == "a" and not _IMAGE_LINK.search(element.get("href", "")):
            return False
    return False  # outside the article's container


def _caption(image: HtmlElement) -> str:
    figure = next((a for a in image.iterancestors() if a.tag == "figure"), None)
    if figure is None:
        return ""
    caption = figure.find(".//figcaption")
    return "" if caption is None else _folded(caption.text_content())[:_CAPTION_CHARS]


def _folded(text: str) -> str:
    return " ".join(text.split())
