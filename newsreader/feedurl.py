"""What the app was asked to open: a `feed:`/`feeds:` link, a feed or page URL, or an OPML file.

Desktops hand the app whatever the user double-clicked: `feed://host/rss` (Firefox, Safari),
`feed:https://host/rss` (the form in RFC-less common use), `feeds://host/rss`, a plain
`https://` URL, a `file://` URL or a path. `parse_open_target` turns that text into an
`OpenTarget` by string work alone; `resolve_open_target` also reads a saved feed file to find
its address. The process that was started (and knows its working directory) normalises before
handing the target to a running window, which then only sees SUBSCRIBE and IMPORT_OPML.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from newsreader import urls
from newsreader.errors import OpenTargetError

OPML_SUFFIXES = frozenset({".opml"})
# Saved feed documents: opening one subscribes to the address it names as its own.
FEED_FILE_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf"})
# A bare "name.ext" with one of these is a file in the working folder, not a host name.
_DOCUMENT_SUFFIXES = frozenset({".json", ".txt", ".html", ".htm", ".pdf", ".md"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}(:\d{1,5})?$")
_MAX_LENGTH = 8192
_MAX_FEED_FILE_BYTES = 20 * 1024 * 1024
_ATOM = "http://www.w3.org/2005/Atom"


class TargetKind(StrEnum):
    SUBSCRIBE = "subscribe"  # value: an http(s) URL of a feed or of a page announcing one
    IMPORT_OPML = "import-opml"  # value: an absolute path to an OPML file
    FEED_FILE = "feed-file"  # value: an absolute path to a saved feed document


@dataclass(frozen=True, slots=True)
class OpenTarget:
    kind: TargetKind
    value: str

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind.value, "value": self.value})

    @classmethod
    def from_json(cls, text: str) -> OpenTarget:
        """Reads what `to_json` wrote; anything else raises `OpenTargetError`."""
        try:
            raw = json.loads(text)
            kind = TargetKind(raw["kind"])
            value = raw["value"]
        except (ValueError, KeyError, TypeError) as error:
            raise OpenTargetError(f"not an open request: {text[:80]!r}") from error
        if not isinstance(value, str) or not value:
            raise OpenTargetError(f"not an open request: {text[:80]!r}")
        return cls(kind, value)


def parse_open_target(text: str, cwd: Path) -> OpenTarget:
    """Normalises a command-line argument or dropped link; relative paths resolve against cwd.

    `feed://h/p` -> `http://h/p`, `feeds://h/p` -> `https://h/p`, `feed:https://h/p` ->
    `https://h/p`; `host.tld/path` -> `https://host.tld/path`; `file://` URLs and paths become
    absolute paths (`.opml` -> import, `.rss`/`.atom`/`.xml`/`.rdf` -> feed file).
    """
    text = text.strip()
    if not text:
        raise OpenTargetError("nothing to open: the address is empty")
    if len(text) > _MAX_LENGTH:
        raise OpenTargetError(f"the address is too long ({len(text)} characters)")
    if _WINDOWS_DRIVE.match(text) or text.startswith("\\\\"):  # C:\x.opml, \\server\x.opml
        return _file_target(text, cwd)
    match = _SCHEME.match(text)
    if match is None:
        if _looks_like_host_path(text):
            return OpenTarget(TargetKind.SUBSCRIBE, normalise_web_url("https://" + text))
        return _file_target(text, cwd)
    scheme = match.group(1).lower()
    rest = text[match.end() :]
    if scheme in {"feed", "feeds"}:
        return OpenTarget(TargetKind.SUBSCRIBE, _unwrap_feed_scheme(scheme, rest))
    if scheme in {"http", "https"}:
        return OpenTarget(TargetKind.SUBSCRIBE, normalise_web_url(text))
    if scheme == "file":
        return _file_target(_file_url_path(text), cwd)
    raise OpenTargetError(f"cannot open {scheme}: addresses; give a feed or web page address")


def resolve_open_target(text: str, cwd: Path) -> OpenTarget:
    """`parse_open_target`, then a saved feed file becomes a subscription to its own address.

    The one function here that reads a file, so the window only ever receives SUBSCRIBE and
    IMPORT_OPML requests.
    """
    target = parse_open_target(text, cwd)
    if target.kind != TargetKind.FEED_FILE:
        return target
    path = Path(target.value)
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_FEED_FILE_BYTES + 1)
    except OSError as error:
        raise OpenTargetError(f"cannot read {path}: {error.strerror or error}") from error
    if len(data) > _MAX_FEED_FILE_BYTES:
        raise OpenTargetError(f"{path.name} is too large to be a feed")
    return OpenTarget(TargetKind.SUBSCRIBE, feed_file_address(data))


_TYPED_HOST = re.compile(
    r"^(?:localhost|\[[0-9A-Fa-f:.]+\]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}"
    r"|(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63})(?::\d{1,5})?(?:[/?#]|$)"
)


def typed_addresses(text: str) -> list[str]:
    """The URLs to try for an address as people type it: `example.com`, `localhost:8765/feed`
    and `127.0.0.2:8765/page` become https, then http (for hosts without TLS); anything with
    a scheme (`https://...`, `file:...`) is tried as it is."""
    text = text.strip()
    if "://" in text or not _TYPED_HOST.match(text):
        return [text]
    return [f"https://{text}", f"http://{text}"]


def normalise_web_url(url: str) -> str:
    """Checks an http(s) URL has a host and lower-cases scheme and host; keeps the rest."""
    parts = urls.split(url)
    if parts is None:
        raise OpenTargetError(f"not a valid web address: {url}")
    if parts.scheme.lower() not in {"http", "https"}:
        raise OpenTargetError(f"not a web address: {url}")
    host = parts.hostname
    if not host or any(c.isspace() for c in url):
        raise OpenTargetError(f"not a valid web address: {url}")
    return urls.unsplit(urls.origin_lowered(parts._replace(path=parts.path or "/")))


def feed_file_address(data: bytes) -> str:
    """The address a saved feed document names as its own (Atom `link rel="self"`).

    A downloaded .rss/.atom file cannot be fetched again from disk; subscribing means
    subscribing to where it came from. Raises `OpenTargetError` when the file names none.
    """
    from lxml import etree  # here, not at the top: every start splits its arguments with us

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise OpenTargetError(f"the file is not a readable feed ({error})") from error
    if root is None:
        raise OpenTargetError("the file is empty")
    # Atom: <feed><link rel="self">; RSS 2.0: <channel><atom:link rel="self">
    for link in root.iterfind(f"{{{_ATOM}}}link"), root.iterfind(f"*/{{{_ATOM}}}link"):
        for element in link:
            if (element.get("rel") or "").strip() == "self" and element.get("href"):
                return normalise_web_url(element.get("href", "").strip())
    raise OpenTargetError(
        "the feed file does not say where it came from; subscribe with its web address instead"
    )


def looks_like_open_target(arg: str) -> bool:
    """True for a command-line word that cannot be a subcommand name: a URL or a path.

    Subcommands are bare words, so anything with a scheme, a dot, a slash or a tilde is
    something to open.
    """
    return bool(_SCHEME.match(arg)) or any(c in arg for c in "./\\~")


def split_open_argument(
    argv: Sequence[str], options_with_values: Collection[str]
) -> tuple[str | None, list[str]]:
    """Takes the URL or file to open out of a command line, leaving the rest for argparse.

    Only the first positional word is a candidate (later ones belong to a subcommand), and only
    when it cannot be a subcommand name (`looks_like_open_target`). Values of options such as
    `--data-dir PATH` are skipped; everything after `--` is positional.
    """
    words = list(argv)
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            if index + 1 < len(words):
                return words[index + 1], words[:index] + words[index + 2 :]
            return None, words
        if word.startswith("-") and word != "-":
            if word in options_with_values:
                index += 1
            index += 1
            continue
        if looks_like_open_target(word):
            return word, words[:index] + words[index + 1 :]
        return None, words
    return None, words


def unwrap_feed_scheme(url: str) -> str:
    """A `feed:` link as the web address it names (`feed://h/p` -> `http://h/p`,
    `feeds://h/p` -> `https://h/p`, `feed:https://h/p` and `feed://https://h/p` ->
    `https://h/p`, as readers, browsers and OPML exports write them); any other URL as it
    is. Raises OpenTargetError for a `feed:` link that names no valid web address."""
    match = _SCHEME.match(url)
    if match is None or match.group(1).lower() not in {"feed", "feeds"}:
        return url
    return _unwrap_feed_scheme(match.group(1).lower(), url[match.end() :])


def _unwrap_feed_scheme(scheme: str, rest: str) -> str:
    inner = rest
    if inner.startswith("//"):
        inner = inner[2:]
        # feed://https://host/x and feed://https//host/x appear in the wild
        nested = re.match(r"^(https?)(?::/{0,2}|//)(.*)$", inner, re.IGNORECASE)
        if nested:
            return normalise_web_url(f"{nested.group(1).lower()}://{nested.group(2)}")
        default = "https" if scheme == "feeds" else "http"
        return normalise_web_url(f"{default}://{inner}")
    if _SCHEME.match(inner):
        return normalise_web_url(inner)
    default = "https" if scheme == "feeds" else "http"
    return normalise_web_url(f"{default}://{inner}")


def _looks_like_host_path(text: str) -> bool:
    if text.startswith(("/", ".", "~")):
        return False
    head, slash, _ = text.partition("/")
    if not _HOST.match(head):
        return False
    suffix = PurePosixPath(head).suffix.lower()
    return bool(slash) or suffix not in OPML_SUFFIXES | FEED_FILE_SUFFIXES | _DOCUMENT_SUFFIXES


def _file_url_path(url: str) -> str:
    parts = urls.split(url)
    if parts is None or parts.netloc not in {"", "localhost"}:
        raise OpenTargetError(f"cannot open a file on another computer: {url}")
    path = unquote(parts.path)
    if re.match(r"^/[A-Za-z]:/", path):  # file:///C:/Users/... on Windows
        path = path[1:]
    return path


def _file_target(raw: str, cwd: Path) -> OpenTarget:
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = cwd / path
    absolute = Path(os.path.normpath(path))
    suffix = absolute.suffix.lower()
    if suffix in OPML_SUFFIXES:
        return OpenTarget(TargetKind.IMPORT_OPML, str(absolute))
    if suffix in FEED_FILE_SUFFIXES:
        return OpenTarget(TargetKind.FEED_FILE, str(absolute))
    raise OpenTargetError(
        f"cannot open {absolute.name or raw}: expected an .opml file, a feed file "
        "(.rss, .atom, .xml) or a feed address"
    )
