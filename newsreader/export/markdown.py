"""Markdown export: CommonMark with a YAML front matter, converted from clean HTML with lxml.

Images are saved beside the document in `assets/` and linked relatively, or, when asked, left
as links to their remote addresses. Front matter values are written as JSON strings, which
YAML reads as double-quoted scalars, so no title can break out of its field.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

import lxml.html

from newsreader.export.blocks import BLOCK_ELEMENTS, HEADINGS, with_direction
from newsreader.export.images import ImageLookup, load_image
from newsreader.export.items import ExportItem
from newsreader.export.render import (
    ArticleFacts,
    Attachment,
    ImageResolver,
    article_facts,
    attachments,
    clean_fragment,
    comment_body_html,
    format_date,
    with_lead_image,
)
from newsreader.model import Comment, iso_utc
from newsreader.wording import counted

ASSETS_DIR = "assets"

AssetSink = Callable[[str, bytes], None]
"""Stores one asset: (file name inside assets/, bytes). Called once per distinct image."""

_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)
_SPACES = re.compile(r"[ \t\r\n\f]+")


def asset_resolver(lookup: ImageLookup, save: AssetSink | None) -> ImageResolver:
    """Cached images become `assets/NAME` (saved once through `save`); with `save` None,
    images stay links to their remote address."""
    saved: set[str] = set()

    def resolve(url: str) -> str | None:
        if save is None:
            return url
        image = load_image(lookup, url)
        if image is None:
            return None
        if image.file_name not in saved:
            save(image.file_name, image.data)
            saved.add(image.file_name)
        return f"{ASSETS_DIR}/{image.file_name}"

    return resolve


def write_article(item: ExportItem, resolve: ImageResolver, out: BinaryIO) -> None:
    out.write(article_markdown(item, resolve).encode())


def article_markdown(item: ExportItem, resolve: ImageResolver) -> str:
    """One article as a Markdown document with front matter."""
    facts = article_facts(item.entry, item.feed_title)
    return "\n\n".join([front_matter(item, facts), *_article_parts(item, resolve, 1)]) + "\n"


def write_digest(
    items: Iterable[ExportItem], resolve: ImageResolver, out: BinaryIO, title: str
) -> int:
    """Writes many articles into one Markdown file: front matter for the set (title, count,
    export time), its title, how many articles, a linked list of contents (for two or more),
    then each article under a second-level heading. Articles are spooled while the contents
    are collected, so memory stays flat. Returns how many articles were written."""
    contents: list[str] = []
    with tempfile.TemporaryFile() as spool:
        for number, item in enumerate(items, start=1):
            facts = article_facts(item.entry, item.feed_title)
            anchor = f"article-{number}"
            contents.append(
                f"{number}. [{_escape_text(facts.title)}](#{anchor}) — {_escape_text(facts.source)}"
            )
            parts = [f'<a id="{anchor}"></a>', *_article_parts(item, resolve, 2)]
            spool.write(("* * *\n\n" + "\n\n".join(parts) + "\n\n").encode())
        exported = iso_utc(datetime.now(UTC), seconds=True)
        fields = [("title", title), ("articles", len(contents)), ("exported", exported)]
        head = [
            "---\n"
            + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields)
            + "\n---",
            f"# {_escape_text(title)}",
            f"{counted(len(contents), 'article')}, exported {format_date(datetime.now(UTC))}",
        ]
        if len(contents) > 1:
            head.append("## Contents\n\n" + "\n".join(contents))
        out.write(("\n\n".join(head) + "\n\n").encode())
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    return len(contents)


def _article_parts(item: ExportItem, resolve: ImageResolver, level: int) -> list[str]:
    """An article's blocks under a heading of `level`: title, byline, body, attachments,
    comments (their headings one level down)."""
    entry = item.entry
    facts = article_facts(entry, item.feed_title)
    body = clean_fragment(with_lead_image(item.body_html, entry.image), entry.link, resolve)
    parts = [f"{'#' * level} {_escape_text(facts.title)}", _byline(facts)]
    if item.key_points:
        parts.append(f"{'#' * (level + 1)} Key points")
        parts.append("\n".join(f"- {_escape_text(point)}" for point in item.key_points))
    converted = html_to_markdown(body)
    if converted:
        parts.append(converted)
    listed = attachments(entry)
    if listed:
        parts.append(f"{'#' * (level + 1)} Attachments")
        parts.append("\n".join(_attachment_line(a) for a in listed))
    if item.comments:
        parts.append(f"{'#' * (level + 1)} Comments")
        parts.append(_comments(item.comments, entry.link, resolve))
    return parts


def _attachment_line(attachment: Attachment) -> str:
    name = _escape_text(attachment.name)
    link = f"[{name}]({_destination(attachment.url)})" if attachment.linkable else name
    details = f" ({_escape_text(attachment.details)})" if attachment.details else ""
    return f"- {link}{details}"


def front_matter(item: ExportItem, facts: ArticleFacts) -> str:
    entry = item.entry
    date = iso_utc(entry.date)
    fields: list[tuple[str, object]] = [
        ("title", facts.title),
        ("source", facts.source),
        ("url", facts.link),
        ("author", facts.author),
        ("date", date),
        ("tags", list(entry.tags)),
        ("categories", list(entry.categories)),
    ]
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields]
    return "---\n" + "\n".join(lines) + "\n---"


def html_to_markdown(fragment: str) -> str:
    """Converts a clean HTML fragment to CommonMark."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return "\n\n".join(_blocks(root)).strip()


def _byline(facts: ArticleFacts) -> str:
    bits = [f"**{_escape_text(facts.source)}**"]
    if facts.author:
        bits.append(_escape_text(facts.author))
    if facts.date_text:
        bits.append(facts.date_text)
    line = " · ".join(bits)
    if facts.link:
        line += f"  \n<{_destination(facts.link)}>"
    return line


def _comments(comments: Sequence[Comment], base_url: str | None, resolve: ImageResolver) -> str:
    blocks = []
    for comment in comments:
        meta = f"**{_escape_text(comment.author or 'Anonymous')}**"
        when = format_date(comment.created)
        if when:
            meta += f" · {when}"
        body = html_to_markdown(comment_body_html(comment, base_url, resolve))
        inner = [meta, body] if body else [meta]
        if comment.replies:
            inner.append(_comments(comment.replies, base_url, resolve))
        blocks.append(_list_item("-", "\n\n".join(inner)))
    return "\n".join(blocks)


def _blocks(element: lxml.html.HtmlElement) -> list[str]:
    """The block-level Markdown of an element's children; inline runs become paragraphs."""
    blocks: list[str] = []
    run: list[str] = [_text(element.text)]

    def flush() -> None:
        text = _tidy_inline("".join(run))
        if text:
            blocks.append(_escape_line_starts(text))
        run.clear()

    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCK_ELEMENTS:
            flush()
            block = with_direction(_block(child, tag), tag, child.get("dir"))
            if block:
                blocks.append(block)
        else:
            run.append(with_direction(_inline(child), tag, child.get("dir")))
        run.append(_text(child.tail))
    flush()
    return blocks


def _block(element: lxml.html.HtmlElement, tag: str) -> str:
    if tag in HEADINGS:
        text = _tidy_inline(_inline_children(element)).replace("\n", " ")
        return f"{'#' * int(tag[1])} {text}" if text else ""
    if tag == "hr":
        return "* * *"
    if tag == "pre":
        return _fence(element.text_content())
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(element))
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if tag in {"ul", "ol"}:
        return _list(element, ordered=tag == "ol")
    if tag == "table":
        serialised = lxml.html.tostring(element, encoding="unicode")
        return "\n".join(line for line in serialised.splitlines() if line.strip())
    return "\n\n".join(_blocks(element))


def _list(element: lxml.html.HtmlElement, *, ordered: bool) -> str:
    start = int(element.get("start", "1")) if element.get("start", "1").isdigit() else 1
    items = [child for child in element if child.tag == "li"]
    lines = []
    for number, item in enumerate(items, start=start):
        marker = f"{number}." if ordered else "-"
        lines.append(_list_item(marker, "\n\n".join(_blocks(item))))
    return "\n".join(lines)


def _list_item(marker: str, content: str) -> str:
    pad = " " * (len(marker) + 1)
    lines = content.split("\n") if content else [""]
    rest = [f"{pad}{line}" if line else "" for line in lines[1:]]
    return "\n".join([f"{marker} {lines[0]}".rstrip(), *rest])


def _inline_children(element: lxml.html.HtmlElement) -> str:
    parts = [_text(element.text)]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        parts.append(with_direction(_inline(child), tag, child.get("dir")))
        parts.append(_text(child.tail))
    return "".join(parts)


def _inline(element: lxml.html.HtmlElement) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        return "\\\n"
    if tag == "img":
        alt = _escape_text(element.get("alt") or "")
        src = element.get("src")
        return f"![{alt}]({_destination(src)})" if src else alt
    if tag in BLOCK_ELEMENTS:  # a block inside inline content: keep its words
        return " " + _tidy_inline(" ".join(_blocks(element))) + " "
    inner = _inline_children(element)
    if tag == "code":
        return _code_span(element.text_content())
    if not inner.strip():
        return inner
    if tag in {"strong", "b"}:
        return _wrap(inner, "**")
    if tag in {"em", "i", "cite", "dfn", "var"}:
        return _wrap(inner, "*")
    if tag == "a" and element.get("href"):
        title = element.get("title")
        suffix = f" {json.dumps(title, ensure_ascii=False)}" if title else ""
        return f"[{inner.strip()}]({_destination(element.get('href', ''))}{suffix})"
    return inner


def _wrap(inner: str, mark: str) -> str:
    """Emphasis around the words, keeping surrounding spaces outside the markers."""
    stripped = inner.strip()
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _code_span(code: str) -> str:
    code = _SPACES.sub(" ", code)
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _fence(code: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code.rstrip(chr(10))}\n{fence}"


def _destination(url: str) -> str:
    return (
        url.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def _text(text: str | None) -> str:
    return _escape_text(_SPACES.sub(" ", text)) if text else ""


def _escape_text(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _escape_line_starts(text: str) -> str:
    """Backslash-escapes what would start a heading, quote, list or setext line."""

    def escape(match: re.Match[str]) -> str:
        indent, mark = match.group(1), match.group(2)
        if mark[0].isdigit():  # "1." -> "1\." keeps the number, stops the list
            return f"{indent}{mark[:-1]}\\{mark[-1]}"
        return f"{indent}\\{mark}"

    return _LINE_START.sub(escape, text)


def _tidy_inline(text: str) -> str:
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip().removesuffix("\\").rstrip()
