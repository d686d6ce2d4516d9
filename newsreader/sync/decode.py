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


GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class _Zlib:
    """gzip (every member of a multi-member stream, as `cat a.gz b.gz` makes) or deflate."""

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._decoder = zlib.decompressobj(wbits)
        self._started = False
        self._between = False  # a gzip member ended; is another one starting?
        self._ignoring = False  # bytes after the last member that are no member: ignored
        self._trailing = b""

    def decode(self, data: bytes, room: int) -> bytes:
        if self._between:
            self._trailing += data
            data = self._next_member()
        out: list[bytes] = []
        produced = 0
        while data and produced <= room:
            try:
                part = self._decoder.decompress(data, room + 1 - produced)
            except zlib.error as error:
                if self._wbits == zlib.MAX_WBITS and not self._started:
                    # "deflate" is often sent raw, without the zlib header.
                    self._wbits = -zlib.MAX_WBITS
                    self._decoder = zlib.decompressobj(self._wbits)
                    continue
                raise FetchError(f"the response is not valid compressed data ({error})") from None
            self._started = True
            out.append(part)
            produced += len(part)
            data = b""
            if self._wbits == _GZIP_WBITS and self._decoder.eof:
                self._between = True
                self._trailing = self._decoder.unused_data
                data = self._next_member()
        return b"".join(out)

    def _next_member(self) -> bytes:
        """The bytes of the next gzip member once its magic number is seen, else b"" (too
        few bytes yet, or bytes that start no member: ignored, as gzip does)."""
        if self._ignoring or len(self._trailing) < len(GZIP_MAGIC):
            return b""
        if not self._trailing.startswith(GZIP_MAGIC):
            self._ignoring = True
            return b""
        data, self._trailing = self._trailing, b""
        self._between = False
        self._decoder = zlib.decompressobj(self._wbits)
        return data

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
        return _Zlib(_GZIP_WBITS)
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


def decode_unlabelled(body: bytes, limit: int, rounds: int = 2) -> bytes:
    """`body` with gzip undone while it starts with the gzip magic bytes (a server that
    compressed without saying so, or compressed twice), at most `rounds` times, within
    `limit` decoded bytes. A body that only looks like gzip is returned as it is."""
    for _ in range(rounds):
        if not body.startswith(GZIP_MAGIC):
            break
        try:
            body = BoundedDecoder("gzip", limit).feed(body)
        except BodyTooLargeError:
            raise
        except FetchError:
            break
    return body
