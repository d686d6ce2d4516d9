"""apply_parsed_feed and the other sync writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.errors import NotFoundError, StoreError
from newsreader.model import Author, Enclosure
from newsreader.store import EntryQuery, Store
from tests.store.builders import NOW, entry, feed, fetch


@pytest.fixture
def feed_id(store: Store) -> int:
    return store.add_feed("https://example.org/feed").id


def test_new_entries_are_stored_with_every_field(store: Store, feed_id: int) -> None:
    parsed = entry(
        "g1",
        title="Tides",
        published=NOW - timedelta(days=1),
        updated=NOW - timedelta(hours=1),
        authors=(Author(name="Ada", email="ada@example.org"),),
        categories=("sea", "moon"),
        summary="<p>Short</p>",
        content='<p>Long <img src="https://img.example.org/a.png"></p>',
        enclosures=(Enclosure("https://example.org/a.mp3", "audio/mpeg", 123),),
        comments_url="https://example.org/g1#comments",
        comments_feed="https://example.org/g1/comments.xml",
        comment_count=4,
        image="https://img.example.org/thumb.png",
    )
    result = store.apply_parsed_feed(feed_id, feed(parsed), fetch())
    assert len(result.new_entry_ids) == 1 and result.updated_entry_ids == ()
    got = store.get_entry(result.new_entry_ids[0])
    assert got.guid == "g1" and got.title == "Tides" and got.link == "https://example.org/g1"
    assert got.published == NOW - timedelta(days=1)
    assert got.updated == NOW - timedelta(hours=1)
    assert got.first_seen == NOW
    assert got.authors == (Author(name="Ada", email="ada@example.org"),)
    assert got.categories == ("sea", "moon")
    assert (got.summary, got.content) == (parsed.summary, parsed.content)
    assert got.enclosures == parsed.enclosures
    assert (got.comments_url, got.comments_feed, got.comment_count) == (
        parsed.comments_url,
        parsed.comments_feed,
        4,
    )
    assert got.image == parsed.image
    assert got.feed_title == "Example"
    assert (got.read, got.starred) == (False, False)
    assert store.entry_image_urls([got.id]) == {
        got.id: ["https://img.example.org/thumb.png", "https://img.example.org/a.png"]
    }


def test_fetch_info_and_feed_metadata_are_written(store: Store, feed_id: int) -> None:
    store.record_fetch_error(feed_id, "timed out", NOW - timedelta(hours=1), None)
    parsed = feed(
        entry("a"),
        title="The Feed",
        link="https://example.org/",
        image="https://example.org/logo.png",
        update_interval=timedelta(hours=2),
    )
    store.apply_parsed_feed(
        feed_id,
        parsed,
        fetch(etag='"v1"', last_modified="Sun, 01 Mar 2026 11:00:00 GMT"),
    )
    got = store.get_feed(feed_id)
    assert (got.title, got.site_url, got.icon_url) == (
        "The Feed",
        "https://example.org/",
        "https://example.org/logo.png",
    )
    assert (got.etag, got.last_modified) == ('"v1"', "Sun, 01 Mar 2026 11:00:00 GMT")
    assert got.last_fetched == NOW and got.next_due == NOW + timedelta(minutes=30)
    assert got.update_hint_minutes == 120
    assert (got.error_count, got.last_error, got.last_error_at) == (0, None, None)
    assert got.unread_count == 1


def test_the_users_title_survives_syncs(store: Store, feed_id: int) -> None:
    store.rename_feed(feed_id, "Mine")
    store.apply_parsed_feed(feed_id, feed(title="Theirs"), fetch())
    assert store.get_feed(feed_id).title == "Mine"
    store.rename_feed(feed_id, None)
    store.apply_parsed_feed(feed_id, feed(title="Theirs"), fetch())
    assert store.get_feed(feed_id).title == "Theirs"


def test_entry_seen_again_is_updated_in_place_keeping_statuses(store: Store, feed_id: int) -> None:
    first = store.apply_parsed_feed(feed_id, feed(entry("g1", content="<p>v1</p>")), fetch())
    entry_id = first.new_entry_ids[0]
    store.set_read([entry_id], True)
    store.set_starred([entry_id], True)
    store.add_tag(entry_id, "keep")
    comment = store.add_comment(entry_id, "mine", author="Me")

    same = store.apply_parsed_feed(feed_id, feed(entry("g1", content="<p>v1</p>")), fetch())
    assert (same.new_entry_ids, same.updated_entry_ids) == ((), ())

    later = NOW + timedelta(hours=1)
    changed = store.apply_parsed_feed(
        feed_id, feed(entry("g1", content="<p>v2 glacier</p>")), fetch(at=later)
    )
    assert changed.updated_entry_ids == (entry_id,) and changed.new_entry_ids == ()
    got = store.get_entry(entry_id)
    assert got.content == "<p>v2 glacier</p>"
    assert (got.read, got.starred, got.tags) == (True, True, ("keep",))
    assert got.first_seen == NOW  # first seen is not moved by updates
    assert store.list_comments(entry_id) == [comment]
    # The index follows the new content and forgets the old.
    assert [e.id for e in store.list_entries(EntryQuery(search="glacier"))] == [entry_id]
    assert store.list_entries(EntryQuery(search="v1")) == []
    assert store.integrity_check() == []


def test_a_new_date_moves_the_entry_in_the_index(store: Store, feed_id: int) -> None:
    ids = store.apply_parsed_feed(
        feed_id,
        feed(entry("a", published=NOW - timedelta(days=2)), entry("b", published=NOW)),
        fetch(),
    ).new_entry_ids
    store.apply_parsed_feed(
        feed_id,
        feed(entry("a", published=NOW + timedelta(days=1))),
        fetch(NOW + timedelta(days=2)),
    )
    assert store.entry_ids(EntryQuery(search="entry")) == [ids[0], ids[1]]
    assert store.entry_ids(EntryQuery(search="entry", descending=False)) == [ids[1], ids[0]]
    assert store.integrity_check() == []


def test_duplicates_in_a_feed_merge_by_guid_only(store: Store, feed_id: int) -> None:
    result = store.apply_parsed_feed(
        feed_id,
        feed(
            entry("g1", title="first"),
            entry("g1", title="repeat of g1", link="https://example.org/other"),
            entry("g2", title="same link as g1", link="https://example.org/g1"),
            entry("g3"),
        ),
        fetch(),
    )
    titles = sorted(e.title or "" for e in store.entries_by_ids(result.new_entry_ids))
    assert titles == ["Entry g3", "first", "same link as g1"]


def test_entry_whose_guid_changed_is_found_by_its_link(store: Store, feed_id: int) -> None:
    first = store.apply_parsed_feed(
        feed_id, feed(entry("http://old/1", link="https://x/1", title="Tides")), fetch()
    )
    store.set_read(first.new_entry_ids, True)
    second = store.apply_parsed_feed(
        feed_id, feed(entry("https://new/1", link="https://x/1", title="Tides")), fetch()
    )
    assert second.new_entry_ids == () and second.updated_entry_ids == first.new_entry_ids
    got = store.get_entry(first.new_entry_ids[0])
    assert got.guid == "https://new/1" and got.read


def test_live_blog_posts_sharing_a_link_are_all_kept(store: Store, feed_id: int) -> None:
    """Distinct guids at one link are distinct entries; a new post at the link of one that
    left the feed is new (unread), and the old one keeps its title, date and guid."""
    page = "https://example.org/live"
    first = store.apply_parsed_feed(
        feed_id,
        feed(
            entry("live-1", link=page, title="Harbor opens", published=NOW - timedelta(hours=2)),
            entry("live-2", link=page, title="Crowds gather", published=NOW - timedelta(hours=1)),
        ),
        fetch(),
    )
    assert len(first.new_entry_ids) == 2
    store.set_read(first.new_entry_ids, True)
    later = fetch(NOW + timedelta(hours=1))
    second = store.apply_parsed_feed(
        feed_id,
        feed(entry("live-3", link=page, title="Ferry delayed", published=NOW)),
        later,
    )
    assert len(second.new_entry_ids) == 1 and second.updated_entry_ids == ()
    new = store.get_entry(second.new_entry_ids[0])
    assert (new.guid, new.title, new.read) == ("live-3", "Ferry delayed", False)
    old = [store.get_entry(i) for i in first.new_entry_ids]
    assert [(e.guid, e.title, e.published, e.read) for e in old] == [
        ("live-1", "Harbor opens", NOW - timedelta(hours=2), True),
        ("live-2", "Crowds gather", NOW - timedelta(hours=1), True),
    ]
    assert store.count_entries(EntryQuery()) == 3
    assert store.integrity_check() == []


def test_two_live_entries_sharing_a_link_stay_apart(store: Store, feed_id: int) -> None:
    store.apply_parsed_feed(feed_id, feed(entry("a", link="https://x/shared")), fetch())
    result = store.apply_parsed_feed(
        feed_id, feed(entry("a", link="https://x/shared"), entry("b", link="https://x/b")), fetch()
    )
    assert len(result.new_entry_ids) == 1
    assert store.count_entries(EntryQuery()) == 2


def test_date_falls_back_to_updated_then_first_seen(store: Store, feed_id: int) -> None:
    result = store.apply_parsed_feed(
        feed_id,
        feed(
            entry("pub", published=NOW - timedelta(days=3)),
            entry("upd", updated=NOW - timedelta(days=2)),
            entry("none"),
        ),
        fetch(),
    )
    ids = store.entry_ids(EntryQuery(descending=False))
    assert [store.get_entry(i).guid for i in ids] == ["pub", "upd", "none"]
    assert store.get_entry(result.new_entry_ids[2]).date == NOW


def test_unknown_feed_raises_and_writes_nothing(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no feed with id 99"):
        store.apply_parsed_feed(99, feed(entry("a")), fetch())
    assert store.count_entries(EntryQuery()) == 0


def test_final_url_moves_the_feed_unless_taken(store: Store, feed_id: int) -> None:
    other = store.add_feed("https://example.org/taken")
    store.apply_parsed_feed(feed_id, feed(), fetch(final_url="https://example.org/taken"))
    assert store.get_feed(feed_id).url == "https://example.org/feed"
    store.apply_parsed_feed(feed_id, feed(), fetch(final_url="https://example.org/moved"))
    assert store.get_feed(feed_id).url == "https://example.org/moved"
    assert store.get_feed(other.id).url == "https://example.org/taken"


def test_not_modified_error_and_disable_are_recorded(store: Store, feed_id: int) -> None:
    failed = store.record_fetch_error(feed_id, "HTTP 500", NOW, NOW + timedelta(hours=1))
    failed = store.record_fetch_error(feed_id, "HTTP 502", NOW, NOW + timedelta(hours=2))
    assert (failed.error_count, failed.last_error, failed.last_error_at) == (2, "HTTP 502", NOW)
    assert failed.next_due == NOW + timedelta(hours=2)
    store.record_not_modified(feed_id, NOW, NOW + timedelta(minutes=10))
    ok = store.get_feed(feed_id)
    assert (ok.error_count, ok.last_error, ok.last_fetched) == (0, None, NOW)
    store.disable_feed(feed_id, "HTTP 410 Gone")
    gone = store.get_feed(feed_id)
    assert gone.disabled and gone.disabled_reason == "HTTP 410 Gone"
    assert store.due_feeds(NOW + timedelta(days=9)) == []


def test_set_feed_url_and_icon(store: Store, feed_id: int) -> None:
    store.set_feed_url(feed_id, "https://example.org/new")
    store.set_feed_icon(feed_id, "https://example.org/favicon.ico")
    got = store.get_feed(feed_id)
    assert (got.url, got.icon_url) == ("https://example.org/new", "https://example.org/favicon.ico")
    other = store.add_feed("https://example.org/other")
    with pytest.raises(StoreError, match="already has the URL"):
        store.set_feed_url(other.id, "https://example.org/new")


def test_dates_far_outside_the_usual_range_are_indexed_and_removed(
    store: Store, feed_id: int
) -> None:
    far_future = datetime(9999, 12, 31, tzinfo=UTC)
    far_past = datetime(1901, 1, 1, tzinfo=UTC)
    ids = store.apply_parsed_feed(
        feed_id,
        feed(entry("future", published=far_future), entry("past", published=far_past)),
        fetch(),
    ).new_entry_ids
    assert store.entry_ids(EntryQuery(search="entry")) == list(ids)
    store.apply_parsed_feed(
        feed_id,
        feed(entry("future", published=far_future, content="<p>changed</p>")),
        fetch(),
    )
    assert store.entry_ids(EntryQuery(search="changed")) == [ids[0]]
    assert store.related_entries(ids[0]) == []
    assert store.integrity_check() == []
    store.delete_feed(feed_id)
    assert store.integrity_check() == []


@pytest.mark.parametrize("title", [None, ""])
def test_an_untitled_feed_is_named_by_its_url_on_its_entries(
    store: Store, feed_id: int, title: str | None
) -> None:
    result = store.apply_parsed_feed(feed_id, feed(entry("g1"), title=title), fetch())
    got = store.get_entry(result.new_entry_ids[0])
    assert got.feed_title == "https://example.org/feed"


def test_an_entry_whose_content_changes_on_every_fetch_is_rewritten_a_limited_number_of_times(
    store: Store, feed_id: int
) -> None:
    from newsreader.store.decide import HASH_CHANGED_LIMIT

    rewrites = 0
    for n in range(HASH_CHANGED_LIMIT + 5):  # a page that embeds the time of each fetch
        tick = entry("g1", summary=f"<p>Rendered at {n}</p>")
        result = store.apply_parsed_feed(feed_id, feed(tick), fetch(NOW + timedelta(minutes=n)))
        rewrites += len(result.updated_entry_ids)
    assert rewrites == HASH_CHANGED_LIMIT
    [stored] = store.list_entries(EntryQuery())
    assert stored.summary == f"<p>Rendered at {HASH_CHANGED_LIMIT}</p>"
    # A change the feed dates is written again, and starts a new count.
    dated = entry("g1", summary="<p>Corrected</p>", updated=NOW + timedelta(days=1))
    result = store.apply_parsed_feed(feed_id, feed(dated), fetch(NOW + timedelta(days=1)))
    assert result.updated_entry_ids == (stored.id,)
    assert store.get_entry(stored.id).summary == "<p>Corrected</p>"


def test_an_entry_dated_after_its_fetch_is_dated_at_the_fetch(store: Store, feed_id: int) -> None:
    """A pubDate of next year is listed, sorted and searched at the fetch time; the feed's
    own date stays in `published`; a few minutes of clock skew are left alone."""
    future = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    skew = NOW + timedelta(minutes=5)
    ids = store.apply_parsed_feed(
        feed_id,
        feed(
            entry("future", published=future),
            entry("skewed", published=skew),
            entry("today", published=NOW - timedelta(hours=1)),
        ),
        fetch(),
    ).new_entry_ids
    got = {e.guid: e for e in store.entries_by_ids(ids)}
    assert (got["future"].published, got["future"].date) == (future, NOW)
    assert got["skewed"].date == skew and got["today"].date == NOW - timedelta(hours=1)
    assert store.entry_ids(EntryQuery()) == [ids[1], ids[0], ids[2]]
    assert store.entry_ids(EntryQuery(search="entry")) == [ids[1], ids[0], ids[2]]
    # rewritten at a later fetch, it is dated at that fetch, no later
    later = NOW + timedelta(days=1)
    store.apply_parsed_feed(
        feed_id, feed(entry("future", published=future, summary="changed")), fetch(later)
    )
    assert store.get_entry(ids[0]).date == later
    assert store.entry_ids(EntryQuery(search="changed")) == [ids[0]]
    assert store.integrity_check() == []
