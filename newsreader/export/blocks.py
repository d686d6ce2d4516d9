"""The HTML elements that start a new block, and text direction, shared by the Markdown and
plain-text writers."""

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_ELEMENTS = HEADINGS | frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hgroup",
        "hr",
        "li",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "ul",
    }
)


# Unicode's directional formatting characters (UAX #9): what `dir` and `<bdo>` mean in HTML,
# carried into Markdown and plain text, where there are no attributes.
_ISOLATES = {"rtl": "\u2067", "ltr": "\u2066", "auto": "\u2068"}  # closed by U+2069
_OVERRIDES = {"rtl": "\u202e", "ltr": "\u202d"}  # closed by U+202C


def direction_marks(tag: str, direction: str | None) -> tuple[str, str]:
    """The characters to put before and after the text of an element with `dir`: an isolate
    for `dir` on any element, an override for `<bdo>`; ("", "") when it has none."""
    value = (direction or "").strip().lower()
    if tag == "bdo" and value in _OVERRIDES:
        return _OVERRIDES[value], "\u202c"
    if value in _ISOLATES:
        return _ISOLATES[value], "\u2069"
    return "", ""


def with_direction(text: str, tag: str, direction: str | None) -> str:
    """`text` with the marks of `direction_marks` around each of its lines (a line break ends
    any isolate or override, so every line carries its own)."""
    start, end = direction_marks(tag, direction)
    if not start or not text:
        return text
    return "\n".join(f"{start}{line}{end}" if line else line for line in text.split("\n"))
