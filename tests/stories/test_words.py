"""Words as story matching and key points compare them (`stories.words.stems`)."""

from __future__ import annotations

from newsreader.stories.words import stems


def test_latin_text_is_stemmed_without_stop_words_or_single_letters() -> None:
    assert stems("The councils approved a budget of 3,000 euros in 2026", "en") == [
        "council",
        "approv",
        "budget",
        "3,000",
        "euro",
        "2026",
    ]
    assert stems("Der Stadtrat beschließt die Haushalte", "de") == [
        "stadtrat",
        "beschliesst",
        "haushalt",
    ]


def test_unspaced_script_is_cut_into_pieces_beside_spaced_words() -> None:
    """A text mixing Chinese with Latin words: each Chinese run in overlapping two-character
    pieces, the Latin words stemmed as usual (the check for such script is made once per
    text, then per word only when the text has some)."""
    assert stems("市议会 approved 新预算", "en") == ["市议", "议会", "approv", "新预", "预算"]
    assert stems("预算", "zh") == ["预算"]
