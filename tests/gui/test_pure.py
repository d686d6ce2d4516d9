"""The window's pure helpers: relative times, view keys, queries per view, folder paths, the
row changes of a refreshed article list."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from newsreader.cli.format import relative, short_date, when
from newsreader.errors import FetchError, HTTPStatusError, NetworkError, ParseError
from newsreader.feed_status import (
    BUNDLED_REASON,
    account_problem_text,
    account_problems,
    disabled_reason,
    has_problem,
    problem_feed_count,
)
from newsreader.gui.add_feed_dialog import discovery_failure, folder_names, folder_paths
from newsreader.gui.article_model import RowChanges, pages_holding, row_changes, runs
from newsreader.gui.timefmt import relative_time
from newsreader.gui.views import View, ViewKind, empty_message, query_for
from newsreader.model import Account, AccountKind, AccountStatus, Feed, Folder
from newsreader.store import Store
from newsreader.store.types import USER_DISABLED_REASON

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=18), "18 minutes ago"),
        (timedelta(hours=5), "5 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=6), "6 days ago"),
    ],
)
def test_relative_time(ago: timedelta, text: str) -> None:
    assert relative_time(NOW - ago, NOW) == text


@pytest.mark.parametrize(
    "ago", [timedelta(seconds=0), timedelta(minutes=18), timedelta(hours=3), timedelta(days=2)]
)
def test_the_window_and_the_command_line_word_a_recent_time_alike(ago: timedelta) -> None:
    """One wording (`wording.time_from`): the list's date and `newsreader entries`' agree."""
    assert relative_time(NOW - ago, NOW) == relative(NOW - ago, NOW) == when(NOW - ago, NOW)


@pytest.mark.parametrize(
    "offset", [timedelta(days=-30), timedelta(days=-7), timedelta(hours=3), timedelta(days=2)]
)
def test_the_window_and_the_command_line_show_a_date_alike(offset: timedelta) -> None:
    """One decision (`wording.time_or_date`): where one front end shows the date, so does the
    other, each in its own date format."""
    value = NOW + offset
    assert relative_time(value, NOW) == value.astimezone().strftime("%d %b %Y")
    assert when(value, NOW) == short_date(value, NOW)


def test_old_and_future_dates_show_the_date() -> None:
    assert relative_time(NOW - timedelta(days=30), NOW) == (
        NOW - timedelta(days=30)
    ).astimezone().strftime("%d %b %Y")
    ahead = NOW + timedelta(hours=3)
    assert relative_time(ahead, NOW) == ahead.astimezone().strftime("%d %b %Y")
    assert relative_time(NOW + timedelta(seconds=30), NOW) == "now"  # a clock's drift
    assert relative_time(None, NOW) == ""


def test_view_keys_round_trip_and_reject_garbage() -> None:
    for view in (View(ViewKind.ALL), View(ViewKind.FEED, 12), View(ViewKind.FOLDER, 3)):
        assert View.from_key(view.key) == view
    for bad in ("", "feed", "feed:x", "all:3", "nonsense", "folder:-1"):
        assert View.from_key(bad) is None


def test_queries_leave_out_feeds_being_unsubscribed() -> None:
    feeds = [Feed(id=1, url="a"), Feed(id=2, url="b", last_error="HTTP 500")]
    assert query_for(View(ViewKind.ALL), feeds).feed_ids is None
    assert query_for(View(ViewKind.ALL), feeds, {1}).feed_ids == (2,)
    assert query_for(View(ViewKind.UNREAD), feeds, {2}).unread_only
    assert query_for(View(ViewKind.UNREAD), feeds, {2}).feed_ids == (1,)
    assert query_for(View(ViewKind.PROBLEMS), feeds, {2}).feed_ids == ()
    assert query_for(View(ViewKind.FEED, 1), feeds, {1}).feed_ids == ()


def test_feed_problems_lists_what_the_feed_status_rule_calls_a_problem() -> None:
    """Feed problems lists the articles of the feeds `feed_status.has_problem` calls a problem,
    the one rule the panel's count, the problem bar and the command line also use: a feed
    whose last fetch failed, or one a sync switched off (410 Gone). Not a feed the user
    switched off, even with the error it had when they did (they chose to stop it: there is
    nothing to fix, and the count would not match the tree's), not one switched off before a
    reason was recorded (read as the user's, as `disabled_reason` words it), and not the
    bundled welcome feed (on `.invalid`, never fetched)."""
    ok = Feed(id=1, url="https://ok.example/feed")
    failing = Feed(id=2, url="https://failing.example/feed", last_error="HTTP 500 Server Error")
    gone = Feed(id=3, url="https://gone.example/feed", disabled=True, disabled_reason="HTTP 410")
    off = Feed(
        id=4,
        url="https://off.example/feed",
        last_error="timed out",
        disabled=True,
        disabled_reason=USER_DISABLED_REASON,
    )
    off_long_ago = Feed(id=5, url="https://old.example/feed", disabled=True)
    welcome = Feed(  # whatever it recorded (a data folder from before it was switched off)
        id=6,
        url="https://newsreader.invalid/welcome.atom",
        last_error="cannot resolve host name newsreader.invalid",
        disabled=True,
        disabled_reason="cannot resolve host name newsreader.invalid",
    )
    feeds = [ok, failing, gone, off, off_long_ago, welcome]
    problems = View(ViewKind.PROBLEMS)
    assert query_for(problems, feeds).feed_ids == (2, 3)
    assert query_for(problems, feeds, {2}).feed_ids == (3,)  # unsubscribed: left out
    # a failing feed that fetched fine again (its error cleared) leaves the view
    assert query_for(problems, [replace(failing, last_error=None), gone]).feed_ids == (3,)
    # a failing feed the user then switched off: off the list, though the error stays stored
    switched_off = replace(failing, disabled=True, disabled_reason=USER_DISABLED_REASON)
    assert query_for(problems, [switched_off, gone]).feed_ids == (3,)
    assert disabled_reason(off_long_ago) == USER_DISABLED_REASON
    assert disabled_reason(welcome) == BUNDLED_REASON


def test_only_failures_and_sync_disabled_feeds_are_problems() -> None:
    assert has_problem(Feed(id=1, url="a", last_error="timeout"))
    assert has_problem(Feed(id=1, url="a", disabled=True, disabled_reason="HTTP 410"))
    assert not has_problem(Feed(id=1, url="a"))


def test_a_failed_account_is_a_problem_of_its_feeds_counted_once() -> None:
    url = "https://rss.example/api/greader.php"
    refused = Account(1, AccountKind.GREADER, url, "ana", status=AccountStatus.LOGIN_FAILED)
    fresh = Account(2, AccountKind.GREADER, url, "ben", status=AccountStatus.NEW)
    feeds = [
        Feed(id=1, url="a", account_id=1),
        Feed(id=2, url="b", account_id=1, last_error="timeout"),  # also a problem of its own
        Feed(id=3, url="c", account_id=2),  # a new account has not failed
        Feed(id=4, url="d", last_error="HTTP 404"),
    ]
    (problem,) = account_problems(feeds, [refused, fresh])
    assert [f.id for f in problem.feeds] == [1, 2]
    assert problem.describe() == "2 feeds: account ana at rss.example not synced (login-failed)"
    assert problem_feed_count(feeds, [refused, fresh]) == 3
    with_reason = replace(refused, status_message="the server refused the password")
    assert account_problem_text(with_reason) == "the server refused the password"
    assert account_problems(feeds, [replace(refused, status=AccountStatus.OK)]) == []


def test_folder_paths() -> None:
    folders = [Folder(1, "News"), Folder(2, "World", parent_id=1), Folder(3, "art")]
    assert folder_names(folders, 2) == ("News", "World")
    assert folder_names(folders, None) == ()
    assert folder_paths(folders) == [("art", 3), ("News", 1), ("News / World", 2)]


def replay(old: list[int], changes: RowChanges) -> list[int]:
    """Applies the changes as the model does: removals from the end, then insertions."""
    rows = list(old)
    for first, last in reversed(changes.removed):
        del rows[first : last + 1]
    for first, last in changes.inserted:
        rows[first:first] = changes.ids[first : last + 1]
    return rows


def test_runs_group_consecutive_rows() -> None:
    assert runs([]) == []
    assert runs([0, 1, 2, 5, 7, 8]) == [(0, 2), (5, 5), (7, 8)]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ([5, 4, 3, 2, 1], [9, 8, 5, 4, 3, 2, 1]),  # a sync: newer articles on top
        ([5, 4, 3, 2, 1], [5, 3, 1]),  # purged
        ([5, 4, 3, 2, 1], [7, 5, 6, 3, 1, 0]),  # both, in several places
        ([], [3, 2, 1]),
        ([3, 2, 1], []),
    ],
)
def test_row_changes_turn_the_old_rows_into_the_new(old: list[int], new: list[int]) -> None:
    changes = row_changes(old, new)
    assert not changes.reordered
    assert replay(old, changes) == new
    assert changes.rows == {entry_id: row for row, entry_id in enumerate(new)}  # for row_of


def test_rows_that_changed_order_mean_a_reset() -> None:
    reordered = row_changes([3, 2, 1], [1, 2, 3])
    assert reordered.reordered
    assert reordered.rows == {1: 0, 2: 1, 3: 2}
    unchanged = row_changes([3, 2, 1], [3, 2, 1])
    assert (unchanged.removed, unchanged.inserted, unchanged.reordered) == ([], [], False)


def test_a_feed_the_user_switched_off_is_no_problem(store: Store) -> None:
    """The reason the store records for the user's choice is recognised, whatever its text."""
    feed = store.add_feed("https://switched-off.example/feed.xml")
    store.update_feed_settings(feed.id, interval_minutes=None, disabled=True)
    switched_off = store.get_feed(feed.id)
    assert switched_off.disabled and switched_off.disabled_reason
    assert not has_problem(switched_off)


def test_empty_views_say_why_and_what_to_do() -> None:
    starred = View(ViewKind.STARRED)
    assert "Add feed (Ctrl+N)" in empty_message(starred, searching=False, has_feeds=False)
    assert empty_message(starred, searching=True, has_feeds=True) == (
        "No articles match this search."
    )
    assert "Star one with s" in empty_message(starred, searching=False, has_feeds=True)
    assert "refresh (r)" in empty_message(View(ViewKind.FEED, 3), searching=False, has_feeds=True)


def test_a_refresh_reads_the_pages_where_the_shown_rows_went() -> None:
    old = list(range(300, 0, -1))  # newest first
    shown = [old[130:194]]  # the page the view showed last (rows 130-193)
    changes = row_changes(old, [1000, 999, *old])  # two newer articles on top
    assert pages_holding(changes, shown) == [changes.ids[128:192], changes.ids[192:256]]
    assert pages_holding(row_changes(old, old), shown) == shown  # nothing moved
    assert pages_holding(row_changes(old, old[:100]), shown) == []  # none listed any more


def test_the_add_feed_dialog_tells_a_server_down_from_no_feed() -> None:
    """A 503 read "No feed found: HTTP 503 Service Unavailable": the address may be right."""
    assert discovery_failure(HTTPStatusError("https://a.example/", 503)) == (
        "The server answered HTTP 503 Service Unavailable: it may be down for a while. "
        "Try again later."
    )
    assert discovery_failure(NetworkError("connection refused by a.example")) == (
        "The address could not be reached: connection refused by a.example"
    )
    assert discovery_failure(FetchError("no feed found at https://a.example/ (x)")) == (
        "No feed found at https://a.example/ (x)"
    )
    assert discovery_failure(HTTPStatusError("https://a.example/", 404)) == (
        "No feed found: HTTP 404 Not Found"
    )
    assert discovery_failure(ParseError("not XML")) == "No feed found: not XML"


def test_a_refresh_with_no_feed_due_says_so_not_refreshed_0_feeds() -> None:
    from newsreader.gui.sync_controller import describe
    from newsreader.sync.events import SyncFinished, SyncSummary

    assert describe(SyncFinished(SyncSummary(checked=0))) == (
        "No feed was due for a refresh (r refreshes every one)."
    )
    assert describe(SyncFinished(SyncSummary(checked=2, new_entries=1))) == (
        "Refreshed 2 feeds: 1 new article."
    )
