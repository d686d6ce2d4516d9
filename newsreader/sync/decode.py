"""Content-Encoding decoding with a hard cap on the decoded size.

httpx decodes each network chunk in one go, so a 64 KiB gzip chunk may expand to 64 MiB before
anyone can count it. Here every layer is asked for at most `limit + 1` bytes, so memory stays
bounded by the limit and a decompression bomb stops exactly there.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli

from newsreader.errors import BodyTooLargeError, FetchError, UnsupportedEncodingError


class _Layer(Protocol):
    def decode(self, data: bytes, room: int) -> bytes:
        """At most `room + 1` decoded bytes; more means over the limit."""
        ...

    def pending(self) -> bool:
        """Output is still held back, i.e. the last call was cut at `room + 1`."""
        ...


class _Identity:
    def decode(self, data: bytes, room: int) -> bytes:
        return data

    def pending(self) -> bool:
        return False


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._decoder = zlib.decompressobj(wbits)
        self._started = False

    def decode(self, data: bytes, room: int) -> bytes:
        try:
            out = self._decoder.decompress(data, room + 1)
        except zlib.error as error:
            if self._wbits == zlib.MAX_WBITS and not self._started:
                # "deflate" is often sent raw, without the zlib header.
                self._wbits = -zlib.MAX_WBITS
                self._decoder = zlib.decompressobj(self._wbits)
                return self.decode(data, room)
            raise FetchError(f"the response is not valid compressed data ({error})") from None
        self._started = True
        return out

    def pending(self) -> bool:
        return bool(self._decoder.unconsumed_tail)


class _Brotli:
    def __init__(self) -> None:
        self._decoder = brotli.Decompressor()

    def decode(self, data: bytes, room: int) -> bytes:
        try:
            out: bytes = self._decoder.process(data, output_buffer_limit=room + 1)
        except brotli.error as error:
            raise FetchError(f"the response is not valid brotli data ({error})") from None
        return out

    def pending(self) -> bool:
        return not self._decoder.can_accept_more_data()


def _layer(coding: str) -> _Layer:
    if coding in {"", "identity"}:
        return _Identity()
    if coding in {"gzip", "x-gzip"}:
        return _Zlib(16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if coding == "br":
        return _Brotli()
    raise UnsupportedEncodingError(f"the server used an unsupported Content-Encoding {coding!r}")


class BoundedDecoder:
    """Feeds raw chunks through the response's encodings; raises past `limit` decoded bytes."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        # Encodings are listed in the order applied, so they are undone in reverse.
        self._layers = [_layer(c) for c in reversed(codings) if c not in {"", "identity"}]
        self._limit = limit
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def feed(self, chunk: bytes) -> bytes:
        data = chunk
        room = self._limit - self._size
        for layer in self._layers:
            data = layer.decode(data, room)
            if len(data) > room or layer.pending():
                raise BodyTooLargeError(self._limit)
        if len(data) > room:
            raise BodyTooLargeError(self._limit)
        self._size += len(data)
        return data
