"""EPUB 3 export: a set of articles as one book, written with zipfile and lxml.

Layout of the book (`mimetype` first and stored uncompressed, as the OCF spec requires):

    mimetype, META-INF/container.xml, OEBPS/package.opf, OEBPS/nav.xhtml, OEBPS/cover.xhtml,
    OEBPS/style.css, OEBPS/text/article-0001.xhtml ..., OEBPS/images/img-HASH.png ...

Chapters are streamed into the archive as they are rendered; the package document, the table
of contents and the cover page listing the sources are written last, from small summaries.
Article HTML is rebuilt element by element as XHTML that satisfies the EPUB content model
(a block inside a paragraph becomes a span, list items always sit in lists, tables are
rebuilt as rows of cells), so the book passes epubcheck whatever the feeds sent.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import lxml.html
from lxml import etree

from newsreader.export.html import STYLESHEET
from newsreader.export.images import ImageLookup, load_image
from newsreader.export.items import ExportItem, most_common_language
from newsreader.export.render import ImageResolver, format_date, render_article
from newsreader.model import iso_utc
from newsreader.wording import counted

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# EPUB 3.2 core media types for images; others (WebP, SVG) become links in the text.
_CORE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif"})


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_PHRASING = _tags(
    "a abbr b bdi bdo br cite code del dfn em i img ins kbd mark q s samp small span strong sub "
    "sup u var wbr"
)
_PHRASING_ONLY = _tags("p h1 h2 h3 h4 h5 h6 pre dt th") | _PHRASING
_FLOW = _tags("div p h1 h2 h3 h4 h5 h6 pre blockquote ul ol li dl dt dd hr table")
_RENAME = {
    "article": "div",
    "aside": "div",
    "center": "div",
    "details": "div",
    "figure": "div",
    "footer": "div",
    "header": "div",
    "hgroup": "div",
    "nav": "div",
    "section": "div",
    "figcaption": "p",
    "summary": "p",
    "caption": "p",
    "acronym": "abbr",
    "strike": "s",
    "tt": "code",
    "data": "span",
    "time": "span",
    "ruby": "span",
    "rt": "span",
    "rtc": "span",
    "rp": "span",
}
_DROP = frozenset({"col", "colgroup", "map", "area", "script", "style"})
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class _Chapter:
    href: str
    title: str
    source: str


def write_book(
    items: Iterable[ExportItem],
    lookup: ImageLookup,
    out: BinaryIO,
    *,
    title: str,
    language: str | None = None,
) -> int:
    """Writes the book to `out` (a seekable binary file); returns the number of chapters.

    Each chapter is marked with its article's language (`xml:lang`); the book's `dc:language`
    is `language`, else the most common language of its articles, else "en". The articles'
    tags become the book's subjects (`dc:subject`), in order of appearance."""
    languages: list[str | None] = []
    now = datetime.now(UTC).replace(microsecond=0)
    chapters: list[_Chapter] = []
    subjects: dict[str, None] = {}
    images: dict[str, str] = {}  # file name -> media type
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _container())
        book.writestr("OEBPS/style.css", STYLESHEET)
        resolve = _image_writer(book, lookup, images)
        for number, item in enumerate(items, start=1):
            article = render_article(
                item.entry, item.feed_title, item.comments, resolve, item.body_html, item.key_points
            )
            href = f"text/article-{number:04d}.xhtml"
            page = _page(article.facts.title, article.html, "../", item.entry.language)
            book.writestr(f"OEBPS/{href}", page)
            languages.append(item.entry.language)
            chapters.append(_Chapter(href, article.facts.title, article.facts.source))
            subjects.update(dict.fromkeys(item.entry.tags))
        book.writestr("OEBPS/cover.xhtml", _cover(title, now, chapters))
        book.writestr("OEBPS/nav.xhtml", _nav(title, chapters))
        if language is None:
            language = most_common_language(languages) or "en"
        book.writestr(
            "OEBPS/package.opf",
            _package(title, language, now, chapters, images, list(subjects)),
        )
    return len(chapters)


def _image_writer(
    book: zipfile.ZipFile, lookup: ImageLookup, images: dict[str, str]
) -> ImageResolver:
    def resolve(url: str) -> str | None:
        image = load_image(lookup, url)
        if image is None or image.media_type not in _CORE_IMAGES:
            return None
        if image.file_name not in images:
            # Compressed images do not shrink: store them as they are.
            book.writestr(f"OEBPS/images/{image.file_name}", image.data, zipfile.ZIP_STORED)
            images[image.file_name] = image.media_type
        return f"../images/{image.file_name}"

    return resolve


def _container() -> bytes:
    root = etree.Element(f"{{{CONTAINER}}}container", nsmap={None: CONTAINER}, version="1.0")
    rootfiles = etree.SubElement(root, f"{{{CONTAINER}}}rootfiles")
    etree.SubElement(
        rootfiles,
        f"{{{CONTAINER}}}rootfile",
        {"full-path": "OEBPS/package.opf", "media-type": "application/oebps-package+xml"},
    )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _package(
    title: str,
    language: str,
    now: datetime,
    chapters: list[_Chapter],
    images: dict[str, str],
    subjects: list[str],
) -> bytes:
    stamp = iso_utc(now, seconds=True)
    root = etree.Element(
        f"{{{OPF}}}package",
        nsmap={None: OPF},
        attrib={"version": "3.0", "unique-identifier": "book-id"},
    )
    metadata = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})
    _sub(metadata, f"{{{DC}}}identifier", f"urn:uuid:{uuid.uuid4()}", id="book-id")
    _sub(metadata, f"{{{DC}}}title", title)
    _sub(metadata, f"{{{DC}}}language", language)
    _sub(metadata, f"{{{DC}}}creator", "Newsreader")
    for subject in subjects:
        _sub(metadata, f"{{{DC}}}subject", subject)
    _sub(metadata, f"{{{DC}}}date", stamp)
    _sub(metadata, f"{{{OPF}}}meta", stamp, property="dcterms:modified")
    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")
    item = f"{{{OPF}}}item"
    etree.SubElement(
        manifest,
        item,
        id="nav",
        href="nav.xhtml",
        properties="nav",
        attrib={"media-type": "application/xhtml+xml"},
    )
    etree.SubElement(
        manifest,
        item,
        id="cover",
        href="cover.xhtml",
        attrib={"media-type": "application/xhtml+xml"},
    )
    etree.SubElement(manifest, item, id="css", href="style.css", attrib={"media-type": "text/css"})
    for number, chapter in enumerate(chapters, start=1):
        etree.SubElement(
            manifest,
            item,
            id=f"a{number}",
            href=chapter.href,
            attrib={"media-type": "application/xhtml+xml"},
        )
    for number, (name, media_type) in enumerate(sorted(images.items()), start=1):
        etree.SubElement(
            manifest,
            item,
            id=f"i{number}",
            href=f"images/{name}",
            attrib={"media-type": media_type},
        )
    spine = etree.SubElement(root, f"{{{OPF}}}spine")
    etree.SubElement(spine, f"{{{OPF}}}itemref", idref="cover")
    etree.SubElement(spine, f"{{{OPF}}}itemref", idref="nav")
    for number in range(1, len(chapters) + 1):
        etree.SubElement(spine, f"{{{OPF}}}itemref", idref=f"a{number}")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _nav(title: str, chapters: list[_Chapter]) -> bytes:
    html, body = _document("Contents", "")
    nav = etree.SubElement(body, f"{{{XHTML}}}nav", attrib={f"{{{OPS}}}type": "toc"}, id="toc")
    _sub(nav, f"{{{XHTML}}}h1", title)
    listing = etree.SubElement(nav, f"{{{XHTML}}}ol")
    _link_item(listing, "cover.xhtml", "Sources")
    for chapter in chapters:
        _link_item(listing, chapter.href, chapter.title)
    return _serialise(html)


def _cover(title: str, now: datetime, chapters: list[_Chapter]) -> bytes:
    html, body = _document(title, "")
    _sub(body, f"{{{XHTML}}}h1", title)
    _sub(body, f"{{{XHTML}}}p", f"{counted(len(chapters), 'article')}, exported {format_date(now)}")
    _sub(body, f"{{{XHTML}}}h2", "Sources")
    listing = etree.SubElement(body, f"{{{XHTML}}}ul")
    for source, count in sorted(Counter(c.source for c in chapters).items()):
        _sub(listing, f"{{{XHTML}}}li", f"{source} ({count})")
    return _serialise(html)


def _link_item(listing: etree._Element, href: str, text: str) -> None:
    entry = etree.SubElement(listing, f"{{{XHTML}}}li")
    _sub(entry, f"{{{XHTML}}}a", text or "Untitled", href=href)


def _page(title: str, fragment: str, css_prefix: str, language: str | None = None) -> bytes:
    html, body = _document(title, css_prefix)
    if language:
        html.set(XML_LANG, language)
        html.set("lang", language)
    source = lxml.html.fragment_fromstring(fragment, create_parent="div")
    container = etree.SubElement(body, f"{{{XHTML}}}div")
    _convert_children(source, container, phrasing=False, in_link=False)
    return _serialise(html)


def _document(title: str, css_prefix: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    _sub(head, f"{{{XHTML}}}title", title or "Untitled")
    etree.SubElement(
        head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href=f"{css_prefix}style.css"
    )
    return html, etree.SubElement(html, f"{{{XHTML}}}body")


def _serialise(html: etree._Element) -> bytes:
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def _sub(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib=attrib)
    element.text = _xml(text)
    return element


def _xml(text: str | None) -> str | None:
    return _INVALID_XML.sub("", text) if text else text


# --- HTML -> XHTML within the EPUB content model -----------------------------------------


def _convert_children(
    source: etree._Element, target: etree._Element, *, phrasing: bool, in_link: bool
) -> None:
    _append_text(target, source.text)
    for child in source:
        _convert(child, target, phrasing=phrasing, in_link=in_link)
        _append_text(target, child.tail)


def _convert(
    source: etree._Element, parent: etree._Element, *, phrasing: bool, in_link: bool
) -> None:
    tag = source.tag if isinstance(source.tag, str) else ""
    if not tag or tag in _DROP:
        return
    tag = _RENAME.get(tag, tag)
    if tag not in _PHRASING and tag not in _FLOW:
        tag = "span" if phrasing else "div"
    if phrasing and tag not in _PHRASING:
        tag = "span"
    if tag == "a" and in_link:
        tag = "span"
    if tag == "li" and _local(parent) not in {"ul", "ol"}:
        tag = "div"
    if tag in {"dt", "dd"} and _local(parent) != "dl":
        tag = "div"
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    _copy_attributes(source, element, tag)
    inner_phrasing = phrasing or tag in _PHRASING_ONLY
    inner_link = in_link or tag == "a"
    if tag in {"ul", "ol"}:
        _convert_container(source, element, "li", in_link=inner_link)
    elif tag == "dl":
        _convert_container(source, element, "dd", in_link=inner_link, allowed={"dt", "dd"})
    elif tag == "table":
        _convert_table(source, element, in_link=inner_link)
    elif tag not in {"br", "hr", "img", "wbr"}:
        _convert_children(source, element, phrasing=inner_phrasing, in_link=inner_link)


def _convert_container(
    source: etree._Element,
    target: etree._Element,
    wrapper: str,
    *,
    in_link: bool,
    allowed: frozenset[str] | set[str] | None = None,
) -> None:
    """Children of a list: items stay items; anything else is wrapped in an item."""
    kinds = allowed or {wrapper}
    _wrap_text(target, source.text, wrapper)
    for child in source:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in kinds:
            _convert(child, target, phrasing=False, in_link=in_link)
        elif tag and tag not in _DROP:
            holder = etree.SubElement(target, f"{{{XHTML}}}{wrapper}")
            _convert(child, holder, phrasing=wrapper == "dt", in_link=in_link)
        _wrap_text(target, child.tail, wrapper)


def _convert_table(source: etree._Element, table: etree._Element, *, in_link: bool) -> None:
    """Rebuilds a table as tbody > tr > td|th, whatever shape the source had."""
    body = etree.SubElement(table, f"{{{XHTML}}}tbody")
    for row in _rows(source):
        tr = etree.SubElement(body, f"{{{XHTML}}}tr")
        if row.tag != "tr":  # a caption or a stray element: one cell holding it
            cell = etree.SubElement(tr, f"{{{XHTML}}}td")
            _convert(row, cell, phrasing=False, in_link=in_link)
            continue
        for child in row:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in {"td", "th"}:
                cell = etree.SubElement(tr, f"{{{XHTML}}}{tag}")
                _copy_attributes(child, cell, tag)
                _convert_children(child, cell, phrasing=tag == "th", in_link=in_link)
            elif tag and tag not in _DROP:
                cell = etree.SubElement(tr, f"{{{XHTML}}}td")
                _convert(child, cell, phrasing=False, in_link=in_link)
        if len(tr) == 0:
            etree.SubElement(tr, f"{{{XHTML}}}td")


def _rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in {"thead", "tbody", "tfoot"}:
            rows.extend(c for c in child if c.tag == "tr")
        elif tag and tag not in _DROP:
            rows.append(child)
    return rows


def _copy_attributes(source: etree._Element, target: etree._Element, tag: str) -> None:
    if tag == "a":
        href = source.get("href")
        if href and re.match(r"(?i)(https?|mailto):", href):
            target.set("href", _xml(href) or "")
        if source.get("title"):
            target.set("title", _xml(source.get("title")) or "")
    elif tag == "img":
        target.set("src", source.get("src") or "")
        target.set("alt", _xml(source.get("alt")) or "")
        for name in ("width", "height"):
            value = source.get(name, "")
            if value.isdigit():
                target.set(name, value)
    elif tag == "ol":
        start = source.get("start", "")
        if start.isdigit():
            target.set("start", start)
    elif tag in {"td", "th"}:
        for name in ("colspan", "rowspan"):
            value = source.get(name, "")
            if value.isdigit() and 0 < int(value) < 1000:
                target.set(name, value)
    elif tag == "abbr" and source.get("title"):
        target.set("title", _xml(source.get("title")) or "")
    direction = (source.get("dir") or "").strip().lower()
    if direction in {"rtl", "ltr", "auto"}:
        target.set("dir", direction)
    css_class = source.get("class")
    if css_class and re.fullmatch(r"[a-z][a-z -]*", css_class):
        target.set("class", css_class)


def _append_text(target: etree._Element, text: str | None) -> None:
    text = _xml(text)
    if not text:
        return
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


def _wrap_text(target: etree._Element, text: str | None, wrapper: str) -> None:
    text = _xml(text)
    if text and text.strip():
        holder = etree.SubElement(target, f"{{{XHTML}}}{wrapper}")
        holder.text = text.strip()


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname
