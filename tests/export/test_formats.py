"""Every format carries title, source, link, body and (when asked) comments: checked by
reading the written files back with a parser of that format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
import yaml
from lxml import etree
from pypdf import PdfReader

from newsreader.export import ExportFormat, ExportScope
from newsreader.store import EntryQuery
from tests.export.conftest import CACHED_IMAGE, UNCACHED_IMAGE, Library

FERRY = "Ferry returns to harbour"


def ferry(library: Library) -> ExportScope:
    return ExportScope(entry_ids=(library.entry_ids["ferry"],))


def test_html_article_is_self_contained(library: Library, tmp_path: Path) -> None:
    result = library.run(ferry(library), ExportFormat.HTML, tmp_path / "out", with_comments=True)

    [path] = result.files
    assert path == tmp_path / "out" / f"{FERRY}.html"
    page = lxml.html.parse(str(path)).getroot()
    assert page.findtext(".//h1") == FERRY
    assert page.find_class("source")[0].text_content() == "Harbour News"
    assert "Ada Quay" in page.find_class("author")[0].text_content()
    assert page.find_class("link")[0].find("a").get("href") == "https://harbour.example.org/ferry"
    body = page.find_class("body")[0].text_content()
    assert "returned to the harbour at dawn" in body
    # the cached image is embedded; the uncached one became its alt text linking to it
    sources = [img.get("src") for img in page.iter("img")]
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    missing = page.find_class("missing-image")[0]
    assert missing.get("href") == UNCACHED_IMAGE and "Crowd on the pier" in missing.text
    # relative links made absolute, comments threaded with authors
    assert "https://harbour.example.org/timetable" in [a.get("href") for a in page.iter("a")]
    [thread] = page.find_class("comments")
    authors = [a.text_content() for a in thread.find_class("comment-author")]
    assert authors == ["Me", "Sam"]
    reply = thread.xpath(".//li[@class='comment']//li[@class='comment']")[0]
    assert "the light is great" in reply.text_content()


def test_html_never_loads_anything(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "all.html"
    library.run(ExportScope(since=_early()), ExportFormat.HTML, out, with_comments=True)

    page = lxml.html.parse(str(out)).getroot()
    assert not page.xpath("//script | //iframe | //object | //embed | //link")
    for element in page.iter():
        for name in ("src", "srcset", "poster", "data"):
            value = element.get(name)
            assert value is None or value.startswith("data:"), (element.tag, name, value)
    csp = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp


def test_html_set_has_contents_linking_each_article(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "set.html"
    result = library.run(ExportScope(since=_early()), ExportFormat.HTML, out)

    assert result.articles == 3
    page = lxml.html.parse(str(out)).getroot()
    toc = page.xpath("//nav[@class='toc']//a")
    assert [a.text for a in toc] == [
        "Lighthouse keeper retires",
        FERRY,
        "Spring tides this weekend",
    ]
    for link in toc:
        target = page.get_element_by_id(link.get("href")[1:])
        assert target.findtext(".//h1") == link.text
    assert not page.find_class("comments")  # not asked for


def test_markdown_front_matter_and_assets(library: Library, tmp_path: Path) -> None:
    result = library.run(ferry(library), ExportFormat.MARKDOWN, tmp_path / "md", with_comments=True)

    note = tmp_path / "md" / f"{FERRY}.md"
    assert note in result.files
    text = note.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta["title"] == FERRY
    assert meta["source"] == "Harbour News"
    assert meta["url"] == "https://harbour.example.org/ferry"
    assert meta["author"] == "Ada Quay"
    assert meta["date"] == "2026-02-27T12:00:00Z"
    assert meta["categories"] == ["boats"]
    assert "The ferry **Marlin** returned" in body
    [image] = re.findall(r"!\[The harbour at dawn\]\((assets/[^)]+)\)", body)
    assert (tmp_path / "md" / image).read_bytes().startswith(b"\x89PNG")
    assert f"[\\[Crowd on the pier\\]]({UNCACHED_IMAGE})" in body
    assert "[timetable](https://harbour.example.org/timetable)" in body
    assert "## Comments" in body
    assert "- **Me** · " in body and "  - **Sam** · " in body  # the reply is nested


def test_markdown_remote_images_option(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "ferry.md"
    library.run(ferry(library), ExportFormat.MARKDOWN, out, remote_images=True)

    body = out.read_text(encoding="utf-8")
    assert f"![The harbour at dawn]({CACHED_IMAGE})" in body
    assert not (tmp_path / "assets").exists()


def test_plain_text_wrapped_with_numbered_links(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "ferry.txt"
    library.run(ferry(library), ExportFormat.TEXT, out, with_comments=True)

    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"{FERRY}\n{'=' * len(FERRY)}\n")
    assert "Source: Harbour News" in text and "Author: Ada Quay" in text
    assert "Link:   https://harbour.example.org/ferry" in text
    assert "The ferry Marlin returned to the harbour at dawn." in text
    assert all(len(line) <= 72 for line in text.splitlines())
    links = dict(re.findall(r"^\[(\d+)\] (\S+)$", text, re.MULTILINE))
    number = next(n for n, url in links.items() if url.endswith("/timetable"))
    assert f"timetable [{number}]" in text
    assert "Lovely photo of the pier." in text and "Sam" in text


def test_json_full_record(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "ferry.json"
    library.run(ferry(library), ExportFormat.JSON, out, with_comments=True)

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "newsreader-export" and document["count"] == 1
    [record] = document["entries"]
    assert record["title"] == FERRY and record["feed_title"] == "Harbour News"
    assert record["link"] == "https://harbour.example.org/ferry"
    assert record["starred"] is True
    assert record["enclosures"] == [
        {"url": "https://harbour.example.org/ferry.mp3", "type": "audio/mpeg", "length": 1234}
    ]
    assert "Marlin" in record["content"]
    [comment] = record["comments"]
    assert comment["author"] == "Me" and comment["body"] == "Lovely photo of the pier."
    assert comment["replies"][0]["author"] == "Sam"


def test_json_without_comments_leaves_them_out(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "ferry.json"
    library.run(ferry(library), ExportFormat.JSON, out)

    [record] = json.loads(out.read_text(encoding="utf-8"))["entries"]
    assert "comments" not in record


def test_epub_book_reads_back_and_passes_epubcheck(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "harbour.epub"
    library.store.tag_entries(list(library.entry_ids.values()), "boats & ferries")
    library.store.tag_entries([library.entry_ids["ferry"]], "Later")
    result = library.run(
        ExportScope(feed_id=library.harbour_id), ExportFormat.EPUB, out, with_comments=True
    )

    assert result.articles == 2
    with zipfile.ZipFile(out) as book:
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        opf = etree.fromstring(book.read("OEBPS/package.opf"))
        ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
        assert opf.findtext(".//dc:title", namespaces=ns) == "Harbour News"
        subjects = opf.xpath("//dc:subject/text()", namespaces=ns)
        assert subjects == ["boats & ferries", "Later"]  # the tags, each once
        media = opf.xpath("//opf:item/@media-type", namespaces=ns)
        assert "image/png" in media  # the cached image is inside the book
        nav = etree.fromstring(book.read("OEBPS/nav.xhtml"))
        titles = nav.xpath("//*[local-name()='a']/text()")
        assert titles == ["Sources", "Lighthouse keeper retires", FERRY]
        cover = etree.fromstring(book.read("OEBPS/cover.xhtml"))
        assert "Harbour News (2)" in cover.xpath("string(//*[local-name()='ul'])")
        chapter = etree.fromstring(book.read("OEBPS/text/article-0002.xhtml"))
        text = chapter.xpath("string(//*[local-name()='body'])")
        assert FERRY in text and "Harbour News" in text and "Marlin" in text
        assert "Lovely photo of the pier." in text and "the light is great" in text
        links = chapter.xpath("//*[local-name()='a']/@href")
        assert "https://harbour.example.org/ferry" in links
        [src] = chapter.xpath("//*[local-name()='img']/@src")
        assert src.startswith("../images/") and book.read(f"OEBPS/{src[3:]}").startswith(b"\x89PNG")
    _epubcheck(out)


def test_epub_cover_counts_one_article_in_the_singular(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "one.epub"
    library.run(ExportScope(entry_ids=(library.entry_ids["ferry"],)), ExportFormat.EPUB, out)
    with zipfile.ZipFile(out) as book:
        cover = etree.fromstring(book.read("OEBPS/cover.xhtml"))
        assert "1 article, exported " in cover.xpath("string(//*[local-name()='body'])")


def test_pdf_text_holds_every_article(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "local.pdf"
    result = library.run(ExportScope(folder="Local"), ExportFormat.PDF, out, with_comments=True)

    assert result.articles == 2
    reader = PdfReader(out)
    assert reader.metadata is not None and reader.metadata.title == "Local"
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) >= 2
    assert "Lighthouse keeper retires" in pages[0]
    # the second article starts on a new page
    ferry_page = next(i for i, text in enumerate(pages) if FERRY in text)
    assert ferry_page >= 1 and "Lighthouse" not in pages[ferry_page]
    everything = "\n".join(pages)
    for expected in ("Harbour News", "https://harbour.example.org/ferry", "Marlin", "Sam"):
        assert expected in everything
    assert all(f"Page {n}" in text for n, text in enumerate(pages, start=1))
    # the cached image is drawn into the PDF
    assert any(page.images for page in reader.pages)


def test_pdf_letter_page_size(library: Library, tmp_path: Path) -> None:
    from newsreader.settings import PageSize

    out = tmp_path / "ferry.pdf"
    library.run(ferry(library), ExportFormat.PDF, out, page_size=PageSize.LETTER)

    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def _epubcheck(book: Path) -> None:
    jar = Path("/usr/bin/epubcheck")
    if not jar.exists():
        pytest.skip("epubcheck is not installed")
    command = ["java", "-jar", str(jar)] if shutil.which("java") else [str(jar)]
    run = subprocess.run([*command, str(book)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def _early():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2000, 1, 1, tzinfo=UTC)


def test_the_entrys_lead_picture_is_in_every_format(library: Library, tmp_path: Path) -> None:
    """The picture the feed names for an entry (`entry.image`, cached by the sync) leads an
    image-less text in HTML, and so in Markdown (saved to assets/) and plain text (a link):
    a story's story.md had no image while its story.html had four."""
    from datetime import timedelta

    from newsreader.model import ParsedEntry, ParsedFeed
    from newsreader.store import FetchInfo
    from tests.export.conftest import NOW, cache_image, png

    lead = "https://images.example.org/pier-lead.png"
    library.store.apply_parsed_feed(
        library.tides_id,
        ParsedFeed(
            format="rss20",
            title="Tide Tables",
            entries=(
                ParsedEntry(
                    id="neap",
                    title="Neap tides",
                    link="https://tides.example.org/neap",
                    published=NOW - timedelta(hours=3),
                    content="<p>Low range this week.</p>",
                    image=lead,
                ),
            ),
        ),
        FetchInfo(fetched_at=NOW, next_due=NOW + timedelta(minutes=30)),
    )
    cache_image(library.store, library.paths, lead, png(8, 6, (200, 10, 10)))
    [neap] = [
        e.id
        for e in library.store.entries_by_ids(library.store.entry_ids(EntryQuery()))
        if e.guid == "neap"
    ]
    scope = ExportScope(entry_ids=(neap,))

    html_out = tmp_path / "neap.html"
    library.run(scope, ExportFormat.HTML, html_out)
    assert len(lxml.html.parse(str(html_out)).getroot().xpath("//img")) == 1

    md_out = tmp_path / "md"
    library.run(scope, ExportFormat.MARKDOWN, md_out)
    body = (md_out / "Neap tides.md").read_text(encoding="utf-8")
    [image] = re.findall(r"!\[\]\((assets/[^)]+)\)", body)
    assert (md_out / image).read_bytes() == png(8, 6, (200, 10, 10))
    assert body.index(image) < body.index("Low range this week.")

    remote = tmp_path / "remote.md"
    library.run(scope, ExportFormat.MARKDOWN, remote, remote_images=True)
    assert f"![]({lead})" in remote.read_text(encoding="utf-8")

    text_out = tmp_path / "neap.txt"
    library.run(scope, ExportFormat.TEXT, text_out)
    text = text_out.read_text(encoding="utf-8")
    links = dict(re.findall(r"^\[(\d+)\] (\S+)$", text, re.MULTILINE))
    number = next(n for n, url in links.items() if url == lead)
    assert f"[image] [{number}]" in text
