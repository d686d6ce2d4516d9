"""Saved searches and rules: run in order on new entries inside the sync's write, on demand,
scoped, previewed, exported; a failing rule is reported and skipped, losing nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsreader.errors import NotFoundError, SearchQueryError, StoreError
from newsreader.model import AccountKind, ParsedEntry
from newsreader.store import EntryQuery, Store
from newsreader.store.types import RemoteFeed, RemoteItem
from tests.store.builders import NOW, entry, feed, fetch


def ingest(store: Store, feed_id: int, *entries: ParsedEntry, minutes: int = 0) -> list[int]:
    result = store.apply_parsed_feed(
        feed_id, feed(*entries), fetch(at=NOW + timedelta(minutes=minutes))
    )
    return list(result.new_entry_ids)


def titles(store: Store, query: EntryQuery) -> list[str]:
    return sorted(e.title or "" for e in store.list_entries(query))


def test_rules_run_in_order_on_new_entries_in_the_same_write(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/feed").id
    store.add_rule("drop ads", "title:sponsored", ["delete"])
    store.add_rule("swift", "swift OR title~/^Xcode/", ["tag:Swift", "read"])
    store.add_rule("star unread", "is:unread", ["star", "notify"])  # sees what "swift" did
    result = store.apply_parsed_feed(
        feed_id,
        feed(
            entry(
                "1",
                title="Sponsored: buy now",
                image="https://a.example/ad.png",
                comments_feed="https://a.example/1/comments",
            ),
            entry("2", title="Swift 6 released"),
            entry("3", title="Xcode 17 beta"),
            entry("4", title="Volcano erupts"),
        ),
        fetch(),
    )
    ran = result.rules
    assert len(ran.deleted) == 1 and ran.deleted[0] not in result.new_entry_ids
    assert ran.deleted[0] not in {i for i, _ in (*result.new_images, *result.comment_feeds)}
    assert len(result.new_entry_ids) == 3
    by_title = {e.title: e for e in store.list_entries(EntryQuery())}
    assert set(by_title) == {"Swift 6 released", "Xcode 17 beta", "Volcano erupts"}
    assert by_title["Swift 6 released"].tags == ("Swift",) and by_title["Swift 6 released"].read
    assert by_title["Xcode 17 beta"].read and not by_title["Xcode 17 beta"].starred
    assert by_title["Volcano erupts"].starred and not by_title["Volcano erupts"].read
    assert ran.notify == (by_title["Volcano erupts"].id,)
    assert ran.problems == ()
    # The deleted entry is remembered like a purged one: the next sync does not bring it back.
    again = store.apply_parsed_feed(feed_id, feed(entry("1", title="Sponsored: buy now")), fetch())
    assert again.new_entry_ids == () and again.skipped_purged == 1
    # Rules act on new entries only: an updated entry is left alone.
    store.set_starred([by_title["Volcano erupts"].id], False)
    changed = feed(entry("4", title="Volcano erupts", summary="<p>more</p>"))
    assert store.apply_parsed_feed(feed_id, changed, fetch()).rules.starred == ()


def test_scopes_feed_and_folder_with_subfolders(store: Store) -> None:
    sub = store.ensure_folder_path(["Tech", "Apple"])
    tech = store.ensure_folder_path(["Tech"])
    apple = store.add_feed("https://apple.example/feed", folder_id=sub).id
    other = store.add_feed("https://other.example/feed").id
    store.add_rule("tech", "release", ["tag:tech"], folder_id=tech)
    store.add_rule("other", "release", ["tag:other"], feed_id=other)
    ingest(store, apple, entry("a", title="A release"))
    ingest(store, other, entry("b", title="B release"))
    tags = {e.title: e.tags for e in store.list_entries(EntryQuery())}
    assert tags == {"A release": ("tech",), "B release": ("other",)}
    with pytest.raises(StoreError, match="not both"):
        store.add_rule("both", "x", ["read"], feed_id=other, folder_id=tech)
    with pytest.raises(NotFoundError):
        store.add_rule("nofeed", "x", ["read"], feed_id=999)
    # A rule scoped to a feed goes with the feed.
    store.delete_feed(other)
    assert [r.name for r in store.list_rules()] == ["tech"]


def test_hidden_entries_leave_every_view_but_is_hidden(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/feed").id
    store.add_rule("mute", "title:football", ["hide"])
    ingest(store, feed_id, entry("1", title="Football scores"), entry("2", title="Chess news"))
    assert titles(store, EntryQuery()) == ["Chess news"]
    assert titles(store, EntryQuery(search="scores OR chess")) == ["Chess news"]
    assert store.count_entries(EntryQuery(feed_ids=(feed_id,))) == 1
    assert store.get_feed(feed_id).unread_count == 1
    assert titles(store, EntryQuery(search="is:hidden")) == ["Football scores"]
    store.remove_rule("mute")  # its entries come back
    assert titles(store, EntryQuery()) == ["Chess news", "Football scores"]
    assert store.get_feed(feed_id).unread_count == 2


def test_delete_never_takes_starred_or_commented_entries(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/feed").id
    ids = ingest(
        store,
        feed_id,
        entry("1", title="Old a"),
        entry("2", title="Old b"),
        entry("3", title="Old c"),
    )
    store.set_starred([ids[0]], True)
    store.add_comment(ids[1], "keep this", author="me")
    store.add_rule("purge old", "title:old", ["delete"])
    assert store.rule_entry_ids("title:old") == sorted(ids, reverse=True)  # preview: all three
    ran = store.run_rules()
    assert ran.deleted == (ids[2],)
    assert titles(store, EntryQuery()) == ["Old a", "Old b"]
    assert [c.body for c in store.list_comments(ids[1])] == ["keep this"]


def test_a_failing_rule_is_reported_and_skipped_and_loses_nothing(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/feed").id
    store.add_rule("tag first", "title:aaaa*", ["tag:seen"])
    store.add_rule("catastrophic", "title~/(a|aa)+$/", ["delete", "tag:gone"])
    store.add_rule("after it", "title:aaaa*", ["star"])
    result = store.apply_parsed_feed(feed_id, feed(entry("1", title="a" * 40 + "!")), fetch())
    (problem,) = result.rules.problems
    assert problem.name == "catastrophic" and "took longer than" in problem.message
    (stored,) = store.list_entries(EntryQuery())
    assert stored.tags == ("seen",) and stored.starred  # the rules around it ran
    rule = store.get_rule("catastrophic")
    assert rule.error_count == 1 and rule.last_error == problem.message
    assert rule.last_error_at == NOW
    # Fixed, the rule runs again and its error record clears.
    store.remove_rule("catastrophic")
    store.add_rule("catastrophic", "title~/a+!$/", ["tag:matched"])
    ran = store.run_rules(["catastrophic"])
    assert ran.tagged == (stored.id,) and ran.problems == ()


def test_rule_checks_and_names(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown rule action 'explode'"):
        store.add_rule("x", "a", ["explode"])
    with pytest.raises(StoreError, match="at least one action"):
        store.add_rule("x", "a", [])
    with pytest.raises(SearchQueryError, match="position 3"):
        store.add_rule("x", "a (b", ["read"])
    rule = store.add_rule(" Mute  it ", "a", ["tag: Later ", "read", "read"])
    assert (rule.name, rule.actions) == ("Mute it", ("tag:Later", "read"))
    with pytest.raises(StoreError, match="already a rule named"):
        store.add_rule("mute IT", "b", ["read"])
    with pytest.raises(NotFoundError):
        store.remove_rule("nothing")


def test_rules_export_and_import_by_feed_url_and_folder_path(
    store: Store, other_store: Store
) -> None:
    folder = store.ensure_folder_path(["News", "World"])
    feed_id = store.add_feed("https://a.example/feed").id
    store.add_rule("one", "is:unread", ["star"], folder_id=folder)
    store.add_rule("two", "title~/x/i", ["tag:x", "notify"], feed_id=feed_id, enabled=False)
    exported = store.export_rules()
    assert exported[1] == {
        "name": "two",
        "query": "title~/x/i",
        "actions": ["tag:x", "notify"],
        "enabled": False,
        "feed": "https://a.example/feed",
        "folder": None,
    }
    other = other_store
    with pytest.raises(StoreError, match="rule 2 of the file: no subscribed feed"):
        other.import_rules(exported)
    assert other.list_rules() == []  # all or nothing
    other.add_feed("https://a.example/feed")
    imported = other.import_rules(exported)
    assert [(r.name, r.enabled) for r in imported] == [("one", True), ("two", False)]
    assert other.folder_path(imported[0].folder_id or 0) == ("News", "World")


def test_saved_searches(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/feed").id
    ids = ingest(store, feed_id, entry("1", title="Rust 2"), entry("2", title="Rust 3"))
    store.set_read([ids[0]], True)
    saved = store.add_saved_search("Rust", "title:rust")
    store.add_saved_search("Unread", "is:unread")
    assert [(s.name, s.unread_count) for s in store.list_saved_searches()] == [
        ("Rust", 1),
        ("Unread", 1),
    ]
    assert store.saved_search("rust").query == "title:rust"
    with pytest.raises(StoreError, match="already a saved search"):
        store.add_saved_search("RUST", "x")
    with pytest.raises(SearchQueryError):
        store.add_saved_search("bad", '"open')
    renamed = store.update_saved_search(saved.id, name="Rust news", query="rust 3")
    assert (renamed.name, renamed.query) == ("Rust news", "rust 3")
    store.remove_saved_search("rust news")
    assert [s.name for s in store.list_saved_searches()] == ["Unread"]
    with pytest.raises(NotFoundError):
        store.saved_search("Rust news")


def test_tags_keep_one_spelling_and_untag_any_case(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/feed").id
    ids = ingest(store, feed_id, entry("1"), entry("2"))
    assert store.tag_entries(ids, "Later") == 2
    assert store.tag_entries(ids, "later") == 0  # the same tag
    assert store.list_tags() == [("Later", 2)]
    assert store.count_entries(EntryQuery(search="tag:LATER")) == 2
    assert store.untag_entries([ids[0]], "LATER") == 1
    assert store.list_tags() == [("Later", 1)]
    with pytest.raises(NotFoundError):
        store.tag_entries([ids[0], 999], "x")
    assert store.list_tags() == [("Later", 1)]  # nothing tagged then


def test_a_tag_in_another_case_of_any_script_is_the_same_tag(store: Store) -> None:
    """ "été", "ÉTÉ" and "e\u0301te\u0301" (accents as combining marks) are one tag; a store
    of older versions, which folded ASCII only, may hold two spellings: listed as one."""
    feed_id = store.add_feed("https://a.example/feed").id
    ids = ingest(store, feed_id, entry("1"), entry("2"), entry("3"))
    assert store.tag_entries([ids[0]], "été") == 1
    assert store.tag_entries([ids[0], ids[1]], "ÉTÉ") == 1  # ids[0] has it already
    assert store.tag_entries([ids[2]], "e\u0301te\u0301") == 1
    assert store.list_tags() == [("été", 3)]
    assert store.count_entries(EntryQuery(search="tag:ÉTÉ")) == 3
    assert store.count_entries(EntryQuery(tag="Été")) == 3
    assert store.untag_entries([ids[1]], "ÉtÉ") == 1
    assert store.list_tags() == [("été", 2)]

    with store._write() as conn:  # as an older version wrote it: a second spelling
        conn.execute("INSERT INTO entry_tags(entry_id, tag) VALUES (?, 'ÉTÉ')", (ids[0],))
    assert store.list_tags() == [("ÉTÉ", 2)]  # one tag, its entries counted once
    assert store.untag_entries([ids[0]], "été") == 1  # both spellings, one entry
    assert store.list_tags() == [("été", 1)]


def test_rules_run_on_server_items_and_queue_their_marks(store: Store) -> None:
    account = store.add_account(AccountKind.GREADER, "https://example.org/api", "me").id
    store.apply_remote_subscriptions(
        account, [RemoteFeed(remote_id="feed/7", url="https://example.org/feed.xml")]
    )
    store.add_rule("read ads", "title:advert", ["read"])
    items = [
        RemoteItem(item_id=1001, feed_remote_id="feed/7", entry=entry("e1", title="An advert")),
        RemoteItem(item_id=1002, feed_remote_id="feed/7", entry=entry("e2", title="News")),
    ]
    assert store.apply_remote_items(account, items, NOW).new_entries == 2
    assert [e.title for e in store.list_entries(EntryQuery(search="is:read"))] == ["An advert"]
    assert [(c.kind, c.item_id) for c in store.pending_changes(account)] == [("read", 1001)]


def test_update_rule_keeps_its_place_and_what_it_hid(store: Store) -> None:
    feed_id = store.add_feed("https://a.example/feed").id
    first = store.add_rule("mute", "title:football", ["hide"])
    store.add_rule("second", "x", ["read"])
    ingest(store, feed_id, entry("1", title="Football scores"))
    changed = store.update_rule(first.id, "Mute sport", "title:football OR rugby", ["hide", "read"])
    assert (changed.position, changed.actions) == (first.position, ("hide", "read"))
    assert [r.name for r in store.list_rules()] == ["Mute sport", "second"]
    assert titles(store, EntryQuery(search="is:hidden")) == ["Football scores"]
    with pytest.raises(StoreError, match="already a rule named"):
        store.update_rule(first.id, "SECOND", "x", ["read"])


def test_a_rule_on_the_language_tags_new_entries_as_they_are_stored(store: Store) -> None:
    feed_id = store.add_feed("https://mixed.example/feed").id
    store.add_rule("German", "lang:de", ["tag:Deutsch"])
    store.add_rule("not English", "-lang:en -tag:deutsch", ["read"])  # sees the tag above
    ingest(
        store,
        feed_id,
        entry("en", title="The city council votes on the new harbour bridge tonight"),
        entry("de", title="Der Stadtrat stimmt heute über die neue Hafenbrücke ab"),
        entry("short", title="Ok"),
    )
    by_guid = {e.guid: e for e in store.list_entries(EntryQuery())}
    assert by_guid["de"].tags == ("Deutsch",) and not by_guid["de"].read
    assert by_guid["en"].tags == () and not by_guid["en"].read
    assert by_guid["short"].read  # unknown language is not English
