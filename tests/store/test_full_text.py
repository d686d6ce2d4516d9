"""Full articles in the store (`full_texts`, step 0006): beside the feed's text, searched,
kept or dropped with their entry, their images kept from eviction like the entry's own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsreader.errors import NotFoundError, StoreError
from newsreader.store import EntryQuery, Store
from tests.store.builders import NOW, entry, feed, fetch

ARTICLE_HTML = '<p>The magma chamber refilled.</p><img src="https://img.example.org/crater.jpg">'
ARTICLE_TEXT = "The magma chamber refilled."


def one_entry(store: Store, **fields: object) -> int:
    subscribed = store.add_feed("https://example.org/feed")
    fields.setdefault("summary", "<p>Lava flows … Read more</p>")
    result = store.apply_parsed_feed(subscribed.id, feed(entry("g1", **fields)), fetch())
    return result.new_entry_ids[0]


def found(store: Store, search: str) -> list[int]:
    return [e.id for e in store.list_entries(EntryQuery(search=search))]


def indexed_keys(store: Store, word: str) -> list[int]:
    """Rows of the index itself that hold `word` (a deleted entry must leave none)."""
    return [
        key
        for (key,) in store._conn.execute(
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?", (word,)
        )
    ]


def test_the_article_is_stored_beside_the_feed_text_and_searched(store: Store) -> None:
    entry_id = one_entry(store)
    assert store.full_text(entry_id) is None
    stored = store.record_full_text(entry_id, "ok", NOW, content=ARTICLE_HTML, text=ARTICLE_TEXT)
    assert (stored.status, stored.text, stored.content, stored.fetched) == (
        "ok",
        ARTICLE_TEXT,
        ARTICLE_HTML,
        NOW,
    )
    assert store.get_entry(entry_id).summary == "<p>Lava flows … Read more</p>"
    assert found(store, "magma") == [entry_id]
    assert found(store, "content:chamber") == [entry_id]
    assert found(store, "lava") == [entry_id]
    assert store.full_text_tried([entry_id, entry_id + 1]) == {entry_id}


def test_a_feed_update_keeps_the_article_searchable_and_the_index_exact(store: Store) -> None:
    entry_id = one_entry(store)
    store.record_full_text(entry_id, "ok", NOW, content=ARTICLE_HTML, text=ARTICLE_TEXT)
    feed_id = store.get_entry(entry_id).feed_id
    store.apply_parsed_feed(
        feed_id, feed(entry("g1", summary="<p>Ash cloud update</p>")), fetch(NOW)
    )
    assert found(store, "ash") == [entry_id]
    assert found(store, "magma") == [entry_id]
    assert found(store, "lava") == []
    assert store.entry_image_urls([entry_id]) == {entry_id: ["https://img.example.org/crater.jpg"]}
    store.delete_feed(feed_id)
    assert store.full_text(entry_id) is None
    assert indexed_keys(store, "magma") == [] and indexed_keys(store, "ash") == []


def test_a_new_article_replaces_the_old_one_in_the_index(store: Store) -> None:
    entry_id = one_entry(store)
    store.record_full_text(entry_id, "ok", NOW, content=ARTICLE_HTML, text=ARTICLE_TEXT)
    store.record_full_text(entry_id, "ok", NOW, content="<p>Tephra</p>", text="Tephra fell.")
    assert found(store, "magma") == [] and found(store, "tephra") == [entry_id]
    assert indexed_keys(store, "magma") == []
    assert store.entry_image_urls([entry_id]) == {}


def test_a_failure_is_recorded_but_never_replaces_an_article(store: Store) -> None:
    first, second = one_entry(store), None
    failed = store.record_full_text(first, "failed", NOW, reason="HTTP 503")
    assert (failed.status, failed.reason, failed.text, failed.content) == (
        "failed",
        "HTTP 503",
        None,
        None,
    )
    assert store.full_text_tried([first]) == {first}
    store.record_full_text(first, "ok", NOW, content=ARTICLE_HTML, text=ARTICLE_TEXT)
    later = NOW + timedelta(hours=1)
    kept = store.record_full_text(first, "paywalled", later, reason="a login wall")
    assert (kept.status, kept.text, kept.fetched) == ("ok", ARTICLE_TEXT, NOW)
    assert found(store, "magma") == [first]
    assert second is None


def test_purge_takes_the_article_with_its_entry(store: Store) -> None:
    entry_id = one_entry(store, published=NOW - timedelta(days=90))
    store.record_full_text(entry_id, "ok", NOW, content=ARTICLE_HTML, text=ARTICLE_TEXT)
    store.set_read([entry_id], True)
    assert store.purge(30, NOW) == 1
    assert store.full_text(entry_id) is None
    assert indexed_keys(store, "magma") == []
    assert store._conn.execute("SELECT count(*) FROM full_text_images").fetchone()[0] == 0


def test_the_articles_images_are_kept_for_starred_entries(store: Store) -> None:
    entry_id = one_entry(store)
    store.record_full_text(entry_id, "ok", NOW, content=ARTICLE_HTML, text=ARTICLE_TEXT)
    store.record_cached_image("https://img.example.org/crater.jpg", "ab", "ab.jpg", 10, None)
    assert [i.url for i in store.evictable_images(1)] == ["https://img.example.org/crater.jpg"]
    store.set_starred([entry_id], True)
    assert store.evictable_images(1) == []


def test_the_feeds_full_article_setting(store: Store) -> None:
    subscribed = store.add_feed("https://example.org/feed")
    assert subscribed.full_text == "auto"
    store.set_feed_full_text(subscribed.id, "never")
    assert store.get_feed(subscribed.id).full_text == "never"
    with pytest.raises(StoreError):
        store.set_feed_full_text(subscribed.id, "sometimes")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        store.set_feed_full_text(999, "always")
    with pytest.raises(NotFoundError):
        store.record_full_text(999, "failed", NOW, reason="x")
    with pytest.raises(StoreError):
        store.record_full_text(one_entry(store), "ok", NOW, content="<p></p>", text="")
