"""One article as a clean HTML fragment: header facts, body, optional threaded comments.

Shared by every export format and by the window's reader panel, so it is a pure function of
(entry, feed title, comments, image resolver): no store, no files, no network. The resolver
decides what each image becomes: a `data:` URI (HTML export), a relative path (Markdown), a
resource name (PDF, the reader panel), or `None`, in which case the image is replaced by its
alt text linked to the original, so no exported document ever loads a remote image.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote

import lxml.html

from newsreader import urls
from newsreader.model import Comment, CommentOrigin, Entry, iso_utc
from newsreader.parse import sanitize_html, text_to_html
from newsreader.wording import counted

ImageResolver = Callable[[str], str | None]
"""Maps an absolute image URL to the `src` to write, or None to drop the image."""

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""Links a rendered article keeps; other schemes the sanitiser allows (ftp:, tel:, magnet:)
lose their href here, as relative links do when there is no web base to resolve them."""


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """The header of an article in plain text, for formats that are not HTML."""

    title: str
    source: str
    author: str | None
    date: datetime | None
    link: str | None

    @property
    def date_text(self) -> str | None:
        return format_date(self.date)


@dataclass(frozen=True, slots=True)
class Attachment:
    """An enclosure (podcast episode, file) as the exports list it."""

    url: str
    name: str  # the file name from the URL, else the URL
    details: str  # "audio/mpeg, 5.3 MB"; "" when the feed said neither
    linkable: bool  # an address a reader may open (http, https, mailto)

    @property
    def label(self) -> str:
        """ "episode.mp3 (audio/mpeg, 5.3 MB)" """
        return f"{self.name} ({self.details})" if self.details else self.name


@dataclass(frozen=True, slots=True)
class RenderedArticle:
    entry: Entry
    facts: ArticleFacts
    header_html: str
    body_html: str
    comments_html: str  # "" when no comments were given
    attachments_html: str = ""  # "" when the entry has no enclosures
    key_points_html: str = ""  # "" when no key points were given

    @property
    def html(self) -> str:
        """The whole article as one `<article>` element."""
        return (
            f'<article class="entry">{self.header_html}{self.key_points_html}'
            f'<div class="body">{self.body_html}</div>{self.attachments_html}'
            f"{self.comments_html}</article>"
        )


def article_facts(entry: Entry, feed_title: str | None) -> ArticleFacts:
    authors = ", ".join(a.name or a.email or "" for a in entry.authors if a.name or a.email)
    return ArticleFacts(
        title=(entry.title or "").strip() or "Untitled",
        source=(feed_title or entry.feed_title or "").strip() or "Unknown source",
        author=authors or None,
        date=entry.date,
        link=entry.link if entry.link and urls.scheme(entry.link) in LINK_SCHEMES else None,
    )


def render_article(
    entry: Entry,
    feed_title: str | None,
    comments: Sequence[Comment],
    resolve_image: ImageResolver,
    body_html: str | None = None,
    key_points: Sequence[str] = (),
) -> RenderedArticle:
    """Renders `entry` (and `comments`, roots with their replies) as clean HTML; its body is
    the feed's text, or `body_html` when given (the full article fetched from its page).
    `key_points` (plain sentences) are listed under a "Key points" heading before the body."""
    facts = article_facts(entry, feed_title)
    text = body_html if body_html is not None else entry.content or entry.summary or ""
    body = clean_fragment(with_lead_image(text, entry.image), entry.link, resolve_image)
    comments_html = ""
    if comments:
        items = "".join(_comment_html(c, entry.link, resolve_image) for c in comments)
        comments_html = (
            f'<section class="comments"><h2>Comments</h2><ol class="thread">{items}</ol></section>'
        )
    return RenderedArticle(
        entry,
        facts,
        _header_html(facts),
        body,
        comments_html,
        _attachments_html(entry),
        key_points_html(key_points),
    )


def with_lead_image(text: str, image: str | None) -> str:
    """`text` (HTML) with the entry's own picture (`media:thumbnail`, `media:content`, an
    `og:image`...) before it when the text shows no image of its own: the sync caches that
    picture for offline reading, and a newcomer saw it only as a link under Attachments."""
    if not image or "<img" in text.lower():
        return text
    return f'<figure><img src="{html.escape(image, quote=True)}" alt=""></figure>{text}'


def key_points_html(key_points: Sequence[str]) -> str:
    """The key points as a section with a heading and a list ("" for none)."""
    if not key_points:
        return ""
    items = "".join(f"<li>{html.escape(point)}</li>" for point in key_points)
    return f'<section class="key-points"><h2>Key points</h2><ul>{items}</ul></section>'


def attachments(entry: Entry) -> list[Attachment]:
    """The entry's enclosures, in feed order, as every export format lists them."""
    return [
        Attachment(
            url=enclosure.url,
            name=_file_name(enclosure.url),
            details=", ".join(part for part in (enclosure.type, _size(enclosure.length)) if part),
            linkable=urls.scheme(enclosure.url) in LINK_SCHEMES,
        )
        for enclosure in entry.enclosures
    ]


def _attachments_html(entry: Entry) -> str:
    items = []
    for attachment in attachments(entry):
        name = html.escape(attachment.name)
        if attachment.linkable:
            name = f'<a href="{html.escape(attachment.url, quote=True)}">{name}</a>'
        meta = (
            f' <span class="attachment-meta">({html.escape(attachment.details)})</span>'
            if attachment.details
            else ""
        )
        shown_url = (
            ""
            if attachment.name == attachment.url
            else (f'<br><span class="attachment-url">{html.escape(attachment.url)}</span>')
        )
        items.append(f"<li>{name}{meta}{shown_url}</li>")
    if not items:
        return ""
    return f'<section class="attachments"><h2>Attachments</h2><ul>{"".join(items)}</ul></section>'


def _file_name(url: str) -> str:
    """The last segment of the URL's path, decoded ("episode 12.mp3"); the URL itself when
    the path names no file."""
    parts = urls.split(url)
    if parts is None:
        return url
    path = parts.path
    name = unquote(path.rstrip("/").rpartition("/")[2])
    return name or url


def _size(length: int | None) -> str | None:
    """A byte count as people read it: "950 bytes", "1.2 KB", "5.3 MB" (decimal units)."""
    if not length:
        return None
    if length < 1000:
        return counted(length, "byte")
    units = ("KB", "MB", "GB", "TB")
    value, unit = length / 1000, 0
    while value >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    return f"{value:.1f} {units[unit]}"


def format_date(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def clean_fragment(fragment: str, base_url: str | None, resolve_image: ImageResolver) -> str:
    """Sanitises an HTML fragment with the sanitising policy (`newsreader.parse.policy`, the
    one used at ingest) and rewrites its images through `resolve_image`. A srcset is dropped:
    the resolver picks the one file an image shows, and a srcset would load remote ones."""
    cleaned = sanitize_html(fragment, base_url)
    if not cleaned:
        return ""
    root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    for link in root.iter("a"):
        href = link.get("href")
        if href is not None and urls.scheme(href) not in LINK_SCHEMES:
            del link.attrib["href"]
    for image in list(root.iter("img")):
        _resolve(image, resolve_image)
    return "".join(_inner(root))


def _resolve(image: lxml.html.HtmlElement, resolve_image: ImageResolver) -> None:
    src = (image.get("src") or "").strip()  # absolute already, when the article has a web base
    image.attrib.pop("srcset", None)
    local = resolve_image(src) if urls.scheme(src) in urls.WEB_SCHEMES else None
    if local is not None:
        image.set("src", local)
        image.set("alt", image.get("alt") or "")
        return
    alt = (image.get("alt") or "").strip() or "image"
    if urls.scheme(src) in urls.WEB_SCHEMES:
        stand_in = lxml.html.Element("a", {"href": src, "class": "missing-image"})
    else:
        stand_in = lxml.html.Element("span", {"class": "missing-image"})
    stand_in.text = f"[{alt}]"
    stand_in.tail = image.tail
    parent = image.getparent()
    if parent is not None:
        parent.replace(image, stand_in)


def _inner(root: lxml.html.HtmlElement) -> list[str]:
    parts = [html.escape(root.text)] if root.text else []
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in root)
    return parts


def _header_html(facts: ArticleFacts) -> str:
    rows = [f'<p class="source">{html.escape(facts.source)}</p>']
    if facts.author:
        rows.append(f'<p class="author">By {html.escape(facts.author)}</p>')
    if facts.date is not None:
        stamp = iso_utc(facts.date)
        rows.append(f'<p class="date"><time datetime="{stamp}">{facts.date_text}</time></p>')
    if facts.link:
        link = html.escape(facts.link, quote=True)
        rows.append(f'<p class="link"><a href="{link}">{html.escape(facts.link)}</a></p>')
    return f"<header><h1>{html.escape(facts.title)}</h1>{''.join(rows)}</header>"


def _comment_html(comment: Comment, base_url: str | None, resolve_image: ImageResolver) -> str:
    author = html.escape(comment.author or "Anonymous")
    meta = f'<span class="comment-author">{author}</span>'
    when = format_date(comment.created)
    if when:
        meta += f' <span class="comment-date">{when}</span>'
    body = comment_body_html(comment, base_url, resolve_image)
    replies = ""
    if comment.replies:
        inner = "".join(_comment_html(r, base_url, resolve_image) for r in comment.replies)
        replies = f'<ol class="thread">{inner}</ol>'
    return (
        f'<li class="comment"><p class="comment-meta">{meta}</p>'
        f'<div class="comment-body">{body}</div>{replies}</li>'
    )


def comment_body_html(comment: Comment, base_url: str | None, resolve_image: ImageResolver) -> str:
    """A comment's body as clean HTML: site comments are sanitised, user comments escaped."""
    if comment.deleted:
        return '<p class="deleted">(comment deleted)</p>'
    if comment.origin == CommentOrigin.SITE:
        return clean_fragment(comment.body, comment.link or base_url, resolve_image)
    return text_to_html(comment.body)
