"""Nesting counted as the HTML parser counts it, and content nested too deep flattened (issue
16): a self-closing `<div/>` and a stray end tag close nothing, so they cannot hide depth."""

from __future__ import annotations

import lxml.html
import pytest

from newsreader.parse import sanitize_html
from newsreader.parse.nesting import MAX_DEPTH, flatten


def lxml_depth(html: str) -> int:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return max(sum(1 for _ in e.iterancestors()) for e in root.iter())


@pytest.mark.parametrize(
    "unit",
    [
        "<div/>",
        "<div></p>",
        "<div></span>",
        "<span></x>",
        "<b/><i/>",
        "<wbr><source>",
        "<div><!-- x -->",
    ],
)
def test_depth_hidden_from_a_naive_count_is_flattened(unit: str) -> None:
    html = unit * 2000 + "deep text"
    clean = sanitize_html(html)
    assert "deep text" in clean
    assert lxml_depth(clean) <= MAX_DEPTH + 1  # lxml (every export) reads all of it


def test_shallow_markup_is_left_alone() -> None:
    siblings = "<p>para <b>bold</b></p><ul><li>one<li>two</ul>" * 500
    assert flatten(siblings) == siblings
    unclosed_paragraphs = "<p>one<p>two" * 500  # each <p> closes the one before
    assert flatten(unclosed_paragraphs) == unclosed_paragraphs


def test_tags_in_comments_scripts_and_attributes_do_not_count() -> None:
    for hidden in ("<!-- <div> -->", "<script><div></script>", '<a title="<div>">x</a>'):
        html = "<div>" * (MAX_DEPTH - 1) + hidden * 500 + "</div>" * (MAX_DEPTH - 1)
        assert flatten(html) == html


def test_flattening_keeps_every_word_and_the_closing_structure() -> None:
    html = "<div>" * 300 + "deep" + "</div>" * 300 + "<p>after</p>"
    flat = flatten(html)
    assert flat.count("<div>") == MAX_DEPTH and flat.count("</div>") == MAX_DEPTH
    assert flat.endswith("deep" + "</div>" * MAX_DEPTH + "<p>after</p>")
