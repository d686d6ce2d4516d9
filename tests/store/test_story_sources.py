"""A story's sources and articles follow feeds being unsubscribed and deleted entries."""

from __future__ import annotations

from datetime import timedelta

from newsreader.store import Store
from tests.store.builders import NOW, entry, feed, fetch
from tests.stories.labelled import match_stories

BRIDGE = (
    "Old harbour bridge closes after cracks found in its main span",
    "Engineers closed the old harbour bridge on Monday after finding cracks in its main "
    "span; ferries will carry commuters across the river while repairs are planned.",
)
BRIDGE_2 = (
    "Cracks in main span shut the old harbour bridge, ferries step in",
    "The old harbour bridge was shut on Monday when engineers found cracks in the main "
    "span. Commuters cross the river by ferry until the repairs are done.",
)


def _story(store: Store) -> tuple[list[int], list[int]]:
    feeds, ids = [], []
    for n, (title, summary) in enumerate([BRIDGE, BRIDGE_2, BRIDGE, BRIDGE_2, BRIDGE_2]):
        feed_id = store.add_feed(f"https://paper{n}.example/feed.xml").id
        at = NOW + timedelta(minutes=10 * n)
        item = entry(f"b{n}", title=title, summary=f"<p>{summary}</p>", published=at)
        ids += store.apply_parsed_feed(feed_id, feed(item), fetch(at)).new_entry_ids
        feeds.append(feed_id)
        match_stories(store)
    return feeds, ids


def test_story_sizes_leave_out_feeds_being_unsubscribed_and_deleted_ones(store: Store) -> None:
    feeds, ids = _story(store)
    assert set(store.story_sizes(ids).values()) == {5}
    [story] = store.list_stories()
    assert story.sources == 5
    # the window hides a feed it unsubscribes from until it closes: every store of the file
    # in this process (the window's and its background thread's) counts it no more
    store.set_leaving_feeds({feeds[0]})
    with Store.open(store.paths, check=False) as background:
        assert set(background.story_sizes(ids[1:]).values()) == {4}
        found = background.entry_story(ids[1])
        assert found is not None and ids[0] not in found.entries
    assert [s.sources for s in store.list_stories()] == [4]
    assert ids[0] not in store.story_entry_ids(story.id)
    assert all(ids[0] not in mates for mates in store.story_mates(ids[1:]).values())
    store.set_leaving_feeds(set())  # undone
    assert set(store.story_sizes(ids).values()) == {5}
    # deleted for good (the window closed, or the command line's unsubscribe)
    store.delete_feed(feeds[0])
    store.delete_feed(feeds[1])
    assert set(store.story_sizes(ids[2:]).values()) == {3}
    assert [s.sources for s in store.list_stories()] == [3]
    assert store.integrity_check() == []
