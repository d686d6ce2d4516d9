"""`decide_feed`: what one fetch means for its feed, from plain values (no server, no store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.errors import (
    BodyTooLargeError,
    HostLookupError,
    HTTPStatusError,
    NetworkError,
    NetworkFailure,
    ParseError,
    TruncatedBodyError,
    UnexpectedContentTypeError,
    UnresolvableHostError,
)
from newsreader.failures import Cause
from newsreader.model import Feed, ParsedEntry, ParsedFeed
from newsreader.settings import Settings
from newsreader.store import FeedIntent, FetchFailed, FetchInfo, Gone, NewContent, SameContent
from newsreader.sync import schedule
from newsreader.sync.decide import Answered, Failed, decide_feed, needs_parse
from newsreader.sync.fetch import FetchResult

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings(refresh_interval_minutes=30)
URL = "https://example.org/feed"
OLD_HASH = "a" * 64
NEW_HASH = "b" * 64
PARSED = ParsedFeed(format="rss20", title="Example", entries=(ParsedEntry(id="g1"),))


def feed(**values: object) -> Feed:
    return Feed(id=7, url=URL, **values)  # type: ignore[arg-type]


def ok(
    headers: dict[str, str] | None = None, url: str = URL, permanent_url: str | None = None
) -> FetchResult:
    return FetchResult(200, url, b"<rss/>", headers or {}, permanent_url)


def not_modified(headers: dict[str, str] | None = None) -> FetchResult:
    return FetchResult(304, URL, b"", headers or {})


def test_the_first_fetch_writes_the_body_and_its_validators() -> None:
    headers = {"etag": '"v1"', "last-modified": "Sun, 01 Mar 2026 11:00:00 GMT"}
    answer = Answered(ok(headers), NEW_HASH)
    assert needs_parse(feed(), answer)
    intent = decide_feed(feed(), answer, PARSED, NOW, SETTINGS)
    assert intent == FeedIntent(
        7,
        NewContent(
            PARSED,
            FetchInfo(
                fetched_at=NOW,
                etag='"v1"',
                last_modified="Sun, 01 Mar 2026 11:00:00 GMT",
                next_due=NOW + timedelta(minutes=30),
                final_url=None,
                update_hint_minutes=None,
                body_sha256=NEW_HASH,
            ),
        ),
    )


def test_a_changed_body_after_failures_is_due_at_the_normal_interval() -> None:
    stored = feed(etag='"v1"', body_sha256=OLD_HASH, error_count=5)
    intent = decide_feed(stored, Answered(ok(), NEW_HASH), PARSED, NOW, SETTINGS)
    assert isinstance(intent.change, NewContent)
    info = intent.change.fetch
    # no validators in this answer: the stored ETag is forgotten, not kept
    assert (info.etag, info.last_modified) == (None, None)
    assert info.next_due == NOW + timedelta(minutes=30)
    assert info.body_sha256 == NEW_HASH


def test_the_publishers_hint_lengthens_the_interval() -> None:
    parsed = ParsedFeed(format="rss20", update_interval=timedelta(hours=2))
    intent = decide_feed(feed(), Answered(ok(), NEW_HASH), parsed, NOW, SETTINGS)
    assert isinstance(intent.change, NewContent)
    assert intent.change.fetch.update_hint_minutes == 120
    assert intent.change.fetch.next_due == NOW + timedelta(hours=2)
    # a max-age longer than the ttl wins
    headers = {"cache-control": "public, max-age=10800"}
    longer = decide_feed(feed(), Answered(ok(headers), NEW_HASH), parsed, NOW, SETTINGS)
    assert isinstance(longer.change, NewContent)
    assert longer.change.fetch.update_hint_minutes == 180


def test_the_feeds_own_interval_wins_over_the_hint() -> None:
    parsed = ParsedFeed(format="rss20", update_interval=timedelta(hours=2))
    own = feed(interval_minutes=15)
    intent = decide_feed(own, Answered(ok(), NEW_HASH), parsed, NOW, SETTINGS)
    assert isinstance(intent.change, NewContent)
    assert intent.change.fetch.next_due == NOW + timedelta(minutes=15)


def test_a_permanent_redirect_moves_the_feed_once_the_new_address_parsed() -> None:
    # fetch() sets permanent_url only when every redirect on the way was a 301 or 308
    moved = ok(url="https://example.net/feed", permanent_url="https://example.net/feed")
    intent = decide_feed(feed(), Answered(moved, NEW_HASH), PARSED, NOW, SETTINGS)
    assert isinstance(intent.change, NewContent)
    assert intent.change.fetch.final_url == "https://example.net/feed"


def test_a_temporary_redirect_keeps_the_address() -> None:
    found = ok(url="https://example.net/feed")  # a 302 on the way: no permanent_url
    intent = decide_feed(feed(), Answered(found, NEW_HASH), PARSED, NOW, SETTINGS)
    assert isinstance(intent.change, NewContent)
    assert intent.change.fetch.final_url is None


def test_304_records_the_fetch_and_keeps_the_stored_validators() -> None:
    stored = feed(etag='"v1"', body_sha256=OLD_HASH, error_count=2)
    answer = Answered(not_modified(), None)
    assert not needs_parse(stored, answer)
    intent = decide_feed(stored, answer, None, NOW, SETTINGS)
    # None keeps the stored ETag, Last-Modified, hint and hash
    assert intent == FeedIntent(7, SameContent(NOW, NOW + timedelta(minutes=30)))


def test_304_with_a_new_etag_and_max_age() -> None:
    stored = feed(etag='"v1"', update_hint_minutes=60)
    headers = {"etag": '"v2"', "cache-control": "max-age=7200"}
    intent = decide_feed(stored, Answered(not_modified(headers), None), None, NOW, SETTINGS)
    assert intent.change == SameContent(
        fetched_at=NOW,
        next_due=NOW + timedelta(hours=2),
        etag='"v2"',
        update_hint_minutes=120,
    )


def test_304_keeps_the_stored_documents_hint() -> None:
    stored = feed(update_hint_minutes=90)
    intent = decide_feed(stored, Answered(not_modified(), None), None, NOW, SETTINGS)
    assert intent.change == SameContent(NOW, NOW + timedelta(minutes=90), update_hint_minutes=90)


def test_the_same_bytes_again_are_not_parsed() -> None:
    stored = feed(body_sha256=OLD_HASH, etag='"v1"')
    answer = Answered(ok({"etag": '"v9"'}), OLD_HASH)  # a new ETag on every request
    assert not needs_parse(stored, answer)
    intent = decide_feed(stored, answer, None, NOW, SETTINGS)
    assert intent.change == SameContent(
        NOW, NOW + timedelta(minutes=30), etag='"v9"', body_sha256=OLD_HASH
    )


def test_a_304_after_a_permanent_redirect_does_not_move_the_feed() -> None:
    # the new address has not yet delivered a feed that parsed
    moved = FetchResult(304, "https://example.net/feed", permanent_url="https://example.net/feed")
    intent = decide_feed(feed(etag='"v1"'), Answered(moved, None), None, NOW, SETTINGS)
    assert isinstance(intent.change, SameContent)


def test_a_new_body_must_be_parsed_first() -> None:
    with pytest.raises(ValueError, match="parsed first"):
        decide_feed(feed(body_sha256=OLD_HASH), Answered(ok(), NEW_HASH), None, NOW, SETTINGS)


def test_410_disables_the_feed() -> None:
    failed = Failed.of(HTTPStatusError(URL, 410))
    intent = decide_feed(feed(error_count=1), failed, None, NOW, SETTINGS)
    assert intent == FeedIntent(
        7, Gone("the server says the feed is gone for good (HTTP 410) on 2026-03-01")
    )


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_pauses_the_feed(status: int) -> None:
    failed = Failed.of(HTTPStatusError(URL, status, "7200"))
    assert (failed.status, failed.retry_after, failed.network) == (status, "7200", False)
    intent = decide_feed(feed(), failed, None, NOW, SETTINGS)
    later = NOW + timedelta(hours=2)
    cause = "HTTP" if status == 429 else "SERVER"
    assert intent.change == FetchFailed(failed.message, NOW, later, later, cause)
    assert failed.message.startswith(f"HTTP {status} ")


def test_retry_after_as_a_date() -> None:
    failed = Failed.of(HTTPStatusError(URL, 503, "Sun, 01 Mar 2026 15:00:00 GMT"))
    intent = decide_feed(feed(), failed, None, NOW, SETTINGS)
    later = NOW + timedelta(hours=3)
    assert intent.change == FetchFailed("HTTP 503 Service Unavailable", NOW, later, later, "SERVER")


def test_retry_after_is_capped_and_ignored_on_other_statuses() -> None:
    year = str(365 * 86400)
    capped = decide_feed(feed(), Failed("HTTP 429", 429, year), None, NOW, SETTINGS)
    week = NOW + schedule.MAX_RETRY_AFTER
    assert capped.change == FetchFailed("HTTP 429", NOW, week, week, "OTHER")
    other = decide_feed(feed(), Failed("HTTP 500", 500, "7200"), None, NOW, SETTINGS)
    assert other.change == FetchFailed("HTTP 500", NOW, NOW + timedelta(minutes=30), None, "OTHER")


def test_a_short_retry_after_never_undercuts_the_back_off() -> None:
    failed = Failed("HTTP 503", 503, "60")
    intent = decide_feed(feed(error_count=2), failed, None, NOW, SETTINGS)
    # the third failure in a row: 4 x 30 min; the pause itself is the server's minute
    assert intent.change == FetchFailed(
        "HTTP 503", NOW, NOW + timedelta(hours=2), NOW + timedelta(minutes=1), "OTHER"
    )


def test_network_errors_back_off_doubling_up_to_a_day() -> None:
    failed = Failed.of(NetworkError("cannot connect to example.org"))
    assert failed == Failed("cannot connect to example.org", network=True, cause=Cause.NETWORK)
    delays = []
    for count in range(8):
        change = decide_feed(feed(error_count=count), failed, None, NOW, SETTINGS).change
        assert isinstance(change, FetchFailed)
        assert (change.message, change.at, change.retry_not_before) == (failed.message, NOW, None)
        delays.append(change.next_due - NOW)
    minutes = [int(d.total_seconds() // 60) for d in delays]
    assert minutes == [30, 60, 120, 240, 480, 960, 1440, 1440]


def test_a_parse_error_backs_off_with_its_message() -> None:
    failed = Failed.of(ParseError("not a feed: no <rss>, <feed> or <rdf:RDF> element"))
    assert (failed.status, failed.network) == (None, False)
    intent = decide_feed(feed(error_count=1), failed, None, NOW, SETTINGS)
    assert intent.change == FetchFailed(
        "not a feed: no <rss>, <feed> or <rdf:RDF> element",
        NOW,
        NOW + timedelta(hours=1),
        None,
        "NOT_A_FEED",
    )


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (UnresolvableHostError("gone.example", "cannot resolve host name gone.example"), "NO_NAME"),
        (HostLookupError("gone.example", "no answer", timed_out=True), "NO_NAME"),
        (NetworkError("connecting to a.example timed out", NetworkFailure.TIMEOUT), "TIMEOUT"),
        (NetworkError("connection refused by a.example", NetworkFailure.REFUSED), "REFUSED"),
        (NetworkError("certificate verify failed", NetworkFailure.CERTIFICATE), "CERTIFICATE"),
        (NetworkError("a.example broke the connection"), "NETWORK"),
        (TruncatedBodyError("stopped", received=10, timed_out=True), "TIMEOUT"),
        (HTTPStatusError(URL, 404), "NOT_FOUND"),
        (HTTPStatusError(URL, 403), "LOGIN"),
        (HTTPStatusError(URL, 410), "GONE"),
        (HTTPStatusError(URL, 502), "SERVER"),
        (HTTPStatusError(URL, 418), "HTTP"),
        (ParseError("the words of this message do not matter"), "NOT_A_FEED"),
        (UnexpectedContentTypeError(URL, "image/png"), "NOT_A_FEED"),
        (BodyTooLargeError(1024), "OTHER"),
    ],
)
def test_a_failures_cause_is_told_by_its_type(error: Exception, cause: str) -> None:
    """The Feed problems list groups by this cause, stored with the problem; the message's
    words play no part (they once did)."""
    assert Failed.of(error).cause.name == cause
    change = decide_feed(feed(), Failed.of(error), None, NOW, SETTINGS).change
    assert getattr(change, "cause", "GONE") == cause


def test_a_failure_without_text_is_named_by_its_class() -> None:
    assert Failed.of(TimeoutError()) == Failed("TimeoutError")


def test_the_decision_reads_no_clock() -> None:
    # Times come from `now` alone: a date far in the past gives times far in the past.
    past = datetime(2001, 1, 1, tzinfo=UTC)
    intent = decide_feed(feed(), Answered(ok(), NEW_HASH), PARSED, past, SETTINGS)
    assert isinstance(intent.change, NewContent)
    assert intent.change.fetch.fetched_at == past
    assert intent.change.fetch.next_due == past + timedelta(minutes=30)
