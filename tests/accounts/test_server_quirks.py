"""What went wrong for other readers' users with Google Reader API servers, played by a
relay answering as such a server would (every answer written here):

- Inoreader and Miniflux spell the user's own streams with its number
  (`user/1005921515/state/com.google/read`), not `-` (ReadYou issue 584, Miniflux PR 2184):
  read and starred state must still be seen.
- A server that hands back the continuation token it was asked with would be paged forever.
- The same item on two pages (time-paged servers repeat the boundary item) and in the
  starred stream must stay one article.
"""

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
from tests.sync.servers import refused_url

API = "/api/greader.php"
USER = "user/1005921515"
FEED = {
    "id": "feed/1",
    "title": "One",
    "url": "https://one.example/feed.xml",
    "htmlUrl": "https://one.example/",
    "categories": [{"id": f"{USER}/label/News", "label": "News"}],
}
NEWEST_USEC = 1_700_000_300_000_000


def _item(number: int, *states: str) -> dict[str, object]:
    return {
        "id": long_form(number),
        "title": f"Story {number}",
        "published": 1_700_000_000 + number,
        "canonical": [{"href": f"https://one.example/{number}"}],
        "summary": {"content": f"<p>Story {number}</p>"},
        "origin": {"streamId": "feed/1", "title": "One"},
        "categories": [f"{USER}/state/com.google/reading-list", *states],
    }


READ = f"{USER}/state/com.google/read"
STARRED = f"{USER}/state/com.google/starred"


def _json(relay: Relay, match: str, body: object, method: str = "GET") -> None:
    relay.answer(
        lambda m, path: m == method and match in path,
        200,
        json.dumps(body).encode(),
        "application/json",
    )


@pytest.fixture
def server() -> Iterator[Relay]:
    """A Google Reader API server of one feed and three items, answering as Inoreader spells
    streams; page 2 of the reading list repeats item 2 and gives back its own token."""
    with Relay(refused_url("")) as relay:
        relay.answer(
            lambda m, p: p.endswith("/accounts/ClientLogin"), 200, b"SID=x\nLSID=x\nAuth=tok\n"
        )
        _json(
            relay,
            "/unread-count",
            {
                "unreadcounts": [
                    {"id": "feed/1", "count": 2, "newestItemTimestampUsec": str(NEWEST_USEC)},
                    {
                        "id": f"{USER}/state/com.google/reading-list",
                        "count": 2,
                        "newestItemTimestampUsec": str(NEWEST_USEC),
                    },
                ]
            },
        )
        _json(relay, "/subscription/list", {"subscriptions": [FEED]})
        _json(
            relay,
            "c=page2",
            {"items": [_item(2), _item(3, STARRED)], "continuation": "page2"},
        )
        _json(
            relay,
            "/stream/contents/",
            {"items": [_item(1, READ), _item(2)], "continuation": "page2"},
        )
        _json(relay, "starred", {"itemRefs": [{"id": "3"}]})
        _json(relay, "/stream/items/ids", {"itemRefs": [{"id": "2"}, {"id": "3"}]})
        yield relay


def test_inoreader_spelled_states_repeated_pages_and_tokens(
    data_paths: DataPaths, server: Relay
) -> None:
    account = add_account(data_paths, AccountKind.GREADER, server.url(API), "me")

    result = sync(data_paths, account, deadline=30)

    assert result.ok, result.message
    with Store.open(data_paths) as store:
        got = {e.title: e for e in store.list_entries(EntryQuery())}
        (feed,) = store.list_feeds()
        assert store.folder_path(feed.folder_id) == ("News",)
        assert sorted(store.item_ids_of(account).values()) == [1, 2, 3]
    assert sorted(got) == ["Story 1", "Story 2", "Story 3"]  # item 2 once, on both pages
    assert [got[t].read for t in sorted(got)] == [True, False, False]
    assert [got[t].starred for t in sorted(got)] == [False, False, True]
    again = sync(data_paths, account, deadline=30)
    assert again.ok and (again.new_entries, again.state_changes) == (0, 0)
