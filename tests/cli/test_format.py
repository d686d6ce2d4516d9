"""The terminal formatting helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsreader.cli.format import clip, relative, short_date, table, when, wrapped
from newsreader.parse.text import html_to_text

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_relative_times() -> None:
    assert relative(None, NOW) == "-"
    assert relative(NOW + timedelta(seconds=20), NOW) == "now"
    assert relative(NOW + timedelta(minutes=20), NOW) == "in 20 minutes"
    assert relative(NOW - timedelta(hours=3, minutes=5), NOW) == "3 hours ago"
    assert relative(NOW + timedelta(days=1, hours=2), NOW) == "in 1 day"
    assert relative(NOW - timedelta(days=9), NOW) == "9 days ago"


def test_table_aligns_and_leaves_the_last_column_unpadded() -> None:
    lines = table(
        ["ID", "NAME", "URL"], [["7", "a", "https://x"], ["123", "long name", "u"]], right=(0,)
    )
    assert lines == [
        " ID  NAME       URL",
        "  7  a          https://x",
        "123  long name  u",
    ]


def test_html_to_text_keeps_paragraphs_and_decodes_entities() -> None:
    assert (
        html_to_text("<p>One &amp; <b>two</b></p><p>Three</p>", paragraphs=True)
        == "One & two\nThree"
    )
    assert html_to_text(None, paragraphs=True) == ""
    assert wrapped("<p>" + "word " * 30 + "</p><p>end</p>", width=40)[-2:] == ["", "end"]
    assert clip("a  b\nc", 10) == "a b c"
    assert clip("abcdefghijkl", 8) == "abcde..."


def test_line_breaks_inside_a_paragraph_are_spaces() -> None:
    markup = "<p>First line\nsame paragraph.</p>\n\n<blockquote><p>Quoted\n text</p></blockquote>"
    assert html_to_text(markup, paragraphs=True) == "First line same paragraph.\nQuoted text"
    assert html_to_text("a&nbsp;&nbsp;b<br>c", paragraphs=True) == "a  b\nc"


def test_when_is_relative_within_a_week_then_a_date() -> None:
    assert when(NOW - timedelta(hours=2), NOW) == "2 hours ago"
    assert when(datetime(2025, 6, 1, 12, tzinfo=UTC), NOW) == "2025-06-01"
    assert when(None, NOW) == "-"
    # A date ahead of ours (a wrong clock, a feed dated in the future) shows the date, as in
    # the window; it used to read "in 3 hours".
    assert when(NOW + timedelta(hours=3), NOW) == short_date(NOW + timedelta(hours=3), NOW)
    assert when(NOW + timedelta(seconds=30), NOW) == "now"  # a clock's drift
