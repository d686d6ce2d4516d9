"""Rules on new entries are tested in Python (`rule_match`), searches in SQL: both must find
the same entries for every search, or a rule would act on what its preview never showed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.errors import PatternTimeoutError
from newsreader.store import EntryQuery, Store
from newsreader.store.query_sql import parsed_search
from newsreader.store.rule_match import RuleBatch, ascii_lower, rule_test
from tests.store.builders import entry, feed, fetch
from tests.store.test_query import NOW, SEARCHES
from tests.store.test_query import library as library  # a fixture

LEAVES = [
    "swift",
    "rust",
    '"swift concurrency"',
    "sw*",
    "title:rust",
    "author:lee",
    "summary:turnout",
    "feed:world",
    "feed:SWIFT",
    "folder:tech",
    "folder:APPLE",
    "tag:politics",
    "tag:POLITICS",
    "is:unread",
    "is:read",
    "is:starred",
    "is:commented",
    "is:hidden",
    "has:enclosure",
    "has:image",
    "age:<2d",
    "age:>5d",
    f"after:{(NOW.date()).isoformat()}",
    "before:2000-01-01",
    "title~/^ask/i",
    "author~/bot$/i",
    "link~/s\\d$/",
    "lang:und",
    "lang:en",
    "category:rust",
    "category:SWIFT",
    "category~/^R/",
    "category~/news/i",
    "title~/^[a-m]/",
    "title~/^[A-R]/i",
    "title~/in the k/",
    "title~/\\w+ 6 rel/i",
]


def python_matches(store: Store, search: str, ids: list[int]) -> set[int]:
    """The entries among `ids` that a rule with this search matches on new entries."""
    batch = RuleBatch(store._conn, ids, datetime.now(UTC), {})
    return set(batch.matches(rule_test(parsed_search(search)), None, None))


def sql_matches(store: Store, search: str) -> set[int]:
    return set(store.entry_ids(EntryQuery(search=search)))


@pytest.mark.parametrize(("search", "expected"), SEARCHES)
def test_a_rule_matches_what_the_search_finds(
    store: Store, library: dict[str, int], search: str, expected: set[str]
) -> None:
    ids = sorted(library.values())
    assert python_matches(store, search, ids) == {library[g] for g in expected}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.sampled_from(LEAVES),
        lambda inner: st.one_of(
            st.builds(lambda q: f"-{q}" if q[0] != "-" else f"NOT ({q})", inner),
            st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
            st.builds(lambda a, b: f"{a} {b}", inner, inner),
        ),
        max_leaves=6,
    )
)
def test_any_search_matches_the_same_in_python_and_sql(
    store: Store, library: dict[str, int], search: str
) -> None:
    assert python_matches(store, search, sorted(library.values())) == sql_matches(store, search)


def test_feed_folder_and_tag_ignore_case_in_every_script_in_python_and_sql(store: Store) -> None:
    """`feed:`, `folder:` and `tag:` fold case beyond ASCII ("Ärger" is "ärger"), accents
    composed or not; a category keeps SQLite's ASCII-only rule (its index's)."""
    folder = store.ensure_folder_path(["Über"])
    feed_id = store.add_feed("https://u.example/feed", folder_id=folder).id
    store.rename_feed(feed_id, "Ärger Daily")
    parsed = feed(entry("u1", categories=["Ökonomie"]))
    (entry_id,) = store.apply_parsed_feed(feed_id, parsed, fetch()).new_entry_ids
    store.add_tag(entry_id, "Éclair")
    decomposed = "e\u0301clair"
    for search in (
        "feed:ärger",
        "feed:ÄRGER",
        "feed:DAILY",
        "folder:über",
        "folder:ÜBER",
        "tag:éclair",
        "tag:ÉCLAIR",
        f"tag:{decomposed}",
        "category:ökonomie",  # any ASCII case only: "Ö" and "ö" differ
        "category:ÖKONOMIE",
    ):
        expected = set() if search == "category:ökonomie" else {entry_id}
        assert python_matches(store, search, [entry_id]) == expected, search
        assert sql_matches(store, search) == expected, search
    assert ascii_lower("ÄrGER") == "Ärger"


def test_a_pattern_out_of_time_stops_the_rule(store: Store) -> None:
    feed_id = store.add_feed("https://slow.example/feed").id
    (entry_id,) = store.apply_parsed_feed(
        feed_id, feed(entry("x", title="a" * 40 + "!")), fetch()
    ).new_entry_ids
    with pytest.raises(PatternTimeoutError, match=r"/\(a\|aa\)\+\$/ took longer"):
        python_matches(store, "title~/(a|aa)+$/", [entry_id])
    # a cheaper condition that fails first spares the pattern, as in SQL
    assert python_matches(store, "is:starred title~/(a|aa)+$/", [entry_id]) == set()
