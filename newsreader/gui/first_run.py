"""The first start: a starter set of subscriptions and the bundled welcome feed, both read from
the package (no network), so the window is never empty, also offline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from importlib import resources

from newsreader.parse import parse_feed
from newsreader.parse.opml import parse_opml
from newsreader.store import FetchInfo, Store

# The welcome feed lives in the package, not on the web: `.invalid` can never resolve, and the
# feed is disabled so no sync ever tries to fetch it.
WELCOME_URL = "https://newsreader.invalid/welcome.atom"
WELCOME_FOLDER = "Newsreader"


def _resource(*parts: str) -> bytes:
    node = resources.files("newsreader").joinpath("resources")
    for part in parts:
        node = node.joinpath(part)
    return node.read_bytes()


def install_welcome_feed(store: Store) -> int:
    """Subscribes to the bundled welcome feed and writes its entries; returns the feed id.

    The articles are dated at installation (a minute apart, in the file's order), so they are
    the newest in the window on the first start rather than weeks old.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    parsed = parse_feed(_resource("welcome", "welcome.atom"), WELCOME_URL)
    entries = tuple(
        replace(entry, published=now - timedelta(minutes=i), updated=None)
        for i, entry in enumerate(parsed.entries)
    )
    parsed = replace(parsed, entries=entries, updated=now)
    folder_id = store.ensure_folder_path((WELCOME_FOLDER,))
    feed = store.add_feed(WELCOME_URL, title=parsed.title, folder_id=folder_id)
    store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=now))
    store.update_feed_settings(feed.id, interval_minutes=None, disabled=True)
    return feed.id


def install_starter_feeds(store: Store) -> int:
    """Subscribes to resources/starter.opml; returns how many feeds were added."""
    result = store.import_outline(parse_opml(_resource("starter.opml")))
    return len(result.added_feed_ids)


def populate_first_run(store: Store) -> int:
    """Fills an empty store; returns the welcome feed's id (whose first entry to show)."""
    install_starter_feeds(store)
    return install_welcome_feed(store)
