"""Encodings (BOM, XML declaration, HTTP charset, detector), entities and ill-formed XML."""

from __future__ import annotations

import codecs

import pytest

from newsreader.errors import ParseError
from tests.parse.helpers import parse

TITLE = "Þórr’s café — naïve ünïcödé"


def document(declaration: str = "", title: str = TITLE) -> str:
    return (
        f'{declaration}<rss version="2.0"><channel><title>{title}</title>'
        "<item><title>Привет, мир</title><link>https://news.example/1</link></item>"
        "</channel></rss>"
    )


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_marks(bom: bytes, codec: str) -> None:
    feed = parse(bom + document('<?xml version="1.0"?>').encode(codec))
    assert feed.title == TITLE
    assert feed.entries[0].title == "Привет, мир"


def test_bom_beats_a_wrong_declaration() -> None:
    data = codecs.BOM_UTF8 + document('<?xml version="1.0" encoding="iso-8859-1"?>').encode()
    assert parse(data).title == TITLE


def test_xml_declaration_encoding() -> None:
    text = document('<?xml version="1.0" encoding="windows-1251"?>', title="Новости")
    assert parse(text.encode("cp1251")).title == "Новости"


def test_latin1_declaration_reads_windows_1252_quotes() -> None:
    text = document('<?xml version="1.0" encoding="ISO-8859-1"?>', title="“Quoted” café")
    feed = parse(text.replace("Привет, мир", "x").encode("cp1252"))
    assert feed.title == "“Quoted” café"


def test_http_charset_when_the_document_declares_nothing() -> None:
    text = document(title="Ελληνικά").replace("Привет, мир", "Γεια")
    feed = parse(
        text.encode("iso-8859-7"), {"Content-Type": "application/rss+xml; charset=ISO-8859-7"}
    )
    assert feed.title == "Ελληνικά"


def test_http_charset_beats_the_declaration() -> None:
    # RFC 7303: the charset parameter of the HTTP response wins over the XML declaration.
    text = document('<?xml version="1.0" encoding="utf-8"?>', title="Ελληνικά")
    text = text.replace("Привет, мир", "Γεια")
    feed = parse(text.encode("iso-8859-7"), {"content-type": 'text/xml; charset="iso-8859-7"'})
    assert feed.title == "Ελληνικά"


def test_detector_fallback_for_undeclared_legacy_encoding() -> None:
    sentence = "Съешь же ещё этих мягких французских булок, да выпей чаю. " * 6
    text = document(title=sentence.strip()).replace("Привет, мир", sentence.strip())
    feed = parse(text.encode("cp1251"))
    assert feed.title == sentence.strip()
    assert feed.entries[0].title == sentence.strip()


def test_mislabelled_utf8_keeps_the_good_text() -> None:
    data = document('<?xml version="1.0" encoding="utf-8"?>', title="Good café").encode()
    data = data.replace(b"Good", b"Good\xe9")  # a stray Latin-1 byte
    feed = parse(data)
    assert feed.title is not None and feed.title.endswith("café")
    assert feed.entries[0].title == "Привет, мир"


def test_undefined_html_entities_inside_xml() -> None:
    feed = parse(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>A&nbsp;B &eacute; &mdash; '
        "&hellip; &copy; &amp; &#233; &#x263A;</title>"
        "<item><title>&Uuml;ber&shy;all</title><description>&lt;p&gt;&euro;5&lt;/p&gt; &nbsp;"
        "</description></item></channel></rss>"
    )
    assert feed.title == "A B é — … © & é ☺"
    assert feed.entries[0].title == "Über\u00adall"
    assert feed.entries[0].summary is not None and "€5" in feed.entries[0].summary


def test_unknown_entities_and_stray_ampersands_survive_as_text() -> None:
    feed = parse(
        "<rss><channel><title>AT&T &bogus; Q&A</title><item><title>x</title></item></channel></rss>"
    )
    assert feed.title == "AT&T &bogus; Q&A"


def test_ill_formed_xml_is_recovered() -> None:
    feed = parse(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
        "<item><title>One & only</title><link>https://news.example/1?a=1&b=2</link></item>"
        "<item><title>Two\x01\x0b</title><link>https://news.example/2</link></item>"
        "<item><title>Three</title><link>https://news.example/3</link>"  # </item> missing
        "</channel>"  # </rss> missing
    )
    assert feed.title == "Broken"
    assert [e.title for e in feed.entries] == ["One & only", "Two", "Three"]
    assert feed.entries[0].link == "https://news.example/1?a=1&b=2"


def test_leading_junk_before_the_root_is_tolerated() -> None:
    feed = parse('\n\n  <?php-xml nonsense?>\n<rss version="2.0"><channel><title>T</title>'
                 "</channel></rss>")  # fmt: skip
    assert feed.title == "T"


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"just some text", b"<html><body><p>a page</p></body></html>", b"<!-- -->"],
)
def test_non_feeds_raise_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse(data)


def test_non_feed_json_raises_parse_error() -> None:
    with pytest.raises(ParseError, match="JSON"):
        parse(b'{"hello": "world"}')
    with pytest.raises(ParseError):
        parse(b'{"items": ')


def test_encoded_surrogates_and_forbidden_character_references_are_replaced() -> None:
    raw = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>A\xed\xa0\x80B'
        b"</title><item><title>C&#xD800;D&#0;E&#233;</title></item></channel></rss>"
    )
    feed = parse(raw)
    assert feed.title == "A\ufffd\ufffd\ufffdB"
    assert feed.entries[0].title == "C\ufffdD\ufffdEé"


def test_recovered_markup_with_odd_names_and_a_bad_base() -> None:
    feed = parse(
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://[::1/">'
        "<title>t</title><entry><id>1</id><title>e</title>"
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">see <https://x.example>'
        ' and <a href="rel">rel</a></div></content></entry></feed>'
    )
    (entry,) = feed.entries
    assert entry.content is not None and "see" in entry.content and ">rel</a>" in entry.content
