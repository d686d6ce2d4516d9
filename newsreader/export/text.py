"""Plain-text export: the header facts, the body wrapped at 72 columns, comments indented by
thread depth, and every link numbered (`[1]`) and listed at the end."""

from __future__ import annotations

import re
import shutil
import tempfile
import textwrap
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

import lxml.html

from newsreader.export.blocks import BLOCK_ELEMENTS, HEADINGS, with_direction
from newsreader.export.items import ExportItem
from newsreader.export.render import (
    article_facts,
    attachments,
    clean_fragment,
    comment_body_html,
    format_date,
    with_lead_image,
)
from newsreader.model import Comment
from newsreader.wording import counted

WIDTH = 72
_RULE = "=" * WIDTH  # between the articles of a digest

_SPACES = re.compile(r"[ \t\r\n\f]+")
_BREAK = "\x00"  # stands for <br> inside an inline run until the run is wrapped


class LinkList:
    """Numbers links in order of first appearance; the same URL keeps its number."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self._numbers: dict[str, int] = {}

    def number(self, url: str) -> int:
        if url not in self._numbers:
            self.urls.append(url)
            self._numbers[url] = len(self.urls)
        return self._numbers[url]


def write_article(item: ExportItem, out: BinaryIO) -> None:
    out.write(article_text(item).encode())


def write_digest(items: Iterable[ExportItem], out: BinaryIO, title: str) -> int:
    """Writes many articles into one text file: the set's title, how many articles, a
    numbered list of contents (for two or more), then each article as `article_text` writes
    it, between rules. Articles are spooled while the contents are collected, so memory stays
    flat. Returns how many articles were written."""
    contents: list[str] = []
    with tempfile.TemporaryFile() as spool:
        for item in items:
            facts = article_facts(item.entry, item.feed_title)
            contents.append(f"{facts.title} ({facts.source})")
            spool.write(f"{_RULE}\n\n{article_text(item)}\n".encode())
        heading = _fill(title, WIDTH)
        underline = "=" * min(WIDTH, max(len(line) for line in heading.splitlines()))
        exported = format_date(datetime.now(UTC))
        head = [
            f"{heading}\n{underline}",
            f"{counted(len(contents), 'article')}, exported {exported}",
        ]
        if len(contents) > 1:
            width = len(str(len(contents)))
            listing = "\n".join(
                _hang(f"{n:>{width}}. ", _fill(line, WIDTH - width - 2))
                for n, line in enumerate(contents, start=1)
            )
            head.append(f"Contents\n--------\n{listing}")
        out.write(("\n\n".join(head) + "\n\n").encode())
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    return len(contents)


def article_text(item: ExportItem, width: int = WIDTH) -> str:
    """One article as wrapped plain text with a numbered link list."""
    entry = item.entry
    facts = article_facts(entry, item.feed_title)
    links = LinkList()
    title = _fill(facts.title, width)
    parts = [f"{title}\n{'=' * min(width, max(len(line) for line in title.splitlines()))}"]
    header = [f"Source: {facts.source}"]
    if facts.author:
        header.append(f"Author: {facts.author}")
    if facts.date_text:
        header.append(f"Date:   {facts.date_text}")
    if facts.link:
        header.append(f"Link:   {facts.link}")
    parts.append("\n".join(header))
    if item.key_points:
        points = "\n".join(_hang("* ", _fill(point, width - 2)) for point in item.key_points)
        parts.append(f"Key points\n----------\n{points}")
    body = clean_fragment(with_lead_image(item.body_html, entry.image), entry.link, _as_link)
    parts.extend(fragment_blocks(body, links, width))
    listed = attachments(entry)
    if listed:
        lines = [f"* {a.label}\n  {a.url}" if a.name != a.url else f"* {a.label}" for a in listed]
        parts.append("Attachments\n-----------\n" + "\n".join(lines))
    if item.comments:
        parts.append("Comments\n--------")
        parts.append(_comments(item.comments, entry.link, links, width))
    if links.urls:
        listing = "\n".join(f"[{n}] {url}" for n, url in enumerate(links.urls, start=1))
        parts.append(f"Links\n-----\n{listing}")
    return "\n\n".join(p for p in parts if p) + "\n"


def fragment_blocks(fragment: str, links: LinkList, width: int = WIDTH) -> list[str]:
    """A clean HTML fragment laid out as wrapped text blocks (links numbered into `links`):
    the export's page layout over an lxml tree. Plain text of HTML, without layout, is
    `newsreader.parse.text.html_to_text`."""
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return _blocks(root, links, width)


def _as_link(url: str) -> str | None:
    """Text has no images: each one becomes its alt text with a numbered link."""
    return None


def _comments(
    comments: Sequence[Comment], base_url: str | None, links: LinkList, width: int
) -> str:
    blocks = []
    for comment in comments:
        meta = comment.author or "Anonymous"
        when = format_date(comment.created)
        if when:
            meta += f" · {when}"
        body_html = comment_body_html(comment, base_url, _as_link)
        inner = [meta, *fragment_blocks(body_html, links, width - 4)]
        if comment.replies:
            inner.append(_comments(comment.replies, base_url, links, width - 4))
        blocks.append(_hang("  * ", "\n\n".join(inner)))
    return "\n\n".join(blocks)


def _blocks(element: lxml.html.HtmlElement, links: LinkList, width: int) -> list[str]:
    blocks: list[str] = []
    run: list[str] = [_words(element.text)]

    def flush() -> None:
        text = "".join(run)
        filled = "\n".join(_fill(line, width) for line in text.split(_BREAK) if line.strip())
        if filled:
            blocks.append(filled)
        run.clear()

    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCK_ELEMENTS:
            flush()
            block = with_direction(_block(child, tag, links, width), tag, child.get("dir"))
            if block:
                blocks.append(block)
        else:
            run.append(with_direction(_inline(child, links), tag, child.get("dir")))
        run.append(_words(child.tail))
    flush()
    return blocks


def _block(element: lxml.html.HtmlElement, tag: str, links: LinkList, width: int) -> str:
    if tag in HEADINGS:
        text = _fill(_inline_children(element, links).replace(_BREAK, " "), width)
        if not text:
            return ""
        underline = "=" if tag in {"h1", "h2"} else "-"
        return f"{text}\n{underline * min(width, max(len(x) for x in text.splitlines()))}"
    if tag == "hr":
        return "* * *"
    if tag == "pre":
        return element.text_content().strip("\n")
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(element, links, width - 2))
        return "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
    if tag in {"ul", "ol"}:
        start = element.get("start", "1")
        number = int(start) if start.isdigit() else 1
        items = []
        for child in element:
            if child.tag != "li":
                continue
            marker = f"{number}. " if tag == "ol" else "* "
            number += 1
            inner = "\n\n".join(_blocks(child, links, width - len(marker)))
            items.append(_hang(marker, inner))
        return "\n".join(items)
    if tag == "table":
        rows = []
        for row in element.iter("tr"):
            cells = [_SPACES.sub(" ", _inline(cell, links)).strip() for cell in row]
            rows.append(_fill(" | ".join(cells), width))
        return "\n".join(rows)
    return "\n\n".join(_blocks(element, links, width))


def _hang(marker: str, text: str) -> str:
    lines = text.split("\n") if text else [""]
    pad = " " * len(marker)
    return "\n".join([marker + lines[0], *(pad + line if line else "" for line in lines[1:])])


def _inline_children(element: lxml.html.HtmlElement, links: LinkList) -> str:
    parts = [_words(element.text)]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        parts.append(with_direction(_inline(child, links), tag, child.get("dir")))
        parts.append(_words(child.tail))
    return "".join(parts)


def _inline(element: lxml.html.HtmlElement, links: LinkList) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        return _BREAK
    if tag == "img":
        return f"[{element.get('alt') or 'image'}]"
    if tag in BLOCK_ELEMENTS:
        return " " + " ".join(_blocks(element, links, 10_000)) + " "
    inner = _inline_children(element, links)
    href = element.get("href") if tag == "a" else None
    if href:
        return f"{inner} [{links.number(href)}]"
    return inner


def _words(text: str | None) -> str:
    return _SPACES.sub(" ", text) if text else ""


def _fill(text: str, width: int) -> str:
    return textwrap.fill(
        _SPACES.sub(" ", text).strip(),
        width=max(width, 20),
        break_long_words=False,
        break_on_hyphens=False,
    )
