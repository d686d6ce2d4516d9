"""Every message that puts a count beside a word says it in the singular for one ("1 entry",
never "1 entries" or "1 feed(s)") and in the plural otherwise: one helper, `wording`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.accounts.engine import AccountSyncResult
from newsreader.cli import build_parser, extract_cmd, parse_cmd
from newsreader.cli.account_cmds import result_line
from newsreader.cli.format import relative
from newsreader.cli.fulltext_cmds import _line as full_text_line
from newsreader.cli.rules_cmds import _matching
from newsreader.cli.sync_cmds import summary_lines
from newsreader.errors import PickError
from newsreader.export.render import _size
from newsreader.model import AccountStatus, DiscoveredFeed, FullText, ParsedEntry, ParsedFeed
from newsreader.parse.extract import ExtractedArticle
from newsreader.sync.events import SyncSummary
from newsreader.sync.subscribe import _pick
from newsreader.wording import agreeing, counted

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def test_the_helper() -> None:
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(0, "entry", "entries") == "0 entries"
    assert counted(2, "feed") == "2 feeds"
    assert counted(100_000, "article") == "100,000 articles"  # as the feed tree counts
    assert agreeing(1, "matches", "match") == "matches"
    assert agreeing(3, "matches", "match") == "match"
    assert agreeing(1, "article") == "article" and agreeing(0, "article") == "articles"


@pytest.mark.parametrize(("count", "words"), [(1, "1 entry"), (2, "2 entries"), (0, "0 entries")])
def test_parse_summary(count: int, words: str) -> None:
    feed = ParsedFeed("rss20", "News", entries=tuple(ParsedEntry(str(i)) for i in range(count)))
    assert parse_cmd.summary_line("f.xml", feed) == f"f.xml: rss20 'News', {words}"


@pytest.mark.parametrize(("text", "words"), [("one", "1 word"), ("one two", "2 words")])
def test_extract_and_full_text_summaries(text: str, words: str) -> None:
    article = ExtractedArticle(text=text, content=None, title="T")
    assert extract_cmd.summary_line("p.html", article) == f"p.html: 'T', {words}"
    full_text = FullText(entry_id=7, status="ok", fetched=NOW, text=text)
    assert full_text_line(7, full_text, None) == f"7: ok, {words}"


def test_sizes_and_ages() -> None:
    assert _size(1) == "1 byte" and _size(950) == "950 bytes"
    assert relative(NOW + timedelta(days=1, hours=2), NOW) == "in 1 day"
    assert relative(NOW - timedelta(days=1, hours=2), NOW) == "1 day ago"
    assert relative(NOW - timedelta(hours=1), NOW) == "1 hour ago"


def test_rules_match_agrees() -> None:
    assert _matching(1) == "1 stored entry matches"
    assert _matching(2) == "2 stored entries match"


def test_sync_summary_in_the_singular_and_the_plural() -> None:
    one = SyncSummary(checked=1, updated=1, new_entries=1, images_cached=1, comments_fetched=1)
    assert summary_lines(one)[:2] == [
        "Checked 1 feed: 0 unchanged, 1 updated, 1 new entry, 0 failed.",
        "Cached 1 image; 1 site comment added or changed.",
    ]
    two = SyncSummary(checked=2, updated=2, new_entries=2, images_cached=2, comments_fetched=2)
    assert summary_lines(two)[:2] == [
        "Checked 2 feeds: 0 unchanged, 2 updated, 2 new entries, 0 failed.",
        "Cached 2 images; 2 site comments added or changed.",
    ]


def test_account_sync_line() -> None:
    one = AccountSyncResult(1, AccountStatus.OK, sent=1, new_entries=1, state_changes=1, requests=1)
    assert result_line(one) == (
        "account 1: synced; sent 1 change, 1 new article, 1 state change, 1 request"
    )
    none = AccountSyncResult(1, AccountStatus.OK)
    assert result_line(none) == (
        "account 1: synced; sent 0 changes, 0 new articles, 0 state changes, 0 requests"
    )


def test_a_pick_past_the_feeds_found() -> None:
    with pytest.raises(PickError, match=r"only 1 feed was found$"):
        _pick([DiscoveredFeed("https://a.example/feed")], 2)
    with pytest.raises(PickError, match=r"only 2 feeds were found$"):
        _pick([DiscoveredFeed("https://a.example/1"), DiscoveredFeed("https://a.example/2")], 3)


def test_no_help_text_says_s_in_brackets() -> None:
    """Options are worded as plurals or with "one or more", never "id(s)"."""
    parser = build_parser()
    texts = [
        action.help or ""
        for sub in parser._subparsers._group_actions  # type: ignore[union-attr]
        for command in sub.choices.values()  # type: ignore[union-attr]
        for action in command._actions
    ]
    assert texts and [t for t in texts if "(s)" in t] == []
