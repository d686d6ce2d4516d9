"""Export speed and memory: 1,000 articles with images to EPUB, HTML (one page) and PDF.

Builds a library in a temporary folder through the store's own write path (20 feeds of 50
articles, each with five paragraphs of text and its own cached PNG image of about 40 KB), then
runs each export in a fresh subprocess so that its peak memory (max RSS) is its own, and prints
wall time and peak memory per format. Targets: EPUB and HTML under 10 s, PDF under 30 s, peak
memory under 300 MB.

    .venv/bin/python benchmarks/export.py [--articles 1000] [--formats epub,html,pdf]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.model import Author, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import FetchInfo, Store

FEEDS = 20
TARGETS = {"epub": 10.0, "html": 10.0, "pdf": 30.0}
OUTPUT_NAMES = {"epub": "all.epub", "html": "all.html", "pdf": "all.pdf"}
_VOCABULARY = (
    "harbour ferry tide lamp keeper pier boat crew storm weather morning evening market town "
    "council bridge road river island coast sailor fisher net catch season summer winter news "
    "report story people school museum library festival music garden train station light"
)
WORDS = tuple(_VOCABULARY.split())


def png(rng: random.Random, width: int = 320, height: int = 200) -> bytes:
    """A noisy PNG (about 40 KB): compresses like a photo thumbnail, unique per article."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    noisy = width * 3 // 5  # a fifth of each row is noise, the rest a flat colour
    flat = bytes([rng.randrange(256)]) * (width * 3 - noisy)
    rows = b"".join(b"\x00" + rng.randbytes(noisy) + flat for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def body(rng: random.Random, image_url: str, index: int) -> str:
    paragraphs = [
        "<p>" + " ".join(sentence(rng) for _ in range(rng.randint(3, 6))) + "</p>" for _ in range(5)
    ]
    paragraphs.insert(1, f'<p><img src="{image_url}" alt="Picture {index}"></p>')
    paragraphs.insert(
        3,
        f'<ul><li>{sentence(rng)}</li><li><a href="https://example.org/{index}">more</a></li></ul>',
    )
    return "".join(paragraphs)


def build_library(root: Path, articles: int) -> DataPaths:
    rng = random.Random(5)
    paths = DataPaths(root).ensure()
    paths.images.mkdir(parents=True, exist_ok=True)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    per_feed = max(1, articles // FEEDS)
    with Store.open(paths) as store:
        folder = store.add_folder("Bench")
        for f in range(FEEDS):
            count = per_feed if f < FEEDS - 1 else articles - per_feed * (FEEDS - 1)
            feed = store.add_feed(f"https://feed{f}.example.org/rss", folder_id=folder.id)
            entries = []
            for n in range(count):
                index = f * per_feed + n
                image_url = f"https://img.example.org/{index}.png"
                data = png(rng)
                digest = hashlib.sha256(data).hexdigest()
                (paths.images / f"{digest}.png").write_bytes(data)
                store.record_cached_image(
                    image_url, digest, f"{digest}.png", len(data), "image/png"
                )
                entries.append(
                    ParsedEntry(
                        id=f"e{index}",
                        title=f"Story {index}: {sentence(rng)[:60]}",
                        link=f"https://feed{f}.example.org/{index}",
                        published=now - timedelta(minutes=index),
                        authors=(Author(name=f"Writer {f}"),),
                        content=body(rng, image_url, index),
                    )
                )
            store.apply_parsed_feed(
                feed.id,
                ParsedFeed(format="rss20", title=f"Feed {f}", entries=tuple(entries)),
                FetchInfo(fetched_at=now),
            )
    return paths


def run_one(fmt: str, data: Path, out: Path) -> None:
    """In the child: one export, then its figures as JSON on stdout."""
    from newsreader.export import ExportFormat, ExportOptions, ExportScope, export, store_images

    paths = DataPaths(data)
    with Store.open(paths) as store:
        started = time.perf_counter()
        result = export(
            store,
            ExportScope(folder="Bench"),
            ExportOptions(format=ExportFormat(fmt), out=out),
            images=store_images(store, paths.images),
        )
        seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
                "articles": result.articles,
                "size_mb": out.stat().st_size / 1e6,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--formats", default="epub,html,pdf")
    parser.add_argument("--run", nargs=3, metavar=("FORMAT", "DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_one(args.run[0], Path(args.run[1]), Path(args.run[2]))
        return 0
    with tempfile.TemporaryDirectory(prefix="newsreader-export-bench-") as tmp:
        started = time.perf_counter()
        data = build_library(Path(tmp) / "data", args.articles).root
        print(
            f"library: {args.articles} articles with images, built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        failed = False
        for fmt in args.formats.split(","):
            out = Path(tmp) / OUTPUT_NAMES[fmt]
            child = subprocess.run(
                [sys.executable, __file__, "--run", fmt, str(data), str(out)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            ok = figures["seconds"] < TARGETS[fmt] and figures["peak_mb"] < 300
            failed |= not ok
            print(
                f"{fmt:5s} {figures['articles']} articles: {figures['seconds']:6.2f} s "
                f"(target < {TARGETS[fmt]:.0f} s), peak memory {figures['peak_mb']:6.1f} MB "
                f"(target < 300 MB), file {figures['size_mb']:.1f} MB  "
                f"{'ok' if ok else 'OVER TARGET'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
