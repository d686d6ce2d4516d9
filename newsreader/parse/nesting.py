"""Nesting depth of an HTML fragment, counted as an HTML parser counts it, and flattening.

Why: HTML parsers pay for depth. html5ever (inside nh3) checks "is there a <p> in scope" by
walking the stack of open elements, so 50,000 unclosed `<div>`s cost time that grows with the
square of the input; libxml2 (lxml.html, used by every export) stops at 255 levels and drops
the rest without a word. So before either sees a fragment, elements deeper than `MAX_DEPTH`
are flattened: their tags are removed and their text stays where it was, inside the deepest
element kept. Nothing is lost, and no parser downstream meets more than `MAX_DEPTH` levels.

How: one pass over the fragment with a small tokenizer (tags, comments, raw-text elements such
as <script> and <textarea>, quoted attribute values that may hold ">") and a model of the
parser's stack of open elements. The model follows the HTML standard's rules that change depth
(and libxml2's, where it nests deeper than the standard): void elements (<br>, <img>) and `<x/>`
(a self-closing flag is ignored on ordinary elements), end tags that close nothing (ignored),
end tags that close several elements, and start tags that close an open one (<p>, <li>, <td>,
<option>, headings, blocks closing a <p>). Where the model is unsure it counts deeper than the
parser, never shallower. Each step is O(1) amortised, so the pass is linear in the fragment.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_DEPTH = 100
"""Elements kept nested at most this deep. Real articles stay under 30 levels; the exports
wrap an article in about ten more, well under libxml2's 255."""

_VOID = frozenset(
    {"area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "link", "meta",
     "param"}
)  # fmt: skip
"""Void for both parsers. <wbr>, <source>, <track>, <embed> and a few more are void to
html5ever but libxml2 (lxml.html, 2.14) nests them like any element: they count as nesting."""
_RAW_TEXT = frozenset(
    {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"}
)
_SPECIAL = frozenset(
    {"address", "applet", "area", "article", "aside", "base", "basefont", "bgsound",
     "blockquote", "body", "br", "button", "caption", "center", "col", "colgroup", "dd",
     "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure",
     "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
     "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link",
     "listing", "main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript",
     "object", "ol", "p", "param", "plaintext", "pre", "script", "search", "section", "select",
     "source", "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot",
     "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp"}
)  # fmt: skip
_SCOPE = frozenset({"applet", "caption", "html", "table", "td", "th", "marquee", "object"})
_SCOPE_SETS = {
    "default": _SCOPE | {"template"},
    "list": _SCOPE | {"template", "ol", "ul"},
    "button": _SCOPE | {"template", "button"},
    "table": frozenset({"html", "table", "template"}),
}
_CLOSES_P = frozenset(
    {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
     "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu",
     "nav", "ol", "p", "search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6",
     "pre", "listing", "form", "table", "hr", "xmp", "plaintext", "dd", "dt", "li"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_P = frozenset({"p"})
_LI = frozenset({"li"})
# Start tags that close an open element of the same group, and the scope it must be in.
_CLOSES_SIBLING = {
    "li": (frozenset({"li"}), "list"),
    "dd": (frozenset({"dd", "dt"}), "default"),
    "dt": (frozenset({"dd", "dt"}), "default"),
    "td": (frozenset({"td", "th"}), "table"),
    "th": (frozenset({"td", "th"}), "table"),
    "tr": (frozenset({"tr"}), "table"),
    "tbody": (frozenset({"tbody", "thead", "tfoot"}), "table"),
    "thead": (frozenset({"tbody", "thead", "tfoot"}), "table"),
    "tfoot": (frozenset({"tbody", "thead", "tfoot"}), "table"),
    "a": (frozenset({"a"}), "default"),
    "nobr": (frozenset({"nobr"}), "default"),
    "button": (frozenset({"button"}), "default"),
    "option": (frozenset({"option"}), "default"),
}
_NAME = re.compile(r"[^\t\n\f\r />]*")
_TAG_END_OR_QUOTE = re.compile(r"[>\"']")
_RAW_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in _RAW_TEXT}


class _Stack:
    """The parser's stack of open elements, with O(1) "where is the last <x>" and "where is the
    last scope boundary" answers."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.at: dict[str, list[int]] = {}
        self.marks: dict[str, list[int]] = {kind: [] for kind in (*_SCOPE_SETS, "special")}

    def push(self, name: str) -> None:
        index = len(self.names)
        self.names.append(name)
        self.at.setdefault(name, []).append(index)
        for kind, members in _SCOPE_SETS.items():
            if name in members:
                self.marks[kind].append(index)
        if name in _SPECIAL:
            self.marks["special"].append(index)

    def pop_through(self, index: int) -> None:
        """Pops elements until the one at `index` is popped too."""
        while len(self.names) > index:
            name = self.names.pop()
            self.at[name].pop()
            for marks in self.marks.values():
                if marks and marks[-1] >= len(self.names):
                    marks.pop()

    def last(self, name: str) -> int:
        where = self.at.get(name)
        return where[-1] if where else -1

    def in_scope(self, names: frozenset[str], scope: str) -> int:
        """The index of the last element named in `names` if it is in `scope`, else -1."""
        index = max(self.last(name) for name in names)
        boundary = self.marks[scope][-1] if self.marks[scope] else -1
        return index if index > boundary else -1

    def close(self, names: frozenset[str], scope: str) -> None:
        index = self.in_scope(names, scope)
        if index >= 0:
            self.pop_through(index)


def flatten(fragment: str, limit: int = MAX_DEPTH) -> str:
    """`fragment` with the tags of elements nested deeper than `limit` removed (their content
    kept in place), so no HTML parser builds more than `limit` levels of it. Returns the
    fragment itself when it is shallow enough."""
    if fragment.count("<") <= limit:
        return fragment  # too few tags to be that deep
    return _walk(fragment, limit)


def _walk(text: str, limit: int) -> str:
    """One pass over `text`, the tags of elements deeper than `limit` removed."""
    stack = _Stack()
    dropped: Counter[str] = Counter()
    kept: list[str] = []
    kept_from = 0
    position = 0
    length = len(text)
    while True:
        start = text.find("<", position)
        if start < 0 or start + 1 >= length:
            break
        following = text[start + 1]
        if following == "!" or following == "?":
            position = _markup_declaration_end(text, start)
            continue
        closing = following == "/"
        name_at = start + 2 if closing else start + 1
        if name_at >= length or not (text[name_at].isascii() and text[name_at].isalpha()):
            if closing and name_at < length and text[name_at] != ">":
                position = _markup_declaration_end(text, start)  # "</ x>": a bogus comment
            else:
                position = start + 1  # "<" as text
            continue
        name_match = _NAME.match(text, name_at)
        name_end = name_match.end() if name_match else name_at + 1
        name = text[name_at:name_end].lower()
        end = _tag_end(text, name_end)
        if closing:
            if dropped[name] > 0:
                dropped[name] -= 1
                kept.append(text[kept_from:start])
                kept_from = end
            else:
                _end_tag(stack, name)
            position = end
            continue
        if name in _VOID:
            position = end
            continue
        if name in _RAW_TEXT or name == "plaintext":
            position = _raw_text_end(text, name, end)
            continue
        _implied_ends(stack, name)
        if len(stack.names) >= limit:
            dropped[name] += 1
            kept.append(text[kept_from:start])
            kept_from = end
        else:
            stack.push(name)
        position = end
    if not kept:
        return text
    kept.append(text[kept_from:])
    return "".join(kept)


def _implied_ends(stack: _Stack, name: str) -> None:
    """Pops what the parser closes before it opens element `name`."""
    if name in _CLOSES_P:
        stack.close(_P, "button")
    if name in _HEADINGS and stack.names and stack.names[-1] in _HEADINGS:
        stack.pop_through(len(stack.names) - 1)
    sibling = _CLOSES_SIBLING.get(name)
    if sibling is not None:
        stack.close(*sibling)


def _end_tag(stack: _Stack, name: str) -> None:
    """Pops what the parser closes for `</name>`; an end tag that closes nothing is ignored."""
    if name in _HEADINGS:
        stack.close(_HEADINGS, "default")
    elif name == "p":
        stack.close(_P, "button")
    elif name == "li":
        stack.close(_LI, "list")
    elif name in _SPECIAL:
        stack.close(frozenset({name}), "table" if name in {"tr", "td", "th"} else "default")
    else:  # any other end tag: closes the last such element unless a special one is above it
        index = stack.last(name)
        specials = stack.marks["special"]
        if index >= 0 and (not specials or specials[-1] <= index):
            stack.pop_through(index)


def _tag_end(text: str, position: int) -> int:
    """The index just after the `>` ending the tag whose attributes start at `position`, quoted
    attribute values skipped; the end of `text` if the tag never ends."""
    while True:
        match = _TAG_END_OR_QUOTE.search(text, position)
        if match is None:
            return len(text)
        found = match.start()
        if text[found] == ">":
            return found + 1
        before = found - 1
        while before > position and text[before] in " \t\n\f\r":
            before -= 1
        if text[before] != "=":
            position = found + 1  # a quote inside a name or an unquoted value: plain text
            continue
        closing = text.find(text[found], found + 1)
        if closing < 0:
            return len(text)
        position = closing + 1


def _markup_declaration_end(text: str, start: int) -> int:
    """The index after a comment (`<!-- ... -->`) or a bogus comment (`<!x>`, `<?x>`, `</ x>`)
    starting at `start`."""
    if text.startswith("<!--", start):
        if text.startswith(">", start + 4) or text.startswith("->", start + 4):
            return text.index(">", start + 4) + 1  # "<!-->" and "<!--->" are empty comments
        ends = (text.find("-->", start + 4), text.find("--!>", start + 4))
        found = min((end for end in ends if end >= 0), default=-1)
        if found < 0:
            return len(text)
        return found + (3 if text.startswith("-->", found) else 4)
    found = text.find(">", start + 2)
    return len(text) if found < 0 else found + 1


def _raw_text_end(text: str, name: str, position: int) -> int:
    """Where the content of raw-text element `name` (its start tag ended at `position`) ends:
    at its end tag, or at the end of `text` (and always there for <plaintext>)."""
    if name == "plaintext":
        return len(text)
    match = _RAW_END[name].search(text, position)
    return match.start() if match else len(text)
