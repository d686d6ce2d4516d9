"""Store benchmark: ingest generated feeds through `Store.apply_parsed_feed`, then search.

Prints ingest entries/s, the database size and full-text search latency (p50/p95 over 100
queries, each returning the newest 50 matches, as the window's list does); also relevance
search, related coverage, comment counts of a page of the article list and, unless --keep,
a retention purge of half the entries.
Targets (issue 2): 100,000 entries over 200 feeds in under 30 s; search p95 under 50 ms.

    .venv/bin/python benchmarks/store.py [--feeds 200] [--entries-per-feed 500] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.model import Author, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FetchInfo, Store

SEED = 20260301
PAGE_ROWS = 200  # rows of the window's article list read at a time
VOCABULARY = 20_000  # distinct words; drawn with a Zipf-like skew, like natural text


def make_words(rng: random.Random) -> list[str]:
    """Made-up words in random order: their rank (hence frequency) does not depend on their
    spelling, as in real text, where common words start with any letters."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 11))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = make_words(rng)
        weights = [1 / (rank + 1) for rank in range(VOCABULARY)]
        self.cumulative = list(_accumulate(weights))

    def words_(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentence(self, low: int, high: int) -> str:
        return " ".join(self.words_(self.rng.randint(low, high))).capitalize()

    def html(self, paragraphs: int) -> str:
        parts = []
        for index in range(paragraphs):
            text = ". ".join(self.sentence(8, 20) for _ in range(self.rng.randint(2, 5)))
            if index == 1:
                text += f' <a href="https://example.org/{self.words_(1)[0]}">more</a>'
            parts.append(f"<p>{text}.</p>")
            if index == 0 and self.rng.random() < 0.3:
                parts.append(
                    f'<img src="https://img.example.org/{self.rng.getrandbits(48):x}.jpg">'
                )
        return "".join(parts)


def _accumulate(values: list[float]) -> list[float]:
    total = 0.0
    out = []
    for value in values:
        total += value
        out.append(total)
    return out


def make_feeds(feeds: int, per_feed: int) -> list[ParsedFeed]:
    rng = random.Random(SEED)
    maker = TextMaker(rng)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for f in range(feeds):
        entries = tuple(
            ParsedEntry(
                id=f"https://feed{f}.example.org/posts/{i}",
                title=maker.sentence(4, 10),
                link=f"https://feed{f}.example.org/posts/{i}",
                published=start + timedelta(minutes=rng.randint(0, 60 * 24 * 365)),
                authors=(Author(name=maker.sentence(2, 2)),),
                categories=tuple(maker.words_(rng.randint(0, 3))),
                summary=f"<p>{maker.sentence(20, 50)}.</p>",
                content=maker.html(rng.randint(3, 10)),
            )
            for i in range(per_feed)
        )
        made.append(ParsedFeed(format="rss20", title=f"Feed {f}", entries=entries))
    return made


def make_queries(feeds: list[ParsedFeed], count: int) -> list[str]:
    """A mix of what people type, from words of real titles: one word, two words, a
    two-word phrase, a prefix (the first half of a word, at least 3 letters, the way
    people stem: `climat*`), and the title's longest (rarest) word."""
    rng = random.Random(SEED + 1)
    titles = [e.title or "" for f in feeds for e in f.entries]
    queries = []
    for index in range(count):
        words = rng.choice(titles).lower().split()
        kind = index % 5
        if kind == 0:
            queries.append(words[0])
        elif kind == 1:
            queries.append(" ".join(rng.sample(words, 2)))
        elif kind == 2:
            queries.append('"' + " ".join(words[:2]) + '"')
        elif kind == 3:
            word = words[-1]
            queries.append(word[: max(3, len(word) // 2)] + "*")
        else:
            queries.append(max(words, key=len))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries-per-feed", type=int, default=500)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="write the store here and keep it")
    args = parser.parse_args()

    print(f"generating {args.feeds} feeds × {args.entries_per_feed} entries …", flush=True)
    feeds = make_feeds(args.feeds, args.entries_per_feed)
    total = sum(len(f.entries) for f in feeds)
    html_mb = sum(len(e.content or "") + len(e.summary or "") for f in feeds for e in f.entries)
    print(f"  {total:,} entries, {html_mb / 1e6:.1f} MB of HTML")

    root = args.keep or Path(tempfile.mkdtemp(prefix="newsreader-bench-"))
    paths = DataPaths(root).ensure()
    try:
        with Store.open(paths) as store:
            ids = [
                store.add_feed(f"https://feed{i}.example.org/feed").id for i in range(len(feeds))
            ]
            fetched = FetchInfo(fetched_at=datetime(2026, 3, 1, tzinfo=UTC))
            started, cpu = time.perf_counter(), time.process_time()
            for feed_id, parsed in zip(ids, feeds, strict=True):
                store.apply_parsed_feed(feed_id, parsed, fetched)
            ingest = time.perf_counter() - started
            ingest_cpu = time.process_time() - cpu

            started = time.perf_counter()
            for feed_id, parsed in zip(ids, feeds, strict=True):
                store.apply_parsed_feed(feed_id, parsed, fetched)
            resync = time.perf_counter() - started

            store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = paths.store.stat().st_size

            latencies = []
            hits = []
            for query in make_queries(feeds, args.queries):
                started = time.perf_counter()
                found = store.list_entries(EntryQuery(search=query, limit=50))
                latencies.append((time.perf_counter() - started) * 1000)
                hits.append(len(found))
            ranked = []
            for query in make_queries(feeds, args.queries):
                started = time.perf_counter()
                store.list_entries(EntryQuery(search=query, limit=50, order="relevance"))
                ranked.append((time.perf_counter() - started) * 1000)
            related = []
            for entry_id in random.Random(SEED).sample(range(1, total + 1), args.queries):
                started = time.perf_counter()
                store.related_entries(entry_id, 10)
                related.append((time.perf_counter() - started) * 1000)
            counts, page = comment_count_figures(store, args.queries)
            purge: tuple[int, float] | None = None
            if not args.keep:
                # Retention: everything read, then the older half of the year purged.
                store.mark_all_read(EntryQuery())
                started = time.perf_counter()
                purged = store.purge(183, datetime(2026, 12, 31, tzinfo=UTC))
                purge = (purged, time.perf_counter() - started)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)

    print(
        f"ingest:   {total:,} entries in {ingest:.1f} s = {total / ingest:,.0f} entries/s "
        f"(target < 30 s; {ingest_cpu:.1f} s of CPU in this process)"
    )
    print(f"re-sync:  same {total:,} entries, unchanged, in {resync:.1f} s")
    print(f"db size:  {size / 1e6:.0f} MB")
    print(
        f"search:   p50 {_p(latencies, 50):.1f} ms, p95 {_p(latencies, 95):.1f} ms, "
        f"max {max(latencies):.1f} ms (newest 50 by date; target p95 < 50 ms; "
        f"median {statistics.median(hits):.0f} hits)"
    )
    print(f"ranked:   p50 {_p(ranked, 50):.1f} ms, p95 {_p(ranked, 95):.1f} ms (best 50 by bm25)")
    print(f"related:  p50 {_p(related, 50):.1f} ms, p95 {_p(related, 95):.1f} ms")
    print(
        f"comments: comment_counts of a 200-row page p50 {_p(counts, 50):.2f} ms, "
        f"p95 {_p(counts, 95):.2f} ms (entries_by_ids of the page: p50 {_p(page, 50):.1f} ms)"
    )
    if purge is not None:
        print(f"purge:    {purge[0]:,} read entries in {purge[1]:.1f} s")


def comment_count_figures(store: Store, pages: int) -> tuple[list[float], list[float]]:
    """Milliseconds to count the comments of a page of 200 rows of the article list (every
    tenth entry carries comments of the user and of its site), beside what reading the
    page's entries costs anyway."""
    rng = random.Random(SEED)
    ids = store.entry_ids(EntryQuery())
    for entry_id in ids[::10]:
        store.add_comment(entry_id, "a note", author="Me")
        store.replace_site_comments(
            entry_id, [ParsedEntry(id=f"c{n}", content="<p>a reply</p>") for n in range(3)]
        )
    counts: list[float] = []
    page: list[float] = []
    for _ in range(pages):
        start = rng.randrange(0, max(1, len(ids) - PAGE_ROWS))
        shown = ids[start : start + PAGE_ROWS]
        began = time.perf_counter()
        store.comment_counts(shown)
        counts.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        store.entries_by_ids(shown)
        page.append((time.perf_counter() - began) * 1000)
    return counts, page


def _p(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


if __name__ == "__main__":
    main()
