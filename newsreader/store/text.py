"""The words of sanitised HTML for the full-text index, and the images an entry shows.

The input is the parser's sanitised HTML (nh3 output: no script/style, attributes quoted), so
regular expressions are exact enough and far faster than building a tree, which matters when
100,000 entries are indexed: `index_text` is the app's one fast path beside the one HTML-to-text
function (`newsreader.parse.text.html_to_text`, lxml). `benchmarks/text.py` measured it at
5-10x that function's speed on the shared 2-core machine (6,300-16,700 against 1,400-1,700
bodies of 3 KB a second: 6-16 s against 60-73 s for 100,000 entries).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from newsreader.model import Enclosure

_TAG = re.compile(r"<[^>]*>")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def index_text(markup: str | None) -> str:
    """The words of an HTML fragment for the full-text index: tags become spaces, entities
    are decoded. Layout is not kept: the tokenizer ignores it.

    The contentless index needs the same words again to remove an entry, so a change here
    needs a schema step that rebuilds `entries_fts` (see `schema.index_values`)."""
    if not markup:
        return ""
    text = _TAG.sub(" ", markup) if "<" in markup else markup
    return html.unescape(text) if "&" in text else text


def fold_case(text: str) -> str:
    """`text` for a comparison that ignores case in every script (Unicode case folding after
    composing accents, so "ÉTÉ", "été" and "e\u0301te\u0301" are one): how tag, feed and
    folder names are compared. SQL reads it as `newsreader_fold(text)`; SQLite's own
    `NOCASE` and `LIKE` fold ASCII letters only."""
    return unicodedata.normalize("NFC", text).casefold()


def shown_images(
    image: str | None, summary: str | None, content: str | None, enclosures: Iterable[Enclosure]
) -> list[str]:
    """The images an entry shows: `image_urls`, then its image enclosures (`image/*`), without
    repeats. The store keeps these from eviction for starred and commented entries."""
    urls = image_urls(image, summary, content)
    known = set(urls)
    for enclosure in enclosures:
        if is_image_type(enclosure.type) and enclosure.url and enclosure.url not in known:
            known.add(enclosure.url)
            urls.append(enclosure.url)
    return urls


def is_image_type(content_type: str | None) -> bool:
    return (content_type or "").strip().lower().startswith("image/")


def image_urls(image: str | None, *fragments: str | None) -> list[str]:
    """The entry's own image followed by every <img src> in the fragments, without repeats."""
    seen: dict[str, None] = {}
    if image:
        seen[image] = None
    for fragment in fragments:
        if not fragment or "<img" not in fragment.lower():
            continue
        for match in _IMG_SRC.finditer(fragment):
            url = html.unescape(match.group(1) or match.group(2) or "").strip()
            if url and not url.startswith("data:"):
                seen[url] = None
    return list(seen)
