"""The reader panel's page for one article: the shared export renderer's header and body, then
"Open original", enclosures and related articles.

Related articles link to `entry:ID` URLs, which the reader panel opens inside the app; every
other link opens outside. Images go through the caller's resolver (the offline cache).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from importlib import resources

from newsreader.export.render import ImageResolver, render_article
from newsreader.gui.timefmt import relative_time
from newsreader.model import Entry

ENTRY_SCHEME = "entry"


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
    entry: Entry, related: Sequence[Entry] | None, now: datetime, resolve_image: ImageResolver
) -> str:
    """One article as a page for QTextBrowser (which applies the stylesheet); `related` is
    None while related articles are still being looked up."""
    esc = html.escape
    rendered = render_article(entry, None, (), resolve_image)
    parts = [rendered.header_html, f'<div class="body">{rendered.body_html}</div>']
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
    parts.append('<h2 class="section">Related articles</h2>')
    if related is None:
        parts.append('<p class="empty">Looking for related articles…</p>')
    elif not related:
        parts.append('<p class="empty">No related articles yet.</p>')
    for other in related or ():
        when = relative_time(other.date, now)
        parts.append(
            f'<p class="related"><a href="{ENTRY_SCHEME}:{other.id}">'
            f"{esc(other.title or 'Untitled')}</a><br>"
            f'<span class="related-meta">{esc(other.feed_title or "")} · {esc(when)}</span></p>'
        )
    return "<html><body>" + "\n".join(parts) + "</body></html>"


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
