"""Full-text extraction: `extract_article` and `newsreader extract [--json] [--url URL] FILE...`
on pages written here, and its quality on the shared article-extraction corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsreader.errors import ArticleWalledError, NoArticleError
from newsreader.main import main
from newsreader.parse.extract import extract_article, page_text
from tests.parse.article_score import corpus_pages, score

ARTICLE_KEYS = ["title", "author", "published", "language", "image", "text", "content"]
PARAGRAPHS = [
    "The river rose by two metres overnight, the water board said on Tuesday, and the lower "
    "town was cleared before dawn while the bridge stayed closed to traffic.",
    "Residents were taken to the school hall, where volunteers served tea and soup until the "
    "last families had found a bed for the night with relatives in the hills.",
    "Engineers expect the level to fall by the weekend if the rain stops, though more is "
    "forecast for Thursday and Friday across the whole of the valley and the coast.",
]
PAGE = f"""<!DOCTYPE html>
<html lang="en-gb"><head><meta charset="utf-8"><title>The river rises | Valley News</title>
<meta property="og:title" content="The river rises">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
<meta property="og:image" content="/images/lead.jpg">
<script>track()</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>The river rises</h1>
<p>{PARAGRAPHS[0]}</p>
<p onclick="steal()">{PARAGRAPHS[1]} <a href="../maps/flood" onmouseover="x()">A map</a>.</p>
<script>alert(1)</script>
<p>{PARAGRAPHS[2]}</p></article>
<footer>Copyright Valley News. All rights reserved.</footer></body></html>"""
LOGIN_WALL = """<html><head><title>Sign in</title></head><body><form action="/login">
<p>Please sign in to continue reading.</p><input name="user"><input type="password" name="pw">
</form></body></html>"""
URL = "https://news.example/2024/03/river"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(["extract", *argv])
    return code, capsys.readouterr().out.splitlines()


def test_the_article_of_a_page_with_its_metadata_sanitised_and_absolute(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "river.html"
    page.write_text(PAGE, encoding="utf-8")
    code, lines = run_cli(capsys, "--json", "--url", URL, str(page))
    assert code == 0
    (line,) = lines
    article = json.loads(line)
    assert list(article) == ARTICLE_KEYS
    assert article["title"] == "The river rises"
    assert article["author"] == "Jane Doe"
    assert article["published"] == "2024-03-05"
    assert article["language"] == "en-GB"
    assert article["image"] == "https://news.example/images/lead.jpg"
    blocks = article["text"].split("\n\n")
    assert [b for b in blocks if b in PARAGRAPHS] == PARAGRAPHS[:1] + PARAGRAPHS[2:]
    assert any(b.startswith(PARAGRAPHS[1]) for b in blocks)
    assert "Copyright" not in article["text"] and "Sport" not in article["text"]
    content = article["content"]
    assert '<a href="https://news.example/2024/maps/flood"' in content
    assert '<img src="https://news.example/images/lead.jpg"' in content
    for unsafe in ("<script", "onclick", "onmouseover", "alert", "track()"):
        assert unsafe not in content


def test_absent_fields_are_null_and_text_mode_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"
    page = tmp_path / "bare.html"
    page.write_text(bare + "</body></html>", encoding="utf-8")
    code, lines = run_cli(capsys, "--json", str(page))
    assert code == 0
    article = json.loads(lines[0])
    assert article["author"] is None and article["published"] is None
    assert article["language"] is None and article["image"] is None
    assert article["text"] == "\n\n".join(PARAGRAPHS)
    code, lines = run_cli(capsys, str(page))
    assert code == 0
    assert lines == [f"{page}: '(untitled)', {len(' '.join(PARAGRAPHS).split())} words"]


def test_a_page_without_an_article_is_an_error_line_and_exit_1_after_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wall = tmp_path / "wall.html"
    wall.write_text(LOGIN_WALL, encoding="utf-8")
    page = tmp_path / "river.html"
    page.write_text(PAGE, encoding="utf-8")
    missing = tmp_path / "missing.html"
    code, lines = run_cli(capsys, "--json", str(wall), str(missing), str(page))
    assert code == 1
    assert len(lines) == 3
    assert json.loads(lines[0]) == {
        "error": f"{wall}: no article found on the page (too little text)"
    }
    assert json.loads(lines[1]) == {"error": f"{missing}: No such file or directory"}
    assert json.loads(lines[2])["title"] == "The river rises"
    code, lines = run_cli(capsys, str(wall))
    assert (code, lines) == (1, [f"{wall}: error: no article found on the page (too little text)"])


@pytest.mark.parametrize(
    "url",
    ["notaurl", "news.example/2024/river", "/2024/river", "ftp://news.example/x", "http:///x"],
)
def test_a_url_that_is_not_absolute_http_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    """`--url` is what the page's links are made absolute against: anything else than an
    absolute http(s) URL with a host is refused before any page is read (argparse: exit 2)."""
    page = tmp_path / "river.html"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["extract", "--json", "--url", url, str(page)])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"argument --url: expected an absolute http(s) URL, got {url!r}" in captured.err
    code, lines = run_cli(
        capsys, "--json", "--url", "HTTPS://news.example/2024/03/river", str(page)
    )
    assert code == 0
    assert json.loads(lines[0])["image"] == "https://news.example/images/lead.jpg"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"just some words, no markup at all " * 20, b"<<<>>>" * 50],
)
def test_what_is_not_a_page_raises_no_article(data: bytes) -> None:
    with pytest.raises(NoArticleError):
        extract_article(data, URL)


def test_invalid_html_still_gives_its_article() -> None:
    broken = "<html><body><div><article><p>" + "</p><p><b><i>".join(PARAGRAPHS) + "</span></td>"
    article = extract_article(broken.encode(), URL)
    assert all(p.split(",")[0] in article.text for p in PARAGRAPHS)


def test_an_encoding_the_headers_lie_about() -> None:
    said_utf8 = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "The river", "Café river"
    )
    latin = said_utf8.encode("cp1252")
    headers = {"content-type": "text/html; charset=utf-8"}
    assert "Café river" in page_text(latin, headers)
    assert extract_article(latin, URL, headers).title == "Café river rises"
    utf8 = PAGE.replace("The river", "Café river").encode("utf-8")
    headers = {"content-type": "text/html; charset=iso-8859-1"}
    assert extract_article(utf8, URL, headers).title == "Café river rises"


def test_a_header_that_lies_with_nothing_in_the_markup_to_correct_it() -> None:
    """The server says UTF-8, the page is Windows-1252 and says nothing: the declared
    encoding loses every accented letter, so the page goes to the detector. A UTF-8 page
    with one stray Latin-1 byte keeps its UTF-8 (only that byte is lost)."""
    unsaid = re.sub(r"<meta[^>]*charset[^>]*>", "", PAGE).replace("The river", "Café river")
    assert "charset" not in unsaid
    headers = {"content-type": "text/html; charset=utf-8"}
    assert "Café river" in page_text(unsaid.encode("cp1252"), headers)
    stray = unsaid.replace("</title>", "</title><!-- x\xe9y -->")
    text = page_text(stray.encode("utf-8").replace(b"x\xc3\xa9y", b"x\xe9y"), headers)
    assert "Café river" in text and "x\ufffdy" in text


@pytest.mark.slow
def test_corpus_f1_of_the_cli_text_is_at_least_0_95(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = corpus_pages()
    if not pages:
        pytest.skip("../shared/corpus/article-extraction/ is absent")
    pairs = []
    for page in pages:
        path = tmp_path / f"{page.name}.html"
        path.write_bytes(page.html)
        main(["extract", "--json", "--url", page.url, str(path)])
        result = json.loads(capsys.readouterr().out)
        pairs.append((page.truth, result.get("text") or ""))
    assert score(pairs).f1 >= 0.95


def test_a_subscribers_preview_is_the_article_with_its_wall_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page that says its article is not free and shows a few paragraphs: `extract` gives
    them (the JSON keys stay exactly the documented ones), the summary line says why it is
    short, and the article carries the reason (the sync stores it as paywalled)."""
    locked = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"isAccessibleForFree": false}</script></head><body><article><h1>The river rises</h1>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "<p class='paywall'>Subscribe to continue reading.</p></article></body></html>"
    )
    article = extract_article(locked.encode(), URL)
    assert article.wall is not None and "preview" in article.wall
    assert PARAGRAPHS[2] in article.text
    page = tmp_path / "locked.html"
    page.write_text(locked, encoding="utf-8")
    code, lines = run_cli(capsys, "--json", str(page))
    assert code == 0
    assert list(json.loads(lines[0])) == [
        "title", "author", "published", "language", "image", "text", "content"
    ]  # fmt: skip
    code, lines = run_cli(capsys, str(page))
    assert code == 0 and lines[0].endswith(f"({article.wall})")


def test_a_heading_repeating_the_title_is_not_in_the_body() -> None:
    """The reader and the exports show the title above the body; the article's own <h1>
    with the same words was shown a second time. Another heading stays."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (
        "<html><head><title>The river rises</title></head><body><article>"
        f"<h1>The  River rises</h1>{body}<h2>What happens next</h2><p>{PARAGRAPHS[0]}</p>"
        "</article></body></html>"
    )
    article = extract_article(page.encode(), URL)
    assert article.title is not None and article.title.casefold() == "the river rises"
    assert article.text.startswith(PARAGRAPHS[0])
    assert "River rises" not in (article.content or "")
    assert "What happens next" in article.text


def test_a_post_about_cookies_is_not_taken_for_a_cookie_notice() -> None:
    """WordPress marks a post's topics as classes (`category-cookies`, `tag-gdpr`) on its
    <article>: the post stays, while the site's real notice (a short one) goes."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (
        "<html><head><title>Oat cookies</title></head><body>"
        "<div id='cookie-notice'><p>We use cookies. Accept all cookies or manage them.</p></div>"
        "<article class='post-12 post type-post category-cookies tag-gdpr'>"
        f"<h2>Baking for the flood volunteers</h2>{body}</article></body></html>"
    )
    article = extract_article(page.encode(), URL)
    assert all(p in article.text for p in PARAGRAPHS)
    assert "We use cookies" not in article.text


NOTICE_TEXT = (
    "Before you go on reading, choose how this site may remember your settings on this "
    "device. You can change your choice at any time at the foot of every page. Some parts of "
    "the site, such as the video player and the maps, need these settings to work, and will "
    "stay empty until you have made a choice below."
)


@pytest.mark.parametrize(
    "names",
    [
        "class='Cookie-Banner'",
        "id='GDPR_overlay'",
        "class='wrapper qc-cmp2-container'",
        "id='PRIVACY-WALL'",
        "class='consent'",
        "class='coo\u212aie-bar'",  # the Kelvin sign: a "k" to Python's case-insensitive match
    ],
)
def test_a_page_showing_only_a_consent_notice_has_no_article(names: str) -> None:
    """The notice is found by its id or class in whatever case it is written (its text has
    none of the notice words, so only its name tells), and nothing else is left."""
    page = (
        f"<html><head><title>Valley News</title></head><body><div {names}>"
        f"<p>{NOTICE_TEXT}</p><p>{NOTICE_TEXT}</p></div></body></html>"
    )
    with pytest.raises(ArticleWalledError, match="consent notice"):
        extract_article(page.encode(), URL)


FIGURES_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The river rises</title>
<meta property="og:image" content="/images/lead.jpg"></head>
<body><header><img src="/static/site.png" alt="Valley News"></header>
<nav><a href="/"><img src="/static/home.jpg" alt="Home"></a></nav>
<main><article>
<figure><img src="/images/lead.jpg" alt="The bridge"></figure>
<p>{PARAGRAPHS[0]}</p>
<figure class="inline"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="
 data-src="../photos/hall.jpg" alt="The school hall">
 <figcaption>Volunteers in the school hall. Photo: J. Smith</figcaption></figure>
<p>{PARAGRAPHS[1]}</p>
<div class="share-tools"><img src="/icons/share-big.png" alt="Share"></div>
<img src="/pixel.gif" width="1" height="1" alt="">
<aside><a href="/2024/03/other-story"><img src="/images/other-story.jpg" alt=""></a>
<p>Read also: another story about the valley and its weather this spring.</p></aside>
<p>{PARAGRAPHS[2]}</p>
<img srcset="/photos/levels-400.jpg 400w, /photos/levels-1200.jpg 1200w" alt="Water levels">
<p>Asked about the weekend, the water board said the forecast would decide everything.</p>
</article>
<section class="related"><img src="/images/related.jpg" alt=""></section></main>
<footer><img src="/static/footer-badge.jpg" alt=""></footer></body></html>"""


def test_the_articles_images_go_into_its_html_not_its_text() -> None:
    """The article's inline images are kept for offline reading, each after the paragraph
    it follows in the page (a lazy-loaded one by its real address, a srcset by its widest
    candidate), without their captions entering the text; the site's furniture, a share box,
    a tracking pixel and teasers of other stories are left out, the lead image not doubled."""
    article = extract_article(FIGURES_PAGE.encode(), URL)
    assert article.content is not None
    images = re.findall(r'<img src="([^"]+)"', article.content)
    assert images == [
        "https://news.example/images/lead.jpg",
        "https://news.example/2024/photos/hall.jpg",
        "https://news.example/photos/levels-1200.jpg",
    ]
    hall = article.content.index("photos/hall.jpg")
    assert (
        article.content.index(PARAGRAPHS[0][:40]) < hall < article.content.index(PARAGRAPHS[1][:40])
    )
    assert "<figcaption>Volunteers in the school hall. Photo: J. Smith</figcaption>" in (
        article.content
    )
    assert "Volunteers" not in article.text and "Photo" not in article.text
    assert [b for b in article.text.split("\n\n") if b in PARAGRAPHS] == PARAGRAPHS


CANONICAL_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><title>The river rises</title>
<link rel="canonical" href="{URL}/">
<meta property="og:image" content="img/lead.jpg"></head>
<body><article><h1>The river rises</h1>
<div class="byline">By <span class="author">Ann Lee</span></div>
<p>{PARAGRAPHS[0]} <a href="notes/levels.html">The levels</a>.</p>
<figure><img src="img/a.jpg" alt="The quay" width="800" height="500"></figure>
<p>{PARAGRAPHS[1]} <a href="../maps/flood">A map</a>, <a href="/about">about us</a>.</p>
<p>{PARAGRAPHS[2]}</p></article></body></html>"""


@pytest.mark.parametrize("url", [f"{URL}/", None])
def test_relative_links_resolve_against_the_page_not_its_sites_root(url: str | None) -> None:
    """A page stating its address in a folder (canonical link): its path-relative links and
    images resolve in that folder, as a browser resolves them, whether the page's URL is
    given or only stated by the page (trafilatura alone resolves them against the site's
    root once it knows the address). The byline names the author, the page being done
    with when the bylines are searched."""
    article = extract_article(CANONICAL_PAGE.encode(), url)
    assert article.content is not None
    links = re.findall(r'<a href="([^"]+)"', article.content)
    assert links == [
        f"{URL}/notes/levels.html",
        "https://news.example/2024/03/maps/flood",
        "https://news.example/about",
    ]
    images = re.findall(r'<img src="([^"]+)"', article.content)
    assert images == [f"{URL}/img/lead.jpg", f"{URL}/img/a.jpg"]
    assert article.image == f"{URL}/img/lead.jpg"
    assert article.author == "Ann Lee"
    assert article.title == "The river rises"
