"""The article list's snippet: one line of an entry's text under its title, as NetNewsWire and
RSS Guard show it.

Worked out once per entry when the list reads a page of rows (never while painting), from
the first `SCAN` characters of the stored, sanitised HTML only, with the full-text index's
pattern fast path (`store/text.index_text`), so its cost does not grow with the article:
`benchmarks/snippets.py` prints it per entry and per page of 200 rows, beside
`html_to_text` on the same bodies.
"""

from __future__ import annotations

import html

from newsreader.store.text import index_text

SCAN = 800  # characters of markup read: enough for a line after the usual opening markup
LENGTH = 200  # characters kept: more than a wide list shows; it elides the rest

_SEPARATORS = ":-–—|·"


def snippet(summary: str | None, content: str | None, title: str | None) -> str:
    """The first words of the summary (or, when it has none, of the content) as one line:
    tags dropped, entities decoded, white space folded, and the title left out when the
    text repeats it first (as a whole element, or followed by a colon or dash; a sentence
    that merely starts with the title's words stays whole). "" when there is no text."""
    for markup in (summary, content):
        text = _line(markup, title)
        if text:
            return text
    return ""


def _line(markup: str | None, title: str | None) -> str:
    if not markup:
        return ""
    head = markup[:SCAN]
    cut = head.rfind("<")
    if cut > head.rfind(">"):  # a tag cut in two at the end: not text
        head = head[:cut]
    text = " ".join(index_text(head).split())  # white space folded (split: C speed)
    plain_title = " ".join((title or "").split())
    if plain_title and text.casefold().startswith(plain_title.casefold()):
        rest = text[len(plain_title) :].lstrip()
        if not rest or rest[0] in _SEPARATORS or _ends_element(head, plain_title):
            text = rest.lstrip(_SEPARATORS + " ")
    return text[:LENGTH].rstrip()


def _ends_element(head: str, title: str) -> bool:
    """Whether the markup holds the title as a whole element ("<b>Title</b> Body...") rather
    than as the first words of a sentence ("Spring tides & neap tides...")."""
    escaped = html.escape(title, quote=False)
    return escaped + "</" in head[: len(escaped) + 300]
