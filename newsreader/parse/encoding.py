"""Choosing a document's character encoding.

Precedence follows RFC 7303 §3: a byte-order mark, then the HTTP `charset`, then the encoding
the document declares (XML declaration or JSON's implied UTF-8), then UTF-8, and only when
nothing declared works, a statistical guess by charset-normalizer.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that real documents use for a superset we should decode with instead (WHATWG).
_SUPERSETS = {
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "iso8859-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "euc-kr": "cp949",
    "tis-620": "cp874",
    "iso-8859-9": "cp1254",
}

_WESTERN_MARGIN = 0.1  # how much more "chaos" Windows-1252 may show and still be preferred
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, with the mark's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def text_after_bom(data: bytes, limit: int | None = None) -> str | None:
    """The text after a byte-order mark (at most `limit` bytes of it), undecodable bytes
    dropped; None when `data` starts with no mark. For sniffing, not for reading."""
    bom = bom_encoding(data)
    if bom is None:
        return None
    name, length = bom
    end = None if limit is None else length + limit
    return data[length:end].decode(name, errors="ignore")


def header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """A header's value, looked up without regard to case."""
    if not headers:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def http_charset(headers: Mapping[str, str] | None) -> str | None:
    content_type = header(headers, "content-type")
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type)
    return _usable(match.group(1)) if match else None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named in an XML declaration at the start of `data`."""
    match = _DECLARATION.match(data[:512])
    return _usable(match.group(1).decode("ascii")) if match else None


def is_utf8(name: str | None) -> bool:
    return name is not None and codecs.lookup(name).name == "utf-8"


def decode(
    data: bytes,
    headers: Mapping[str, str] | None,
    declared: str | None,
    *,
    guess_for_lies: bool = False,
) -> str:
    """Text of `data`: the first declared encoding that decodes it cleanly wins.

    A declared encoding that fails is still used, with replacement characters, when no other
    declared one fits: real feeds that say UTF-8 and contain a stray Latin-1 byte read better
    that way than through a guess. Only undeclared documents go to the detector, and, with
    `guess_for_lies` (web pages), documents where the declared encoding loses most of the
    non-ASCII text: a page in Windows-1252 whose server says UTF-8 (and whose markup says
    nothing) would otherwise lose every accented letter.
    """
    bom = bom_encoding(data)
    if bom is not None:
        name, length = bom
        return data[length:].decode(name, errors="replace")
    candidates = [c for c in (http_charset(headers), declared) if c and _plausible(c, data)]
    for name in [*candidates, "utf-8"]:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    if candidates:
        text = data.decode(candidates[0], errors="replace")
        if not guess_for_lies or _mostly_read(text):
            return text
    return _guess(data)


def _mostly_read(text: str) -> bool:
    """Whether most of the non-ASCII characters of a decoding with replacement characters
    came through (stray bytes), not mostly replacement characters (another encoding)."""
    lost = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - lost > lost


def _guess(data: bytes) -> str:
    """charset-normalizer's reading of an undeclared document. On short texts its scores
    barely separate the single-byte Latin encodings (a French line reads as Baltic cp1257 as
    readily as Windows-1252); Windows-1252, the web's default for undeclared text, wins when
    it is about as plausible as the best guess."""
    import charset_normalizer  # here: only undeclared documents need it (a faster start)

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return data.decode("utf-8", errors="replace")
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    if western is not None and western.chaos <= best.chaos + _WESTERN_MARGIN:
        return str(western)
    return str(best)


def _usable(label: str) -> str | None:
    """A Python codec name for an encoding label, or None if Python has no such codec."""
    label = label.strip().lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _plausible(name: str, data: bytes) -> bool:
    """A 16/32-bit encoding without a BOM is a mislabel when the text starts with two
    non-NUL bytes (8-bit text such as `<?xml`), which UTF-16/32 markup never does."""
    wide = name.startswith(("utf-16", "utf-32"))
    return not (wide and len(data) >= 2 and data[0] != 0 and data[1] != 0)
