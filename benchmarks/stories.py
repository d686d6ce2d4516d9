"""Stories benchmark: what stories, language and key points cost, and how well stories match.

Prints:
- ingest of the generated store (benchmarks/store.py's feeds) with story matching and
  language detection on, and with both switched off (the store as it was before them), and
  the added share (target ≤ 30 %);
- assigning one article to a story on that store: median and p95 over the newest 200
  articles (what a sync does) and over 200 of random dates (target ≤ 5 ms median on a
  100,000-article store: with `--store PATH` the store is built there once,
  `--build-seconds` of CPU at a time over as many runs as it takes, then measured; its
  articles have a title and a summary only);
- key points per article over 1,000 generated articles (target ≤ 10 ms);
- language detection per article, on the generated text (random words: the model's worst
  case, as every word is unknown to it) and on the labelled sets' real text;
- pairwise precision and recall of "same story" on each labelled set in tests/stories/data
  (and data/harder: the sets the matcher does not yet reach the target on).

    .venv/bin/python benchmarks/stories.py [--feeds 200] [--entries-per-feed 500]
        [--store PATH [--build-seconds 100]]

Times are CPU seconds of this process (wall-clock on a loaded machine varies several-fold);
state the machine's load with them (printed first).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.server_sync import stories_off
from benchmarks.store import SEED, TextMaker, make_feeds
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import FetchInfo, Store
from newsreader.store.schema import search_key
from newsreader.store.storyindex import StoryInput
from newsreader.store.text import index_text
from newsreader.stories.keypoints import key_points
from newsreader.stories.language import detect_language
from tests.stories.labelled import DATA, HARDER, ingest, load, score


def _ingest(feeds: list[ParsedFeed], root: Path) -> tuple[float, Store]:
    store = Store.open(DataPaths(root).ensure())
    ids = [store.add_feed(f"https://feed{i}.example.org/feed").id for i in range(len(feeds))]
    fetched = FetchInfo(fetched_at=datetime(2026, 3, 1, tzinfo=UTC))
    started = time.process_time()
    for feed_id, parsed in zip(ids, feeds, strict=True):
        store.apply_parsed_feed(feed_id, parsed, fetched)
    while store.match_queued_stories():  # as a sync does once its feeds are written
        pass
    return time.process_time() - started, store


def _peak_mb() -> float:
    """This process's peak resident memory (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _store_feed(maker: TextMaker, index: int, per_feed: int) -> ParsedFeed:
    """Feed `index` of the `--store` build: titles and summaries only (all that matching
    reads; content took most of the generating time), dates over a year, the same on every
    run (seeded by the index), so a build can go on where the last run stopped."""
    maker.rng.seed(SEED + index)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    entries = tuple(
        ParsedEntry(
            id=f"https://feed{index}.example.org/posts/{i}",
            title=maker.sentence(4, 10),
            link=f"https://feed{index}.example.org/posts/{i}",
            published=start + timedelta(minutes=maker.rng.randint(0, 60 * 24 * 365)),
            summary=f"<p>{maker.sentence(20, 50)}.</p>",
        )
        for i in range(per_feed)
    )
    return ParsedFeed(format="rss20", title=f"Feed {index}", entries=entries)


def _build(feeds: int, per_feed: int, path: Path, seconds: float) -> Store | None:
    """Ingests (stories and language on) the feeds the store at `path` lacks yet, for at most
    about `seconds` of CPU; the store when all are in, else None (run again to go on)."""
    store = Store.open(DataPaths(path).ensure())
    have = len(store.list_feeds())
    fetched = FetchInfo(fetched_at=datetime(2026, 3, 1, tzinfo=UTC))
    maker = TextMaker(random.Random(SEED))
    spent = 0.0
    done = 0
    for index in range(have, feeds):
        if spent > seconds:
            break
        parsed = _store_feed(maker, index, per_feed)
        started = time.process_time()
        feed_id = store.add_feed(f"https://feed{index}.example.org/feed").id
        store.apply_parsed_feed(feed_id, parsed, fetched)
        spent += time.process_time() - started
        done += len(parsed.entries)
    started = time.process_time()
    while store.match_queued_stories():  # as a sync does once its feeds are written
        pass
    spent += time.process_time() - started
    count = store._conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    if done:
        print(
            f"built {done:,} more articles into {path} in {spent:.1f} s "
            f"({spent / done * 1000:.2f} ms per article, stories + language on; "
            f"{count:,} in all; peak memory {_peak_mb():.0f} MB; load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    if count < feeds * per_feed:
        store.close()
        print("not complete yet: run again to go on building")
        return None
    return store


def _assignment(store: Store, rows: list[tuple[int, int, int, str, str]]) -> list[float]:
    """Milliseconds to match each of these existing articles again, one at a time, in order
    (entry id, feed id, date, title, summary)."""
    times = []
    for entry_id, feed_id, sort_date, title, summary in rows:
        item = StoryInput(entry_id, feed_id, sort_date, title, index_text(summary), "en")
        store._conn.execute(
            "DELETE FROM story_fts WHERE rowid = ?", (search_key(sort_date, entry_id),)
        )
        started = time.process_time()
        store._stories.add([item])
        times.append((time.process_time() - started) * 1000)
    return times


def _print_assignment(store: Store) -> None:
    """Assignment of new articles (the newest 200, in date order: what a sync does; the
    window is read once) and of articles of random dates (the window is read afresh for
    nearly every one: the worst case, e.g. a feed's back catalogue)."""
    total = store._conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    columns = "SELECT id, feed_id, sort_date, title, summary FROM entries"
    newest = store._conn.execute(f"{columns} ORDER BY sort_date DESC, id DESC LIMIT 200")
    rows = store._conn.execute(columns).fetchall()
    for what, chosen in (
        ("new article (the newest 200)", sorted(newest.fetchall(), key=lambda r: r[2])),
        ("article of a random date", random.Random(SEED).sample(rows, 200)),
    ):
        times = _assignment(store, chosen)
        print(
            f"assign one {what} on the {total:,}-article store: median "
            f"{statistics.median(times):.2f} ms, p95 {statistics.quantiles(times, n=20)[-1]:.2f}"
            f" ms, first {times[0]:.1f} ms (target median ≤ 5 ms on 100,000; load "
            f"{os.getloadavg()[0]:.1f})",
            flush=True,
        )


def _labelled_texts() -> list[str]:
    return [
        f"{article.title}. {article.lead}"
        for path in sorted(DATA.glob("*.yaml"))
        for article in load(path.name)
    ]


def _language(texts: list[str], what: str) -> None:
    started = time.process_time()
    for text in texts:
        detect_language(text)
    per_article = (time.process_time() - started) / len(texts) * 1e6
    print(f"language: {per_article:.0f} µs per article ({len(texts):,} {what})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries-per-feed", type=int, default=500)
    parser.add_argument("--store", type=Path, help="build (once) and measure assignment here")
    parser.add_argument("--build-seconds", type=float, default=100.0)
    args = parser.parse_args()

    print(f"load: {os.getloadavg()[0]:.1f} (1-minute average)", flush=True)
    detect_language("The model is loaded once per process, before anything is timed.")
    if args.store is not None:
        built = _build(args.feeds, args.entries_per_feed, args.store, args.build_seconds)
        if built is not None:
            _print_assignment(built)
            built.close()
        return
    feeds = make_feeds(args.feeds, args.entries_per_feed)
    total = sum(len(f.entries) for f in feeds)
    print(f"{total:,} generated entries", flush=True)
    root = Path(tempfile.mkdtemp(prefix="newsreader-stories-bench-"))
    try:
        with stories_off():
            off, store = _ingest(feeds, root / "off")
            store.close()
        print(
            f"ingest without stories/language: {off:.2f} s "
            f"({off / total * 1000:.2f} ms per article)",
            flush=True,
        )
        on, store = _ingest(feeds, root / "on")
        print(
            f"ingest with stories + language:  {on:.2f} s ({on / total * 1000:.2f} ms per article; "
            f"+{(on / off - 1) * 100:.0f} %; target ≤ 30 %; key points are computed when an "
            "article is shown, not at ingest)",
            flush=True,
        )
        stories = store._conn.execute(
            "SELECT count(*) FROM (SELECT story_id FROM entry_stories GROUP BY story_id "
            "HAVING count(*) > 1)"
        ).fetchone()[0]
        print(f"  stories of 2+ articles among the generated (random-word) entries: {stories:,}")
        _print_assignment(store)
        store.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)

    articles = [e.content or "" for f in feeds for e in f.entries][:1000]
    started = time.process_time()
    for markup in articles:
        key_points(markup, "en")
    per_article = (time.process_time() - started) / len(articles) * 1000
    chars = statistics.mean(len(a) for a in articles)
    print(
        f"key points: {per_article:.2f} ms per article (mean {chars:,.0f} characters of HTML; "
        "target ≤ 10 ms)"
    )
    generated = [(e.title or "") + ". " + index_text(e.summary) for f in feeds for e in f.entries][
        :2000
    ]
    _language(generated, "generated articles, random words")
    _language(_labelled_texts() * 20, "labelled articles' titles and leads, real words")

    for path in [*sorted(DATA.glob("*.yaml")), *sorted(HARDER.glob("*.yaml"))]:
        with (
            tempfile.TemporaryDirectory() as folder,
            Store.open(DataPaths(Path(folder)).ensure()) as store,
        ):
            result = score(store, ingest(store, load(str(path.relative_to(DATA)))))
        print(
            f"{path.relative_to(DATA)}: precision {result.precision:.3f}, "
            f"recall {result.recall:.3f} "
            f"({result.true_pairs} pairs found, {result.false_pairs} wrong, "
            f"{result.missed_pairs} missed)"
        )


if __name__ == "__main__":
    main()
