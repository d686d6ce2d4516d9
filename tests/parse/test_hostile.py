"""Hostile documents: no network or file access, bombs and XML nesting refused, deep HTML
flattened, size limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from newsreader.errors import HostileDocumentError
from newsreader.parse import parse_feed
from newsreader.parse.nesting import MAX_DEPTH
from tests.loopback import LoopbackServer, Response
from tests.parse.helpers import FEED_URL, parse


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        running.route("/secret", Response(body=b"SECRET-FROM-NETWORK", content_type="text/plain"))
        running.route("/evil.dtd", Response(body=b'<!ENTITY x "SECRET-FROM-DTD">'))
        yield running


def test_external_entity_is_refused_without_a_request(server: LoopbackServer) -> None:
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{server.url("/secret")}">]>'
        "<rss><channel><title>&x;</title></channel></rss>"
    )
    with pytest.raises(HostileDocumentError, match="external entity"):
        parse(document)
    assert server.requests == []


def test_parameter_entity_is_refused_without_a_request(server: LoopbackServer) -> None:
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "{server.url("/evil.dtd")}">'
        "%p;]><rss><channel><title>&x;</title></channel></rss>"
    )
    with pytest.raises(HostileDocumentError):
        parse(document)
    assert server.requests == []


def test_external_dtd_is_never_loaded(server: LoopbackServer) -> None:
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{server.url("/evil.dtd")}">'
        "<rss><channel><title>Plain &x;</title></channel></rss>"
    )
    feed = parse(document)
    assert feed.title is not None and "SECRET" not in feed.title
    assert server.requests == []


def test_xinclude_is_not_processed(server: LoopbackServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FROM-FILE")
    document = (
        '<rss xmlns:xi="http://www.w3.org/2001/XInclude"><channel><title>T</title><item>'
        f'<title>a</title><description><xi:include href="{server.url("/secret")}" parse="text"/>'
        f'<xi:include href="{secret.as_uri()}" parse="text"/></description></item>'
        "</channel></rss>"
    )
    feed = parse(document)
    rendered = repr(feed)
    assert "SECRET" not in rendered
    assert server.requests == []


def test_file_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FROM-FILE")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        "<rss><channel><title>&x;</title></channel></rss>"
    )
    with pytest.raises(HostileDocumentError):
        parse(document)


def test_billion_laughs_is_refused() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(levels)}]>'
        "<rss><channel><title>&lol9;</title></channel></rss>"
    )
    with pytest.raises(HostileDocumentError, match="expanding entity"):
        parse(document)


def test_quadratic_blowup_is_refused() -> None:
    big = "A" * 100_000
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
        f"<rss><channel><title>{'&a;' * 10_000}</title></channel></rss>"
    )
    with pytest.raises(HostileDocumentError):
        parse(document)


def test_simple_internal_entities_are_still_expanded() -> None:
    document = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY brand "Acme&#174;">]>'
        "<rss><channel><title>&brand; news</title></channel></rss>"
    )
    assert parse(document).title == "Acme® news"


def test_absurd_xml_nesting_is_refused() -> None:
    depth = 100_000
    document = (
        "<rss><channel><title>x</title>" + "<a>" * depth + "</a>" * depth + "</channel></rss>"
    )
    with pytest.raises(HostileDocumentError, match="deep"):
        parse(document)


def test_absurd_nesting_in_ill_formed_xml_is_refused() -> None:
    document = "<rss><channel><title>&nbsp;</title>" + "<a>" * 100_000
    with pytest.raises(HostileDocumentError, match="deep"):
        parse(document)


def test_a_text_over_the_parsers_size_limit_is_cut_not_refused() -> None:
    # libxml2 reports this with the same code as too deep a nesting (a resource limit):
    # the depth of the tree, not the message, tells them apart.
    text = "word " * 2_100_000  # 10.5 MB: over libxml2's 10 MB for one text node
    document = (
        "<rss><channel><title>Big</title><item><title>one</title><description>"
        f"{text}</description></item><item><title>two</title></item></channel></rss>"
    )
    feed = parse(document)
    assert feed.title == "Big"
    assert [e.title for e in feed.entries][:1] == ["one"]
    summary = feed.entries[0].summary or ""
    assert summary.startswith("word word") and len(summary) < len(text)


def test_absurd_html_nesting_inside_content_is_flattened_not_lost() -> None:
    html = "<div>" * 100_000 + "deep text"
    document = (
        "<rss><channel><title>t</title><item><title>i</title><description>"
        f"{html.replace('<', '&lt;')}</description></item></channel></rss>"
    )
    summary = parse(document).entries[0].summary or ""
    assert summary.count("<div>") == MAX_DEPTH
    # lxml.html (every export) reads all of it: libxml2 drops what is deeper than 255 levels
    tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    assert "deep text" in tree.text_content()


def test_absurd_json_nesting_is_refused() -> None:
    with pytest.raises(HostileDocumentError):
        parse(b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000)
    with pytest.raises(HostileDocumentError):
        parse(b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def test_size_limit_default_and_parameter() -> None:
    small = b'<rss version="2.0"><channel><title>ok</title></channel></rss>'
    assert parse_feed(small, FEED_URL, max_bytes=len(small)).title == "ok"
    with pytest.raises(HostileDocumentError, match="limit"):
        parse_feed(small, FEED_URL, max_bytes=len(small) - 1)
    padding = b" " * (20 * 1024 * 1024)
    with pytest.raises(HostileDocumentError, match="limit"):
        parse_feed(small + padding, FEED_URL)
