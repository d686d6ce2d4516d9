"""Fetching full articles from a real loopback server: good pages and every kind of bad one
end in bounded time with a clear status, the feed's own text kept; the CLI commands."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import Executor, Future
from datetime import timedelta
from html import escape
from typing import Any

import pytest

from newsreader.main import main
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FetchInfo, NewFollowUp, Store
from newsreader.sync import engine, parsers
from newsreader.sync.articles import ArticleResult, fetch_articles
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.fetch import FetchLimits
from tests.loopback import LoopbackServer, Response
from tests.store.builders import NOW
from tests.sync.documents import PNG
from tests.sync.servers import refused_url

PARAGRAPHS = [
    "The harbour wall gave way on Sunday night after three days of storms, flooding the "
    "fish market and the old customs house, the harbour master said on Monday morning.",
    "Repairs will take most of the summer. Boats have been moved to the marina across the "
    "bay, where the council has opened forty moorings for the fishing fleet at no charge.",
    "Traders in the market said they had feared the worst for years, and a survey of the "
    "wall in the spring had found cracks along most of its length below the waterline.",
]
ARTICLE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour wall</title>"
    "<meta property='og:image' content='photos/wall.jpg'></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Harbour wall collapses</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>All rights reserved</footer></body></html>"
)
FRONT_PAGE = (
    "<html><body><ul>"
    + "".join(f"<li><a href='/story/{n}'>Story {n}</a></li>" for n in range(40))
    + "</ul></body></html>"
)
LOGIN_WALL = (
    '<html><head><script type=\'application/ld+json\'>{"@type": "NewsArticle", '
    '"isAccessibleForFree": false}</script></head><body><h1>Harbour wall collapses</h1>'
    "<p>Subscribe to read this article.</p><form><input name='email'></form></body></html>"
)
TEASER = "<p>The harbour wall gave way on Sunday night… Read more</p>"
MORE = [
    "Engineers from the county council spent Tuesday on the breakwater with divers, mapping "
    "the gap in the wall and the rubble that now lies across the mouth of the inner harbour.",
    "The lifeboat crew moved their boat to a mooring outside the harbour for the time being, "
    "so that a launch at low tide would not be blocked by the stones that fell into the channel.",
    "A meeting for traders and fishermen is planned at the town hall on Thursday evening, "
    "where the council will set out the timetable for the repairs and how they will be paid for.",
]
CONSENT = (
    "To use this site with advertising, JavaScript must be activated in your browser. We and "
    "our partners store and access information on your device, such as cookies, and process "
    "personal data such as unique identifiers for personalised advertising and content. You "
    "can accept, or subscribe to our ad-free offer. Details are in our privacy policy."
)
NOT_FREE = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "isAccessibleForFree": '
    'false, "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": false, '
    '"cssSelector": ".locked"}}</script>'
)


def page(head: str, body: str) -> Response:
    return Response(
        body=f"<html lang='en'><head><title>Harbour wall</title>{head}</head><body>{body}"
        "</body></html>".encode(),
        content_type=HTML,
    )


LIMITS = FetchLimits(connect_timeout=2.0, read_timeout=1.0, total_timeout=3.0, max_bytes=200_000)
HTML = "text/html; charset=utf-8"


def entries_for(paths: DataPaths, links: list[str]) -> list[int]:
    """A feed in a new store whose entries (teasers) link to `links`; their ids."""
    with Store.open(paths) as store:
        feed = store.add_feed("https://feeds.example/news.xml")
        parsed = ParsedFeed(
            format="rss20",
            title="News",
            entries=tuple(
                ParsedEntry(id=f"g{n}", title=f"Story {n}", link=link, summary=TEASER)
                for n, link in enumerate(links)
            ),
        )
        written = store.apply_parsed_feed(feed.id, parsed, FetchInfo(fetched_at=NOW))
        return list(written.new_entry_ids)


def fetch_now(paths: DataPaths, entry_ids: list[int]) -> list[ArticleResult]:
    options = SyncOptions(parse_processes=False, clock=lambda: NOW)
    return asyncio.run(fetch_articles(paths, entry_ids, options, limits=LIMITS))


def outcome(
    paths: DataPaths, server: LoopbackServer, path: str, response: Response
) -> tuple[str, str | None]:
    server.route(path, response)
    (entry_id,) = entries_for(paths, [server.url(path)])
    (result,) = fetch_now(paths, [entry_id])
    assert result.full_text is not None
    with Store.open(paths) as store:
        assert store.get_entry(entry_id).summary == TEASER  # the feed's text is kept
        assert store.full_text(entry_id) == result.full_text
    return result.full_text.status, result.full_text.reason


def test_an_article_page_is_stored_searchable_with_absolute_images(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/news/wall", Response(body=ARTICLE.encode(), content_type=HTML))
    (entry_id,) = entries_for(data_paths, [server.url("/news/wall")])
    (result,) = fetch_now(data_paths, [entry_id])
    stored = result.full_text
    assert stored is not None and stored.status == "ok" and stored.reason is None
    assert stored.text is not None and all(p in stored.text.split("\n\n") for p in PARAGRAPHS)
    assert stored.content is not None
    assert f'src="{server.url("/news/photos/wall.jpg")}"' in stored.content
    assert "All rights reserved" not in stored.content
    with Store.open(data_paths) as store:
        assert [e.id for e in store.list_entries(EntryQuery(search="moorings"))] == [entry_id]
        assert store.entry_image_urls([entry_id]) == {
            entry_id: [server.url("/news/photos/wall.jpg")]
        }
    assert [r.headers["accept"].split(",")[0] for r in server.requests_for("/news/wall")] == [
        "text/html"
    ]


@pytest.mark.parametrize(
    ("response", "status", "reason"),
    [
        (Response(body=FRONT_PAGE.encode(), content_type=HTML), "no-article", "no article"),
        (Response(body=LOGIN_WALL.encode(), content_type=HTML), "paywalled", "subscribers"),
        (Response(status=403, body=b"no", content_type=HTML), "paywalled", "HTTP 403"),
        (Response(status=503, body=b"busy", content_type=HTML), "failed", "503"),
        (Response(body=b"%PDF-1.4", content_type="application/pdf"), "no-article", "pdf"),
        (Response(body=b"<p>" + b"x" * 300_000, content_type=HTML), "failed", "too large"),
        (
            Response(
                body=b"<html><body><p>", headers={"Content-Length": "90000"}, content_type=HTML
            ),
            "failed",
            "",
        ),
        # Kinds peers' users met (docs/fulltext.md, "What went wrong elsewhere"):
        (  # a consent dialog in place of the article (NetNewsWire #2108, Readability #514)
            page(
                "",
                f"<div class='consent-dialog' id='cmp'><p>{CONSENT}</p><button>Accept"
                "</button></div><main></main>",
            ),
            "paywalled",
            "consent",
        ),
        (  # the same notice in plain markup, nothing else on the page
            page("", f"<div class='box'><h2>Welcome</h2><p>{CONSENT}</p></div>"),
            "paywalled",
            "consent",
        ),
        (  # a subscribers' preview: two paragraphs and a prompt (wallabag #6949, faz.net)
            page(
                NOT_FREE,
                f"<article><h1>Harbour wall</h1><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
                "<div class='paywall'><p>Subscribe to continue reading. Already a "
                "subscriber? Log in.</p></div></article>",
            ),
            "paywalled",
            "preview",
        ),
        (  # the article is drawn by a script (Winds #589, Miniflux #256)
            page(
                "<script src='/app.js'></script>",
                "<noscript>You need to enable JavaScript to run this app.</noscript>"
                "<div id='root'></div><script id='__NEXT_DATA__' type='application/json'>"
                f'{{"article": "{PARAGRAPHS[0]}"}}</script>',
            ),
            "no-article",
            "JavaScript",
        ),
    ],
    ids=[
        "front-page",
        "login-wall",
        "forbidden",
        "server-error",
        "pdf",
        "huge",
        "never-ends",
        "consent-dialog",
        "consent-text",
        "subscribers-preview",
        "needs-javascript",
    ],
)
def test_bad_pages_end_with_a_clear_status_and_the_feed_text_kept(
    data_paths: DataPaths,
    server: LoopbackServer,
    response: Response,
    status: str,
    reason: str,
) -> None:
    got_status, got_reason = outcome(data_paths, server, "/page", response)
    assert got_status == status
    assert got_reason is not None and reason.lower() in got_reason.lower()


def test_a_cookie_banner_beside_a_short_article_is_left_out(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """Readability took the cookie notice for the article when the article was short
    (Readability #514, readability.rs #3)."""
    banner = f"<div class='cookie-banner'><p>{CONSENT}</p><p>{CONSENT}</p></div>"
    article = f"<article><h1>Harbour wall</h1><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
    server.route("/short", page("", banner + article + "</article>"))
    (entry_id,) = entries_for(data_paths, [server.url("/short")])
    (result,) = fetch_now(data_paths, [entry_id])
    stored = result.full_text
    assert stored is not None and stored.status == "ok" and stored.text is not None
    assert PARAGRAPHS[1] in stored.text and "cookies" not in stored.text


def test_a_whole_article_marked_for_subscribers_is_kept(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """Sites that mark every article as not free but put it whole in the page (NetNewsWire
    #2108: free articles classified as premium) keep it."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "".join(f"<p>{p}</p>" for p in MORE)
    server.route("/locked", page(NOT_FREE, f"<article><h1>Harbour wall</h1>{body}</article>"))
    (entry_id,) = entries_for(data_paths, [server.url("/locked")])
    (result,) = fetch_now(data_paths, [entry_id])
    assert result.full_text is not None and result.full_text.status == "ok"
    assert result.full_text.text is not None and MORE[2] in result.full_text.text


def test_lazy_loaded_image_placeholders_never_reach_the_article(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """Pages that load images late carry a data: placeholder in src and the image in data-src
    (FreshRSS #877 and #8317, Miniflux #473): the stored article has no placeholder; its
    image is the page's lead image, made absolute."""
    placeholder = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
    figure = (
        f"<figure><img src='{placeholder}' data-src='/img/wall.jpg' data-srcset='/img/w.jpg "
        "800w'><noscript><img src='/img/wall.jpg'></noscript></figure>"
    )
    body = figure + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    lead = "<meta property='og:image' content='../img/wall.jpg'>"
    server.route("/news/lazy", page(lead, f"<article><h1>Harbour wall</h1>{body}</article>"))
    (entry_id,) = entries_for(data_paths, [server.url("/news/lazy")])
    (result,) = fetch_now(data_paths, [entry_id])
    stored = result.full_text
    assert stored is not None and stored.status == "ok" and stored.content is not None
    assert "data:" not in stored.content
    assert f'src="{server.url("/img/wall.jpg")}"' in stored.content


def test_a_page_in_gb2312_served_as_utf_8(data_paths: DataPaths, server: LoopbackServer) -> None:
    """The header says UTF-8, the page (and its <meta>) GB2312 (Norconex crawler #194)."""
    chinese = "港口的防波堤在周日晚上倒塌，鱼市和旧海关大楼被淹，港务长周一上午说。" * 8
    body = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        f"<title>防波堤</title></head><body><article><h1>防波堤倒塌</h1><p>{chinese}</p>"
        f"<p>{chinese}</p></article></body></html>"
    ).encode("gb2312")
    response = Response(body=body, content_type="text/html; charset=utf-8")
    status, _ = outcome(data_paths, server, "/gb", response)
    assert status == "ok"
    with Store.open(data_paths) as store:
        (stored,) = [store.full_text(e.id) for e in store.list_entries(EntryQuery())]
    assert stored is not None and stored.text is not None and "鱼市和旧海关大楼" in stored.text


def test_invalid_html_still_gives_the_article(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    broken = "<html><body><div><table><tr><td><p>" + "<p><b><i>".join(PARAGRAPHS) + "</span>"
    status, _ = outcome(
        data_paths, server, "/broken", Response(body=broken.encode(), content_type=HTML)
    )
    assert status == "ok"


def test_a_page_whose_headers_lie_about_its_encoding(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    page = ARTICLE.replace("charset='utf-8'", "charset='windows-1252'").replace(
        "The harbour", "The café harbour"
    )
    response = Response(body=page.encode("cp1252"), content_type=HTML)
    status, _ = outcome(data_paths, server, "/latin", response)
    assert status == "ok"
    with Store.open(data_paths) as store:
        assert [e.id for e in store.list_entries(EntryQuery(search="café"))] != []


def test_a_redirect_to_a_sign_in_page_on_another_host_is_a_wall(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    with LoopbackServer(host="127.0.0.2") as other:
        other.route("/login", Response(body=ARTICLE.encode(), content_type=HTML))
        response = Response(status=302, headers={"Location": other.url("/login?next=/x")})
        status, reason = outcome(data_paths, server, "/moved", response)
    assert status == "paywalled"
    assert reason is not None and "127.0.0.2" in reason


def test_no_server_is_a_failure_stored(data_paths: DataPaths) -> None:
    (entry_id,) = entries_for(data_paths, [refused_url("/story")])
    (result,) = fetch_now(data_paths, [entry_id])
    assert result.full_text is not None and result.full_text.status == "failed"


def test_cli_fetch_article_and_show_json(
    data_paths: DataPaths, server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/news/wall", Response(body=ARTICLE.encode(), content_type=HTML))
    server.route("/front", Response(body=FRONT_PAGE.encode(), content_type=HTML))
    ok, front = entries_for(data_paths, [server.url("/news/wall"), server.url("/front")])
    data = ["--data-dir", str(data_paths.root)]
    assert main(["show", "--json", str(ok), *data]) == 0
    assert json.loads(capsys.readouterr().out)["full_text"] is None
    assert main(["fetch-article", "--json", str(ok), str(front), "999", *data]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["entry"] == ok and lines[0]["full_text"]["status"] == "ok"
    assert lines[1]["full_text"]["status"] == "no-article"
    assert lines[2] == {"error": "999: no entry with id 999"}
    assert main(["show", "--json", str(ok), *data]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert list(shown["full_text"]) == ["status", "reason", "text", "content", "fetched"]
    assert shown["full_text"]["fetched"].endswith("Z")
    assert shown["summary"] == TEASER
    assert main(["show", str(ok), *data]) == 0
    assert PARAGRAPHS[1][:40] in capsys.readouterr().out.replace("\n", " ")


def test_cli_feed_set_full_text(data_paths: DataPaths, capsys: pytest.CaptureFixture[str]) -> None:
    entries_for(data_paths, [])
    data = ["--data-dir", str(data_paths.root)]
    assert main(["feed", "set", "1", "--full-text", "always", *data]) == 0
    assert "full articles: always" in capsys.readouterr().out
    with Store.open(data_paths) as store:
        assert store.get_feed(1).full_text == "always"
    with pytest.raises(SystemExit):
        main(["feed", "set", "1", "--full-text", "sometimes", *data])
    with pytest.raises(SystemExit):
        main(["feed", "set", "1", *data])  # nothing to set
    assert main(["feed", "set", "7", "--full-text", "never", *data]) == 1


def feed_of(items: list[tuple[str, str, str]]) -> bytes:
    """RSS with (guid, link, description HTML) items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{guid}</title><link>{escape(link)}</link>"
        f"<description>{escape(html)}</description></item>"
        for guid, link, html in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>News</title>"
        f"<link>https://news.example/</link>{body}</channel></rss>"
    ).encode()


def test_a_sync_fetches_teasers_pages_once_as_follow_up_work(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    whole = "<p>" + " ".join(f"word{n}" for n in range(300)) + "</p>"
    server.route("/a", Response(body=ARTICLE.encode(), content_type=HTML))
    server.route("/b", Response(body=FRONT_PAGE.encode(), content_type=HTML))
    server.route("/c", Response(body=ARTICLE.encode(), content_type=HTML))
    items = [("a", server.url("/a"), TEASER), ("b", server.url("/b"), TEASER)]
    items.append(("c", server.url("/c"), whole))
    server.route("/feed.xml", Response(body=feed_of(items), content_type="application/rss+xml"))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/feed.xml"))
    options = SyncOptions(parse_processes=False, all_feeds=True, follow_up_unbounded=True)
    asyncio.run(sync(data_paths, options))
    with Store.open(data_paths) as store:
        ids = {e.guid: e.id for e in store.list_entries(EntryQuery())}
        texts = {guid: store.full_text(entry_id) for guid, entry_id in ids.items()}
        assert store.get_entry(ids["a"]).summary == TEASER
    assert texts["a"] is not None and texts["a"].status == "ok"
    assert texts["b"] is not None and texts["b"].status == "no-article"
    assert texts["c"] is None  # whole text in the feed: its page is left alone
    server.route(
        "/feed.xml",
        Response(
            body=feed_of([*items, ("d", server.url("/d"), TEASER)]),
            content_type="application/rss+xml",
        ),
    )
    asyncio.run(sync(data_paths, options))
    assert [len(server.requests_for(p)) for p in ("/a", "/b", "/c", "/d")] == [1, 1, 0, 1]


def test_a_page_stored_by_a_sync_cut_short_is_not_fetched_again(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """A sync whose budget ended while an article's images were cached left its job queued
    (the benchmark saw it): the next sync caches the images but does not fetch the page."""
    server.route("/a", Response(body=ARTICLE.encode(), content_type=HTML))
    items = [("a", server.url("/a"), TEASER)]
    server.route("/feed.xml", Response(body=feed_of(items), content_type="application/rss+xml"))
    with Store.open(data_paths) as store:
        feed = store.add_feed(server.url("/feed.xml"))
    options = SyncOptions(parse_processes=False, all_feeds=True, follow_up_unbounded=True)
    asyncio.run(sync(data_paths, options))
    with Store.open(data_paths) as store:
        (entry,) = store.list_entries(EntryQuery())
        assert store.add_follow_ups([NewFollowUp("page", server.url("/a"), entry.id, feed.id)], NOW)
    asyncio.run(sync(data_paths, options))
    assert len(server.requests_for("/a")) == 1
    with Store.open(data_paths) as store:
        assert store.count_follow_ups(["page"]) == 0


def test_a_feed_set_to_never_gets_no_pages_fetched(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/a", Response(body=ARTICLE.encode(), content_type=HTML))
    feed = feed_of([("a", server.url("/a"), TEASER)])
    server.route("/feed.xml", Response(body=feed, content_type="application/rss+xml"))
    with Store.open(data_paths) as store:
        subscribed = store.add_feed(server.url("/feed.xml"))
        store.set_feed_full_text(subscribed.id, "never")
    asyncio.run(sync(data_paths, SyncOptions(parse_processes=False, all_feeds=True)))
    assert server.requests_for("/a") == []


class _NoThreads(Executor):
    """A thread pool that refuses work: extraction must not run in a thread of this process
    (in the window that thread stalls the GUI loop)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        raise AssertionError(f"{fn!r} ran in a thread of the window's process")


def test_extraction_starts_and_uses_the_parse_process_never_a_thread(
    data_paths: DataPaths, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """*Load full article* in a window (`responsive`) with no parse process up (a window
    that synced a few feeds): the process is started and extracts; the sync's thread pool is
    never asked."""
    running = parsers.processes.ready()
    if running is not None:
        parsers.processes.stop(running)
    monkeypatch.setattr(engine, "ThreadPoolExecutor", lambda **_: _NoThreads())
    server.route("/harbour", Response(body=ARTICLE.encode(), content_type=HTML))
    (entry_id,) = entries_for(data_paths, [server.url("/harbour")])
    options = SyncOptions(parse_processes=True, responsive=True, clock=lambda: NOW)
    (result,) = asyncio.run(fetch_articles(data_paths, [entry_id], options, limits=LIMITS))
    assert result.full_text is not None and result.full_text.status == "ok"
    assert parsers.processes.ready() is not None


def article_with_images(first: str, second: str) -> bytes:
    """An article page with two photos between its paragraphs, the second lazy-loaded."""
    return (
        "<html lang='en'><head><title>Harbour wall</title></head><body><nav><a href='/'>Home"
        f"</a></nav><article><h1>Harbour wall collapses</h1><p>{PARAGRAPHS[0]}</p>"
        f"<figure><img src='{first}' alt='The gap'><figcaption>The gap in the wall on "
        f"Monday.</figcaption></figure><p>{PARAGRAPHS[1]}</p><figure><img "
        f"src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' data-src='{second}' alt='Boats'>"
        f"</figure><p>{PARAGRAPHS[2]}</p>{''.join(f'<p>{p}</p>' for p in MORE)}</article>"
        "</body></html>"
    ).encode()


def test_a_full_articles_images_are_cached_at_sync_and_go_with_the_entry(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """The article's own images (not only its lead image) go into the offline image cache at
    sync time like the feed's images, and are no longer the entry's once it is purged."""
    first, second = PNG + b"first", PNG + b"second"
    server.route("/photos/gap.png", Response(body=first, content_type="image/png"))
    server.route("/photos/boats.png", Response(body=second, content_type="image/png"))
    server.route(
        "/news/wall",
        Response(
            body=article_with_images("../photos/gap.png", "/photos/boats.png"), content_type=HTML
        ),
    )
    items = [("a", server.url("/news/wall"), TEASER)]
    server.route("/feed.xml", Response(body=feed_of(items), content_type="application/rss+xml"))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/feed.xml"))
    options = SyncOptions(parse_processes=False, all_feeds=True, follow_up_unbounded=True)
    asyncio.run(sync(data_paths, options))
    urls = [server.url("/photos/gap.png"), server.url("/photos/boats.png")]
    with Store.open(data_paths) as store:
        (entry,) = store.list_entries(EntryQuery())
        stored = store.full_text(entry.id)
        assert stored is not None and stored.status == "ok" and stored.content is not None
        assert [url in stored.content for url in urls] == [True, True]
        assert stored.text is not None and "The gap in the wall" not in stored.text
        assert store.entry_image_urls([entry.id]) == {entry.id: urls}
        cached = [store.cached_image(url) for url in urls]
        assert [c is not None and (data_paths.images / c.path).read_bytes() for c in cached] == [
            first,
            second,
        ]
        store.set_read([entry.id], True)
        assert store.purge(1, NOW + timedelta(days=400)) == 1
        assert store.entry_image_urls([entry.id]) == {}
    assert [len(server.requests_for(p)) for p in ("/photos/gap.png", "/photos/boats.png")] == [1, 1]


def test_an_image_both_the_feed_and_the_full_article_show_is_fetched_once(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    """The teaser shows the article's photo: the page job (run first, by priority) caches
    it with the article, and the feed's image job for it asked the server again (a newcomer
    saw every image downloaded twice on subscribing)."""
    server.route("/photos/gap.png", Response(body=PNG + b"gap", content_type="image/png"))
    server.route("/photos/boats.png", Response(body=PNG + b"boats", content_type="image/png"))
    server.route(
        "/news/wall",
        Response(
            body=article_with_images("/photos/gap.png", "/photos/boats.png"), content_type=HTML
        ),
    )
    teaser = f'<p><img src="{server.url("/photos/gap.png")}" alt="">{TEASER}</p>'
    items = [("a", server.url("/news/wall"), teaser)]
    server.route("/feed.xml", Response(body=feed_of(items), content_type="application/rss+xml"))
    with Store.open(data_paths) as store:
        store.add_feed(server.url("/feed.xml"))
    options = SyncOptions(parse_processes=False, all_feeds=True, follow_up_unbounded=True)
    summary = asyncio.run(sync(data_paths, options))
    assert len(server.requests_for("/news/wall")) == 1
    assert [len(server.requests_for(p)) for p in ("/photos/gap.png", "/photos/boats.png")] == [1, 1]
    with Store.open(data_paths) as store:
        assert store.cached_image(server.url("/photos/gap.png")) is not None
    assert summary.follow_ups_retrying == 0


def test_fetch_article_caches_the_articles_images(
    data_paths: DataPaths, server: LoopbackServer
) -> None:
    server.route("/photos/gap.png", Response(body=PNG + b"gap", content_type="image/png"))
    server.route("/photos/boats.png", Response(body=PNG + b"boats", content_type="image/png"))
    server.route(
        "/news/wall",
        Response(
            body=article_with_images("/photos/gap.png", "/photos/boats.png"), content_type=HTML
        ),
    )
    (entry_id,) = entries_for(data_paths, [server.url("/news/wall")])
    (result,) = fetch_now(data_paths, [entry_id])
    assert result.full_text is not None and result.full_text.status == "ok"
    with Store.open(data_paths) as store:
        for path in ("/photos/gap.png", "/photos/boats.png"):
            assert store.cached_image(server.url(path)) is not None
