"""Parse speed: newsreader.parse against feedparser and fastfeedparser, sanitising included.

Two corpora, both generated here (deterministic; nothing copied from real feeds):

- generic: RSS 2.0 and Atom 1.0 documents, 100 entries each, with realistic HTML bodies
  (paragraphs, links, images, lists, quotes, code, entities, plus the scripts, iframes and
  tracking pixels a sanitiser must remove), 24 MB by default; parsed in this process, so the
  figures are the parsers' own (MB/s, entries/s, of CPU time).
- news: shaped like news sites' feeds (issue 10): 40 feeds, 20 RSS 2.0 with `content:encoded`
  and 20 Atom 1.0, 100 entries each, article-length HTML as publishing systems write it
  (figures with srcset images and captions, classes, data- attributes, headings, embedded
  posts with their script, video iframes, tracking pixels, curly quotes and accented names);
  in a quarter of the feeds the summary is the same HTML as the content. 22 MB. Parsed by
  whole processes, as a user runs them: `newsreader parse --json FILE...` against a Python
  process running feedparser or fastfeedparser over the same files; CPU time (user +
  system), wall time and peak RSS of each process. The peers only parse (no JSON written);
  fastfeedparser has a native core and does not sanitise.

Targets (issue 10): ≥ 10× feedparser and ≤ 1.4× fastfeedparser's time on the news corpus;
peak RSS ≤ 1.5× fastfeedparser's. A third process, the *floor*, does only what any parser
that sanitises must: lxml's parse of each file and nh3's cleaning of each HTML field with the
policy's tags and attributes; its ratio to fastfeedparser says how near the target a
sanitising parser can come.

    .venv/bin/python benchmarks/parse.py [--corpus both|generic|news] [--megabytes 24]
        [--repeat 3]

fastfeedparser is a benchmark-only extra: `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

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


# --- the news corpus ---------------------------------------------------------------------

NEWS_FEEDS = 40
NEWS_VOCABULARY = (
    "minister government election council market budget inflation energy climate court "
    "police hospital school university researchers study report season club coach match "
    "league city region border talks agreement ceasefire summit company shares investors "
    "prices workers union strike housing rents transport railway airport flights storm "
    "flooding drought wildfire emergency officials spokesperson statement interview "
    "opposition parliament vote reform tax spending deficit growth jobs unemployment "
    "technology software startup platform users privacy regulators lawsuit appeal judge "
    "verdict festival museum exhibition film director album concert review critics "
    "says said would could after before while during because although however since "
    "the a of to in and for on with by from at as that this its their new more most "
    "first last year week month today tomorrow yesterday people country world national"
)
NEWS_WORDS = tuple(NEWS_VOCABULARY.split())
NAMES = ("José Álvarez", "Zoë Müller", "Ana Lima", "Tom O’Neill", "Chidi Okafor", "Mei Chen")
SECTIONS = ("World", "Politics", "Business", "Climate", "Technology", "Culture", "Sport", "Cities")


def news_sentence(rng: random.Random) -> str:
    words = [rng.choice(NEWS_WORDS) for _ in range(rng.randint(10, 24))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words) - 1), f"“{rng.choice(NEWS_WORDS)}”")
    if rng.random() < 0.2:
        words.insert(rng.randint(1, len(words) - 1), "—")
    return " ".join(words) + "."


def news_paragraph(rng: random.Random, site: str, index: int, links: int) -> str:
    sentences = [escape(news_sentence(rng), quote=False) for _ in range(rng.randint(2, 4))]
    for n in range(links):
        slug = "-".join(rng.choice(NEWS_WORDS) for _ in range(5))
        where = rng.randrange(len(sentences))
        sentences[where] += (
            f' <a href="https://{site}/2026/03/{slug}/" data-link-type="internal" '
            f'target="_blank" rel="noopener">{escape(rng.choice(NEWS_WORDS))} {index}-{n}</a>'
        )
    if rng.random() < 0.3:
        sentences[0] = f"<strong>{sentences[0]}</strong>"
    return "<p>" + " ".join(sentences) + "</p>"


def news_figure(rng: random.Random, site: str, index: int) -> str:
    image = f"https://cdn.{site}/uploads/2026/03/photo-{index}"
    return (
        '<figure class="wp-block-image size-large"><img loading="lazy" decoding="async" '
        f'width="1024" height="576" src="{image}-1024x576.jpg" '
        f'alt="{escape(news_sentence(rng)[:60])}" class="wp-image-{index}" '
        f'srcset="{image}-300x169.jpg 300w, {image}-768x432.jpg 768w, '
        f'{image}-1024x576.jpg 1024w" sizes="(max-width: 1024px) 100vw, 1024px" />'
        f'<figcaption class="wp-element-caption">{escape(news_sentence(rng), quote=False)} '
        f"Photo: {escape(rng.choice(NAMES))}/Agency</figcaption></figure>"
    )


def news_body(rng: random.Random, site: str, index: int) -> str:
    """An article of about 3-4 KB of HTML as a publishing system writes it."""
    blocks = [news_figure(rng, site, index)]
    blocks.append(news_paragraph(rng, site, index, 1).replace("<p>", '<p class="has-drop-cap">'))
    for n in range(rng.randint(1, 3)):
        blocks.append(news_paragraph(rng, site, index, n % 2))
    blocks.append(
        f'<h2 class="wp-block-heading" id="h-{index}">{escape(news_sentence(rng)[:50])}</h2>'
    )
    blocks.append(news_paragraph(rng, site, index, 1))
    if index % 3 == 0:
        blocks.append(
            '<blockquote class="social-post"><p lang="en" dir="ltr">'
            f"{escape(news_sentence(rng))} "
            f'<a href="https://t.example/{index}">t.example/{index}</a></p>&mdash; '
            f'{escape(rng.choice(NAMES))} (@desk{index % 9}) <a href="https://social.example/'
            f'desk/status/{index}">March 2, 2026</a></blockquote>'
            '<script async src="https://social.example/widgets.js" charset="utf-8"></script>'
        )
    if index % 4 == 0:
        blocks.append(
            '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">'
            f'<iframe title="Video {index}" width="640" height="360" '
            f'src="https://video.example/embed/v{index}?feature=oembed" frameborder="0" '
            'allow="autoplay; encrypted-media" allowfullscreen></iframe></div></figure>'
        )
    if index % 2 == 0:
        blocks.append(
            '<ul class="wp-block-list">'
            + "".join(f"<li>{escape(news_sentence(rng))}</li>" for _ in range(3))
            + "</ul>"
        )
    blocks.append(
        f'<p><em>Related:</em> <a href="/2026/03/related-{index}/">'
        f"{escape(news_sentence(rng)[:40])}</a></p>"
    )
    blocks.append(
        f'<img src="https://pixel.{site}/t.gif?id={index}" width="1" height="1" alt="" />'
    )
    return "\n".join(blocks)


def news_rss(rng: random.Random, number: int, start: datetime) -> bytes:
    site = f"news{number}.example"
    same = number % 8 == 0  # one RSS feed in four: the description is the content
    items = []
    for i in range(ENTRIES_PER_DOCUMENT):
        html = news_body(rng, site, i)
        teaser = html if same else news_paragraph(rng, site, i, 0)
        date = (start - timedelta(minutes=37 * i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        slug = f"{i}-" + "-".join(rng.choice(NEWS_WORDS) for _ in range(6))
        categories = "".join(
            f"<category><![CDATA[{rng.choice(SECTIONS)}]]></category>" for _ in range(4)
        )
        items.append(
            f"<item><title>{escape(news_sentence(rng)[:90])}</title>"
            f"<link>https://{site}/2026/03/{slug}/</link>"
            f"<dc:creator><![CDATA[{rng.choice(NAMES)}]]></dc:creator>"
            f"<pubDate>{date}</pubDate>{categories}"
            f'<guid isPermaLink="false">https://{site}/?p={1000 + i}</guid>'
            f"<description><![CDATA[{teaser}]]></description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded>"
            f'<media:content url="https://cdn.{site}/uploads/2026/03/photo-{i}-1024x576.jpg" '
            'medium="image" width="1024" height="576"><media:credit>Agency</media:credit>'
            "</media:content>"
            f"<wfw:commentRss>https://{site}/2026/03/{slug}/feed/</wfw:commentRss>"
            f"<slash:comments>{i % 17}</slash:comments></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel>'
        f"<title>News {number}</title><link>https://{site}/</link>"
        f"<description>The latest from News {number}</description><language>en-GB</language>"
        f"<lastBuildDate>{start.strftime('%a, %d %b %Y %H:%M:%S +0000')}</lastBuildDate>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def news_atom(rng: random.Random, number: int, start: datetime) -> bytes:
    site = f"daily{number}.example"
    same = number % 8 == 1  # one Atom feed in four: the summary is the content
    entries = []
    for i in range(ENTRIES_PER_DOCUMENT):
        html = news_body(rng, site, i)
        summary = html if same else news_paragraph(rng, site, i, 0)
        date = (start - timedelta(minutes=41 * i)).strftime("%Y-%m-%dT%H:%M:%S+01:00")
        categories = "".join(
            f'<category term="{s.lower()}" label="{s}"/>' for s in rng.sample(SECTIONS, 3)
        )
        author = rng.choice(NAMES)
        entries.append(
            f'<entry><title type="html">{escape(escape(news_sentence(rng)[:90]))}</title>'
            f'<link rel="alternate" type="text/html" href="https://{site}/articles/{i}"/>'
            f"<id>tag:{site},2026:article-{i}</id>"
            f"<published>{date}</published><updated>{date}</updated>"
            f"<author><name>{escape(author)}</name><uri>https://{site}/by/{i % 6}</uri></author>"
            f"{categories}"
            f'<summary type="html">{escape(summary)}</summary>'
            f'<content type="html">{escape(html)}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
        f"<title>Daily {number}</title><id>tag:{site},2026:feed</id>"
        f'<link rel="alternate" href="https://{site}/"/>'
        f'<link rel="self" href="https://{site}/feed.atom"/>'
        f"<updated>{start.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>" + "".join(entries) + "</feed>"
    ).encode()


def news_corpus() -> list[bytes]:
    rng = random.Random(20260302)
    start = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    return [
        (news_rss if number % 2 == 0 else news_atom)(rng, number, start)
        for number in range(NEWS_FEEDS)
    ]


# --- measuring ---------------------------------------------------------------------------


def measure(
    name: str, documents: list[tuple[str, bytes]], parse: Callable[[bytes, str], int], repeat: int
) -> float:
    size = sum(len(data) for _, data in documents)
    best = float("inf")
    entries = 0
    for _ in range(repeat):
        started = time.process_time()  # CPU time: the machine is shared, wall time is noise
        entries = sum(parse(data, url) for url, data in documents)
        best = min(best, time.process_time() - started)
    mb = size / 1024 / 1024
    print(
        f"  {name:15} {mb / best:8.1f} MB/s {entries / best:10.0f} entries/s "
        f"({entries} entries, {mb:.1f} MB in {best:.2f} s of CPU, best of {repeat})"
    )
    return best


def ours(data: bytes, url: str) -> int:
    return len(parse_feed(data, url).entries)


def feedparser_count(data: bytes, url: str) -> int:
    import feedparser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = feedparser.parse(data, response_headers={"content-location": url})
    return len(result.entries)


def fastfeedparser_count(data: bytes, url: str) -> int:
    import fastfeedparser

    return len(fastfeedparser.parse(data).entries)


def installed(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        print(f"  {name} is not installed (pip install -e '.[bench]'): not compared")
        return False
    return True


def run_generic(megabytes: float, repeat: int, skip: set[str]) -> None:
    documents = corpus(megabytes)
    size = sum(len(data) for _, data in documents)
    print(
        f"generic corpus: {len(documents)} documents (RSS 2.0 and Atom 1.0, "
        f"{ENTRIES_PER_DOCUMENT} entries each), {size / 1024 / 1024:.1f} MB; in this process"
    )
    our_time = measure("newsreader", documents, ours, repeat)
    if "fastfeedparser" not in skip and installed("fastfeedparser"):
        fast_time = measure("fastfeedparser", documents, fastfeedparser_count, repeat)
        print(f"  newsreader takes {our_time / fast_time:.2f}x fastfeedparser's time")
    if "feedparser" not in skip and installed("feedparser"):
        slow_time = measure("feedparser", documents, feedparser_count, 1)
        print(f"  newsreader is {slow_time / our_time:.1f}x feedparser's throughput")


TIME = "/usr/bin/time"  # GNU time: the peak RSS of one command
PEER_SCRIPT = """
import sys, warnings
from pathlib import Path
import {module}
warnings.simplefilter("ignore")
entries = 0
for name in sys.argv[1:]:
    entries += len({module}.parse(Path(name).read_bytes()).entries)
print(entries)
"""

FLOOR_SCRIPT = """
import sys
from pathlib import Path
import nh3
from lxml import etree
from newsreader.parse.policy import ATTRIBUTES, CLEAN_CONTENT, TAGS, URL_SCHEMES
cleaner = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CLEAN_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
)
HTML_FIELDS = (
    "{http://purl.org/rss/1.0/modules/content/}encoded", "description",
    "{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary",
)
fields = 0
for name in sys.argv[1:]:
    root = etree.fromstring(Path(name).read_bytes())
    for element in root.iter(*HTML_FIELDS):
        if element.text:
            cleaner.clean(element.text)
            fields += 1
print(fields)
"""
"""The least a parser that sanitises can do in Python: lxml's parse of each file and nh3's
cleaning of each HTML field with the policy's tags and attributes (no attribute callback, no
URL resolution, no image vetting, no other field, no output)."""


def run_process(command: list[str]) -> tuple[float, float, int]:
    """Runs `command` with its output discarded; (CPU seconds, wall seconds, peak RSS in MB).
    The peak comes from GNU time, which starts the command from its own small process: a
    child forked from this one would report this process's peak (the corpus it holds)."""
    with tempfile.NamedTemporaryFile(prefix="newsreader-bench-rss-") as report:
        started = time.perf_counter()
        process = subprocess.Popen(
            [TIME, "-f", "%M", "-o", report.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        errors = process.stderr.read().decode() if process.stderr else ""
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{command[:3]} failed: {errors[-500:]}")
        peak_kb = int(Path(report.name).read_text().split()[-1])
    return usage.ru_utime + usage.ru_stime, wall, peak_kb // 1024


def run_news(repeat: int, skip: set[str]) -> None:
    documents = news_corpus()
    size = sum(len(d) for d in documents)
    print(
        f"news corpus: {len(documents)} feeds (20 RSS 2.0 with content:encoded, 20 Atom; "
        f"{ENTRIES_PER_DOCUMENT} entries each), {size / 1024 / 1024:.1f} MB; whole processes, "
        f"median of {repeat} (feedparser: 1 run)"
    )
    with tempfile.TemporaryDirectory(prefix="newsreader-parse-bench-") as folder:
        files = []
        for number, data in enumerate(documents):
            path = Path(folder) / f"news{number}.xml"
            path.write_bytes(data)
            files.append(str(path))
        commands = {
            "newsreader parse --json": [sys.executable, "-m", "newsreader", "parse", "--json"]
        }
        for module in ("fastfeedparser", "feedparser"):
            if module in skip:
                continue
            if installed(module):
                commands[module] = [sys.executable, "-c", PEER_SCRIPT.format(module=module)]
        commands["floor: lxml + nh3 only"] = [sys.executable, "-c", FLOOR_SCRIPT]
        figures: dict[str, tuple[float, float, int]] = {}
        for name, program in commands.items():
            run_process([*program, files[0]])  # bytecode cached, as for a user
            command = [*program, *files]
            runs = [run_process(command) for _ in range(1 if name == "feedparser" else repeat)]
            figures[name] = (
                statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
                max(r[2] for r in runs),
            )
            cpu, wall, rss = figures[name]
            print(f"  {name:25} CPU {cpu:6.2f} s  wall {wall:6.2f} s  peak RSS {rss:5d} MB")
        cpu, _, rss = figures["newsreader parse --json"]
        if "fastfeedparser" in figures:
            fast_cpu, _, fast_rss = figures["fastfeedparser"]
            print(
                f"  newsreader: {cpu / fast_cpu:.2f}x fastfeedparser's CPU time (target <= 1.4), "
                f"{rss / fast_rss:.2f}x its peak RSS (target <= 1.5)"
            )
            floor_cpu = figures["floor: lxml + nh3 only"][0]
            print(
                f"  floor (lxml's parse + nh3's cleaning of the HTML fields, nothing else): "
                f"{floor_cpu / fast_cpu:.2f}x fastfeedparser's CPU time; newsreader "
                f"{cpu / floor_cpu:.2f}x the floor"
            )
        if "feedparser" in figures:
            print(f"  newsreader: {figures['feedparser'][0] / cpu:.1f}x faster than feedparser")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("both", "generic", "news"), default="both")
    parser.add_argument("--megabytes", type=float, default=24.0, help="generic corpus size")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the fast parsers")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("feedparser", "fastfeedparser"),
        help="leave a peer out (feedparser takes about a minute on the news corpus)",
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()}")
    if args.corpus in ("both", "news"):
        run_news(args.repeat, set(args.skip))
    if args.corpus in ("both", "generic"):
        run_generic(args.megabytes, args.repeat, set(args.skip))
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
