"""srcset read as browsers read it: commas inside a URL belong to it."""

from __future__ import annotations

import pytest

from newsreader.parse.srcset import Candidate, parse_srcset, widest


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a.jpg 400w, b.jpg 800w", [("a.jpg", "400w"), ("b.jpg", "800w")]),
        (
            "https://img.example/w_400,h_300,c_fill/a.jpg 400w, "
            "https://img.example/w_800,h_600,c_fill/a.jpg 800w",
            [
                ("https://img.example/w_400,h_300,c_fill/a.jpg", "400w"),
                ("https://img.example/w_800,h_600,c_fill/a.jpg", "800w"),
            ],
        ),
        ("a.jpg, b.jpg 2x", [("a.jpg", ""), ("b.jpg", "2x")]),  # a trailing comma ends a URL
        ("a.jpg,b.jpg 2x", [("a.jpg,b.jpg", "2x")]),  # no space: one URL, as in a browser
        ("  a.jpg  ,  ,b.jpg\t1.5x ,", [("a.jpg", ""), ("b.jpg", "1.5x")]),
        (
            "a.jpg 400w (odd, descriptor), b.jpg",
            [("a.jpg", "400w (odd, descriptor)"), ("b.jpg", "")],
        ),
        (
            "data:image/gif;base64,R0lGOD 1x, b.jpg 2x",
            [("data:image/gif;base64,R0lGOD", "1x"), ("b.jpg", "2x")],
        ),
        ("", []),
        (" , ,, ", []),
    ],
)
def test_candidates_as_a_browser_reads_them(value: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.url, c.descriptors) for c in parse_srcset(value)] == expected


def test_the_widest_candidate() -> None:
    found = widest(parse_srcset("s.jpg 300w, https://i.example/w_900,q_80/l.jpg 900w, m.jpg 600w"))
    assert found == Candidate("https://i.example/w_900,q_80/l.jpg", "900w")
    assert widest(parse_srcset("a.jpg, b.jpg 2x")) == Candidate("b.jpg", "2x")
    assert widest([]) is None


def test_the_word_reading_agrees_with_the_character_reading() -> None:
    """Values without parentheses take a faster path: both readings must agree (a
    parenthesis added where it changes nothing sends a value down the slow one)."""
    import random

    rng = random.Random(7)
    pieces = [
        "a.jpg",
        "b.png",
        "/w_400,h_300/c.jpg",
        "400w",
        "2x",
        "1.5x",
        ",",
        ",,",
        " ",
        "  ",
        "\t",
    ]
    for _ in range(2000):
        value = "".join(rng.choice(pieces) + rng.choice(["", " ", ","]) for _ in range(8))
        fast = parse_srcset(value)
        slow = parse_srcset(value + " (")[: len(fast)] if fast else []
        # the slow path reads " (" as a descriptor of the last candidate: compare the rest
        assert [c.url for c in fast] == [c.url for c in slow], value
        assert [c.descriptors for c in fast[:-1]] == [c.descriptors for c in slow[:-1]], value
