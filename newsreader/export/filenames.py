"""File names made from article titles that are safe on Windows, macOS and Linux.

A title is untrusted text: it may hold path separators (`../../x`), a name Windows reserves
(`CON`, `COM1`), characters some file systems refuse, or be longer than a file name may be.
`safe_filename` turns any title into one plain name; `UniqueNames` adds " (2)", " (3)" to
repeats; `inside` proves a final path stays in the chosen folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from newsreader.errors import ExportError

MAX_NAME_BYTES = 120
UNTITLED = "untitled"

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in "0123456789¹²³"}
    | {f"LPT{n}" for n in "0123456789¹²³"}
)


def safe_stem(title: str | None, max_bytes: int) -> str:
    """The title as a file-name stem of at most `max_bytes` UTF-8 bytes, never empty."""
    text = unicodedata.normalize("NFC", title or "")
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in text
    )
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub(" ", text).strip()
    text = _truncate_utf8(text, max_bytes)
    text = text.strip(". ")  # no hidden files, no trailing dots (Windows drops them)
    if not text or set(text) <= {".", "_"}:
        text = UNTITLED
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = "_" + text
        text = _truncate_utf8(text, max_bytes).rstrip(". ")
    return text


def safe_filename(title: str | None, extension: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """`title` made safe as a file name ending in `.extension`, at most `max_bytes` bytes."""
    suffix = f".{extension}" if extension else ""
    return safe_stem(title, max_bytes - len(suffix.encode())) + suffix


class UniqueNames:
    """Hands out names unique within one folder, case-insensitively (as on Windows/macOS)."""

    def __init__(self, max_bytes: int = MAX_NAME_BYTES) -> None:
        self._max_bytes = max_bytes
        self._taken: set[str] = set()

    def take(self, title: str | None, extension: str) -> str:
        suffix = f".{extension}" if extension else ""
        budget = self._max_bytes - len(suffix.encode())
        stem = safe_stem(title, budget)
        candidate = stem + suffix
        number = 1
        while candidate.casefold() in self._taken:
            number += 1
            marker = f" ({number})"
            base = _truncate_utf8(stem, budget - len(marker.encode())).rstrip(". ")
            candidate = f"{base or UNTITLED}{marker}{suffix}"
        self._taken.add(candidate.casefold())
        return candidate


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refusing anything that would land outside `folder`."""
    base = folder.resolve()
    target = (base / name).resolve()
    if target.parent != base and base not in target.parents:
        raise ExportError(f"refusing to write outside {base}: {name!r}")
    return target


def _truncate_utf8(text: str, max_bytes: int) -> str:
    """Cuts `text` to at most `max_bytes` UTF-8 bytes without splitting a character."""
    data = text.encode()
    if len(data) <= max_bytes:
        return text
    return data[: max(max_bytes, 0)].decode(errors="ignore")
