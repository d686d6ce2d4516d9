"""The HTML sanitiser: what must never survive, what must, and plain-text titles."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsreader import urls
from newsreader.parse import html_to_text, sanitize_html, text_to_html

BASE = "https://site.example/blog/post.html"
PIXEL_GIF = base64.b64encode(
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
).decode()
PNG_2X2_HEAD = base64.b64encode(
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x06\x00\x00\x00"
).decode()


@pytest.mark.parametrize(
    ("dirty", "forbidden", "kept"),
    [
        ("<p>a</p><script>alert(1)</script>", "alert", "<p>a</p>"),
        ("<p>a</p><SCRIPT SRC=//evil.example/x.js></SCRIPT>", "evil", "<p>a</p>"),
        ("<style>body{display:none}</style><p>a</p>", "display", "<p>a</p>"),
        ('<p style="background:url(javascript:x)">a</p>', "style", "<p>a</p>"),
        ('<iframe src="javascript:alert(1)"></iframe>', "javascript", ""),
        (
            '<object data="evil.swf"><param name=x></object>',
            "<object",
            ">Embedded media: evil.swf</a>",
        ),
        ('<embed src="evil.swf">', "<embed", ">Embedded media: evil.swf</a>"),
        (
            '<form action="https://evil.example/"><input name=q><button>Go</button></form>',
            "<form",
            "Go",
        ),
        ('<form action="https://evil.example/"><input name=q></form>', "<input", ""),
        (
            '<img src="x.png" onerror="alert(1)">',
            "onerror",
            '<img src="https://site.example/blog/x.png">',
        ),
        (
            '<a href="#" onclick="steal()">x</a>',
            "onclick",
            ">x</a>",
        ),
        ('<body onload="x()"><p>a</p></body>', "onload", "<p>a</p>"),
        ('<a href="javascript:alert(1)">x</a>', "javascript", ">x</a>"),
        ('<a href="  JaVaScRiPt:alert(1)">x</a>', "alert", ">x</a>"),
        ('<a href="jav&#x61;script:alert(1)">x</a>', "alert", ">x</a>"),
        ('<a href="vbscript:msgbox(1)">x</a>', "vbscript", ">x</a>"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:", ">x</a>"),
        ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "data:", ""),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "data:", ""),
        (
            '<img src="a.png" srcset="javascript:alert(1) 2x">',
            "javascript",
            '<img src="https://site.example/blog/a.png">',
        ),
        (
            '<img src="a.png" srcset="jav&#x61;script:alert(1) 2x">',
            "javascript",
            '<img src="https://site.example/blog/a.png">',
        ),
        ("<svg><script>alert(1)</script></svg>", "alert", ""),
        ("<math><mi>x</mi></math><p>a</p>", "<math", "<p>a</p>"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "refresh", ""),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "evil", ""),
        ('<base href="https://evil.example/">', "evil", ""),
        ("<!-- a comment --><p>a</p>", "comment", "<p>a</p>"),
    ],
)
def test_dangerous_markup_never_survives(dirty: str, forbidden: str, kept: str) -> None:
    # The harmless parts survive, so a sanitiser that dropped everything would fail: the
    # paragraphs around the attack, and `kept` from the attack's own element (its text, the
    # link its media became, the image without its handler).
    clean = sanitize_html(f"<p>before</p>{dirty}<p>after</p>", BASE)
    assert forbidden.lower() not in clean.lower()
    assert clean.startswith("<p>before</p>") and clean.endswith("<p>after</p>")
    assert kept in clean


def test_useful_markup_is_kept() -> None:
    dirty = (
        "<h2>Head</h2><p>Para with <em>em</em>, <strong>strong</strong>, <code>code</code>,"
        " x<sup>2</sup> and H<sub>2</sub>O.</p><ul><li>one</li></ul><ol><li>two</li></ol>"
        "<blockquote><p>quote</p></blockquote><pre><code>block</code></pre><hr>"
        "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table>"
        '<figure><img src="/a.png" alt="Alt" title="T" width="640" height="480">'
        "<figcaption>Cap</figcaption></figure><p>line<br>break</p>"
    )
    assert sanitize_html(dirty, BASE) == dirty.replace(
        'src="/a.png"', 'src="https://site.example/a.png"'
    )


def test_links_get_rel_noopener_noreferrer_and_absolute_urls() -> None:
    clean = sanitize_html(
        '<a href="other.html" target="_blank" rel="opener">o</a>'
        '<a href="/root">r</a><a href="//cdn.example/x">c</a><a href="mailto:a@b.example">m</a>',
        BASE,
    )
    assert clean == (
        '<a href="https://site.example/blog/other.html" rel="noopener noreferrer">o</a>'
        '<a href="https://site.example/root" rel="noopener noreferrer">r</a>'
        '<a href="https://cdn.example/x" rel="noopener noreferrer">c</a>'
        '<a href="mailto:a@b.example" rel="noopener noreferrer">m</a>'
    )


def test_every_url_attribute_is_joined_by_the_one_url_module() -> None:
    """href, img src and srcset are made absolute by `newsreader.urls` (nh3's own resolver
    is not used): an image's src and its srcset candidate name the same URL, as do a link
    and the same link in a feed's <link> (`urls.join`)."""
    relatives = ["a/../pic one.png", "/x/./y.png", "?size=2", "//cdn.example"]
    for relative in relatives:
        expected = urls.join(BASE, relative)
        assert expected is not None
        clean = sanitize_html(
            f'<a href="{relative}">l</a><img src="{relative}" srcset="{relative} 2x" alt="i">',
            BASE,
        )
        assert clean == (
            f'<a href="{expected}" rel="noopener noreferrer">l</a>'
            f'<img src="{expected}" srcset="{expected} 2x" alt="i">'
        )
    assert urls.join(BASE, "a/../pic one.png") == "https://site.example/blog/pic one.png"
    assert sanitize_html('<a href="">l</a>', BASE) == (
        f'<a href="{BASE}" rel="noopener noreferrer">l</a>'  # "" is the page itself
    )
    assert sanitize_html('<a href="//bad host/">l</a>', BASE) == (
        '<a rel="noopener noreferrer">l</a>'  # a host no browser reads: `urls` refuses it
    )
    # Without an http(s) base, relative URLs stay relative.
    assert sanitize_html('<a href="a/../b">l</a>', "file:///tmp/x.html") == (
        '<a href="a/../b" rel="noopener noreferrer">l</a>'
    )


def test_srcset_is_resolved_and_video_becomes_a_poster_link() -> None:
    clean = sanitize_html(
        '<img src="a.png" srcset="a-2x.png 2x, /b.png 800w">'
        '<video src="clip.mp4" poster="poster.jpg" controls autoplay></video>'
        '<audio><source src="song.mp3" type="audio/mpeg"></audio>'
        '<iframe src="https://video.example/embed/1"></iframe>',
        BASE,
    )
    assert clean == (
        '<img src="https://site.example/blog/a.png" '
        'srcset="https://site.example/blog/a-2x.png 2x, https://site.example/b.png 800w">'
        '<a href="https://site.example/blog/clip.mp4" rel="noopener noreferrer">'
        '<img src="https://site.example/blog/poster.jpg" alt="video"></a>'
        '<a href="https://site.example/blog/song.mp3" rel="noopener noreferrer">Audio: song.mp3</a>'
        '<a href="https://video.example/embed/1" rel="noopener noreferrer">'
        "Embedded page: https://video.example/embed/1</a>"
    )


@pytest.mark.parametrize(
    "pixel",
    [
        '<img src="https://t.example/p.gif" width="1" height="1">',
        '<img src="https://t.example/p.gif" width="1px" height="1px" alt="">',
        '<img src="https://t.example/p.gif" height="1">',
        '<img src="https://t.example/p.gif" width="0" height="0">',
        f'<img src="data:image/gif;base64,{PIXEL_GIF}">',
        '<img src="javascript:alert(1)">',  # left without a source
    ],
)
def test_tracking_pixels_are_dropped(pixel: str) -> None:
    assert sanitize_html(f"<p>text{pixel}</p>", BASE) == "<p>text</p>"


def test_inline_raster_images_are_kept() -> None:
    image = f'<img src="data:image/png;base64,{PNG_2X2_HEAD}" alt="dot">'
    assert sanitize_html(image, BASE) == image


def test_plain_text_is_escaped_and_empty_is_empty() -> None:
    assert sanitize_html("1 < 2 & 3 > 2", BASE) == "1 &lt; 2 &amp; 3 &gt; 2"
    assert sanitize_html("", BASE) == ""
    assert sanitize_html("   ", BASE) == ""


def test_without_a_base_relative_urls_stay_relative() -> None:
    assert sanitize_html('<a href="x.html">x</a>') == (
        '<a href="x.html" rel="noopener noreferrer">x</a>'
    )


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<b>Bold</b> &amp; <i>italic</i>", "Bold & italic"),
        ("  many\n\n   spaces\t here ", "many spaces here"),
        ("<p>one</p><p>two</p>", "one two"),
        ("line<br>break", "line break"),
        ("AT&amp;T &eacute;t&eacute; &#8212; &#x263A;", "AT&T été — ☺"),
        ("<script>alert(1)</script>Safe", "Safe"),
        ("no markup at all", "no markup at all"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ('a < b & "c"', '<p>a &lt; b &amp; "c"</p>'),
        ("one\ntwo", "<p>one<br>two</p>"),
        ("one\n\ntwo", "<p>one</p><p>two</p>"),
        ("one\n   \t\ntwo", "<p>one</p><p>two</p>"),  # a blank line may hold spaces
        ("one\r\ntwo\r\n\r\nthree", "<p>one<br>two</p><p>three</p>"),  # CRLF
        ("one\rtwo\r\rthree", "<p>one<br>two</p><p>three</p>"),  # CR alone
        ("\n\n  padded  \n\n", "<p>padded</p>"),
        ("  \n ", ""),
    ],
)
def test_text_to_html(text: str, html: str) -> None:
    """The one text-to-HTML function: feeds' plain-text fields and the user's comments."""
    assert text_to_html(text) == html


def test_sanitising_in_worker_threads_gives_the_same_result() -> None:
    # The sync engine parses in a thread pool: the cached cleaners must work from any thread.
    fragments = [
        f'<p onclick="x()">{n} <a href="p/{n}">l</a><img src="i{n}.png" srcset="j{n}.png 2x"></p>'
        for n in range(40)
    ]
    expected = [sanitize_html(f, BASE) for f in fragments]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda f: sanitize_html(f, BASE), fragments)) == expected
    assert "onclick" not in "".join(expected) and "https://site.example/blog/j3.png" in expected[3]


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        # the size before the source: the callback learns it is a pixel after keeping src
        ('<p>a<img width="1" src="https://t.example/p.gif">b</p>', "<p>ab</p>"),
        # pixels between kept images, inside a link, and one per paragraph
        (
            '<p><img src="/k1.png" alt="one"><img src="https://t.example/p.gif" height="0">'
            '<img src="/k2.png" srcset="/k2@2x.png 2x" alt="two"></p>'
            '<p><a href="/x"><img src="https://t.example/q.gif" width="1" height="1">x</a></p>',
            '<p><img src="https://site.example/k1.png" alt="one">'
            '<img src="https://site.example/k2.png" srcset="https://site.example/k2@2x.png 2x" '
            'alt="two"></p><p><a href="https://site.example/x" rel="noopener noreferrer">x</a></p>',
        ),
        # a pixel whose values hold "<" and ">": judged on lxml's tree instead, same rule
        ('<p>a<img alt="<b>" src="https://t.example/p.gif" width="1">b</p>', "<p>ab</p>"),
        (
            '<p>a<img alt="1 < 2" src="/k.png">b</p>',
            '<p>a<img alt="1 &lt; 2" src="https://site.example/k.png">b</p>',
        ),
        # a size that is 1 only once the control character is gone
        ('<p>a<img src="https://t.example/p.gif" width="1&#1;">b</p>', "<p>ab</p>"),
        # an empty source is made the base URL by `urls.join`: a (pointless) image, kept
        (
            '<p>a<img src="" alt="e">b</p>',
            '<p>a<img src="https://site.example/blog/post.html" alt="e">b</p>',
        ),
        # a scheme-relative source on a host that cannot be parsed: `urls` drops it
        ('<p>a<img src="//bad host/p.png" alt="h">b</p>', "<p>ab</p>"),
    ],
)
def test_refused_images_go_wherever_their_attributes_are(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty, BASE) == clean


def test_without_a_base_an_empty_source_is_no_source() -> None:
    assert sanitize_html('<p>a<img src="" alt="e">b</p>') == "<p>ab</p>"


def test_the_image_marker_never_reaches_the_output() -> None:
    # nh3 marks every image's end for the attribute callback; a feed's own marker is dropped.
    dirty = (
        '<p><img src="/k.png" data-newsreader-end="x"><img src="/p.gif" width="1" '
        'data-newsreader-end=""><img src="/q.png" alt="<"></p>'
    )
    clean = sanitize_html(dirty, BASE)
    assert clean == (
        '<p><img src="https://site.example/k.png">'
        '<img src="https://site.example/q.png" alt="&lt;"></p>'
    )


def test_pixels_are_cut_from_nh3s_output_without_a_second_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsreader.parse.html as html_module

    def no_second_parse(fragment: str) -> str:
        raise AssertionError("the fragment was parsed again")

    monkeypatch.setattr(html_module, "_checked_images", no_second_parse)
    dirty = '<p>caf&eacute;&nbsp;<img src="https://t.example/p.gif" width="1" height="1"></p>'
    assert sanitize_html(dirty, "https://other.example/") == "<p>café&nbsp;</p>"


def test_pixels_are_judged_per_thread() -> None:
    # nh3 releases the GIL while it cleans and calls back on the cleaning thread: what one
    # thread's callback sees of an image must not leak into another thread's images. Each
    # fragment is long enough for the threads' cleaning to overlap.
    def fragment(n: int) -> str:
        images = (
            f'<img src="i{n}-{k}.png" alt="a"{" width=1" if (n + k) % 2 else ""}>'
            for k in range(300)
        )
        return f"<p>{n}{''.join(images)}</p>"

    def expected(n: int) -> str:
        kept = (
            f'<img src="https://site.example/blog/i{n}-{k}.png" alt="a">'
            for k in range(300)
            if (n + k) % 2 == 0
        )
        return f"<p>{n}{''.join(kept)}</p>"

    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda n: sanitize_html(fragment(n), BASE), range(40)))
    assert got == [expected(n) for n in range(40)]


@pytest.mark.parametrize(
    "tail",
    [
        "<iframe>",
        '<iframe src="https://v.example/e">inner <b>text</b>',
        '<iframe src="https://v.example/e"></iframe><textarea>',
        '<video src="https://v.example/v.mp4"></video><xmp>',
        '<iframe src="https://v.example/e"></iframe><noframes>',
    ],
)
def test_an_element_left_open_shows_no_wrapper_text(tail: str) -> None:
    """lxml reads a fragment inside <html><body>; a raw-text element (an iframe, a textarea)
    left open took "</body></html>" as its text, which then showed in the article."""
    clean = sanitize_html("<p>Lead paragraph.</p>" + tail)
    assert clean.startswith("<p>Lead paragraph.</p>")
    assert "body" not in clean and "html" not in clean
    assert "inner" not in clean  # an iframe's content is never shown


def test_an_iframes_content_is_dropped_and_what_follows_kept() -> None:
    clean = sanitize_html('<iframe src="https://v.example/e">fallback</iframe><p>After.</p>')
    assert clean == (
        '<a href="https://v.example/e" rel="noopener noreferrer">Embedded page: '
        "https://v.example/e</a><p>After.</p>"
    )
