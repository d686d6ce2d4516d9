"""The image cache index."""

from __future__ import annotations

from datetime import timedelta

from newsreader.store import Store
from newsreader.store.types import ImageRecord
from tests.store.builders import NOW, entry, feed, fetch


def test_record_lookup_touch_evict_and_forget(store: Store) -> None:
    feed_id = store.add_feed("https://example.org/feed").id
    ids = store.apply_parsed_feed(
        feed_id,
        feed(
            entry("starred", image="https://img/s.png"),
            entry("commented", content='<p><img src="https://img/c.png"></p>'),
            entry(
                "plain", summary="<img src='https://img/p1.png'><img src=\"https://img/p2.png\">"
            ),
        ),
        fetch(),
    ).new_entry_ids
    store.set_starred([ids[0]], True)
    store.add_comment(ids[1], "nice picture", author="Me")
    for name, size in (("s", 100), ("c", 200), ("p1", 300), ("p2", 400)):
        store.record_cached_image(
            f"https://img/{name}.png", "ab" * 32, f"{name}.png", size, "image/png"
        )
    assert store.image_cache_size() == 1000
    got = store.cached_image("https://img/p1.png")
    assert got is not None and (got.path, got.size, got.content_type) == (
        "p1.png",
        300,
        "image/png",
    )
    assert store.cached_image("https://img/none.png") is None

    store.touch_images(["https://img/p1.png"], NOW + timedelta(days=365))
    # p2 was used least recently; p1 after it; s and c are kept for their entries.
    assert [i.url for i in store.evictable_images(350)] == ["https://img/p2.png"]
    assert [i.url for i in store.evictable_images(10_000)] == [
        "https://img/p2.png",
        "https://img/p1.png",
    ]
    assert store.evictable_images(0) == []
    store.forget_cached_images(["https://img/p2.png"])
    assert store.image_cache_size() == 600
    assert store.entry_image_urls(ids) == {
        ids[0]: ["https://img/s.png"],
        ids[1]: ["https://img/c.png"],
        ids[2]: ["https://img/p1.png", "https://img/p2.png"],
    }


def test_cached_images_are_read_many_at_once(store: Store) -> None:
    # more URLs than one IN (...) list takes, one of them twice, and some never cached
    urls = [f"https://img.example/{n}.png" for n in range(1200)]
    store.record_cached_images(
        [ImageRecord(url, f"{n:064x}", f"{n}.png", n, "image/png") for n, url in enumerate(urls)]
    )
    asked = [*urls[::3], urls[0], "https://img.example/never.png"]
    found = store.cached_images(asked)
    assert set(found) == set(urls[::3])
    assert all(found[url].path == url.rsplit("/", 1)[1] for url in found)
    assert store.cached_images([]) == {}
