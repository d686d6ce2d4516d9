"""`sync.origins` reads a URL's scheme, host and authority exactly as `newsreader.urls`
does, however the URL is written, while reading each origin once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader import urls
from newsreader.sync import origins
from newsreader.sync.fetch import _host_and_server

TRICKY = [
    "http://example.org/a.png",
    "HTTPS://Example.ORG:443/a?b#c",
    "https://user:pw@example.org:8443/x",
    "http://example.org:99999/too-big-a-port",
    "http://example.org:port/not-a-number",
    "http://exa mple.org/space-in-host",
    "http://exa%20mple.org/percent-in-host",
    "http://[::1]:8080/v6",
    "http://[::1/unclosed",
    "http://::1]/unopened",
    "http://example.org\\evil.com/backslash",
    "http://example.org\t/tab-taken-out",
    "http://exam\nple.org/line-break-taken-out",
    " http://example.org/leading-space",
    "\x01http://example.org/leading-control",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "file:///etc/hosts",
    "//example.org/no-scheme",
    "/relative/path.png",
    "relative.png",
    "",
    "http://",
    "http:///three-slashes",
    "http://example.org?query-only",
    "http://example.org#fragment-only",
    "http://ｅｘａｍｐｌｅ.org/full-width",
    "http://example.org\u2100/nfkc",
    "ftp://example.org/file",
    "h ttp://example.org/space-in-scheme",
    "1http://example.org/digit-first",
    "http://user@/empty-host",
]


def expected(url: str) -> tuple[str, str | None, str]:
    parts = urls.split(url)
    netloc = parts.netloc if parts is not None else ""
    return urls.scheme(url), urls.host(url), netloc


@pytest.mark.parametrize("url", TRICKY)
def test_tricky_urls_read_as_urls_reads_them(url: str) -> None:
    assert tuple(origins.origin(url)) == expected(url)
    assert tuple(origins.origin(url)) == expected(url)  # again, from what it remembered


_pieces = st.sampled_from(
    ["http", "https", "HTTP", "ftp", "x+y", ":", "//", "/", "?", "#", "@", "[", "]", "::1",
     "example.org", "EXAMPLE.org", ":80", ":99999", ":x", " ", "\t", "\n", "%", "\\", "a",
     "ｅ", "\u2100", "\x00", "user:pw"]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(_pieces, max_size=8).map("".join))
def test_any_url_reads_as_urls_reads_it(url: str) -> None:
    assert tuple(origins.origin(url)) == expected(url)
    assert tuple(origins.origin(url)) == expected(url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_reads_as_urls_reads_it(text: str) -> None:
    for url in (text, "http://" + text, "https://h/" + text):
        assert tuple(origins.origin(url)) == expected(url)


def test_the_politeness_keys_are_read_as_before() -> None:
    for url in TRICKY:
        parts = urls.split(url)
        host = (parts.hostname if parts else None) or ""
        server = parts.netloc.rpartition("@")[2] if parts else ""
        assert _host_and_server(url) == (host, server)


def test_an_origin_is_read_once() -> None:
    origins._of_prefix.cache_clear()
    for n in range(50):
        origins.scheme(f"http://img.example.org/{n}.png")
    assert origins._of_prefix.cache_info().misses == 1
