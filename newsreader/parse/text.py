"""Plain text out of HTML, and out of the fields feeds leave ambiguous (text or escaped HTML).

`html_to_text` is the one HTML-to-text function of the app (parser, store, CLI, export and
key points all call it): lxml's HTML parser reads the fragment as a browser would, so
entities, unclosed tags and `<script>`/`<style>` content are handled by the parser, not by
patterns over markup.
The full-text index keeps its own pattern-based fast path (`store/text.py`, `index_text`):
`benchmarks/text.py` measures it at 5-10 times the speed of this function (6-16 s against
60-73 s of CPU for 100,000 article bodies), and its output is frozen by the index anyway.

`markup_text` reads RSS titles, names and categories, which feeds write either as plain text
or as (escaped) HTML, often in the same feed. It decides tag by tag, as a careful reader
does: known formatting markup (`<b>…</b>`, `<a href=…>…</a>`, `<span>…</span>`, `<br>`) is
removed, while words in angle brackets that are not formatting markup stay as written:
`Option<T>`, `On The <dl>` (an element named, not used), `<video>`, `<input type="checkbox">`.
CDATA markers left in the text (an escaped CDATA section) are dropped, entities are decoded
once (so a double-escaped `&amp;amp;` reads `&`), and white space is folded.
"""

from __future__ import annotations

import itertools
import re
import threading
from html.entities import html5

import lxml.etree

# Elements whose content is not text: dropped with what they hold.
_NOT_TEXT = frozenset({"script", "style", "template", "noscript", "title", "head"})
# Elements that break a line (paragraph mode) or separate words (flat mode).
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Markup a title, name or category may carry for formatting: removed when used as markup.
_FORMATTING = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "div",
        "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "kbd", "mark", "nobr",
        "p", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",
        "u", "var",
    }
)  # fmt: skip
_LINE_BREAKS = frozenset({"br", "wbr"})
_MAX_TAGS = 1000  # a field with more tags than this is read as HTML outright
_MAX_OPEN = 16  # an end tag closes one of the last 16 open ones (keeps floods linear)

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*)?)\s*/?>|<!--.*?-->", re.DOTALL)
_CDATA_MARKER = re.compile(r"<!\[CDATA\[|\]\]>")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_C0_AND_DEL = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_BYTES = re.compile(b"\xc2[\x80-\x9f]")  # a C1 control character in UTF-8
_LONG = 256  # characters; shorter text goes straight to the pattern
_BLOCK_BREAK = "\ue000"  # a private-use character marks block boundaries until text is joined
_local = threading.local()
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def without_controls(text: str) -> str:
    """`text` without control characters (C0 but tab, line feed and carriage return; DEL;
    C1) and with each lone surrogate replaced by U+FFFD: what no stored field or terminal
    line may hold (an ESC or BEL in a title would drive the terminal it is printed on)."""
    if len(text) > _LONG and not _may_hold_controls(text):
        return text
    return _CONTROLS.sub(_control_replacement, text) if _CONTROLS.search(text) else text


def _may_hold_controls(text: str) -> bool:
    """Whether `text` may hold a character `_CONTROLS` matches, from its UTF-8 bytes (lone
    surrogates written as they are): C0 and DEL are single bytes below 0x80, C1 characters
    start with 0xC2 and surrogates with 0xED; neither byte (other characters hold them too)
    means none is there. Several times faster than the pattern's scan on long text (a whole
    feed's JSON, an article)."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _C0_AND_DEL)) != len(data) or b"\xc2" in data or b"\xed" in data


def utf8_without_controls(data: bytes) -> bytes:
    """`without_controls` for text given as valid UTF-8 (which holds no lone surrogate): the
    bytes themselves when they hold no control character, as is usual (found with a byte scan,
    without decoding: C0 and DEL are the bytes `_C0_AND_DEL`, C1 characters 0xC2 0x80-0x9F)."""
    if len(data.translate(None, _C0_AND_DEL)) == len(data) and (
        b"\xc2" not in data or _C1_BYTES.search(data) is None
    ):
        return data
    return without_controls(data.decode()).encode()


def _control_replacement(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group(0) <= "\udfff" else ""


def html_to_text(
    markup: str | None, *, paragraphs: bool = False, leave_out: frozenset[str] = frozenset()
) -> str:
    """The text of an HTML fragment: tags removed, entities decoded, script and style
    content dropped, and the elements named in `leave_out` (lower-case tag names) dropped
    with their content.

    Flat (the default): all white space, line breaks and block boundaries fold into single
    spaces, for titles, hashes and one-line listings. `paragraphs=True`: each block element
    (paragraph, list item, heading, `<br>`, ...) starts a new line, runs of spaces fold, no
    blank lines; non-breaking spaces stay (as spaces), for text shown in a terminal.
    """
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return _fold(markup, paragraphs)
    markup = without_controls(markup)  # lxml keeps them in text, then refuses them on write
    try:
        root = lxml.etree.fromstring(f"<div>{markup}</div>", _html_parser())
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return ""  # nothing parseable left: no text
    lxml.etree.strip_elements(root, *_NOT_TEXT, *leave_out, with_tail=False)
    for block in root.iter(*_BLOCKS):  # a break before and after every block
        block.text = _BLOCK_BREAK + (block.text or "")
        block.tail = _BLOCK_BREAK + (block.tail or "")
    text = lxml.etree.tostring(root, method="text", encoding="unicode")
    if not paragraphs:
        return " ".join(text.replace(_BLOCK_BREAK, " ").split())
    return _fold(_SPACES.sub(" ", text).replace(_BLOCK_BREAK, "\n"), paragraphs)


def _html_parser() -> lxml.etree.HTMLParser:
    """One HTML parser per thread (lxml parsers must not be shared between threads)."""
    parser: lxml.etree.HTMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = lxml.etree.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, default_doctype=False
        )
        _local.parser = parser
    return parser


def markup_text(value: str | None) -> str:
    """The text of a field that may be plain text or HTML (module docstring): formatting
    markup removed, other bracketed words kept, entities decoded once, spaces folded."""
    if not value:
        return ""
    if "<![CDATA[" in value:
        value = _CDATA_MARKER.sub("", value)
    if "<" not in value:
        return decoded_text(value)
    if value.count("<") > _MAX_TAGS and _more_tags_than(value, _MAX_TAGS):
        return html_to_text(value)  # a flood of tags is markup, whatever it says
    markup = _markup_tags(value)
    parts: list[str] = []
    kept_from = 0
    for match in _TAG.finditer(value):
        parts.append(_escaped(value[kept_from : match.start()]))
        if match.start() in markup:
            parts.append(" " if match.group(2) and match.group(2).lower() in _BLOCKS else "")
        elif not match.group(0).startswith("<!--"):
            parts.append(_escaped(match.group(0)))
        kept_from = match.end()
    parts.append(_escaped(value[kept_from:]))
    return html_to_text("".join(parts))


def _more_tags_than(value: str, limit: int) -> bool:
    return sum(1 for _ in itertools.islice(_TAG.finditer(value), limit + 1)) > limit


def decoded_text(value: str | None) -> str:
    """Plain text with its character references decoded once (many feeds escape their
    text as if it were HTML: `Q&amp;A`, `&#8216;`) and white space folded; brackets and
    everything else stay as written."""
    return " ".join(_decode_entities(value).split()) if value else ""


def _markup_tags(value: str) -> set[int]:
    """Start offsets of the tags in `value` that are formatting markup: a formatting element
    closed later, one with attributes, any formatting end tag, or a line break. Comments
    count as markup."""
    markup: set[int] = set()
    open_tags: list[tuple[str, int]] = []
    for match in _TAG.finditer(value):
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        if name is None:  # a comment
            markup.add(match.start())
            continue
        name = name.lower()
        if name in _LINE_BREAKS and not closing:
            markup.add(match.start())
        elif name not in _FORMATTING:
            continue
        elif not closing:
            open_tags.append((name, match.start()))
            if attributes and "=" in attributes:
                markup.add(match.start())
        else:
            markup.add(match.start())  # a formatting end tag is never a word of its own
            for depth in range(len(open_tags) - 1, max(len(open_tags) - _MAX_OPEN, 0) - 1, -1):
                if open_tags[depth][0] == name:
                    markup.update(start for _, start in open_tags[depth:])
                    del open_tags[depth:]
                    break
    return markup


def _escaped(text: str) -> str:
    """Text between markup tags, made safe to hand to the HTML parser as text: brackets
    escaped, and an `&` that starts no complete entity escaped too (so `&notation` stays)."""
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _BARE_AMPERSAND.sub("&amp;", text) if "&" in text else text


def _decode_entities(text: str) -> str:
    """Character and named references with their semicolon decoded (HTML5 names); anything
    else, such as `AT&T` or `&notation`, stays as written."""
    if "&" not in text:
        return text
    return _ENTITY.sub(_entity, text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] == "#":
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return html5.get(f"{name};", match.group(0))


def _fold(text: str, paragraphs: bool) -> str:
    if not paragraphs:
        return " ".join(text.split())
    lines = (_SPACES.sub(" ", line).replace("\u00a0", " ").strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
