"""The search language's parser: the tree it builds and the positions its errors name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsreader.errors import SearchQueryError
from newsreader.query import QuerySyntaxError, field_hint, parse
from newsreader.query.ast import Age, All, Any, DateBound, Flag, Match, Not, Pattern, Term


def test_words_phrases_prefixes_and_exclusion() -> None:
    assert parse("climate change") == All((Term("climate", position=0), Term("change", position=8)))
    assert parse('"exact phrase"') == Term("exact phrase", phrase=True, position=0)
    assert parse("volc*") == Term("volc", prefix=True, position=0)
    assert parse("-swift") == Not(Term("swift", position=1))
    assert parse("NOT swift") == Not(Term("swift", position=4))
    assert parse("c++") == Term("c++", position=0)
    assert parse("a-b") == Term("a-b", position=0)  # a hyphen inside a word is no exclusion


def test_or_binds_looser_than_and_and_groups_override() -> None:
    a, b, c = (Term(w, position=p) for w, p in (("a", 0), ("b", 2), ("c", 7)))
    assert parse("a b OR c") == Any((All((a, b)), c))
    assert parse("a AND b OR c") == Any((All((a, Term("b", position=6))), Term("c", position=11)))
    grouped = parse("a (b OR c)")
    assert grouped == All((a, Any((Term("b", position=3), Term("c", position=8)))))
    assert parse("-(a OR b)") == Not(Any((Term("a", position=2), Term("b", position=7))))


def test_fields() -> None:
    assert parse("title:volcano") == Term("volcano", field="title", position=0)
    assert parse("title: volcano") == Term("volcano", field="title", position=0)
    assert parse('author:"Ann Lee"') == Term("Ann Lee", field="author", phrase=True, position=0)
    assert parse("feed:12") == Match("feed", "12", position=0)
    assert parse('feed:"Hacker News"') == Match("feed", "Hacker News", position=0)
    assert parse("folder:Tech tag:later") == All(
        (Match("folder", "Tech", position=0), Match("tag", "later", position=12))
    )
    assert parse("is:UNREAD has:enclosure") == All(
        (Flag("is:unread", position=0), Flag("has:enclosure", position=10))
    )
    assert parse("after:2026-11-01") == DateBound(
        before=False, at=datetime(2026, 11, 1, tzinfo=UTC), position=0
    )
    assert parse("before:2026-11-02").before is True  # type: ignore[union-attr]
    assert parse("age:<3d") == Age(newer=True, seconds=3 * 86400, position=0)
    assert parse("age:>2w") == Age(newer=False, seconds=14 * 86400, position=0)
    # Not a known field: searched as text.
    assert parse("10:30") == Term("10:30", position=0)
    assert parse("https://example.com/x") == Term("https://example.com/x", position=0)


def test_what_tripped_other_readers() -> None:
    """FreshRSS: `ab-cd` taken for a negation, `("test")` and `(!a)` after a parenthesis,
    several negations together; Miniflux: inline flags such as `(?i)`."""
    assert parse("ab-cd") == Term("ab-cd", position=0)
    assert parse('("test")') == Term("test", phrase=True, position=1)
    assert parse("(-a)") == Not(Term("a", position=2))
    assert parse("-title:google -title:apple") == All(
        (
            Not(Term("google", field="title", position=1)),
            Not(Term("apple", field="title", position=15)),
        )
    )
    assert parse('title:"(sponsor)"') == Term("(sponsor)", field="title", phrase=True, position=0)
    assert parse("title~/(?i)^promo/") == Pattern("title", "(?i)^promo", position=0)
    with pytest.raises(QuerySyntaxError, match="position 1"):
        parse("(Google")  # a rule with it is refused, not matching everything


def test_patterns() -> None:
    assert parse("title~/^Ask HN/") == Pattern("title", "^Ask HN", position=0)
    assert parse("author~/bot$/i") == Pattern("author", "bot$", ignore_case=True, position=0)
    assert parse(r"link~/a\/b/") == Pattern("link", "a/b", position=0)
    assert parse("-title~/x y/ z") == All(
        (Not(Pattern("title", "x y", position=1)), Term("z", position=13))
    )


def test_a_field_applies_to_every_plain_word_and_phrase_of_its_group() -> None:
    """`title:(bridge OR "harbour park")`, as Gmail and Inoreader read it; a reviewer's
    search failed with "expected a value after title:"."""
    assert parse('title:(bridge OR "harbour park")') == Any(
        (
            Term("bridge", field="title", position=7),
            Term("harbour park", field="title", phrase=True, position=17),
        )
    )
    assert parse("title: (a -b) c") == All(
        (
            All((Term("a", field="title", position=8), Not(Term("b", field="title", position=11)))),
            Term("c", position=14),  # after the group: no field
        )
    )
    inner = parse("tag:(later OR author:ann)")  # a term's own field is kept
    assert inner == Any(
        (Match("tag", "later", position=5), Term("ann", field="author", position=14))
    )
    assert parse("is:(unread OR starred)") == Any(
        (Flag("is:unread", position=4), Flag("is:starred", position=14))
    )
    assert parse("title:(a (b OR c))") == All(
        (
            Term("a", field="title", position=7),
            Any((Term("b", field="title", position=10), Term("c", field="title", position=15))),
        )
    )


@pytest.mark.parametrize(
    ("typed", "position", "says"),
    [
        ("", 0, "empty"),
        ("   ", 3, "empty"),
        ("climate AND", 11, "ends where a word was expected"),
        ('say "hello', 4, "never closed"),
        ("(volcano", 8, "expected ) to close the ( at position 1"),
        ("volcano)", 7, "closes nothing"),
        ("a ()", 3, "nothing between"),
        ("OR a", 0, "expected a word"),
        ("is:nosuch", 0, "unknown is:nosuch"),
        ("has:", 4, "expected a value or ( after has:"),
        ("title:()", 7, "nothing between"),
        ("is:(unread OR nosuch)", 14, "unknown is:nosuch"),
        ("age:3d", 0, "not an age"),
        ("after:2026-13-01", 0, "not a date"),
        ("after:yesterday", 0, "not a date"),
        ("x title~/(unclosed/", 2, "not valid"),
        ("title~/abc", 6, "never closed"),
        ("title~/abc/g", 11, "unknown pattern flag 'g'"),
        ("++", 0, "no letters or digits"),
    ],
)
def test_errors_name_the_position(typed: str, position: int, says: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(typed)
    assert caught.value.position == position
    assert says in str(caught.value)
    assert f"at position {position + 1}" in str(caught.value)
    assert isinstance(caught.value, SearchQueryError)


def test_lang_takes_the_primary_tag_of_a_language_tag() -> None:
    assert parse("lang:en") == Match("lang", "en", position=0)
    assert parse("lang:pt-BR") == Match("lang", "pt", position=0)
    assert parse('lang:"DE"') == Match("lang", "de", position=0)
    assert parse("lang:und") == Match("lang", "und", position=0)
    for bad in ("lang:e", "lang:english", "lang:e1", "lang:en_US"):
        with pytest.raises(QuerySyntaxError, match="is not a language tag like lang:en"):
            parse(bad)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        (
            "titel:ferry",
            "titel: is not a search field, so 'titel:ferry' is searched as words "
            "(did you mean title:?)",
        ),
        (
            "harbour autor:Jane",
            "autor: is not a search field, so 'autor:Jane' is searched as "
            "words (did you mean author:?)",
        ),
        ("zzqx:1", "zzqx: is not a search field, so 'zzqx:1' is searched as words"),
        ("title:ferry author:Jane", None),
        ("https://example.org/a harbour", None),  # an address is a word
        ("10:30 train", None),  # no field looks like digits
        ('"titel:ferry"', None),  # a phrase says what it means
        ('"unclosed', None),  # the syntax error tells instead
    ],
)
def test_words_that_look_like_an_unknown_field_get_a_hint(typed: str, hint: str | None) -> None:
    assert field_hint(typed) == hint


@pytest.mark.parametrize(
    "text",
    [
        "(" * 300 + "ferry" + ")" * 300,  # was a RecursionError traceback
        "-" * 300 + "ferry",
        "NOT " * 400 + "ferry",  # was SQLite's "parser stack overflow", blamed on the store
        "(a OR -" * 13 + "ferry" + ")" * 13,
    ],
)
def test_a_search_nested_too_deeply_is_a_mistake_named_as_such(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match=r"nests deeper than 24 \( or NOT"):
        parse(text)


def test_nesting_up_to_the_limit_is_read() -> None:
    assert parse("(" * 24 + "ferry" + ")" * 24) == Term("ferry", None, position=24)
    node = parse("-" * 24 + "ferry")
    for _ in range(24):
        assert isinstance(node, Not)
        node = node.operand
    assert node == Term("ferry", None, position=24)
