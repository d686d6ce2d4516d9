"""Articles of a server account that a rule hides or deletes count as read on the server (as
FreshRSS's own filters mark what they hide): otherwise its web pages and phone apps would
show them unread for good. Against the real FreshRSS."""

from __future__ import annotations

import pytest

from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.accounts.freshrss import ServerUser
from tests.accounts.helpers import add_account, item_ids, sync


@pytest.mark.parametrize("action", ["hide", "delete"])
def test_a_rule_that_hides_or_deletes_marks_read_on_the_server(
    data_paths: DataPaths, server_user: ServerUser, action: str
) -> None:
    with Store.open(data_paths) as store:
        store.add_rule("no alpha", 'title:"Alpha"', [action])
    account = add_account(
        data_paths, AccountKind.GREADER, server_user.server.greader_url, server_user.name
    )
    client = server_user.client()
    before = client.unread_ids()

    first = sync(data_paths, account)  # the rule runs on the new articles and queues marks
    assert first.ok, first.message
    with Store.open(data_paths) as store:
        assert store.get_account(account).pending == 2
        kept = store.list_entries(EntryQuery())
    assert sorted(e.title for e in kept) == ["Beta one", "Beta two"]
    assert not any(e.read for e in kept)

    assert sync(data_paths, account).sent == 2
    after = client.unread_ids()
    assert len(before) == 4
    assert len(after) == 2
    items = item_ids(data_paths, account)
    assert {items[e.id] for e in kept} == after  # the Beta ones, still unread


def test_a_rule_run_by_hand_marks_the_server_articles_it_hides_read(
    data_paths: DataPaths, server_user: ServerUser
) -> None:
    account = add_account(
        data_paths, AccountKind.GREADER, server_user.server.greader_url, server_user.name
    )
    assert sync(data_paths, account).ok
    with Store.open(data_paths) as store:
        store.add_rule("hide beta", 'title:"Beta"', ["hide"])
        store.run_rules(["hide beta"])
        hidden = store.list_entries(EntryQuery(search="is:hidden"))
        assert sorted(e.title for e in hidden) == ["Beta one", "Beta two"]
        assert all(e.read for e in hidden)
        assert store.get_account(account).pending == 2
        shown = store.list_entries(EntryQuery())
    assert sync(data_paths, account).sent == 2
    items = item_ids(data_paths, account)
    assert server_user.client().unread_ids() == {items[e.id] for e in shown}  # Alpha ones
