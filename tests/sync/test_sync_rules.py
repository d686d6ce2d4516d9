"""Rules during a real sync: they act on the new entries as they are stored; a rule that fails
is reported in the sync's summary and skipped, and the feed's entries are all kept."""

from __future__ import annotations

import asyncio

import pytest

from newsreader.cli import build_parser, run_command
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import FeedSynced, SyncEvent
from tests.loopback import LoopbackServer, Response
from tests.sync.documents import Item, rss

RSS = "application/rss+xml"


def test_rules_act_during_a_sync_and_failures_are_reported(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [
        Item("1", title="Sponsored: a gadget"),
        Item("2", title="Harbour ferry returns"),
        Item("3", title="a" * 40 + "!"),
    ]
    server.route("/f", Response(body=rss(items, title="Harbour"), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
        store.add_rule("ads", "title~/^sponsored/i", ["delete"])
        store.add_rule("slow", "title~/(a|aa)+$/", ["delete"])
        store.add_rule("ferries", "ferry", ["tag:boats", "notify"])
    code = run_command(build_parser().parse_args(["--data-dir", str(data_paths.root), "sync"]))
    out = capsys.readouterr().out
    assert code == 0
    assert "Harbour: 2 new, 0 updated" in out  # the sponsored entry was deleted as stored
    assert "Rules that failed and were skipped (`newsreader rules list`):" in out
    assert "  rule 'slow': the pattern /(a|aa)+$/ took longer than" in out
    with Store.open(data_paths) as store:
        stored = {e.title: e.tags for e in store.list_entries(EntryQuery())}
        assert stored == {"Harbour ferry returns": ("boats",), "a" * 40 + "!": ()}
        assert store.get_rule("slow").error_count == 1


def test_sync_events_carry_the_entries_to_notify(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/f", Response(body=rss([Item("1", title="Storm warning")]), content_type=RSS))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/f"))
        store.add_rule("storms", "storm", ["notify"])
    events: list[SyncEvent] = []
    summary = asyncio.run(sync(data_paths, SyncOptions(all_feeds=True), [events.append]))
    (synced,) = [e for e in events if isinstance(e, FeedSynced)]
    with Store.open(data_paths) as store:
        assert synced.notify_entry_ids == tuple(store.entry_ids(EntryQuery(search="storm")))
    assert synced.notify_entry_ids and summary.rule_problems == ()
