"""The sanitising policy's output rule, checked on the output as a browser would read it.

The rule (issue 16): no `javascript:`, `vbscript:`, `file:` or non-image `data:` URL in any
URL-bearing attribute, judged after browser normalisation (leading C0 controls and spaces
stripped, tabs and newlines removed inside the scheme); no event handler; no script. Every
check also asserts that the harmless text around the attack survives, so a sanitiser that
returned "" would fail.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.export.render import clean_fragment
from newsreader.parse import sanitize_html

BASE = "https://site.example/blog/post.html"
URL_ATTRIBUTES = {"href", "src", "poster", "action", "formaction", "background", "cite", "data"}
RASTER = ("data:image/png", "data:image/gif", "data:image/jpeg", "data:image/jpg")
RASTER += ("data:image/webp", "data:image/avif", "data:image/bmp")


def browser_scheme(value: str) -> str:
    """Written apart from newsreader.urls on purpose: the scheme a browser reads."""
    value = value.lstrip("".join(chr(c) for c in range(0x21)))
    head, colon, _ = value.partition(":")
    if not colon:
        return ""
    head = head.replace("\t", "").replace("\n", "").replace("\r", "")
    return head.lower() if head[:1].isalpha() else ""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "math", "form"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}")
            urls = (
                [c.split()[0] for c in value.split(",") if c.split()]
                if name == "srcset"
                else [value]
            )
            if name not in URL_ATTRIBUTES and name != "srcset":
                continue
            for url in urls:
                scheme = browser_scheme(url)
                if scheme in {"javascript", "vbscript", "file"}:
                    self.problems.append(f"{tag} {name}={url!r}")
                if scheme == "data":
                    image = tag == "img" and name == "src"
                    normal = url.lstrip("".join(chr(c) for c in range(0x21))).lower()
                    if not (image and normal.startswith(RASTER)):
                        self.problems.append(f"{tag} {name}={url!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(output: str) -> str:
    """The output's text; fails on anything the rule forbids."""
    checker = _Checker()
    checker.feed(output)
    checker.close()
    assert not checker.problems, (checker.problems, output)
    return "".join(checker.text)


# Bypasses found by fuzzing (issue 16), as minimal inputs of our own.
BYPASSES = [
    '<img alt="a srcset=" src="k.png" srcset="javascript:alert(1) 1x, file:///etc/passwd 2x">',
    '<img title=" srcset=" src="k.png" srcset="ok.png 1x, javascript:x 2x">',
    '<a href="&#1;data:text/html,&lt;script&gt;x()&lt;/script&gt;">link</a>',
    '<img src="&#1;data:image/svg+xml,&lt;svg onload=x()&gt;">',
    '<a href="da\tta:text/html,x">link</a>',
    '<a href="da&#9;ta:text/html,x">link</a>',
    '<a href="java&#10;script:x()">link</a>',
    '<img src="k.png" srcset="&#1;javascript:x() 2x">',
    '<img src="k.png" srcset="&#x20;&#1;vbscript:x 1x">',
    '<a href="&#0;&#31; javascript:x">link</a>',
    '<video poster="&#1;javascript:x" src="&#1;data:text/html,x"></video>',
    '<iframe src="&#1;javascript:x"></iframe>',
    '<a href="FILE:///etc/passwd">link</a>',
]


def test_known_bypasses_are_closed_and_the_text_survives() -> None:
    for attack in BYPASSES:
        for output in (
            sanitize_html(f"<p>keep</p>{attack}", BASE),
            clean_fragment(f"<p>keep</p>{attack}", BASE, lambda url: url),
        ):
            assert "keep" in check(output), (attack, output)


def test_a_safe_srcset_is_kept_beside_a_title_that_mentions_srcset() -> None:
    output = sanitize_html('<img title="x srcset=" src="a.png" srcset="b.png 2x">', BASE)
    check(output)
    assert 'srcset="https://site.example/blog/b.png 2x"' in output
    assert 'title="x srcset="' in output


_PREFIXES = st.lists(
    st.sampled_from(
        ["", " ", "\t", "\n", "\x01", "&#1;", "&#x1f;", "&#0;", "&#9;", "&#10;", "&#32;"]
    ),
    max_size=3,
).map("".join)
_SCHEMES = st.sampled_from(
    ["javascript", "JaVaScRiPt", "vbscript", "file", "data", "java\tscript", "jav&#x61;script",
     "da\nta", "d&#x61;ta", "http", "https", "mailto"]
)  # fmt: skip
_PAYLOADS = st.sampled_from(
    [":alert(1)", ":text/html,<script>x()</script>", ":image/svg+xml,<svg onload=x()>",
     ":image/png;base64,iVBORw0KGgo=", "://h.example/x", ":///etc/passwd", "://[x]/"]
)  # fmt: skip
_URLS = st.builds(lambda p, s, r: p + s + r, _PREFIXES, _SCHEMES, _PAYLOADS)
_ATTRIBUTES = st.sampled_from(
    ["href", "src", "srcset", "poster", "data", "title", "alt", "onerror"]
)
_TAGS = st.sampled_from(
    ["a", "img", "video", "audio", "iframe", "object", "embed", "source", "div"]
)


@st.composite
def _fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        tag = draw(_TAGS)
        attributes = []
        for _ in range(draw(st.integers(1, 3))):
            name = draw(_ATTRIBUTES)
            value = draw(_URLS)
            if name == "srcset":
                value = f"{value} 1x, {draw(_URLS)} 2x"
            if draw(st.booleans()):
                value += " srcset="
            quote = draw(st.sampled_from(['"', "'"]))
            attributes.append(f"{name}={quote}{value.replace(quote, '')}{quote}")
        parts.append(f"<{tag} {' '.join(attributes)}>x</{tag}>")
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(_fragments())
def test_generated_hostile_fragments_obey_the_rule(fragment: str) -> None:
    for output in (
        sanitize_html(f"<p>keep</p>{fragment}<p>tail</p>", BASE),
        clean_fragment(f"<p>keep</p>{fragment}<p>tail</p>", BASE, lambda url: url),
    ):
        text = check(output)
        assert "keep" in text and "tail" in text, output
