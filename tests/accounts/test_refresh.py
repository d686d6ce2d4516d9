"""A refresh of everything (`newsreader sync`, the window's Refresh and Refresh this feed):
local feeds are fetched from their sites, an account's feeds only through the account."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from newsreader.accounts.greader import READ
from newsreader.accounts.passwords import save_password
from newsreader.cli import build_parser, run_command
from newsreader.model import AccountKind
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from tests.accounts.freshrss import ServerUser
from tests.accounts.helpers import entries, feeds, item_ids, sync
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import Item, rss
from tests.sync.servers import refused_url

RSS = "application/rss+xml"


def cli(paths: DataPaths, *argv: str) -> int:
    return run_command(build_parser().parse_args(["--data-dir", str(paths.root), *argv]))


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    """A feed's own site, counting every request made to it."""
    with LoopbackServer() as server:
        server.route(
            "/f", Response(body=rss([Item("a", "Site item")], title="Site"), content_type=RSS)
        )
        yield server


def _account_with_feed(paths: DataPaths, account_url: str, feed_url: str) -> tuple[int, int]:
    with Store.open(paths) as store:
        account = store.add_account(AccountKind.GREADER, account_url, "someone")
        feed = store.add_feed(feed_url, title="Via server", account_id=account.id)
    save_password(account.kind, account.url, account.username, "secret")
    return account.id, feed.id


def test_syncing_an_account_feed_by_name_never_fetches_its_site(
    data_paths: DataPaths, site: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    account_id, feed_id = _account_with_feed(
        data_paths, refused_url("/api/greader.php"), site.url("/f")
    )

    code = cli(data_paths, "sync", str(feed_id))

    out, err = capsys.readouterr()
    assert site.requests_for("/f") == []
    assert f"Feed {feed_id} (Via server) comes from account {account_id}" in out
    assert f"account {account_id} (someone at " in out
    assert ": offline: " in out  # the account's own line says why
    assert "Checking" not in out  # no local feed was fetched
    assert code == 1  # nothing could be reached
    assert err.endswith("nothing could be fetched: cannot reach 127.0.0.1\n")  # one server
    with Store.open(data_paths) as store:
        assert store.count_entries(EntryQuery()) == 0
        assert store.get_account(account_id).pending == 1  # the subscription, kept


def test_sync_fetches_local_feeds_and_says_how_each_account_went(
    data_paths: DataPaths, site: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    other = LoopbackServer()
    with other:
        other.route("/g", Response(body=rss([Item("b", "Local")], title="Local"), content_type=RSS))
        account_id, _ = _account_with_feed(
            data_paths, refused_url("/api/greader.php"), site.url("/f")
        )
        with Store.open(data_paths) as store:
            store.add_feed(other.url("/g"))

        code = cli(data_paths, "sync", "--all")

    out, _ = capsys.readouterr()
    assert code == 0  # a local feed answered
    assert site.requests_for("/f") == []  # the account's feed: not from its site
    assert "Checked 1 feed: 0 unchanged, 1 updated, 1 new entry, 0 failed." in out
    assert f"account {account_id} (someone at " in out and ": offline: " in out


def test_sync_of_an_account_feed_brings_the_servers_state(
    data_paths: DataPaths, server_user: ServerUser, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newsreader sync FEED` on a FreshRSS feed: what was read on the server (as on a
    phone) is read here; the feed's site is not asked."""
    with Store.open(data_paths) as store:
        account = store.add_account(
            AccountKind.GREADER, server_user.server.greader_url, server_user.name
        )
    save_password(account.kind, account.url, account.username, server_user.password)
    assert sync(data_paths, account.id).ok
    alpha = feeds(data_paths)[f"{server_user.server.feed_url}/alpha.xml"]
    ids = item_ids(data_paths, account.id)
    read_there = min(ids.values())
    server_user.client().post("/edit-tag", {"a": READ, "i": str(read_there)})

    code = cli(data_paths, "sync", str(alpha.id))

    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"account {account.id} ({server_user.name} at " in out
    assert "synced; sent 0 changes, 0 new articles, 1 state change, " in out
    assert "Checked" not in out
    by_item = {ids[e.id]: e for e in entries(data_paths)}
    assert by_item[read_there].read
    assert sum(e.read for e in by_item.values()) == 1

    code = cli(data_paths, "sync")
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "No local feeds are due." in out
    assert f"account {account.id} ({server_user.name} at " in out


def test_feeds_say_which_come_with_an_account(
    data_paths: DataPaths, site: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    account_id, feed_id = _account_with_feed(
        data_paths, refused_url("/api/greader.php"), site.url("/f")
    )
    with Store.open(data_paths) as store:
        local = store.add_feed(site.url("/local"))

    assert cli(data_paths, "feeds") == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert f"account {account_id}" in rows[str(feed_id)]
    assert "account" not in rows[str(local.id)]
    assert cli(data_paths, "feeds", "--json") == 0
    listed = {f["id"]: f["account"] for f in json.loads(capsys.readouterr().out)}
    assert listed == {feed_id: account_id, local.id: None}


def test_a_folder_of_local_and_account_feeds_fetches_only_the_local_ones(
    data_paths: DataPaths, site: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refresh folder names every feed in it: the local ones are fetched, the account's feed
    goes through its account."""
    site.route("/g", Response(body=rss([Item("b", "Local")], title="Local"), content_type=RSS))
    account_id, feed_id = _account_with_feed(
        data_paths, refused_url("/api/greader.php"), site.url("/f")
    )
    with Store.open(data_paths) as store:
        local = store.add_feed(site.url("/g"))

    assert cli(data_paths, "sync", str(local.id), str(feed_id)) == 0

    out, _ = capsys.readouterr()
    assert site.requests_for("/f") == [] and len(site.requests_for("/g")) == 1
    assert "Checked 1 feed: 0 unchanged, 1 updated, 1 new entry, 0 failed." in out
    assert f"Feed {feed_id} (Via server) comes from account {account_id}" in out


def test_sync_lists_what_notify_rules_found_in_an_account(
    data_paths: DataPaths, server_user: ServerUser, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `notify` rule on articles a feed server delivers is told about, as for local
    feeds: `newsreader sync` names them after the account's line."""
    with Store.open(data_paths) as store:
        account = store.add_account(
            AccountKind.GREADER, server_user.server.greader_url, server_user.name
        )
        store.add_rule("alpha news", "title~/^Alpha/", ["notify"])
    save_password(account.kind, account.url, account.username, server_user.password)

    code = cli(data_paths, "sync")

    out, err = capsys.readouterr()
    assert code == 0, err
    assert "4 new articles" in out
    listing = out[out.index("Your rules asked to tell you about 2 articles:") :].splitlines()
    with Store.open(data_paths) as store:
        alpha = {e.title: e.id for e in store.list_entries(EntryQuery(search="title:alpha"))}
    assert sorted(listing[1:3]) == sorted(f"  {i}  {title}" for title, i in alpha.items())
    assert set(alpha) == {"Alpha one", "Alpha two"}
