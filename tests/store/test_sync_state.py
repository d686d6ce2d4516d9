"""What the sync keeps per feed beyond entries (body hash, validators, hints), the image cache
with files shared by several URLs, image enclosures kept from eviction, and comment counts."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from sqlite_utils import Database

from newsreader.model import Enclosure, ParsedEntry
from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.store.schema import MIGRATIONS
from tests.store.builders import NOW, entry, feed, fetch

HASH_A = "a" * 64
HASH_B = "b" * 64
PHOTO = Enclosure("https://img.example.org/photo.jpg", "image/jpeg", 1000)
EPISODE = Enclosure("https://media.example.org/episode.mp3", "audio/mpeg", 9000)


def _new_feed(store: Store) -> int:
    return store.add_feed("https://example.org/feed").id


def test_apply_parsed_feed_keeps_the_body_hash_and_the_weighed_hint(store: Store) -> None:
    feed_id = _new_feed(store)
    store.apply_parsed_feed(
        feed_id,
        feed(entry("g1"), update_interval=timedelta(hours=1)),
        fetch(body_sha256=HASH_A, update_hint_minutes=180),
    )
    got = store.get_feed(feed_id)
    assert (got.body_sha256, got.update_hint_minutes) == (HASH_A, 180)
    # Without a weighed hint the feed's own ttl is the hint; without a hash none is kept.
    store.apply_parsed_feed(feed_id, feed(entry("g1"), update_interval=timedelta(hours=1)), fetch())
    got = store.get_feed(feed_id)
    assert (got.body_sha256, got.update_hint_minutes) == (None, 60)


def test_not_modified_keeps_what_came_with_it_and_what_did_not(store: Store) -> None:
    feed_id = _new_feed(store)
    store.apply_parsed_feed(
        feed_id,
        feed(entry("g1")),
        fetch(etag='"v1"', last_modified="Sun, 01 Mar 2026 10:00:00 GMT", body_sha256=HASH_A),
    )
    later = NOW + timedelta(hours=1)
    store.record_not_modified(
        feed_id,
        later,
        later + timedelta(hours=2),
        etag='"v2"',
        last_modified="Sun, 01 Mar 2026 12:30:00 GMT",
        update_hint_minutes=120,
        body_sha256=HASH_B,
    )
    got = store.get_feed(feed_id)
    assert (got.etag, got.last_modified) == ('"v2"', "Sun, 01 Mar 2026 12:30:00 GMT")
    assert (got.update_hint_minutes, got.body_sha256) == (120, HASH_B)
    assert (got.last_fetched, got.next_due) == (later, later + timedelta(hours=2))
    # A bare 304 changes only the fetch times.
    store.record_not_modified(feed_id, later, later + timedelta(minutes=30))
    bare = store.get_feed(feed_id)
    assert (bare.etag, bare.last_modified, bare.update_hint_minutes, bare.body_sha256) == (
        '"v2"',
        "Sun, 01 Mar 2026 12:30:00 GMT",
        120,
        HASH_B,
    )


def test_upgrade_to_the_sync_state_step_keeps_data_and_adopts_image_enclosures(
    data_paths: DataPaths,
) -> None:
    conn = sqlite3.connect(data_paths.store, isolation_level=None)
    MIGRATIONS.apply(Database(conn), stop_before="0005_sync_state")
    conn.execute(
        "INSERT INTO feeds(id, url, title, etag, added) "
        "VALUES (1, 'https://example.org/feed', 'Example', '\"v1\"', 1700000000)"
    )
    conn.execute(
        "INSERT INTO entries(id, feed_id, guid, title, first_seen, sort_date, starred, "
        "content_hash) VALUES (1, 1, 'g1', 'Photo story', 1700000000, 1700000000, 1, 'h')"
    )
    conn.executemany(
        "INSERT INTO enclosures(entry_id, url, type, length) VALUES (1, ?, ?, ?)",
        [(PHOTO.url, PHOTO.type, PHOTO.length), (EPISODE.url, EPISODE.type, EPISODE.length)],
    )
    conn.execute(
        "INSERT INTO entry_images(entry_id, url, position) "
        "VALUES (1, 'https://img.example.org/inline.png', 0)"
    )
    conn.executemany(
        "INSERT INTO images(url, sha256, path, size, content_type, fetched, last_used) "
        "VALUES (?, ?, ?, 100, 'image/png', 1700000000, 1700000000)",
        [(PHOTO.url, HASH_A, "photo.jpg"), ("https://img.example.org/old.png", HASH_B, "old.png")],
    )
    conn.close()

    with Store.open(data_paths) as store:
        got = store.get_feed(1)
        assert (got.title, got.etag, got.body_sha256) == ("Example", '"v1"', None)
        assert store.entry_image_urls([1]) == {1: ["https://img.example.org/inline.png", PHOTO.url]}
        # The starred entry's photo enclosure is now kept from eviction.
        assert [i.url for i in store.evictable_images(10_000)] == [
            "https://img.example.org/old.png"
        ]
        store.record_not_modified(1, NOW, NOW + timedelta(minutes=30), body_sha256=HASH_A)
        assert store.get_feed(1).body_sha256 == HASH_A


def test_a_file_shared_by_several_urls_goes_only_with_the_last_of_them(store: Store) -> None:
    for url in ("https://a.example/x.png", "https://b.example/x.png"):
        store.record_cached_image(url, HASH_A, "aa/aa/shared.png", 500, "image/png")
    store.record_cached_image("https://c.example/y.png", HASH_B, "bb/bb/own.png", 300, "image/png")
    assert store.image_cache_size() == 800  # the shared file counts once
    # Eviction offers a shared file with every URL that maps to it, or not at all.
    victims = store.evictable_images(1)
    assert sorted(v.url for v in victims) == ["https://a.example/x.png", "https://b.example/x.png"]
    assert {v.path for v in victims} == {"aa/aa/shared.png"}
    assert store.forget_cached_images(["https://a.example/x.png"]) == []  # b still uses it
    assert store.image_cache_size() == 800
    assert store.cached_image("https://b.example/x.png") is not None
    assert store.forget_cached_images(
        ["https://b.example/x.png", "https://c.example/y.png", "https://unknown/z.png"]
    ) == ["aa/aa/shared.png", "bb/bb/own.png"]
    assert store.image_cache_size() == 0


def test_a_shared_file_is_kept_while_any_of_its_urls_is_kept(store: Store) -> None:
    feed_id = _new_feed(store)
    (starred,) = store.apply_parsed_feed(
        feed_id, feed(entry("g1", image="https://a.example/x.png")), fetch()
    ).new_entry_ids
    store.set_starred([starred], True)
    for url in ("https://a.example/x.png", "https://b.example/x.png"):
        store.record_cached_image(url, HASH_A, "aa/aa/shared.png", 500, "image/png")
    assert store.evictable_images(10_000) == []
    store.set_starred([starred], False)
    assert len(store.evictable_images(10_000)) == 2


def test_image_enclosures_and_entry_images_are_kept_for_starred_and_commented_entries(
    store: Store,
) -> None:
    feed_id = _new_feed(store)
    ids = store.apply_parsed_feed(
        feed_id,
        feed(
            entry("starred", enclosures=(PHOTO, EPISODE)),
            entry(
                "commented",
                image="https://img.example.org/cover.jpg",
                # The cover repeated as an enclosure is one image of the entry.
                enclosures=(Enclosure("https://img.example.org/cover.jpg", "IMAGE/JPEG"),),
            ),
            entry("plain", enclosures=(Enclosure("https://img.example.org/p.gif", "image/gif"),)),
        ),
        fetch(),
    ).new_entry_ids
    assert store.entry_image_urls(ids) == {
        ids[0]: [PHOTO.url],
        ids[1]: ["https://img.example.org/cover.jpg"],
        ids[2]: ["https://img.example.org/p.gif"],
    }
    store.set_starred([ids[0]], True)
    store.add_comment(ids[1], "lovely cover", author="Me")
    for name, url in (
        ("photo", PHOTO.url),
        ("cover", "https://img.example.org/cover.jpg"),
        ("plain", "https://img.example.org/p.gif"),
    ):
        store.record_cached_image(url, name * 16, f"{name}.img", 100, "image/jpeg")
    assert [i.url for i in store.evictable_images(10_000)] == ["https://img.example.org/p.gif"]
    # An update that drops the enclosure drops the reference: the photo may go then.
    store.apply_parsed_feed(feed_id, feed(entry("starred")), fetch())
    assert store.entry_image_urls([ids[0]]) == {}
    assert {i.url for i in store.evictable_images(10_000)} == {
        PHOTO.url,
        "https://img.example.org/p.gif",
    }


def test_comment_counts_for_a_page_of_entries(store: Store) -> None:
    feed_id = _new_feed(store)
    ids = store.apply_parsed_feed(
        feed_id, feed(entry("mine"), entry("site"), entry("none")), fetch()
    ).new_entry_ids
    store.add_comment(ids[0], "one", author="Me")
    store.add_comment(ids[0], "two", author="Me")
    gone = store.add_comment(ids[0], "three", author="Me")
    store.delete_comment(gone.id)
    store.replace_site_comments(
        ids[1], [ParsedEntry(id="c1", content="<p>hi</p>"), ParsedEntry(id="c2", content="ok")]
    )
    store.add_comment(ids[1], "and mine", author="Me")
    assert store.comment_counts([*ids, ids[0], 99_999]) == {ids[0]: 2, ids[1]: 3}
    assert store.comment_counts([]) == {}
    store.restore_comment(gone.id)
    assert store.comment_counts([ids[0]]) == {ids[0]: 3}
