"""`apply_feed_intent`: what `decide_feed` decided, written in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsreader.errors import NotFoundError
from newsreader.store import (
    EntryQuery,
    FeedIntent,
    FeedWriteResult,
    FetchFailed,
    Gone,
    NewContent,
    NewFollowUp,
    SameContent,
    Store,
    detect_languages,
)
from tests.store.builders import NOW, entry, feed, fetch

LATER = NOW + timedelta(hours=1)


@pytest.fixture
def feed_id(store: Store) -> int:
    return store.add_feed("https://example.org/feed").id


def comment_jobs(written: FeedWriteResult) -> list[NewFollowUp]:
    return [
        NewFollowUp("comments", url, id_, written.feed_id) for id_, url in written.comment_feeds
    ]


def test_new_content_writes_the_feed_its_entries_and_their_follow_ups(
    store: Store, feed_id: int
) -> None:
    store.record_fetch_error(feed_id, "HTTP 500", NOW, NOW)
    parsed = feed(entry("g1", comments_feed="https://example.org/g1/comments"), title="Tides")
    info = fetch(etag='"v1"', final_url="https://example.org/moved", body_sha256="c" * 64)
    written = store.apply_feed_intent(FeedIntent(feed_id, NewContent(parsed, info)), comment_jobs)
    (entry_id,) = written.new_entry_ids
    assert written.feed_url == "https://example.org/moved"
    stored = store.get_feed(feed_id)
    assert (stored.title, stored.url, stored.etag, stored.body_sha256) == (
        "Tides",
        "https://example.org/moved",
        '"v1"',
        "c" * 64,
    )
    assert (stored.error_count, stored.last_error, stored.last_fetched) == (0, None, NOW)
    assert stored.next_due == info.next_due
    (job,) = store.due_follow_ups(["comments"], LATER)
    assert (job.url, job.entry_id, job.feed_id) == (
        "https://example.org/g1/comments",
        entry_id,
        feed_id,
    )


def test_a_failing_follow_up_rolls_back_the_whole_feed(store: Store, feed_id: int) -> None:
    def broken(written: FeedWriteResult) -> list[NewFollowUp]:
        raise RuntimeError("follow-up work failed")

    intent = FeedIntent(feed_id, NewContent(feed(entry("g1")), fetch(etag='"v1"')))
    with pytest.raises(RuntimeError):
        store.apply_feed_intent(intent, broken)
    assert store.count_entries(EntryQuery()) == 0
    assert (store.get_feed(feed_id).etag, store.get_feed(feed_id).last_fetched) == (None, None)


def test_same_content_keeps_what_came_with_nothing(store: Store, feed_id: int) -> None:
    store.apply_parsed_feed(feed_id, feed(entry("g1")), fetch(etag='"v1"', body_sha256="d" * 64))
    store.record_fetch_error(feed_id, "timed out", NOW, NOW)
    written = store.apply_feed_intent(
        FeedIntent(feed_id, SameContent(LATER, LATER + timedelta(minutes=30)))
    )
    assert written == FeedWriteResult(feed_id)
    stored = store.get_feed(feed_id)
    assert (stored.etag, stored.body_sha256) == ('"v1"', "d" * 64)
    assert (stored.last_fetched, stored.next_due) == (LATER, LATER + timedelta(minutes=30))
    assert (stored.error_count, stored.last_error) == (0, None)
    store.apply_feed_intent(FeedIntent(feed_id, SameContent(LATER, LATER, etag='"v2"')))
    assert store.get_feed(feed_id).etag == '"v2"'


def test_fetch_failed_counts_and_pauses(store: Store, feed_id: int) -> None:
    pause = NOW + timedelta(hours=2)
    for _ in range(2):
        store.apply_feed_intent(FeedIntent(feed_id, FetchFailed("HTTP 503", NOW, pause, pause)))
    stored = store.get_feed(feed_id)
    assert (stored.error_count, stored.last_error, stored.last_error_at) == (2, "HTTP 503", NOW)
    assert (stored.next_due, stored.retry_not_before) == (pause, pause)
    assert store.due_feeds(NOW + timedelta(hours=1), every=True) == []


def test_gone_disables_the_feed(store: Store, feed_id: int) -> None:
    store.apply_feed_intent(FeedIntent(feed_id, Gone("HTTP 410 on 2026-03-01")))
    stored = store.get_feed(feed_id)
    assert (stored.disabled, stored.disabled_reason, stored.next_due) == (
        True,
        "HTTP 410 on 2026-03-01",
        None,
    )


def test_a_missing_feed_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.apply_feed_intent(FeedIntent(99, Gone("gone")))


def test_a_feed_switched_back_on_forgets_its_problem_and_its_cause(
    store: Store, feed_id: int
) -> None:
    """A 500, then a 410 that switched the feed off: switched back on by the user, it has no
    problem until its next fetch (it showed the old 500's words under "gone for good")."""
    from newsreader.failures import Cause
    from newsreader.feed_status import has_problem, problem_cause

    store.apply_feed_intent(FeedIntent(feed_id, FetchFailed("HTTP 500", NOW, NOW, None, "SERVER")))
    assert problem_cause(store.get_feed(feed_id)) is Cause.SERVER
    store.apply_feed_intent(FeedIntent(feed_id, Gone("gone for good (HTTP 410)")))
    gone = store.get_feed(feed_id)
    assert (gone.disabled, problem_cause(gone)) == (True, Cause.GONE)
    store.update_feed_settings(feed_id, interval_minutes=None, disabled=False)
    back = store.get_feed(feed_id)
    assert not back.disabled and not has_problem(back)
    assert (back.last_error, back.error_cause, back.error_count) == (None, None, 0)


SUMMARY = (
    "<p>The council opened the new bridge over the harbour on Monday morning, and the first "
    "ferries passed under it an hour later while the crowd watched from the pier.</p>"
)
GERMAN_SUMMARY = (
    "<p>Die Regierung hat am Montag einen neuen Haushalt vorgestellt, der mehr Geld für "
    "Schulen und Krankenhäuser vorsieht. Die Opposition kritisierte die Pläne scharf.</p>"
)


def test_languages_detected_beforehand_are_written_as_given(store: Store, feed_id: int) -> None:
    parsed = feed(
        entry("a", title="Council opens the new harbour bridge", summary=SUMMARY),
        entry("b", title="Another day on the harbour bridge", summary=SUMMARY),
    )
    intent = FeedIntent(feed_id, NewContent(parsed, fetch()))

    store.apply_feed_intent(intent, languages={"a": "fr"})  # "b" was not detected beforehand

    languages = {e.guid: e.language for e in store.list_entries(EntryQuery())}
    assert languages == {"a": "fr", "b": "en"}


def test_detect_languages_gives_what_the_write_detects(store: Store, feed_id: int) -> None:
    parsed = feed(
        entry("de", title="Neuer Haushalt vorgestellt", summary=GERMAN_SUMMARY),
        entry("en", title="Council opens the new harbour bridge", summary=SUMMARY),
        entry("none", title=None),
    )
    store.apply_feed_intent(FeedIntent(feed_id, NewContent(parsed, fetch())))

    written = {e.guid: e.language for e in store.list_entries(EntryQuery())}
    assert detect_languages(parsed) == written
    assert (written["de"], written["en"]) == ("de", "en")
