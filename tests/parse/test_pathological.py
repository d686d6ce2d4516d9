"""Inputs built to make naive patterns take quadratic time. Each must simply finish (the suite's
timeout catches a regression) and give a sensible result."""

from __future__ import annotations

import json

import pytest

from newsreader.errors import HostileDocumentError
from newsreader.parse import html_to_text, parse_date, sanitize_html
from newsreader.parse.nesting import MAX_DEPTH
from newsreader.parse.text import markup_text
from tests.parse.helpers import parse, rss

N = 200_000
BASE = "https://media.example/"


def test_a_flood_of_unclosed_tags_in_a_title() -> None:
    assert markup_text("<a" * N) == "<a" * N  # never closed: text, not tags
    assert "<" not in markup_text("<i><b></b>" * N)  # a flood of tags is read as markup
    assert html_to_text("<a" * N) == ""  # in HTML, a tag cut by the end is dropped
    assert html_to_text("x <script>" * N) == "x"  # an unclosed script runs to the end
    assert html_to_text("</script><script>y" * N) == ""


def test_a_flood_of_unclosed_media_and_tags_in_content() -> None:
    flood = sanitize_html("<p>kept</p>" + "<video " * N)
    assert "<video" not in flood and flood == "<p>kept</p>"
    assert sanitize_html("<p" * N) == ""


def test_a_flood_of_unclosed_media_with_sources() -> None:
    flood = '<video><source src="v.mp4">' * 1500  # unclosed, they nest: flattened
    clean = sanitize_html(flood, "https://media.example/")
    assert 'href="https://media.example/v.mp4"' in clean
    assert "<video" not in clean and "<source" not in clean


def test_long_dates_and_authors() -> None:
    assert parse_date("Mon, " + "1" * N) is None
    assert parse_date("a" * N) is None
    feed = parse(rss(f"<item><title>t</title><author>{'a@' * N}</author></item>"))
    assert feed.entries[0].authors[0].name == "a@" * N


def test_a_flood_of_doctypes_and_entity_declarations() -> None:
    assert parse("<!DOCTYPE x [" * N + "<rss/>").entries == ()
    with pytest.raises(HostileDocumentError):
        parse("<!DOCTYPE x [" + '<!ENTITY a "' * N + "]><rss/>")


def test_a_long_truncated_json_feed() -> None:
    items = [{"id": str(n), "title": f"t{n}", "content_text": "[{" * 20} for n in range(5000)]
    data = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
    feed = parse(data[: len(data) - 50])
    assert 4990 <= len(feed.entries) < 5000


def test_quadratic_shapes_found_by_fuzzing_finish() -> None:
    # each once took minutes (issue 16); the suite's timeout catches a regression
    unclosed = sanitize_html("<p>x</p><iframe " + "a" * 100_000 + ">")
    assert "aaaa" not in unclosed and unclosed.startswith("<p>x</p>")
    video = sanitize_html("<video><source " + 'a="b" ' * 20_000 + 'src="v.mp4"></video>', BASE)
    assert 'href="https://media.example/v.mp4"' in video
    assert sanitize_html("<div></p>" * 50_000).count("<div>") == MAX_DEPTH
    truncated = (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}, '
        b'{"id": "2", "title": "' + b'\\"' * 20_000
    )
    assert [e.id for e in parse(truncated).entries] == ["1"]
