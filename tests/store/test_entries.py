"""Entry queries, full-text search, statuses, tags and related coverage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsreader.errors import NotFoundError, SearchQueryError, StoreError
from newsreader.model import Author
from newsreader.store import EntryOrder, EntryQuery, Store
from tests.store.builders import NOW, entry, feed, fetch


@pytest.fixture
def library(store: Store) -> dict[str, int]:
    """Two feeds in nested folders; returns entry ids by guid."""
    science = store.ensure_folder_path(["News", "Science"])
    news = store.ensure_folder_path(["News"])
    a = store.add_feed("https://a.example/feed", folder_id=science).id
    b = store.add_feed("https://b.example/feed", folder_id=news).id
    day = timedelta(days=1)
    ids: dict[str, int] = {}
    for feed_id, title, entries in (
        (
            a,
            "Alpha Science",
            (
                entry(
                    "a1",
                    title="Climate change summit opens",
                    published=NOW - 5 * day,
                    summary="<p>Leaders meet on <b>emissions</b>.</p>",
                ),
                entry(
                    "a2",
                    title="New C++ standard",
                    published=NOW - 4 * day,
                    content="<p>Modules &amp; coroutines</p>",
                ),
                entry(
                    "a3",
                    title="Volcano erupts in Iceland",
                    published=NOW - 3 * day,
                    authors=(Author(name="Bjork Gudmundsdottir"),),
                ),
            ),
        ),
        (
            b,
            "Beta News",
            (
                entry(
                    "b1", title="Iceland volcano eruption grounds flights", published=NOW - 2 * day
                ),
                entry("b2", title="Summit on climate change ends", published=NOW - 1 * day),
                entry(
                    "b3",
                    title="Quoted phrase test",
                    published=NOW,
                    summary="an exact quoted phrase here",
                ),
            ),
        ),
    ):
        result = store.apply_parsed_feed(feed_id, feed(*entries, title=title), fetch())
        for e, new_id in zip(entries, result.new_entry_ids, strict=True):
            ids[e.id] = new_id
    return ids


def guids(store: Store, query: EntryQuery) -> list[str]:
    return [e.guid for e in store.list_entries(query)]


def test_filters_and_orders(store: Store, library: dict[str, int]) -> None:
    assert guids(store, EntryQuery()) == ["b3", "b2", "b1", "a3", "a2", "a1"]
    assert guids(store, EntryQuery(descending=False, limit=2)) == ["a1", "a2"]
    assert guids(store, EntryQuery(limit=2, offset=2)) == ["b1", "a3"]
    a_feed = store.get_entry(library["a1"]).feed_id
    assert guids(store, EntryQuery(feed_ids=(a_feed,))) == ["a3", "a2", "a1"]
    news = store.ensure_folder_path(["News"])
    science = store.ensure_folder_path(["News", "Science"])
    assert len(guids(store, EntryQuery(folder_id=news))) == 6  # subfolders included
    assert guids(store, EntryQuery(folder_id=science)) == ["a3", "a2", "a1"]
    assert guids(store, EntryQuery(order="title", descending=False))[:2] == ["a1", "b1"]
    assert guids(store, EntryQuery(order="source", descending=False))[:3] == ["a3", "a2", "a1"]
    assert guids(store, EntryQuery(since=NOW - timedelta(days=2), until=NOW)) == ["b2", "b1"]
    assert store.count_entries(EntryQuery(feed_ids=(a_feed,))) == 3
    assert store.entry_ids(EntryQuery(limit=1)) == [library["b3"]]


def test_statuses_tags_and_their_filters(store: Store, library: dict[str, int]) -> None:
    assert store.set_read([library["a1"], library["a2"], library["a2"]], True) == 2
    assert store.set_read([library["a1"]], True) == 0  # already read
    assert store.set_starred([library["b1"]], True) == 1
    store.add_tag(library["b2"], "  to   read ")
    store.add_comment(library["a3"], "note", author="Me")
    assert guids(store, EntryQuery(unread_only=True)) == ["b3", "b2", "b1", "a3"]
    assert guids(store, EntryQuery(starred_only=True)) == ["b1"]
    assert guids(store, EntryQuery(tag="to read")) == ["b2"]
    assert guids(store, EntryQuery(commented_only=True)) == ["a3"]
    assert store.get_entry(library["b2"]).tags == ("to read",)
    assert store.list_tags() == [("to read", 1)]
    store.remove_tag(library["b2"], "to read")
    assert store.get_entry(library["b2"]).tags == ()
    assert store.mark_all_read(EntryQuery(unread_only=True, limit=2)) == 2
    assert guids(store, EntryQuery(unread_only=True)) == ["b1", "a3"]
    a_feed = store.get_entry(library["a1"]).feed_id
    assert store.get_feed(a_feed).unread_count == 1


def test_entries_by_ids_keeps_the_order_and_skips_unknown(
    store: Store, library: dict[str, int]
) -> None:
    got = store.entries_by_ids([library["a2"], 999, library["b1"]])
    assert [e.guid for e in got] == ["a2", "b1"]
    with pytest.raises(NotFoundError, match="no entry with id 999"):
        store.get_entry(999)
    with pytest.raises(NotFoundError):
        store.add_tag(999, "x")
    with pytest.raises(StoreError, match="tag needs"):
        store.add_tag(library["a1"], "   ")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("climate change", {"a1", "b2"}),
        ("CLIMATE Change", {"a1", "b2"}),
        ('"quoted phrase"', {"b3"}),
        ("c++", {"a2"}),
        ("coroutines", {"a2"}),  # content, as plain text
        ("emissions", {"a1"}),  # summary, tags stripped
        ("gudmundsdottir", {"a3"}),  # author
        ("volcano OR eruption", {"a3", "b1"}),
        ("volc*", {"a3", "b1"}),
        ("title: summit", {"a1", "b2"}),
        ("iceland NOT flights", {"a3"}),
        ("e-mail", set()),
        ("don't", set()),
    ],
)
def test_search(store: Store, library: dict[str, int], typed: str, expected: set[str]) -> None:
    assert set(guids(store, EntryQuery(search=typed))) == expected


@pytest.mark.parametrize(
    "typed", ["climate AND", '"unclosed phrase', "(volcano", "is:nosuch", "NEAR(", "   ", "++"]
)
def test_bad_searches_raise_a_clear_error(
    store: Store, library: dict[str, int], typed: str
) -> None:
    with pytest.raises(SearchQueryError, match="search"):
        store.list_entries(EntryQuery(search=typed))
    with pytest.raises(SearchQueryError):
        store.count_entries(EntryQuery(search=typed))


def test_relevance_order_puts_title_hits_first(store: Store, library: dict[str, int]) -> None:
    found = guids(store, EntryQuery(search="summit OR emissions", order="relevance"))
    assert set(found) == {"a1", "b2"}
    assert found[0] == "a1"  # title and summary both match


def test_related_entries_prefer_other_feeds_and_skip_the_entry(
    store: Store, library: dict[str, int]
) -> None:
    related = store.related_entries(library["a3"], limit=5)
    assert [e.guid for e in related] == ["b1"]
    climate = store.related_entries(library["b2"], limit=5)
    assert [e.guid for e in climate] == ["a1"]
    assert store.related_entries(library["b3"], limit=5) == []  # shares no key terms
    with pytest.raises(NotFoundError):
        store.related_entries(999)


def test_relevance_ranks_only_the_newest_window_of_matches(
    store: Store, library: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    query = EntryQuery(search="summit OR emissions OR climate", order="relevance")
    assert guids(store, query)[0] == "a1"
    monkeypatch.setattr("newsreader.store.entries.RANK_WINDOW", 1)
    assert guids(store, query) == ["b2"]  # the newest match only


def test_related_entries_stay_near_the_entrys_date(store: Store) -> None:
    a = store.add_feed("https://a.example/feed").id
    b = store.add_feed("https://b.example/feed").id
    title = "Harbour bridge reopens after repairs"
    mine = store.apply_parsed_feed(a, feed(entry("x", title=title, published=NOW)), fetch())
    store.apply_parsed_feed(
        b,
        feed(
            entry("near", title=title, published=NOW - timedelta(days=3)),
            entry("far", title=title, published=NOW - timedelta(days=300)),
        ),
        fetch(),
    )
    related = store.related_entries(mine.new_entry_ids[0], limit=5)
    assert [e.guid for e in related] == ["near"]


def test_related_entries_score_only_the_matches_nearest_in_time(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = store.add_feed("https://a.example/feed").id
    b = store.add_feed("https://b.example/feed").id
    title = "Harbour bridge reopens after repairs"
    mine = store.apply_parsed_feed(a, feed(entry("x", title=title, published=NOW)), fetch())
    days = {"before1": -1, "before2": -2, "after1": 1, "after2": 2}
    store.apply_parsed_feed(
        b,
        feed(*(entry(g, title=title, published=NOW + timedelta(days=d)) for g, d in days.items())),
        fetch(),
    )
    entry_id = mine.new_entry_ids[0]
    assert {e.guid for e in store.related_entries(entry_id, limit=10)} == set(days)
    monkeypatch.setattr("newsreader.store.entries.RELATED_CANDIDATES", 1)
    assert {e.guid for e in store.related_entries(entry_id, limit=10)} == {"before1", "after1"}


@pytest.mark.parametrize("order", ["date", "title", "source", "relevance"])
def test_search_combines_with_every_filter_and_order(
    store: Store, library: dict[str, int], order: EntryOrder
) -> None:
    science = store.ensure_folder_path(["News", "Science"])
    store.add_tag(library["a1"], "climate")
    query = EntryQuery(
        search="summit OR volcano OR iceland",
        folder_id=science,
        unread_only=True,
        tag="climate",
        since=NOW - timedelta(days=10),
        until=NOW,
        order=order,
        limit=5,
    )
    assert guids(store, query) == ["a1"]
    assert store.count_entries(query) == 1
    assert store.mark_all_read(query) == 1
    assert guids(store, query) == []
