"""Images of the offline cache as exports need them: a data: URI, or bytes with a file suffix.

Exports never fetch: an image is embedded only when the cache holds it. Its type is read from
the file's first bytes, not trusted from a header, and only types every reader shows are kept.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class LocalImage:
    """A cached image file and the URL it was fetched from."""

    url: str
    path: Path


ImageLookup = Callable[[str], LocalImage | None]
"""Maps an image URL to its cached file, or None when the cache does not hold it."""

_SUFFIXES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
}


def no_images(url: str) -> LocalImage | None:
    """An `ImageLookup` for exports without a cache: every image becomes a link."""
    return None


def sniff_type(head: bytes) -> str | None:
    """The media type of an image from its first bytes; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "image/svg+xml"
    return None


@dataclass(frozen=True, slots=True)
class ImageData:
    url: str
    media_type: str
    data: bytes

    @property
    def suffix(self) -> str:
        return _SUFFIXES[self.media_type]

    @property
    def file_name(self) -> str:
        """A stable name from the URL's hash: the same image is stored once."""
        digest = hashlib.sha256(self.url.encode()).hexdigest()[:16]
        return f"img-{digest}.{self.suffix}"

    @property
    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def load_image(lookup: ImageLookup, url: str) -> ImageData | None:
    """The cached image for `url` if present, readable and of a known type."""
    local = lookup(url)
    if local is None:
        return None
    try:
        data = local.path.read_bytes()
    except OSError:
        return None
    media_type = sniff_type(data[:512])
    if media_type is None:
        return None
    return ImageData(url, media_type, data)
