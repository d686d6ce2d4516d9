"""The title a story goes by: its oldest article's, among those in its most common language."""

from __future__ import annotations

from newsreader.stories.headline import headline


def test_a_story_goes_by_a_title_in_its_most_common_language() -> None:
    """A reviewer's story of four English reports, first told by a German paper, was titled
    in German in the list, `stories`, the EPUB title and the export's file name."""
    told = [
        ("A40-Rheinbrücke gesperrt", "de"),
        ("Duisburg bridge closed over girder cracks", "en"),
        ("Rhine bridge shut", "en"),
        ("Girders cracked: the A40 bridge", "en"),
    ]
    assert headline(told) == "Duisburg bridge closed over girder cracks"


def test_one_language_or_a_tie_keeps_the_oldest_report_s_title() -> None:
    assert headline([("First", "en"), ("Second", "en")]) == "First"
    assert headline([("Erste", "de"), ("First", "en")]) == "Erste"  # a tie: the oldest's
    assert headline([(None, "en"), ("", "fr"), ("Titled", None)]) == "Titled"  # unknown: any
    assert headline([(None, "en")]) is None
