"""The search language run by the store: every field, exclusion, OR, groups and patterns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.errors import PatternTimeoutError, SearchQueryError
from newsreader.model import Author, Enclosure
from newsreader.query.ast import Pattern
from newsreader.store import EntryOrder, EntryQuery, Store
from newsreader.store.query_sql import (
    _backtracks_little,
    pattern_start,
    search_pattern,
)
from tests.store.builders import entry, feed, fetch

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)


@pytest.fixture
def library(store: Store) -> dict[str, int]:
    """Two feeds (one in Tech/Apple) with entries of known ages; entry ids by guid."""
    apple = store.ensure_folder_path(["Tech", "Apple"])
    swift = store.add_feed("https://swift.example/feed", folder_id=apple).id
    world = store.add_feed("https://world.example/feed").id
    store.rename_feed(world, "World Desk")
    ids: dict[str, int] = {}
    for feed_id, entries in (
        (
            swift,
            (
                entry(
                    "s1",
                    title="Swift 6 released",
                    published=NOW - 10 * DAY,
                    categories=("Swift", "Release Notes"),
                ),
                entry(
                    "s2",
                    title="Swift concurrency explained",
                    published=NOW - 2 * DAY,
                    authors=(Author(name="Ann Lee"),),
                ),
                entry(
                    "s3",
                    title="Podcast: Rust and Swift",
                    published=NOW - 1 * DAY,
                    enclosures=(Enclosure("https://swift.example/ep.mp3", "audio/mpeg", 10),),
                ),
            ),
        ),
        (
            world,
            (
                entry("w1", title="Ask HN: volcano news?", published=NOW - 30 * DAY),
                entry(
                    "w2",
                    title="Election results",
                    published=NOW - 3 * DAY,
                    summary="<p>Turnout rose sharply</p>",
                    authors=(Author(name="Newsbot"),),
                    categories=("Crime & News & World", "Promocje dnia"),  # FreshRSS #871
                ),
                entry(
                    "w3",
                    title="Rust in the kernel",
                    published=NOW - 1 * DAY,
                    categories=("rust", "RUST", " Kernel "),  # one category in two cases
                ),
            ),
        ),
    ):
        result = store.apply_parsed_feed(feed_id, feed(*entries), fetch(at=NOW))
        ids.update(zip((e.id for e in entries), result.new_entry_ids, strict=True))
    store.set_starred([ids["s2"]], True)
    store.set_read([ids["s1"], ids["w1"]], True)
    store.add_tag(ids["w2"], "Politics")
    store.add_comment(ids["w3"], "worth a read", author="me")
    return ids


def found(store: Store, search: str) -> set[str]:
    return {e.guid for e in store.list_entries(EntryQuery(search=search))}


SEARCHES = [
    ("swift", {"s1", "s2", "s3"}),
    ("-swift", {"w1", "w2", "w3"}),  # exclusion alone: every entry without the word
    ("rust -swift", {"w3"}),
    ("rust NOT swift", {"w3"}),
    ("swift -(rust OR concurrency)", {"s1"}),
    ("rust OR election", {"s3", "w2", "w3"}),
    ('"swift concurrency"', {"s2"}),
    ("sw*", {"s1", "s2", "s3"}),
    ("title:rust", {"s3", "w3"}),
    ("author:lee", {"s2"}),
    ('author:"Ann Lee" OR author:newsbot', {"s2", "w2"}),
    ("turnout", {"w2"}),
    ("feed:world", {"w1", "w2", "w3"}),
    ('feed:"World Desk" rust', {"w3"}),
    ("folder:tech", {"s1", "s2", "s3"}),  # subfolders too, any case
    ("folder:apple -rust", {"s1", "s2"}),
    ("tag:politics", {"w2"}),
    ("-tag:politics is:unread", {"s2", "s3", "w3"}),
    ("is:unread", {"s2", "s3", "w2", "w3"}),
    ("is:read", {"s1", "w1"}),
    ("is:starred", {"s2"}),
    ("is:commented", {"w3"}),
    ("has:enclosure", {"s3"}),
    ("age:<2d", {"s3", "w3"}),
    ("age:>20d", {"w1"}),
    ("is:unread (age:<2d OR tag:politics)", {"s3", "w2", "w3"}),
    ("title~/^Ask HN/", {"w1"}),
    ("title~/^ask hn/", set()),
    ("title~/^ask hn/i", {"w1"}),
    ("title~/\\d/ swift", {"s1"}),
    ("-title~/swift/i is:unread", {"w2", "w3"}),
    ("author~/bot$/i", {"w2"}),
    ("link~/org\\/w\\d$/ title:rust", {"w3"}),
    ("-title:swift -title:rust", {"w1", "w2"}),  # several negations: all of them hold
    ("-title:swift OR title:concurrency", {"s2", "w1", "w2", "w3"}),
    ('title:(kernel OR "election results")', {"w2", "w3"}),  # a field over its group
    ("title:(rust -kernel)", {"s3"}),
    ("is:(starred OR read) swift", {"s1", "s2"}),
    ("title~/(?i)^swift/", {"s1", "s2"}),
    ('("swift concurrency")', {"s2"}),
    ("swift (rust OR is:starred)", {"s2", "s3"}),
    ("swift age:<3d", {"s2", "s3"}),  # words and dates: the index reads only those dates
    ("swift age:>5d", {"s1"}),
    ("rust OR volcano age:>20d", {"s3", "w1", "w3"}),  # an OR beside words stays whole
    ("is:read (rust OR is:starred)", set()),  # ... and beside other conditions
    ("10:30", set()),
    ("c++", set()),
    ("category:swift", {"s1"}),  # the feed's own category, any case
    ('category:"release notes"', {"s1"}),
    ("category:release", set()),  # a whole category, not a word of one
    ('category:"crime & news & world"', {"w2"}),
    ("category:kernel", {"w3"}),  # trimmed as stored
    ("category:Rust -title:swift", {"w3"}),
    ("-category:rust", {"s1", "s2", "s3", "w1", "w2"}),  # entries without categories too
    ("category:swift OR category:rust", {"s1", "w3"}),
    ("category~/\\bpromocje\\s+dnia\\b/i", {"w2"}),  # a Miniflux EntryTag= rule
    ("category~/^R/", {"s1", "w3"}),  # any one of the categories, each spelling
    ("category~/^R/ category~/^r/", {"w3"}),
    ("-category~/^R/ is:unread", {"s2", "s3", "w2"}),
]
"""(search, guids it finds in `library`)."""


@pytest.mark.parametrize(("search", "expected"), SEARCHES)
def test_search_language(
    store: Store, library: dict[str, int], search: str, expected: set[str]
) -> None:
    assert found(store, search) == expected
    assert store.count_entries(EntryQuery(search=search)) == len(expected)


def test_dates(store: Store, library: dict[str, int]) -> None:
    day = (NOW - 2 * DAY).date().isoformat()  # s2's day: after: includes it, before: not
    assert found(store, f"after:{day}") == {"s2", "s3", "w3"}
    assert found(store, f"before:{day}") == {"s1", "w1", "w2"}
    assert found(store, f"after:{day} before:{(NOW - DAY).date().isoformat()}") == {"s2"}


def test_search_combines_with_the_view_and_every_order(
    store: Store, library: dict[str, int]
) -> None:
    swift_feed = store.get_entry(library["s1"]).feed_id
    orders: tuple[EntryOrder, ...] = ("date", "title", "source", "relevance")
    for order in orders:
        query = EntryQuery(search="-concurrency title:swift", feed_ids=(swift_feed,), order=order)
        assert {e.guid for e in store.list_entries(query)} == {"s1", "s3"}
    newest = store.list_entries(EntryQuery(search="is:unread", limit=2))
    assert {e.guid for e in newest} == {"s3", "w3"}  # both a day old


def test_a_pattern_running_out_of_time_after_the_first_rows_is_the_same_clear_error(
    store: Store,
) -> None:
    """The timeout can strike while later rows are fetched (a newcomer's store: a few
    ordinary titles, then a long one), not only when the first row is asked for."""
    feed_id = store.add_feed("https://slow.example/feed").id
    ordinary = [entry(f"n{i}", title=f"aaa {i}", published=NOW) for i in range(5)]
    slow = entry("x", title="a" * 3000 + "!", published=NOW - timedelta(days=1))
    store.apply_parsed_feed(feed_id, feed(*ordinary, slow), fetch())
    for search in ("title~/(a|aa)+$/", "aaa OR title~/(a|aa)+$/"):
        with pytest.raises(PatternTimeoutError):
            store.list_entries(EntryQuery(search=search))
        with pytest.raises(PatternTimeoutError):
            store.entry_ids(EntryQuery(search=search))
    assert len(store.list_entries(EntryQuery(search=r"title~/^aaa \d/"))) == 5


def test_a_catastrophic_pattern_times_out_instead_of_stalling(store: Store) -> None:
    feed_id = store.add_feed("https://slow.example/feed").id
    store.apply_parsed_feed(feed_id, feed(entry("x", title="a" * 40 + "!")), fetch())
    # The `regex` module answers the classic (a+)+$ without backtracking at all ...
    assert store.list_entries(EntryQuery(search="title~/(a+)+$/")) == []
    # ... and stops the ones it cannot, naming the pattern.
    with pytest.raises(PatternTimeoutError, match=r"/\(a\|aa\)\+\$/ took longer than .* ms"):
        store.list_entries(EntryQuery(search="title~/(a|aa)+$/"))
    assert isinstance(PatternTimeoutError("x"), SearchQueryError)
    # The connection is fine afterwards, and harmless patterns still run.
    assert len(store.list_entries(EntryQuery(search="title~/^a+!$/"))) == 1


def test_lang_finds_the_language_detected_at_ingest(store: Store) -> None:
    feed_id = store.add_feed("https://mixed.example/feed").id
    store.apply_parsed_feed(
        feed_id,
        feed(
            entry(
                "en",
                title="The city council votes on the new harbour bridge",
                summary="<p>Members of the council argued for hours about the cost.</p>",
            ),
            entry(
                "de",
                title="Der Stadtrat stimmt über die neue Hafenbrücke ab",
                summary="<p>Die Mitglieder stritten stundenlang über die Kosten.</p>",
            ),
            entry("short", title="Ok"),  # too short to tell
        ),
        fetch(),
    )
    languages = {e.guid: e.language for e in store.list_entries(EntryQuery())}
    assert languages == {"en": "en", "de": "de", "short": None}
    assert found(store, "lang:en") == {"en"}
    assert found(store, "lang:DE") == {"de"}
    assert found(store, "lang:en-GB") == {"en"}  # only the primary tag counts
    assert found(store, "lang:und") == {"short"}  # BCP-47 "undetermined"
    assert found(store, "-lang:en") == {"de", "short"}  # unknown is not English
    assert found(store, "lang:fr") == set()
    assert found(store, "lang:de OR title:ok") == {"de", "short"}
    assert found(store, "council lang:en") == {"en"}
    assert store.count_entries(EntryQuery(search="lang:de", unread_only=True)) == 1


@pytest.mark.parametrize(
    ("pattern", "little"),
    [
        ("^Story 1[0-2] of", True),
        ("bot$", True),
        (r"ab\w+ cd", True),
        ("^(Sponsored|Advertisement)", True),
        (r"\bvideo\b", True),
        ("(a|aa)+$", False),  # a repeat of an alternation: exponential
        ("(a+)+$", False),  # nested repeats
        (".*a.*b", False),  # two open repeats: n³
        ("(?P<x>a)(?P=x)", False),  # a back-reference
        (r"\p{L}+", False),  # `regex` syntax the standard parser does not read
    ],
)
def test_only_patterns_that_backtrack_little_skip_the_clock(pattern: str, little: bool) -> None:
    assert _backtracks_little(pattern) is little


def test_a_long_text_keeps_the_time_limit_even_for_a_simple_pattern() -> None:
    assert search_pattern(r"[a-z]+\d$", False, "a" * 200 + "1")  # short: no clock, quick
    with pytest.raises(PatternTimeoutError):  # n² steps on 40,000 letters: stopped
        search_pattern(r"[a-z]+\d$", False, "a" * 40_000)


@pytest.mark.parametrize(
    ("pattern", "start"),
    [
        ("^Ask HN", "ask"),
        (r"\bvolcano\b", "volcano"),
        (r"\AStory 1[0-2]", "story"),
        ("(?i)^swift", "swift"),
        (r"\bab", None),  # too short to narrow much
        ("volcano", None),  # may start inside a word
        ("^(Ask|Tell) HN", None),
        (r"(?a)\bvolcano", None),  # ASCII-only \b also starts after "é"
    ],
)
def test_a_pattern_starting_a_word_narrows_the_index(pattern: str, start: str | None) -> None:
    term = pattern_start(Pattern("title", pattern))
    assert (term.text if term is not None else None) == start


def test_searches_with_a_pattern_find_the_same_with_the_narrowing(store: Store) -> None:
    feed_id = store.add_feed("https://p.example/feed").id
    titles = ["Ask HN: volcano?", "ask hn: lower", "Ásk HN accents", "Tasks for HN", "x Ask HN"]
    store.apply_parsed_feed(
        feed_id, feed(*(entry(f"p{i}", title=t) for i, t in enumerate(titles))), fetch()
    )
    assert found(store, "title~/^Ask HN/") == {"p0"}
    assert found(store, "title~/^ask hn/i") == {"p0", "p1"}  # "Ásk" is no "ask" to re
    assert found(store, r"title~/\bHN\b/ -title~/^Ask/") == {"p2", "p3", "p4"}
    assert found(store, r"title~/\bask\b/i is:unread") == {"p0", "p1", "p4"}


def test_categories_follow_their_entry_through_updates_and_purges(store: Store) -> None:
    """`category:` reads a table the store keeps equal to each entry's categories: a
    feed that changes an article's categories changes what it finds, a purged article
    leaves nothing behind."""
    feed_id = store.add_feed("https://cats.example/feed").id
    old = NOW - 400 * DAY
    store.apply_parsed_feed(
        feed_id,
        feed(
            entry("a", summary="<p>first</p>", categories=("Draft",), published=NOW - DAY),
            entry("b", categories=("Archive",), published=old),
        ),
        fetch(),
    )
    assert found(store, "category:draft") == {"a"}
    store.apply_parsed_feed(
        feed_id,
        feed(
            entry(
                "a",
                summary="<p>second</p>",
                categories=("Published", "Travel"),
                published=NOW - DAY,
                updated=NOW,
            ),
        ),
        fetch(),
    )
    assert found(store, "category:draft") == set()
    assert found(store, "category:published category:travel") == {"a"}
    store.mark_all_read(EntryQuery(search="category:archive"))
    assert store.purge(30, NOW) == 1  # "b": read, older than 30 days
    assert found(store, "category:archive") == set()
    rows = store._conn.execute("SELECT entry_id, category FROM entry_categories").fetchall()
    assert sorted(r[1] for r in rows) == ["Published", "Travel"]
    store.delete_feed(feed_id)
    assert store._conn.execute("SELECT count(*) FROM entry_categories").fetchone() == (0,)
