"""Coverage-guided fuzzing of the four parser entry points with atheris (libFuzzer).

    .venv/bin/python fuzz/harness.py TARGET [libFuzzer options] CORPUS_DIR [SEED_DIR ...]

TARGET is one of `feed` (parse_feed), `opml` (parse_opml), `discover` (discover_feeds) and
`html` (sanitize_html). An input may be refused with a `NewsreaderError` (that is the parser
doing its job); any other exception is a crash, and so is sanitiser output that breaks the
output rule (`check_sanitised`). `fuzz/run.py` (`make fuzz`) runs every target for a time.
Needs the optional extra: `pip install -e '.[fuzz]'`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from html.parser import HTMLParser

import atheris

with atheris.instrument_imports(include=["newsreader"]):
    from newsreader.errors import NewsreaderError
    from newsreader.parse import discover_feeds, parse_feed, sanitize_html
    from newsreader.parse.opml import parse_opml

URL = "https://fuzz.example/dir/feed.xml"
_STRIPPED = "".join(chr(c) for c in range(0x21))
_RASTER = tuple(
    f"data:image/{kind}" for kind in ("png", "gif", "jpeg", "jpg", "webp", "avif", "bmp")
)
_URL_ATTRIBUTES = {"href", "src", "poster", "action", "formaction", "background", "cite", "data"}
_FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form"}


def _scheme(value: str) -> str:
    head, colon, _ = value.lstrip(_STRIPPED).partition(":")
    head = head.replace("\t", "").replace("\n", "").replace("\r", "")
    return head.lower() if colon and head[:1].isalpha() else ""


class _RuleChecker(HTMLParser):
    """Fails on sanitiser output that breaks the output rule of `newsreader.parse.policy`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _FORBIDDEN_TAGS:
            raise AssertionError(f"<{tag}> survived")
        for name, raw in attrs:
            value = raw or ""
            if name.startswith("on") or name == "style":
                raise AssertionError(f"{name} attribute survived on <{tag}>")
            if name == "srcset":
                candidates = [c.split()[0] for c in value.split(",") if c.split()]
            elif name in _URL_ATTRIBUTES:
                candidates = [value]
            else:
                continue
            for url in candidates:
                scheme = _scheme(url)
                inline_image = (
                    tag == "img"
                    and name == "src"
                    and url.lstrip(_STRIPPED).lower().startswith(_RASTER)
                )
                if scheme in {"javascript", "vbscript", "file"} or (
                    scheme == "data" and not inline_image
                ):
                    raise AssertionError(f"<{tag} {name}={url!r}> survived")


def check_sanitised(output: str) -> None:
    checker = _RuleChecker()
    checker.feed(output)
    checker.close()


def _feed(data: bytes) -> None:
    parse_feed(data, URL)


def _opml(data: bytes) -> None:
    parse_opml(data)


def _discover(data: bytes) -> None:
    discover_feeds(data, URL)


def _html(data: bytes) -> None:
    check_sanitised(sanitize_html(data.decode("utf-8", errors="replace"), URL))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "feed": _feed,
    "opml": _opml,
    "discover": _discover,
    "html": _html,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: harness.py {{{','.join(TARGETS)}}} [libFuzzer options] CORPUS...")
    target = TARGETS[sys.argv[1]]

    def one_input(data: bytes) -> None:
        with contextlib.suppress(NewsreaderError):  # refused with a message: as it should be
            target(data)

    atheris.Setup([sys.argv[0], *sys.argv[2:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
