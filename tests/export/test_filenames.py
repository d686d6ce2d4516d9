"""Titles become file names that are safe on Windows, macOS and Linux."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from newsreader.errors import ExportError
from newsreader.export.filenames import UniqueNames, inside, safe_filename


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../x", "_.._x.html"),
        ("CON", "_CON.html"),
        ("con.txt", "_con.txt.html"),
        ("COM1", "_COM1.html"),
        ("LPT9 report", "LPT9 report.html"),
        ("", "untitled.html"),
        (None, "untitled.html"),
        ("   ...  ", "untitled.html"),
        ('a<b>c:d"e/f\\g|h?i*j', "a_b_c_d_e_f_g_h_i_j.html"),
        ("tab\tand\nnewline\x07bell", "tab and newline bell.html"),
        ("ends with dots...", "ends with dots.html"),
        ("Café 😀 news", "Café 😀 news.html"),
    ],
)
def test_hostile_titles(title: str | None, expected: str) -> None:
    assert safe_filename(title, "html") == expected


def test_long_titles_are_cut_to_120_utf8_bytes_on_a_character_boundary() -> None:
    for title in ("a" * 300, "é" * 300, "😀" * 300, "x" + "ß" * 299):
        name = safe_filename(title, "md")
        assert len(name.encode()) <= 120
        assert name.endswith(".md")
        name.encode().decode()  # still valid UTF-8


def test_names_are_nfc_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Crème brûlée")
    assert safe_filename(decomposed, "txt") == unicodedata.normalize("NFC", "Crème brûlée.txt")


def test_duplicates_get_numbers_case_insensitively() -> None:
    names = UniqueNames()
    taken = [names.take(t, "html") for t in ("News", "news", "News", "", None)]
    assert taken == [
        "News.html",
        "news (2).html",
        "News (3).html",
        "untitled.html",
        "untitled (2).html",
    ]


def test_numbered_duplicates_of_long_titles_stay_within_the_limit() -> None:
    names = UniqueNames()
    first, second = names.take("y" * 300, "html"), names.take("y" * 300, "html")
    assert first != second and second.endswith(" (2).html")
    assert len(second.encode()) <= 120


def test_inside_refuses_paths_leaving_the_folder(tmp_path: Path) -> None:
    assert inside(tmp_path, "a.html") == (tmp_path / "a.html").resolve()
    with pytest.raises(ExportError, match="outside"):
        inside(tmp_path, "../escape.html")
    (tmp_path / "link").symlink_to(tmp_path.parent)
    with pytest.raises(ExportError, match="outside"):
        inside(tmp_path, "link/escape.html")
