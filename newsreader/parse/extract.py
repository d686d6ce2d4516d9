"""A web page -> its article: trafilatura's main-text extraction, sanitised.

`extract_article(data, url, headers)` returns an `ExtractedArticle` (model.py) or raises
`NoArticleError` (a page with no article: a front page, a login wall, an empty or non-HTML
document). Nothing here does I/O; the sync runs it in its parse process (see sync/fulltext.py).

How (measured choices in docs/fulltext.md):
- the page is decoded here, not by trafilatura: a byte-order mark, then valid UTF-8 (servers
  that say Latin-1 and send UTF-8 are common), then the HTTP charset, then `<meta charset>`,
  then a statistical guess; a page whose headers lie about its encoding still reads right;
- trafilatura favouring precision, site comments left out, links, tables and formatting
  kept, metadata (title, author, date, lead image) extracted with the text. Inline images are
  not asked for: trafilatura then keeps their captions and credits as paragraphs, which costs
  text precision (F1 -0.008 on the corpus); the lead image opens the article instead;
- its HTML goes through the sanitiser every feed fragment goes through (`sanitize_html`),
  which also makes links and images absolute against the page URL;
- `text` is built from the extracted tree: one block per paragraph, heading, list item, quote,
  table row or preformatted block, blocks separated by a blank line.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping
from typing import Any

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.xml import xmltotxt

from newsreader import urls
from newsreader.errors import NoArticleError
from newsreader.model import ExtractedArticle
from newsreader.parse.encoding import bom_encoding, decode
from newsreader.parse.html import sanitize_html

MIN_TEXT_CHARS = 250
"""Shorter extracted text is not an article (a teaser block, a login prompt, a cookie notice):
trafilatura's own floor is the same order (`MIN_OUTPUT_SIZE` 250 in its settings.cfg)."""

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)"""
)
_UNSAFE_LINK = re.compile(r"^\s*(?:javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_BASE_HREF = re.compile(r"""<base\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_HEAD_WINDOW = 16384  # characters searched for <base href>
_CHARSET_WINDOW = 4096  # bytes searched for <meta charset>, as browsers pre-scan 1024+
_LANG_WINDOW = 4096  # characters searched for <html lang>


def extract_article(
    data: bytes, url: str | None, headers: Mapping[str, str] | None = None
) -> ExtractedArticle:
    """The article of a web page (the bytes as served, `headers` the response's, for its
    charset). `url` is the page's address: relative links and images are made absolute
    against it. Raises `NoArticleError` with a reason when the page holds no article."""
    page = page_text(data, headers)
    if "<" not in page:
        raise NoArticleError("not an HTML page")
    try:
        document: Any = bare_extraction(
            page,
            url=None,  # it would resolve relative links against the host, not the page
            favor_precision=True,
            output_format="html",  # leaves the tree as is: no text rendering we would redo
            include_comments=False,
            include_images=False,
            include_links=True,
            include_tables=True,
            include_formatting=True,
            with_metadata=True,
        )
    except (ValueError, TypeError, etree.LxmlError) as error:  # trafilatura's own refusals
        raise NoArticleError(f"the page could not be read ({error})") from error
    if document is None or document.body is None:
        raise NoArticleError("no article found on the page")
    text = body_text(document.body)
    if len(text) < MIN_TEXT_CHARS:
        raise NoArticleError("no article found on the page (too little text)")
    base = _base_url(page, url)
    image = _absolute(_clean(document.image), base)
    content = sanitize_html(_lead_image(image) + _inner_html(convert_to_html(document.body)), base)
    return ExtractedArticle(
        title=_clean(document.title),
        author=_clean(document.author),
        published=_clean(document.date),
        language=_language(page),
        image=image,
        text=text,
        content=content or None,
    )


def page_text(data: bytes, headers: Mapping[str, str] | None = None) -> str:
    """A page's bytes as text (see the module's docstring for the order of evidence)."""
    if bom_encoding(data) is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    match = _META_CHARSET.search(data[:_CHARSET_WINDOW])
    declared = match.group(1).decode("ascii") if match else None
    return decode(data, headers, declared)


def body_text(body: etree._Element) -> str:
    """Plain text of trafilatura's extracted tree, as trafilatura writes it (`xmltotxt`) but
    without image and link markup, one block per paragraph, blocks separated by a blank line.
    Leaves `body` as it was."""
    plain = copy.deepcopy(body)
    for graphic in plain.iter("graphic"):
        graphic.tag = "hi"  # an inline element without text: nothing, its tail kept
        graphic.attrib.clear()
    etree.strip_tags(plain, "ref", "hi")
    lines = (" ".join(line.split()) for line in xmltotxt(plain, False).splitlines())
    return "\n\n".join(line for line in lines if line)


def _inner_html(root: etree._Element) -> str:
    """The children of trafilatura's `<html><body>` as one HTML fragment."""
    body = root.find("body")
    element = root if body is None else body
    parts = [element.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in element)
    return "".join(parts)


def _lead_image(image: str | None) -> str:
    """The page's lead image as a figure to open the article, or nothing."""
    return f'<figure><img src="{html.escape(image)}" alt=""></figure>' if image else ""


def _base_url(page: str, url: str | None) -> str | None:
    """What the page's relative links resolve against: its `<base href>`, else its URL."""
    match = _BASE_HREF.search(page[:_HEAD_WINDOW])
    if match is None or url is None:
        return url
    base = _absolute(html.unescape(match.group(1)), url)
    return base if base and base.startswith(("http://", "https://")) else url


def _absolute(link: str | None, base: str | None) -> str | None:
    """`link` made absolute against the page's address; None for a script or data: URL."""
    if link is None or _UNSAFE_LINK.match(link):
        return None
    return urls.join(base, link) if base else link


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    folded = " ".join(value.split())
    return folded or None


def _language(page: str) -> str | None:
    """The page's declared language (`<html lang>`) as a BCP 47 tag, primary subtag in
    lower case (`en`, `pt-BR`), or None."""
    match = _HTML_LANG.search(page[:_LANG_WINDOW])
    if match is None:
        return None
    primary, *rest = match.group(1).replace("_", "-").split("-")
    return "-".join([primary.lower(), *(p.upper() if len(p) == 2 else p for p in rest)])
