"""The reader panel's page for one article: the shared export renderer's header and body, then
"Open original", enclosures, *Coverage* (other sources' articles on the same story) and related
articles; *Key points* (2-4 of the article's own sentences) above the text, collapsible. A source
line names what the body shows, the feed's text or the full article fetched from its page, with
the switch between them.

Related articles link to `entry:ID` URLs, which the reader panel opens inside the app; every
other link opens outside. Images go through the caller's resolver (the offline cache).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from newsreader.export.render import ImageResolver, render_article
from newsreader.gui.timefmt import relative_time
from newsreader.model import Entry, FullText
from newsreader.wording import counted

ENTRY_SCHEME = "entry"
FULL_TEXT_SCHEME = "fulltext"
"""`fulltext:article`, `fulltext:feed` and `fulltext:load` links of the source line: show the
full article, show the feed's text, load the full article now."""


@dataclass(frozen=True, slots=True)
class Source:
    """What the reader shows of an entry and what it can offer: the full article (when one
    is stored), whether it is shown, and a load in progress or a quiet note about the last
    attempt."""

    full_text: FullText | None = None
    showing_full: bool = False
    loading: bool = False
    note: str | None = None
    has_page: bool = True  # the entry links a web page: a full article can be loaded
    retry: datetime | None = None  # a failed page's next try by a sync (the follow-up queue)

    @property
    def has_article(self) -> bool:
        return self.full_text is not None and self.full_text.status == "ok"


def source_html(source: Source) -> str:
    """The line above the article's body naming what is shown, with the switch."""
    link = f'<a href="{FULL_TEXT_SCHEME}:{{0}}">{{1}}</a>'
    if source.has_article and source.showing_full:
        fetched = source.full_text.fetched.strftime("%Y-%m-%d") if source.full_text else ""
        parts = [f"Full article, from its page ({fetched})", link.format("feed", "Feed text")]
    elif source.has_article:
        parts = ["Feed text", link.format("article", "Full article")]
    elif source.loading:
        parts = ["Feed text", "Loading the full article…"]
    elif not source.has_page:
        parts = ["Feed text (this article has no web page of its own)"]
    elif source.full_text is not None and source.note is None:  # tried, no article
        parts = ["Feed text", html.escape(failure_text(source.full_text, source.retry))]
        parts.append(link.format("load", "Try again"))
    else:
        parts = ["Feed text", link.format("load", "Load full article")]
    if source.note and not source.loading:
        parts.append(html.escape(source.note))
    return f'<p class="source">{" · ".join(parts)}</p>'


FAILURES = {
    "no-article": "its page holds no article",
    "paywalled": "its page is behind a paywall or a login",
    "failed": "its page could not be fetched",
}


def failure_text(full_text: FullText, retry: datetime | None) -> str:
    """Why a page tried before gave no article, when, and when a refresh tries again:
    "No full article: its page could not be fetched (HTTP 404), tried 30 Nov 14:02"."""
    why = FAILURES.get(full_text.status, full_text.status)
    reason = f" ({full_text.reason})" if full_text.reason else ""
    tried = full_text.fetched.astimezone().strftime("%d %b %H:%M")
    text = f"No full article: {why}{reason}, tried {tried}"
    if retry is not None:
        text += f"; a refresh after {retry.astimezone().strftime('%d %b %H:%M')} tries again"
    return text


KEY_POINTS_SCHEME = "keypoints"
"""`keypoints:hide` / `keypoints:show` links fold and unfold the key points."""


@dataclass(frozen=True, slots=True)
class StoryView:
    """What the reader shows about an article's story: the other sources' articles on it
    (`coverage`, oldest first, the first few of a large story), which of them are copies of
    this one, its key points, and every other article of the story (`others`, listed or
    not)."""

    coverage: tuple[Entry, ...] = ()
    copies: frozenset[int] = frozenset()
    key_points: tuple[str, ...] = ()
    others: frozenset[int] = frozenset()

    @property
    def unlisted(self) -> int:
        """The story's articles beyond `coverage`."""
        return len(self.others - {e.id for e in self.coverage})


@cache  # read once: the reader sets it with every message it shows (each list refresh)
def stylesheet(dark: bool) -> str:
    """The bundled reader stylesheet for the theme (resources/style/)."""
    name = "dark.css" if dark else "light.css"
    return (
        resources.files("newsreader")
        .joinpath("resources")
        .joinpath("style")
        .joinpath(name)
        .read_text("utf-8")
    )


def _size(length: int | None) -> str:
    if not length:
        return ""
    if length < 1024:
        return f" ({length} bytes)"
    value, unit = length / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f" ({value:.1f} {unit})"


def article_html(
    entry: Entry,
    related: Sequence[Entry] | None,
    now: datetime,
    resolve_image: ImageResolver,
    story: StoryView | None = None,
    *,
    key_points: bool = True,
    key_points_open: bool = True,
    source: Source | None = None,
) -> str:
    """One article as a page for QTextBrowser (which applies the stylesheet); `related` is
    None while related articles are still being looked up, `story` while its story and key
    points are. `key_points` False leaves them out (the setting); `key_points_open` False
    folds them to one line. `source` picks the feed's text or the full article and adds the
    line that names it."""
    esc = html.escape
    source = source or Source()
    full = source.full_text if source.has_article and source.showing_full else None
    body = full.content or "" if full is not None else None
    rendered = render_article(entry, None, (), resolve_image, body)
    parts = [rendered.header_html]
    if key_points and story is not None and story.key_points:
        parts.append(_key_points_html(story.key_points, key_points_open))
    parts.append(source_html(source))
    parts.append(f'<div class="body">{rendered.body_html}</div>')
    if rendered.facts.link:
        parts.append(
            f'<p class="original"><a href="{esc(rendered.facts.link)}">Open original</a></p>'
        )
    if entry.enclosures:
        parts.append('<h2 class="section">Attachments</h2>')
        for enclosure in entry.enclosures:
            label = enclosure.url.rsplit("/", 1)[-1] or enclosure.url
            kind = f" {esc(enclosure.type)}" if enclosure.type else ""
            parts.append(
                f'<p class="enclosure"><a href="{esc(enclosure.url)}">{esc(label)}</a>'
                f"{kind}{_size(enclosure.length)}</p>"
            )
    covered = {e.id for e in story.coverage} | story.others if story is not None else set()
    if story is not None and story.coverage:
        parts.append('<h2 class="section">Coverage</h2>')
        for other in story.coverage:
            note = " · same text" if other.id in story.copies else ""
            parts.append(_entry_link(other, now, note))
        if story.unlisted:
            parts.append(f'<p class="empty">… and {counted(story.unlisted, "more article")}.</p>')
    related = None if related is None else [e for e in related if e.id not in covered]
    parts.append('<h2 class="section">Related articles</h2>')
    if related is None:
        parts.append('<p class="empty">Looking for related articles…</p>')
    elif not related:
        parts.append('<p class="empty">No related articles.</p>')
    for other in related or ():
        parts.append(_entry_link(other, now))
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def _entry_link(other: Entry, now: datetime, note: str = "") -> str:
    esc = html.escape
    when = relative_time(other.date, now)
    return (
        f'<p class="related"><a href="{ENTRY_SCHEME}:{other.id}">'
        f"{esc(other.title or 'Untitled')}</a><br>"
        f'<span class="related-meta">{esc(other.feed_title or "")} · {esc(when)}{note}</span></p>'
    )


def _key_points_html(points: Sequence[str], open_: bool) -> str:
    if not open_:
        return (
            f'<p class="key-points-folded"><a href="{KEY_POINTS_SCHEME}:show">Key points ▸</a></p>'
        )
    items = "".join(f"<li>{html.escape(p)}</li>" for p in points)
    return (
        f'<div class="key-points"><p class="key-points-title"><b>Key points</b> '
        f'<a href="{KEY_POINTS_SCHEME}:hide">▾ hide</a></p><ul>{items}</ul></div>'
    )


def distinct_related(entry: Entry, related: Sequence[Entry]) -> list[Entry]:
    """`related` without the article itself and without a second article at the same link
    (the same story fetched through two feeds): the first of each link is kept."""
    seen = {entry.link} if entry.link else set()
    kept = []
    for other in related:
        if other.id == entry.id or (other.link and other.link in seen):
            continue
        if other.link:
            seen.add(other.link)
        kept.append(other)
    return kept


def empty_html(message: str) -> str:
    return f'<html><body><p class="empty">{html.escape(message)}</p></body></html>'
