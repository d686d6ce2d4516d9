"""The story queue: entries are written first and matched afterwards, in batches, and an
entry still queued when the program stopped is matched by the next sync."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from newsreader.paths import DataPaths
from newsreader.store import Store
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.stories import match_queued_stories
from newsreader.sync.writer import StoreWriter
from tests.store.builders import NOW, entry, feed, fetch
from tests.stories.test_store_stories import OTHER, QUAKE, QUAKE_2


def _write_unmatched(store: Store, url: str, item: tuple[str, str], hours: int = 0) -> int:
    """Writes a one-entry feed as a sync's feed stage does, without matching its story."""
    feed_id = store.add_feed(url).id
    title, text = item
    found = entry(
        f"{url}#1", title=title, summary=f"<p>{text}</p>", published=NOW + timedelta(hours=hours)
    )
    (entry_id,) = store.apply_parsed_feed(feed_id, feed(found), fetch()).new_entry_ids
    return entry_id


def test_written_entries_are_readable_at_once_and_join_their_story_when_matched(
    store: Store,
) -> None:
    first = _write_unmatched(store, "https://one.example/feed", QUAKE)
    second = _write_unmatched(store, "https://two.example/feed", QUAKE_2, hours=1)
    alone = _write_unmatched(store, "https://three.example/feed", OTHER, hours=2)
    assert store.get_entry(second).title == QUAKE_2[0]
    assert store.entry_story(second) is None  # still queued

    assert [store.match_queued_stories(limit=2), store.match_queued_stories(limit=2)] == [2, 1]
    assert store.match_queued_stories() == 0
    story = store.entry_story(second)
    assert story is not None
    assert (story.id, story.entries) == (first, (first,))
    assert store.entry_story(alone) is None


def test_a_changed_entry_is_queued_again_and_leaves_its_story_when_it_changes_topic(
    store: Store,
) -> None:
    first = _write_unmatched(store, "https://one.example/feed", QUAKE)
    feed_id = store.add_feed("https://two.example/feed").id
    report = entry("r", title=QUAKE_2[0], summary=f"<p>{QUAKE_2[1]}</p>", published=NOW)
    (second,) = store.apply_parsed_feed(feed_id, feed(report), fetch()).new_entry_ids
    while store.match_queued_stories():
        pass
    assert store.entry_story(second) is not None

    changed = entry("r", title=OTHER[0], summary=f"<p>{OTHER[1]}</p>", published=NOW)
    assert store.apply_parsed_feed(feed_id, feed(changed), fetch()).updated_entry_ids == (second,)
    assert store.match_queued_stories() == 1
    assert store.entry_story(second) is None
    assert store.entry_story(first) is None


def test_a_deleted_queued_entry_leaves_the_queue(store: Store) -> None:
    gone = _write_unmatched(store, "https://one.example/feed", QUAKE)
    kept = _write_unmatched(store, "https://two.example/feed", QUAKE_2, hours=1)
    store.delete_feed(store.get_entry(gone).feed_id)
    assert store.match_queued_stories() == 1
    assert store.entry_story(kept) is None


def test_entries_still_queued_when_the_program_stopped_are_matched_by_the_next_sync(
    data_paths: DataPaths,
) -> None:
    with Store.open(data_paths) as store:
        first = _write_unmatched(store, "https://one.example/feed", QUAKE)
        second = _write_unmatched(store, "https://two.example/feed", QUAKE_2, hours=1)
        for feed_id in (store.get_entry(first).feed_id, store.get_entry(second).feed_id):
            store.update_feed_settings(feed_id, interval_minutes=None, disabled=True)
    # the program stopped here, before matching; the next sync has no feed due (disabled)
    summary = asyncio.run(sync(data_paths, SyncOptions(parse_processes=False)))
    assert summary.checked == 0
    with Store.open(data_paths) as store:
        story = store.entry_story(second)
        assert story is not None
        assert story.entries == (first,)


def test_matching_tells_its_progress_per_batch(data_paths: DataPaths) -> None:
    """`progress(done, total)` after each batch: a front end shows it while a large first
    sync's articles are grouped."""
    with Store.open(data_paths) as store:
        _write_unmatched(store, "https://one.example/feed", QUAKE)
        _write_unmatched(store, "https://two.example/feed", QUAKE_2, hours=1)
        _write_unmatched(store, "https://three.example/feed", OTHER, hours=2)
        assert store.story_queue_size() == 3
    seen: list[tuple[int, int]] = []

    async def match() -> int:
        writer = StoreWriter(data_paths)
        try:
            return await match_queued_stories(writer, progress=lambda *p: seen.append(p))
        finally:
            await writer.close()

    assert asyncio.run(match()) == 3
    assert seen == [(3, 3)]
    with Store.open(data_paths) as store:
        assert store.story_queue_size() == 0
