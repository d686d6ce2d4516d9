"""Images of sites that load them lazily: the feed's `src` is a 1x1 stand-in (or missing) and
the real address sits in `data-src`, `data-srcset` or `srcset`. The reader shows the real
image, as a browser running the site's script would; a stand-in alone is still refused as a
tracking pixel."""

from __future__ import annotations

import base64

import pytest

from newsreader.parse import sanitize_html

BASE = "https://site.example/2026/11/post"
STAND_IN = (
    "data:image/gif;base64,"
    + base64.b64encode(
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
        b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x01D\x00;"
    ).decode()
)
SRCSET = "/img/w_300,h_200/harbour.jpg 300w, /img/w_900,h_600/harbour.jpg 900w"
RESOLVED_SRCSET = (
    "https://site.example/img/w_300,h_200/harbour.jpg 300w, "
    "https://site.example/img/w_900,h_600/harbour.jpg 900w"
)
WIDEST = "https://site.example/img/w_900,h_600/harbour.jpg"


@pytest.mark.parametrize(
    ("markup", "src", "srcset"),
    [
        (
            f'<img src="{STAND_IN}" data-src="/img/harbour.jpg" alt="Harbour">',
            "https://site.example/img/harbour.jpg",
            None,
        ),
        (
            '<img src="/lazyload.gif" data-original="/img/harbour.jpg">',
            "https://site.example/img/harbour.jpg",
            None,
        ),
        (
            f'<img data-lazy-src="https://cdn.example/harbour.jpg" src="{STAND_IN}">',
            "https://cdn.example/harbour.jpg",
            None,
        ),
        (f'<img src="{STAND_IN}" srcset="{SRCSET}">', WIDEST, RESOLVED_SRCSET),
        (f'<img src="{STAND_IN}" data-srcset="{SRCSET}">', WIDEST, RESOLVED_SRCSET),
        (f'<img srcset="{SRCSET}">', WIDEST, RESOLVED_SRCSET),
        ('<img src="/img/harbour.jpg" width="600">', "https://site.example/img/harbour.jpg", None),
    ],
)
def test_the_real_image_is_shown(markup: str, src: str, srcset: str | None) -> None:
    import lxml.html

    clean = sanitize_html(f"<p>Boats at dawn. {markup}</p>", BASE)
    (image,) = lxml.html.fragment_fromstring(clean, create_parent="div").iter("img")
    assert image.get("src") == src
    assert image.get("srcset") == srcset
    assert "data-" not in clean  # lazy attributes never reach the reader
    assert "Boats at dawn." in clean


def test_a_stand_in_with_nothing_behind_it_is_still_a_tracking_pixel() -> None:
    assert sanitize_html(f'<p>Text<img src="{STAND_IN}"></p>', BASE) == "<p>Text</p>"
    assert sanitize_html(f'<p>Text<img src="{STAND_IN}" data-src=""></p>', BASE) == "<p>Text</p>"


def test_a_hostile_lazy_address_is_vetted_like_any_source() -> None:
    clean = sanitize_html(f'<p>Text<img src="{STAND_IN}" data-src="javascript:alert(1)"></p>', BASE)
    assert "javascript" not in clean
    assert clean.startswith("<p>Text")
