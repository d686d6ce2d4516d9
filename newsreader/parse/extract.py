"""A web page -> its article: trafilatura's main-text extraction, sanitised.

`extract_article(data, url, headers)` returns an `ExtractedArticle` (below) or raises
`NoArticleError` (a page with no article: a front page, a login wall, an empty or non-HTML
document). Nothing here does I/O; the sync runs it in its parse process (see sync/fulltext.py).

How (measured choices in docs/fulltext.md):
- the page is decoded here, not by trafilatura: a byte-order mark, then valid UTF-8 (servers
  that say Latin-1 and send UTF-8 are common), then the HTTP charset, then `<meta charset>`,
  then a statistical guess; a page whose headers lie about its encoding still reads right;
- trafilatura favouring precision, site comments left out, links, tables and formatting
  kept; the metadata shown (title, author, date, lead image) by trafilatura's own steps, the
  others (categories, tags, licence, site name) not computed. Inline images are
  not asked of trafilatura: it then keeps their captions and credits as paragraphs, which
  costs text precision (F1 -0.008 on the corpus). The article's images are found beside it
  instead (`figures.article_figures`: the images of the page's part holding the extracted
  paragraphs) and go into the HTML only, after the lead image;
- its HTML goes through the sanitiser every feed fragment goes through (`sanitize_html`),
  which also makes links and images absolute against the page's `<base href>`, else its
  URL, else the address the page states (canonical link, `og:url`);
- `text` is built from the extracted tree: one block per paragraph, heading, list item, quote,
  table row or preformatted block, blocks separated by a blank line.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, NamedTuple

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html, prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_metainfo,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from newsreader import urls
from newsreader.errors import ArticleWalledError, NoArticleError
from newsreader.parse.encoding import bom_encoding, decode
from newsreader.parse.figures import Figure, article_figures
from newsreader.parse.html import sanitize_html


class ExtractedArticle(NamedTuple):
    """The article of a web page, as extracted for reading offline. Defined here, not in
    model.py: only extraction and `newsreader extract` use it, and that command's start
    does not load the model's records. A named tuple, not a dataclass: made at each start of
    `newsreader extract`, a frozen dataclass costs ~1.5 ms more (its generated methods)."""

    text: str  # plain text, paragraphs separated by blank lines
    content: str | None  # sanitised HTML, links and images absolute
    title: str | None = None
    author: str | None = None
    published: str | None = None  # the date the page states, ISO 8601 (YYYY-MM-DD)
    language: str | None = None  # BCP 47 tag from <html lang>
    image: str | None = None  # the page's lead image (og:image), absolute URL
    # Why the text is not the whole article although the page shows some (a preview for
    # non-subscribers), for the user; None for an article.
    wall: str | None = None


MIN_TEXT_CHARS = 250
"""Shorter extracted text is not an article (a teaser block, a login prompt, a cookie notice):
trafilatura's own floor is the same order (`MIN_OUTPUT_SIZE` 250 in its settings.cfg)."""

PREVIEW_WORDS = 150
"""A page that says its article is for subscribers and shows fewer words shows a preview
(the first paragraphs and a subscription prompt); more is the article, put in the page for
search engines (ok)."""

# Patterns most pages never need are kept as text and compiled by `re` on first use (and
# cached there): compiling them at import cost each `newsreader extract` process ~1 ms.
_NOT_FREE = r"""(?i)isAccessibleForFree["']?\s*:\s*["']?false"""
"""Searched in the whole page (JSON-LD may be anywhere): starting with the name, not an
optional quote before it, the search runs twice as fast (~3 ms less on a 230 KB page)."""
_CONSENT_NAME = (
    r"(?i)(?:^|[_-])(?:cookies?|consent|gdpr|cmp\d*|cookiebanner|privacy-?wall)(?:$|[_-])"
)
_NOTICE_WORDS = ("cookie", "consent", "gdpr", "cmp", "privacy")
_NOTICE_HINT = "(?i)" + "|".join(_NOTICE_WORDS)
"""Every id or class `_CONSENT_NAME` matches holds one of these words (in some spelling)."""
_IDS_AND_CLASSES = etree.XPath("//@id | //@class", smart_strings=False)
_TOPIC_CLASS = ("category-", "tag-")  # WordPress marks a post's topics: `category-cookies`
_NOTICE_MAX_CHARS = 3000  # a notice is short; longer is the page's content, never removed
_NEVER_NOTICES = frozenset({"html", "body", "main", "article"})
_CONSENT_WORDS = (
    r"(?i)\b(cookies?|consent|personal data|our partners|privacy policy|ad-free|"
    r"javascript must be (?:activated|enabled)|enable javascript|accept all)\b"
)
_CONSENT_CUES = 3  # different consent words in a short text: a notice, not an article
_META_CHARSET = rb"""(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
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
    against it. Raises `NoArticleError` with a reason when the page holds no article, and
    its `ArticleWalledError` when the page shows a wall instead; a subscribers' preview is
    returned with its `wall` said (see `_wall`)."""
    page = page_text(data, headers)
    if "<" not in page:
        raise NoArticleError("not an HTML page")
    tree = load_html(page)
    if tree is None:
        raise NoArticleError("the page could not be read")
    walls = _remove_consent_notices(tree)
    with _refusals():
        metadata = _page_metadata(tree)
        document: Any = bare_extraction(
            tree,
            url=None,  # links stay as the page wrote them: see _page_metadata
            favor_precision=True,
            output_format="html",  # leaves the tree as is: no text rendering we would redo
            include_comments=False,
            include_images=False,
            include_links=True,
            include_tables=True,
            include_formatting=True,
            with_metadata=False,  # _page_metadata and _author_and_date: the fields we show
        )
    if document is not None and document.body is not None:
        _drop_leading_title(document.body, metadata.title)
    text = "" if document is None or document.body is None else body_text(document.body)
    wall = _wall(page, text, walls)
    if len(text) < MIN_TEXT_CHARS:
        reason = "no article found on the page"
        if text:
            reason += " (too little text)"
        elif _built_by_script(tree):  # trafilatura worked on a copy: the page as it came
            reason += " (it is built by JavaScript, which Newsreader does not run)"
        raise NoArticleError(reason)
    canonical = _canonical_url(tree, metadata)
    base = _base_url(page, url or canonical)
    figures = article_figures(tree, list(document.body))
    with _refusals():
        _author_and_date(tree, metadata, canonical or url)  # the last use of `tree`: prunes it
    image = _absolute(_clean(metadata.image), base)
    html_body = convert_to_html(document.body)
    _insert_figures(html_body, figures, base, image)
    content = sanitize_html(_lead_image(image) + _inner_html(html_body), base)
    return ExtractedArticle(
        title=_clean(metadata.title),
        author=_clean(metadata.author),
        published=_clean(metadata.date),
        language=_language(page),
        image=image,
        text=text,
        content=content or None,
        wall=wall,
    )


@contextmanager
def _refusals() -> Iterator[None]:
    """trafilatura's (and htmldate's) refusals of a page they cannot read, as
    `NoArticleError`: what `bare_extraction` does with them inside (it returns None)."""
    try:
        yield
    except (ValueError, TypeError, etree.LxmlError) as error:
        raise NoArticleError(f"the page could not be read ({error})") from error


def _page_metadata(tree: HtmlElement) -> Document:
    """The page's title, lead image, author and address as its meta tags and JSON-LD state
    them (a trafilatura `Document`; the title from the page's headings when they do not):
    the first steps of trafilatura's `extract_metadata`, whose other fields (categories,
    tags, licence, site name: ~4 ms a page) Newsreader does not show. Leaves `tree` as is.

    Not asked of `bare_extraction` for another reason too: given a page address (the URL,
    or the page's canonical link found by its metadata), trafilatura resolves links against
    the host's root, not the page (`notes/1.html` on `/news/2024/river.html` became
    `/notes/1.html`); without one it leaves them as written and `sanitize_html` resolves
    them against the page's own address."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # as trafilatura: a single word is a handle, not a name
    with suppress(Exception):  # as trafilatura: its JSON-LD reader has known bugs, and the
        metadata = extract_meta_json(tree, metadata)  # meta tags found are kept then
    if not metadata.title:
        metadata.title = extract_title(tree)
    metadata.clean_and_trim()
    return metadata


def _canonical_url(tree: HtmlElement, metadata: Document) -> str | None:
    """The page's own statement of its address (`og:url`, `twitter:url`, else its canonical
    link), when that is an http(s) URL; else None."""
    address = metadata.url or extract_url(tree)
    return address if address and address.startswith(("http://", "https://")) else None


def _author_and_date(tree: HtmlElement, metadata: Document, address: str | None) -> None:
    """Completes `_page_metadata` as trafilatura's `extract_metadata` does: the date
    (htmldate, told the page's `address`, which may hold it), and the author from the
    page's bylines when its meta tags name none. The bylines are searched with
    trafilatura's own expressions once what is not a byline is removed (its
    `extract_author`), in `tree` itself rather than a copy of the whole page: the caller is
    done with it."""
    found = Document()
    # The date from the page's markup (meta tags, JSON-LD, <time>, the address), not
    # htmldate's extensive search: that runs dozens of regular expressions over the whole
    # page source, inline scripts included, and took 6.9 of 7.3 s on a 1 MB page with an
    # inline JSON state (the date it found there was junk).
    found.date = find_date(tree, url=address, original_date=True, extensive_search=False)
    found.author = metadata.author
    if not found.author:
        prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS)
        byline = extract_metainfo(tree, AUTHOR_XPATHS, len_limit=120)
        found.author = normalize_authors(None, byline) if byline else None
        found.clean_and_trim()
    metadata.author, metadata.date = found.author, found.date


def _drop_leading_title(body: etree._Element, title: str | None) -> None:
    """Removes the article's first block when it is a heading repeating the page's title:
    the reader and every export show the title above the body already (it was shown twice)."""
    first = next(iter(body), None)
    if first is None or first.tag != "head" or not title:
        return
    if " ".join("".join(first.itertext()).split()).casefold() == " ".join(title.split()).casefold():
        if first.tail and first.tail.strip():
            return  # text follows the heading directly: leave the tree as it is
        body.remove(first)


def _remove_consent_notices(tree: HtmlElement) -> int:
    """Removes cookie and consent notices (elements whose class or id names one, as
    Readability's filter does) from the page: on a page with a short article, or none,
    the notice's text would otherwise be taken for the article. Returns how many."""
    notices = [
        element
        for element in _notice_candidates(tree)
        if element.tag not in _NEVER_NOTICES
        and _names_a_notice(element)
        and element.getparent() is not None
        and len(element.text_content()) <= _NOTICE_MAX_CHARS
    ]
    for element in notices:
        element.drop_tree()
    return len(notices)


def _notice_candidates(tree: HtmlElement) -> list[HtmlElement]:
    """The elements of the page whose id or class holds one of the words of `_NOTICE_HINT`
    (in any case), in document order: the only ones that can name a notice. Found by lxml,
    without making a Python object for each element of the page (that cost more than the
    check itself): the page's ids and classes are searched as one string for the words'
    spellings, then the ids and classes holding those spellings are selected."""
    names = "\n".join(_IDS_AND_CLASSES(tree))
    if names.isascii():  # the common case, where lower() is what case-insensitive means
        folded = names.lower()
        if not any(word in folded for word in _NOTICE_WORDS):
            return []
    spellings = set(re.findall(_NOTICE_HINT, names))
    if not spellings:
        return []
    holding = " | ".join(
        f"//@id[contains(., '{word}')] | //@class[contains(., '{word}')]"
        for word in sorted(spellings)
    )
    elements: list[HtmlElement] = []
    for value in tree.xpath(holding):  # attributes in document order: an element's together
        element = value.getparent()
        if not elements or elements[-1] is not element:
            elements.append(element)
    return elements


def _names_a_notice(element: HtmlElement) -> bool:
    """Whether the element's id or one of its classes names a cookie or consent notice (a
    topic class such as WordPress's `category-cookies` or `tag-gdpr` does not)."""
    names = [element.get("id", ""), *element.get("class", "").split()]
    return any(
        re.search(_CONSENT_NAME, name) and not name.lower().startswith(_TOPIC_CLASS)
        for name in names
        if name
    )


def _built_by_script(tree: HtmlElement) -> bool:
    """Whether the page looks built by JavaScript: a <noscript> note, or an empty app root."""
    if tree.find(".//noscript") is not None:
        return True
    return any(
        len(root) == 0 and not (root.text or "").strip()
        for root in tree.xpath("//body//*[@id='root' or @id='app' or @id='__next']")
    )


def _wall(page: str, text: str, notices: int) -> str | None:
    """Why what the page shows is a wall, not the article (`notices`: consent notices removed
    from it), or None:
    - it says the article is not free (`isAccessibleForFree: false`, schema.org) and shows
      none (ArticleWalledError), or only a preview: fewer than `PREVIEW_WORDS` words (the
      reason is returned; the preview is the article's start). Sites that put the whole
      article in the page for search engines keep it;
    - the text found is a cookie or consent notice (a short text full of its words), or a
      notice was removed and nothing else is left (ArticleWalledError)."""
    words = len(text.split())
    not_free = words < PREVIEW_WORDS and re.search(_NOT_FREE, page) is not None
    if len(text) < MIN_TEXT_CHARS and not_free:
        raise ArticleWalledError("the page says the article is for subscribers")
    if len(text) < MIN_TEXT_CHARS and notices:
        raise ArticleWalledError("the page shows a cookie or consent notice, not the article")
    if words < PREVIEW_WORDS:
        cues = {match.lower() for match in re.findall(_CONSENT_WORDS, text)}
        if len(cues) >= _CONSENT_CUES:
            raise ArticleWalledError("the page shows a cookie or consent notice, not the article")
    if not_free:
        return f"the page shows subscribers' articles only as a preview ({words} words)"
    return None


def page_text(data: bytes, headers: Mapping[str, str] | None = None) -> str:
    """A page's bytes as text (see the module's docstring for the order of evidence)."""
    if bom_encoding(data) is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    match = re.search(_META_CHARSET, data[:_CHARSET_WINDOW])
    declared = match.group(1).decode("ascii") if match else None
    return decode(data, headers, declared, guess_for_lies=True)


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


def _insert_figures(
    root: etree._Element, figures: Sequence[Figure], base: str | None, lead: str | None
) -> None:
    """Puts the article's images (`figures.article_figures`) into trafilatura's HTML
    (`<html><body>`, one child per extracted block), each after the block it follows in the
    page, as `<figure><img><figcaption>`; the lead image is not repeated."""
    body = root.find("body")
    if body is None:
        return
    blocks = list(body)
    for figure in reversed(figures):
        src = _absolute(figure.src, base)
        if src is None or src == lead:
            continue
        element = etree.Element("figure")
        etree.SubElement(element, "img", src=src, alt=figure.alt)
        if figure.caption:
            etree.SubElement(element, "figcaption").text = figure.caption
        if figure.after < 0 or not blocks:
            body.insert(0, element)
        else:
            blocks[min(figure.after, len(blocks) - 1)].addnext(element)


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
