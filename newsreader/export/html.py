"""HTML export: self-contained pages that open offline and make no request.

Images become data: URIs from the cache (or links, see render.py); the stylesheet is inline;
a Content-Security-Policy forbids scripts and any network load, in case a body slipped through.
A set is one page with a table of contents: articles are spooled to a temporary file while the
contents are collected, so memory stays flat however many articles there are.
"""

from __future__ import annotations

import html
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import BinaryIO

from newsreader.export.images import ImageLookup, load_image
from newsreader.export.items import ExportItem, most_common_language
from newsreader.export.render import ImageResolver, RenderedArticle, format_date, render_article
from newsreader.wording import counted

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

STYLESHEET = """
body { font: 17px/1.55 Georgia, "DejaVu Serif", serif; max-width: 42em; margin: 2em auto;
       padding: 0 1em; color: #1d1d1d; background: #fff; }
h1, h2, h3, h4 { font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
                 line-height: 1.25; }
header p { margin: .15em 0; color: #555; font-size: .9em; }
header .source { font-weight: bold; color: #333; }
a { color: #1a5fb4; }
img { max-width: 100%; height: auto; }
pre { overflow-x: auto; background: #f4f4f4; padding: .75em; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
blockquote { margin-left: 0; padding-left: 1em; border-left: 3px solid #ccc; color: #444; }
article.entry { margin-bottom: 3em; }
section.comments { border-top: 1px solid #ddd; margin-top: 2em; font-size: .95em; }
ol.thread { list-style: none; padding-left: 1.2em; }
section.comments > ol.thread { padding-left: 0; }
.comment-meta { color: #555; margin-bottom: 0; }
.comment-author { font-weight: bold; }
.missing-image { color: #666; }
nav.toc ol { padding-left: 1.2em; }
nav.toc .toc-source { color: #666; font-size: .9em; }
section.attachments { border-top: 1px solid #ddd; margin-top: 2em; }
.attachment-meta, .attachment-url { color: #555; font-size: .9em; }
@media (prefers-color-scheme: dark) {
  body { color: #ddd; background: #1e1e1e; } a { color: #78aeed; }
  header p, .comment-meta { color: #aaa; } header .source { color: #ddd; }
  pre { background: #2a2a2a; } blockquote { color: #c8c8c8; border-left-color: #666; }
  .missing-image, nav.toc .toc-source, .attachment-meta, .attachment-url { color: #aaa; }
  section.comments, section.attachments { border-top-color: #444; }
}
@media print { article.entry + article.entry { break-before: page; } }
"""


def embedding_resolver(lookup: ImageLookup) -> ImageResolver:
    """Images as data: URIs when cached; None (alt text and link) otherwise."""

    def resolve(url: str) -> str | None:
        image = load_image(lookup, url)
        return image.data_uri if image else None

    return resolve


def write_article(item: ExportItem, lookup: ImageLookup, out: BinaryIO) -> None:
    """Writes one article as a complete HTML page."""
    article = _render(item, lookup)
    out.write(_head(article.facts.title, item.entry.language).encode())
    out.write(article.html.encode())
    out.write(b"</body></html>\n")


def write_collection(
    items: Iterable[ExportItem], lookup: ImageLookup, out: BinaryIO, title: str
) -> int:
    """Writes every item into one page with a table of contents; returns how many. The page's
    `lang` is its articles' most common language (as an EPUB's), each article's its own."""
    contents: list[str] = []
    languages: list[str | None] = []
    with tempfile.TemporaryFile() as spool:
        for number, item in enumerate(items, start=1):
            article = _render(item, lookup)
            anchor = f"article-{number}"
            contents.append(_toc_line(anchor, article))
            languages.append(item.entry.language)
            spool.write(
                f'<div id="{anchor}"{_lang(item.entry.language)}>{article.html}</div>\n'.encode()
            )
        out.write(_head(title, most_common_language(languages)).encode())
        exported = format_date(datetime.now(UTC))
        toc = (
            f'<nav class="toc"><h2>Contents</h2><ol>{"".join(contents)}</ol></nav>'
            if len(contents) > 1
            else ""  # one article needs no list of one line
        )
        if len(contents) != 1:  # one article's page is that article: its title said once
            out.write(
                f'<header class="export"><h1>{html.escape(title)}</h1>'
                f"<p>{counted(len(contents), 'article')}, exported {exported}</p></header>"
                f"{toc}\n".encode()
            )
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    out.write(b"</body></html>\n")
    return len(contents)


def _render(item: ExportItem, lookup: ImageLookup) -> RenderedArticle:
    return render_article(
        item.entry,
        item.feed_title,
        item.comments,
        embedding_resolver(lookup),
        item.body_html,
        item.key_points,
    )


def _toc_line(anchor: str, article: RenderedArticle) -> str:
    return (
        f'<li><a href="#{anchor}">{html.escape(article.facts.title)}</a> '
        f'<span class="toc-source">— {html.escape(article.facts.source)}</span></li>'
    )


def _lang(language: str | None) -> str:
    """The `lang` attribute for `language` (with its leading space); "" when not known."""
    return f' lang="{html.escape(language)}"' if language else ""


def _head(title: str, language: str | None) -> str:
    return (
        f'<!DOCTYPE html>\n<html{_lang(language)}><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="Newsreader"><title>{html.escape(title)}</title>'
        f"<style>{STYLESHEET}</style></head><body>\n"
    )
