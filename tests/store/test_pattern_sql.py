"""The native tests run before a pattern (`pattern_sql.necessary_sql`) must hold for every text
the pattern matches, or a search would miss entries the pattern finds."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.model import Author
from newsreader.store import EntryQuery, Store
from newsreader.store.codec import authors_json, authors_text
from newsreader.store.pattern_sql import FOLDS_BEYOND_ASCII, necessary_sql
from newsreader.store.query_sql import compile_search, parsed_search
from tests.store.builders import entry, feed, fetch

ALPHABET = "abkmsiKSIzé É\nİıſK5-"
PIECES = [
    "a",
    "b",
    "k",
    "s",
    "i",
    "K",
    "S",
    "é",
    "É",
    " ",
    "5",
    "-",
    "ab",
    "ks",
    "[a-m]",
    "[A-M]",
    "[ks]",
    "[^a]",
    "\\w+",
    "\\d",
    ".",
    "\\b",
    "$",
]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(tmp_path / "texts.sqlite3")
    connection.execute("CREATE TABLE texts(title TEXT)")
    yield connection
    connection.close()


def passes(conn: sqlite3.Connection, pattern: str, ignore_case: bool, text: str | None) -> bool:
    """Whether a text passes the pattern's native tests (no tests: always)."""
    tests, params = necessary_sql(pattern, ignore_case, "texts.title")
    if not tests:
        return True
    conn.execute("DELETE FROM texts")
    conn.execute("INSERT INTO texts(title) VALUES (?)", (text,))
    row = conn.execute(f"SELECT CASE WHEN {tests} THEN 1 ELSE 0 END FROM texts", params).fetchone()
    return bool(row[0])


def test_the_letters_regex_folds_beyond_ascii_are_all_known() -> None:
    beyond = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    flags = regex.VERSION0 | regex.IGNORECASE
    found: dict[str, set[int]] = {}
    for hit in set(regex.findall("[\\x20-\\x7e]", beyond, flags=flags)):
        for char in map(chr, range(0x20, 0x7F)):
            if regex.fullmatch(regex.escape(char), hit, flags=flags):
                found.setdefault(char.lower(), set()).add(ord(hit))
    assert found == {char: set(codes) for char, codes in FOLDS_BEYOND_ASCII.items()}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    anchor=st.sampled_from(["", "^", "\\A", "(?m)^"]),
    pieces=st.lists(
        st.one_of(
            st.sampled_from(PIECES),
            st.builds(lambda p, q: f"(?:{p}{q})", st.sampled_from(PIECES), st.sampled_from(PIECES)),
            st.builds(lambda p, q: f"({p}|{q})", st.sampled_from(PIECES), st.sampled_from(PIECES)),
            st.builds(lambda p, r: f"(?:{p}){r}", st.sampled_from(PIECES), st.sampled_from("?*+")),
            st.builds(lambda p: f"(?i:{p})", st.sampled_from(PIECES)),
        ),
        min_size=1,
        max_size=5,
    ),
    flags=st.sampled_from(["", "(?i)"]),
    ignore_case=st.booleans(),
    text=st.text(alphabet=ALPHABET, max_size=12),
)
def test_every_text_a_pattern_matches_passes_its_tests(
    conn: sqlite3.Connection,
    anchor: str,
    pieces: list[str],
    flags: str,
    ignore_case: bool,
    text: str,
) -> None:
    pattern = flags + anchor + "".join(pieces)
    compiled = regex.compile(pattern, regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0))
    if compiled.search(text):
        assert passes(conn, pattern, ignore_case, text), (pattern, ignore_case, text)


@pytest.mark.parametrize(
    ("pattern", "ignore_case", "text", "expected"),
    [
        ("ab\\w+ cd", True, "AB12 CD", True),
        ("ab\\w+ cd", True, "ab12 xy", False),  # " cd" is missing
        ("^[a-m]", False, "Apple", False),
        ("^[a-m]", False, "apple", True),
        ("^[a-m]", True, "Apple", True),
        ("^[a-m]", True, "zebra", False),
        ("kelvin", True, "\u212aELVIN", True),  # regex finds the Kelvin sign for k
        ("^k", True, "\u212ailn", True),
        ("Über", False, "Über alles", True),
        ("Über", False, "über alles", False),
        ("^Ask HN", False, None, False),
    ],
)
def test_tests_reject_what_cannot_match_and_keep_what_can(
    conn: sqlite3.Connection, pattern: str, ignore_case: bool, text: str | None, expected: bool
) -> None:
    assert passes(conn, pattern, ignore_case, text) is expected


@pytest.mark.parametrize(
    "pattern",
    [
        "(?:abc){e<=1}",  # regex's fuzzy matching: `re` reads it as the text "{e<=1}"
        "[[:alpha:]]x",  # a POSIX class for regex, a nested set warning for `re`
        "\\p{Lu}abc",  # `re` cannot read it
        "abc|xyz",  # no text every match holds
    ],
)
def test_patterns_read_otherwise_by_regex_get_no_tests(pattern: str) -> None:
    assert necessary_sql(pattern, False, "e.title") == ("", ())


def test_a_search_runs_its_pattern_only_behind_the_native_tests() -> None:
    compiled = compile_search(parsed_search('feed:"Feed 1" title~/ab\\w+ cd/i'), datetime.now(UTC))
    (pattern_sql,) = [w for w in compiled.where if "newsreader_regexp" in w]
    assert pattern_sql.startswith("(CASE WHEN instr(lower(e.title), ?)")
    assert {"ab", " cd"} <= set(compiled.params)


def test_a_search_with_a_prefiltered_pattern_finds_what_the_pattern_finds(store: Store) -> None:
    feed_id = store.add_feed("https://p.example/feed").id
    titles = ["apple pie", "Apple tart", "\u212aelvin scale", "kettle", "zebra", "", None]
    store.apply_parsed_feed(
        feed_id,
        feed(*(entry(f"p{n}", title=t) for n, t in enumerate(titles))),
        fetch(),
    )
    for search in (
        "title~/^[a-m]/",
        "title~/^[a-m]/i",
        "title~/KELVIN|kettle/i",
        "title~/^k/i",
        "-title~/^[a-m]/",
        "NOT title~/e\\w+ s/i",
        "link~/p\\.example\\/p?/",
    ):
        compiled = regex.compile(
            search.split("~/")[1].rsplit("/", 1)[0],
            regex.VERSION0 | (regex.IGNORECASE if search.endswith("/i") else 0),
        )
        negated = search.startswith(("-", "NOT"))
        expected = {
            e.id
            for e in store.list_entries(EntryQuery())
            if bool(compiled.search((e.link if "link~" in search else e.title) or "")) != negated
        }
        assert set(store.entry_ids(EntryQuery(search=search))) == expected, search


NAMES = ["Ada", "", "zoë", "Bob, Smith", 'say "hi"', "back\\slash", "İlker", "  x  ", "a\nb"]
EMAILS = [None, "", "ada@example.org", "Z@example.org"]


def test_author_patterns_search_the_names_the_index_holds(store: Store) -> None:
    rng = random.Random(5)
    made = [
        tuple(
            Author(name=rng.choice([*NAMES, None]), email=rng.choice(EMAILS))
            for _ in range(rng.randint(0, 3))
        )
        for _ in range(200)
    ]
    feed_id = store.add_feed("https://a.example/feed").id
    written = store.apply_parsed_feed(
        feed_id, feed(*(entry(f"a{n}", authors=a) for n, a in enumerate(made))), fetch()
    )
    names = {
        i: authors_text(authors_json(a)) for i, a in zip(written.new_entry_ids, made, strict=True)
    }
    # the triggers' names equal the text the full-text index holds for each entry ...
    kept = dict(store._conn.execute("SELECT entry_id, names FROM entry_authors").fetchall())
    assert kept == names
    # ... and an author pattern, behind its native tests, finds what the pattern finds there
    for pattern, flags in (
        ("^z", regex.I),
        ("^Ada", 0),
        ("smith", regex.I),
        ('"hi"', 0),
        ("^$", 0),
        ("\\\\", 0),
        ("i", regex.I),
        (", ", 0),
        ("@example", 0),
    ):
        compiled = regex.compile(pattern, regex.VERSION0 | flags)
        search = f"author~/{pattern}/" + ("i" if flags else "")
        expected = {i for i, text in names.items() if compiled.search(text)}
        assert set(store.entry_ids(EntryQuery(search=search))) == expected, search
    assert necessary_sql("^z", True, "a.names")[0]  # the pattern above had native tests
    # an entry whose authors change is searched by its new names
    store.apply_parsed_feed(
        feed_id, feed(entry("a0", authors=(Author(name="Zed"),), title="changed")), fetch()
    )
    assert written.new_entry_ids[0] in store.entry_ids(EntryQuery(search="author~/^zed$/i"))
