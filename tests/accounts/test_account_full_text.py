"""A server account's articles get their full article under their feed's Full article setting
(auto, always, never) as a local feed's do: the account sync queues the pages with the new
articles and its follow-up stage fetches them, so they are readable offline. Against the real
FreshRSS, which fetches feeds served here beside it (its loopback feed server's folder)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from newsreader.accounts.passwords import save_password
from newsreader.accounts.refresh import refresh
from newsreader.accounts.subscribe import queue_subscription
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.options import SyncOptions
from tests.accounts.freshrss import ServerUser
from tests.accounts.helpers import add_account, sync

LONG = " ".join(f"Sentence {n} of the feed's own text, complete as it is." for n in range(40))


def _article(words: str) -> str:
    paragraphs = "".join(
        f"<p>Paragraph {n}: {words} rebuilt the old stone bridge after the spring floods, "
        "with volunteers carrying stones and the mayor counting every cart that crossed.</p>"
        for n in range(12)
    )
    return (
        "<!DOCTYPE html><html><head><title>Story</title></head><body><header>Site</header>"
        f"<article><h1>Story</h1>{paragraphs}</article><footer>About us</footer></body></html>"
    )


def _serve_feed(server_user: ServerUser, name: str) -> str:
    """A feed of two items in the feed server's folder (a teaser, and one whole in the feed),
    each linking to its own article page; its URL."""
    folder: Path = server_user.server.work / "feeds"
    base = server_user.server.feed_url
    items = []
    for number, text in ((1, "A short teaser. Read more…"), (2, LONG)):
        page = folder / name / str(number)
        page.mkdir(parents=True, exist_ok=True)
        (page / "index.html").write_text(_article(f"{name} {number}"))
        items.append(
            f"<item><title>{name} {number}</title><link>{base}/{name}/{number}/</link>"
            f"<guid isPermaLink='false'>{name}-{number}</guid><description>{text}"
            "</description></item>"
        )
    (folder / f"{name}.xml").write_text(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{name}</title>"
        f"<link>{base}/</link>{''.join(items)}</channel></rss>"
    )
    return f"{base}/{name}.xml"


def test_account_articles_follow_the_feeds_full_article_setting(
    data_paths: DataPaths, server_user: ServerUser
) -> None:
    account = add_account(
        data_paths, AccountKind.GREADER, server_user.server.greader_url, server_user.name
    )
    modes = {"auto": "", "always": "", "never": ""}
    with Store.open(data_paths) as store:
        for mode in modes:
            url = _serve_feed(server_user, f"{server_user.name}-{mode}")
            feed = queue_subscription(store, account, url)
            store.set_feed_full_text(feed.id, mode)  # type: ignore[arg-type]
            modes[mode] = url

    result = sync(data_paths, account)

    assert result.ok, result.message
    assert result.full_articles == 3  # auto's teaser, always's two
    with Store.open(data_paths) as store:
        fetched = {}
        for entry in store.list_entries(EntryQuery()):
            if not (entry.title or "").startswith(server_user.name):
                continue  # the demo feeds' (their pages are missing: failed)
            stored = store.full_text(entry.id)
            fetched[entry.title] = None if stored is None else stored.status
    name = server_user.name
    assert fetched == {
        f"{name}-auto 1": "ok",  # a teaser
        f"{name}-auto 2": None,  # whole in the feed
        f"{name}-always 1": "ok",
        f"{name}-always 2": "ok",
        f"{name}-never 1": None,
        f"{name}-never 2": None,
    }
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["page"]) == 0  # done, not left for a local sync


def test_a_refresh_fetches_the_accounts_full_articles_after_their_lines(
    data_paths: DataPaths, server_user: ServerUser
) -> None:
    """`newsreader sync` and the window's Refresh (`refresh`): every account's line first,
    then one follow-up stage for the accounts' new articles."""
    account = add_account(
        data_paths, AccountKind.GREADER, server_user.server.greader_url, server_user.name
    )
    with Store.open(data_paths) as store:
        stored = store.get_account(account)
        save_password(stored.kind, stored.url, stored.username, server_user.password)
        queue_subscription(store, account, _serve_feed(server_user, f"{server_user.name}-r"))
    told: list[int] = []

    done = asyncio.run(refresh(data_paths, SyncOptions(), each_account=lambda r: told.append(1)))

    assert [r.ok for r in done.accounts] == [True] and told == [1]
    with Store.open(data_paths) as store:
        statuses = {
            e.title: (store.full_text(e.id) or FullTextNone).status
            for e in store.list_entries(EntryQuery())
        }
    assert statuses[f"{server_user.name}-r 1"] == "ok"
    assert statuses[f"{server_user.name}-r 2"] == "none"


class FullTextNone:
    status = "none"
