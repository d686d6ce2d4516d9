"""Export faults users of other readers reported (issue 9, "Export"): digests of many articles
in one Markdown or text file, attachments listed in every format, dark HTML that meets WCAG AA
contrast, one article without a one-line contents list, PDF bookmarks and URLs without
ligatures. Each file is read back with a parser of its format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
import yaml
from pypdf import PdfReader

from newsreader.export import ExportFormat, ExportScope
from newsreader.export.html import STYLESHEET
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.store import FetchInfo
from tests.export.conftest import Library

FERRY = "Ferry returns to harbour"
LIGHTHOUSE = "Lighthouse keeper retires"
SPRING = "Spring tides this weekend"
EPISODE = "https://harbour.example.org/ferry.mp3"
ALL = ExportScope(folder="Local")  # the ferry (with its episode) and the lighthouse


def test_markdown_digest_of_many_articles_in_one_file(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "digest.md"
    scope = ExportScope(entry_ids=tuple(library.entry_ids[g] for g in ("ferry", "spring")))
    result = library.run(scope, ExportFormat.MARKDOWN, out, with_comments=True)
    assert result.articles == 2 and out in result.files
    text = out.read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["articles"] == 2 and front["title"] == "Selected articles"
    assert "\n# Selected articles\n" in text and "\n2 articles, exported " in text
    assert "1. [Ferry returns to harbour](#article-1) — Harbour News" in text
    assert "2. [Spring tides this weekend](#article-2) — Tide Tables" in text
    assert f'<a id="article-1"></a>\n\n## {FERRY}' in text
    assert f'<a id="article-2"></a>\n\n## {SPRING}' in text
    assert "High water at 06:12" in text and "**Marlin**" in text
    assert "### Comments" in text and "Lovely photo of the pier." in text
    assert text.index(FERRY, text.index("## Contents") + 20) < text.index("High water")
    # A folder still gives one file per article.
    folder = tmp_path / "each"
    library.run(scope, ExportFormat.MARKDOWN, folder)
    assert len(list(folder.glob("*.md"))) == 2


def test_text_digest_of_many_articles_in_one_file(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "digest.txt"
    scope = ExportScope(feed_id=library.harbour_id)
    assert library.run(scope, ExportFormat.TEXT, out).articles == 2
    text = out.read_text()
    lines = text.splitlines()
    assert lines[:2] == ["Harbour News", "============"]
    assert lines[3].startswith("2 articles, exported ")
    contents = text[text.index("Contents\n--------\n") :]
    assert "1. Lighthouse keeper retires (Harbour News)" in contents
    assert "2. Ferry returns to harbour (Harbour News)" in contents
    assert text.count("=" * 72) == 2  # a rule before each article
    assert text.index("After forty years") < text.index("The ferry Marlin")


def test_one_article_says_one_article_and_has_no_contents(library: Library, tmp_path: Path) -> None:
    one = ExportScope(entry_ids=(library.entry_ids["spring"],))
    page = tmp_path / "one.html"
    library.run(one, ExportFormat.HTML, page)
    root = lxml.html.parse(str(page)).getroot()
    # the article's own page: its title once (no digest header naming it again), as the
    # Markdown and text files of one article
    assert root.xpath("//header[@class='export']") == [] and root.xpath("//nav") == []
    assert len(root.xpath("//h1")) == 1
    two = tmp_path / "two.html"
    library.run(ALL, ExportFormat.HTML, two)
    root = lxml.html.parse(str(two)).getroot()
    assert root.xpath("string(//header[@class='export']/p)").startswith("2 articles,")
    assert len(root.xpath("//nav[@class='toc']//li")) == 2
    for fmt, name in ((ExportFormat.MARKDOWN, "one.md"), (ExportFormat.TEXT, "one.txt")):
        text = library.run(one, fmt, tmp_path / name).files[0].read_text()
        assert SPRING in text and "Contents" not in text and "articles" not in text


def test_attachments_are_listed_with_their_links_in_every_format(
    library: Library, tmp_path: Path
) -> None:
    ferry = ExportScope(entry_ids=(library.entry_ids["ferry"],))
    html = library.run(ferry, ExportFormat.HTML, tmp_path / "a.html").files[0]
    root = lxml.html.parse(str(html)).getroot()
    section = root.xpath("//section[@class='attachments']")[0]
    assert section.xpath("string(h2)") == "Attachments"
    assert section.xpath("//li/a/@href") == [EPISODE]
    assert " ".join(" ".join(section.itertext()).split()) == (
        f"Attachments ferry.mp3 (audio/mpeg, 1.2 KB) {EPISODE}"
    )
    library.run(ferry, ExportFormat.MARKDOWN, tmp_path / "a.md")
    markdown = (tmp_path / "a.md").read_text()
    assert f"## Attachments\n\n- [ferry.mp3]({EPISODE}) (audio/mpeg, 1.2 KB)" in markdown
    text = library.run(ferry, ExportFormat.TEXT, tmp_path / "a.txt").files[0].read_text()
    assert f"Attachments\n-----------\n* ferry.mp3 (audio/mpeg, 1.2 KB)\n  {EPISODE}" in text
    book = library.run(ferry, ExportFormat.EPUB, tmp_path / "a.epub").files[0]
    with zipfile.ZipFile(book) as archive:
        chapters = [n for n in archive.namelist() if n.startswith("OEBPS/text/article")]
        chapter = archive.read(chapters[0]).decode()
    assert f'href="{EPISODE}"' in chapter and "ferry.mp3" in chapter
    pdf = library.run(ferry, ExportFormat.PDF, tmp_path / "a.pdf").files[0]
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "ferry.mp3 (audio/mpeg, 1.2 KB)" in pdf_text and EPISODE in pdf_text
    data = json.loads(
        library.run(ferry, ExportFormat.JSON, tmp_path / "a.json").files[0].read_text()
    )
    assert data["entries"][0]["enclosures"] == [
        {"url": EPISODE, "type": "audio/mpeg", "length": 1234}
    ]


# --- contrast, computed as WCAG 2.1 defines it ---------------------------------------------


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rules(css: str) -> dict[str, dict[str, str]]:
    """selector -> {property: value} for the colour properties of a flat stylesheet."""
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            declarations = found.setdefault(" ".join(selector.split()), {})
            pattern = r"(?<![-\w])(color|background)\s*:\s*(#[0-9a-fA-F]{3,6})"
            for name, value in re.findall(pattern, body):
                declarations[name] = value
    return found


def test_contrast_helper_matches_known_values() -> None:
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#767676", "#fff"), 2) == 4.54  # the lightest AA grey on white


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_colour_meets_wcag_aa_on_its_background(scheme: str) -> None:
    light_css, _, rest = STYLESHEET.partition("@media (prefers-color-scheme: dark) {")
    dark_css = rest.partition("\n}")[0]
    light, dark = rules(light_css), rules(dark_css)
    effective = {s: dict(d) for s, d in light.items()}
    if scheme == "dark":
        for selector, declarations in dark.items():
            effective.setdefault(selector, {}).update(declarations)
    page = effective["body"]["background"]
    checked = 0
    for selector, declarations in effective.items():
        if "color" not in declarations:
            continue
        background = declarations.get("background") or (
            effective["pre"]["background"] if selector.startswith(("pre", "code")) else page
        )
        ratio = contrast(declarations["color"], background)
        assert ratio >= 4.5, f"{scheme}: {selector} {declarations['color']} on {background}"
        checked += 1
    assert checked >= 8  # body, links, bylines, quotes, comments, contents, attachments, ...


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_has_a_bookmark_per_article_at_its_first_page(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "all.pdf"
    scope = ExportScope(since=datetime(2000, 1, 1, tzinfo=UTC))
    assert library.run(scope, ExportFormat.PDF, out).articles == 3
    reader = PdfReader(out)
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _ in marks] == [LIGHTHOUSE, FERRY, SPRING]  # oldest first
    for title, page in marks:
        assert title in " ".join(reader.pages[page].extract_text().split())
    assert marks[0][1] == 0 and marks[1][1] > marks[0][1] and marks[2][1] > marks[1][1]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_pdf_urls_and_words_have_no_ligatures(library: Library, tmp_path: Path) -> None:
    link = "https://office.example/fiddle/flow/affix"
    written = library.store.apply_parsed_feed(
        library.tides_id,
        ParsedFeed(
            format="rss20",
            entries=(
                ParsedEntry(
                    id="office",
                    title="Efficient office workflow",
                    link=link,
                    content=f'<p>The office fluff: <a href="{link}">{link}</a></p>',
                ),
            ),
        ),
        FetchInfo(fetched_at=datetime(2026, 3, 1, tzinfo=UTC)),
    )
    out = tmp_path / "office.pdf"
    library.run(ExportScope(entry_ids=written.new_entry_ids), ExportFormat.PDF, out)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert not re.search("[\ufb00-\ufb06]", text)
    assert "Efficient office workflow" in text and "office fluff" in text
    assert text.count(link) == 2  # the header's link and the body's
    if shutil.which("pdftotext"):
        extracted = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert not re.search("[\ufb00-\ufb06]", extracted)
        assert link in extracted


def test_right_to_left_text_keeps_its_direction_in_every_format(
    library: Library, tmp_path: Path
) -> None:
    written = library.store.apply_parsed_feed(
        library.tides_id,
        ParsedFeed(
            format="rss20",
            entries=(
                ParsedEntry(
                    id="rtl",
                    title="Direction",
                    link="https://tides.example.org/rtl",
                    content='<p dir="rtl">שלום עולם</p><p>Code: <bdo dir="ltr">abc</bdo></p>',
                ),
            ),
        ),
        FetchInfo(fetched_at=datetime(2026, 3, 1, tzinfo=UTC)),
    )
    scope = ExportScope(entry_ids=written.new_entry_ids)
    page = library.run(scope, ExportFormat.HTML, tmp_path / "d.html").files[0].read_text()
    assert '<p dir="rtl">שלום עולם</p>' in page and '<bdo dir="ltr">abc</bdo>' in page
    book = library.run(scope, ExportFormat.EPUB, tmp_path / "d.epub").files[0]
    with zipfile.ZipFile(book) as archive:
        chapter = next(archive.read(n).decode() for n in archive.namelist() if "article" in n)
    assert '<p dir="rtl">שלום עולם</p>' in chapter and '<bdo dir="ltr">abc</bdo>' in chapter
    for fmt, name in ((ExportFormat.MARKDOWN, "d.md"), (ExportFormat.TEXT, "d.txt")):
        text = library.run(scope, fmt, tmp_path / name).files[0].read_text()
        assert "\u2067שלום עולם\u2069" in text  # a right-to-left isolate
        assert "\u202dabc\u202c" in text  # a left-to-right override
