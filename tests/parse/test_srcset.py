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
        # only ASCII white space separates a URL from its descriptors, as in a browser
        ("a.jpg\xa0400w, b.jpg 2x", [("a.jpg\xa0400w", ""), ("b.jpg", "2x")]),
        ("a.jpg\x0b2x", [("a.jpg\x0b2x", "")]),
    ],
)
def test_candidates_as_a_browser_reads_them(value: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.url, c.descriptors) for c in parse_srcset(value)] == expected


def test_the_widest_candidate() -> None:
    found = widest(parse_srcset("s.jpg 300w, https://i.example/w_900,q_80/l.jpg 900w, m.jpg 600w"))
    assert found == Candidate("https://i.example/w_900,q_80/l.jpg", "900w")
    assert widest(parse_srcset("a.jpg, b.jpg 2x")) == Candidate("b.jpg", "2x")
    assert widest([]) is None


def test_the_faster_readings_agree_with_the_character_reading() -> None:
    """Values of the usual shape ("URL 300w, URL 2x") are read by a pattern, others without
    parentheses word by word: both must give what the standard's character-by-character
    reading gives, for every value (a white space the standard does not count as one, such
    as a no-break space, belongs to the URL or descriptor it is in)."""
    import random

    from newsreader.parse.srcset import _USUAL, _parse_characters

    rng = random.Random(7)
    pieces = [
        "a.jpg",
        "b.png",
        "/w_400,h_300/c.jpg",
        "https://i.example/d(1).jpg",
        "400w",
        "2x",
        "1.5x",
        "300W",
        "\u0663x",  # an Arabic-Indic digit
        "(",
        ")",
        ",",
        ",,",
        " ",
        "  ",
        "\t",
        "\n",
        "\xa0",
        "\x0b",
        "\u2003",
    ]
    usual = 0
    for _ in range(4000):
        if rng.random() < 0.5:
            value = "".join(rng.choice(pieces) + rng.choice(["", " ", ","]) for _ in range(8))
        else:  # mostly the usual shape, now and then with an odd piece in it
            value = ",".join(
                rng.choice(["", " ", "\n "])
                + rng.choice(pieces[:4])
                + rng.choice([" ", "\t", "  "])
                + rng.choice(pieces[4:7] if rng.random() < 0.9 else pieces)
                + rng.choice(["", " "])
                for _ in range(rng.randint(1, 4))
            )
        expected = [(c.url, c.descriptors) for c in _parse_characters(value)]
        assert [(c.url, c.descriptors) for c in parse_srcset(value)] == expected, repr(value)
        usual += _USUAL.fullmatch(value) is not None
    assert usual > 500  # the pattern's path was taken often
