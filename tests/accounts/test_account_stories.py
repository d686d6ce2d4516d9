"""An account sync puts the items it wrote into stories before it finishes: two feeds of a
Google Reader API server (played by a relay; every answer written here) report one event."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from newsreader.accounts.ids import long_form
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.accounts.helpers import add_account, sync
from tests.accounts.proxy import Relay
from tests.stories.test_store_stories import OTHER, QUAKE, QUAKE_2
from tests.sync.servers import refused_url

API = "/api/greader.php"
READING_LIST = "user/-/state/com.google/reading-list"
PUBLISHED = 1_700_000_000


def _feed(number: int) -> dict[str, object]:
    return {
        "id": f"feed/{number}",
        "title": f"Outlet {number}",
        "url": f"https://outlet{number}.example/feed.xml",
        "htmlUrl": f"https://outlet{number}.example/",
        "categories": [],
    }


def _item(number: int, feed: int, report: tuple[str, str], hours: int) -> dict[str, object]:
    title, text = report
    return {
        "id": long_form(number),
        "title": title,
        "published": PUBLISHED + hours * 3600,
        "canonical": [{"href": f"https://outlet{feed}.example/{number}"}],
        "summary": {"content": f"<p>{text}</p>"},
        "origin": {"streamId": f"feed/{feed}", "title": f"Outlet {feed}"},
        "categories": [READING_LIST],
    }


def _json(relay: Relay, match: str, body: object) -> None:
    relay.answer(
        lambda m, path: m == "GET" and match in path, 200, json.dumps(body).encode(), "text/json"
    )


@pytest.fixture
def server() -> Iterator[Relay]:
    items = [_item(1, 1, QUAKE, 0), _item(2, 2, QUAKE_2, 1), _item(3, 1, OTHER, 2)]
    with Relay(refused_url("")) as relay:
        relay.answer(
            lambda m, p: p.endswith("/accounts/ClientLogin"), 200, b"SID=x\nLSID=x\nAuth=tok\n"
        )
        _json(relay, "/unread-count", {"unreadcounts": []})
        _json(relay, "/subscription/list", {"subscriptions": [_feed(1), _feed(2)]})
        _json(relay, "/stream/contents/", {"items": items})
        _json(relay, "starred", {"itemRefs": []})
        _json(relay, "/stream/items/ids", {"itemRefs": [{"id": "1"}, {"id": "2"}, {"id": "3"}]})
        yield relay


def test_an_account_sync_matches_its_items_to_stories(data_paths: DataPaths, server: Relay) -> None:
    account = add_account(data_paths, AccountKind.GREADER, server.url(API), "me")

    result = sync(data_paths, account, deadline=30)

    assert result.ok, result.message
    assert result.new_entries == 3
    with Store.open(data_paths) as store:
        ids = {e.title: e.id for e in store.list_entries(EntryQuery())}
        story = store.entry_story(ids[QUAKE_2[0]])
        assert story is not None
        assert story.entries == (ids[QUAKE[0]],)
        assert store.entry_story(ids[OTHER[0]]) is None
        assert store.match_queued_stories() == 0  # nothing left for the next sync
