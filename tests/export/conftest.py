"""A small real library for export tests: a store file with two feeds (one in a folder),
articles with cached and uncached images, a starred article, and threaded comments."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.export import ExportFormat, ExportOptions, ExportScope, export, store_images
from newsreader.export.run import ExportResult
from newsreader.model import Author, Enclosure, ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, FetchInfo, Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CACHED_IMAGE = "https://images.example.org/harbour.png"
UNCACHED_IMAGE = "https://images.example.org/not-cached.png"


def png(width: int, height: int, rgb: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    """A solid-colour PNG, written by hand so tests need no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def cache_image(store: Store, paths: DataPaths, url: str, data: bytes) -> None:
    """Puts an image in the offline cache as the sync would: a file plus its index row."""
    digest = hashlib.sha256(data).hexdigest()
    paths.images.mkdir(parents=True, exist_ok=True)
    (paths.images / f"{digest}.png").write_bytes(data)
    store.record_cached_image(url, digest, f"{digest}.png", len(data), "image/png")


@dataclass
class Library:
    store: Store
    paths: DataPaths
    harbour_id: int  # feed "Harbour News" (folder "Local"): starred, comments, images
    tides_id: int  # feed "Tide Tables", no folder
    entry_ids: dict[str, int]  # by guid

    def run(
        self, scope: ExportScope, fmt: ExportFormat, out: Path, **options: object
    ) -> ExportResult:
        return export(
            self.store,
            scope,
            ExportOptions(format=fmt, out=out, **options),  # type: ignore[arg-type]
            images=store_images(self.store, self.paths.images),
        )


HARBOUR_BODY = (
    "<p>The ferry <strong>Marlin</strong> returned to the harbour at dawn.</p>"
    f'<p><img src="{CACHED_IMAGE}" alt="The harbour at dawn"></p>'
    f'<p>A second picture: <img src="{UNCACHED_IMAGE}" alt="Crowd on the pier"></p>'
    '<p>Read the <a href="/timetable">timetable</a>.</p>'
)


@pytest.fixture(autouse=True)
def _widgets_application(qapp: object) -> None:
    """PDF export makes a bare QGuiApplication when none exists (as on the command line);
    in a test process it must be pytest-qt's QApplication, which later widget tests need."""


@pytest.fixture
def library(data_paths: DataPaths) -> Iterator[Library]:
    with Store.open(data_paths) as store:
        folder = store.add_folder("Local")
        harbour = store.add_feed(
            "https://harbour.example.org/feed.xml", title="Harbour News", folder_id=folder.id
        )
        tides = store.add_feed("https://tides.example.org/feed.xml", title="Tide Tables")
        store.apply_parsed_feed(
            harbour.id,
            ParsedFeed(
                format="rss20",
                title="Harbour News",
                entries=(
                    ParsedEntry(
                        id="ferry",
                        title="Ferry returns to harbour",
                        link="https://harbour.example.org/ferry",
                        published=NOW - timedelta(days=2),
                        authors=(Author(name="Ada Quay"),),
                        content=HARBOUR_BODY,
                        categories=("boats",),
                        enclosures=(
                            Enclosure("https://harbour.example.org/ferry.mp3", "audio/mpeg", 1234),
                        ),
                    ),
                    ParsedEntry(
                        id="lighthouse",
                        title="Lighthouse keeper retires",
                        link="https://harbour.example.org/lighthouse",
                        published=NOW - timedelta(days=10),
                        summary="<p>After forty years the keeper hands over the lamp.</p>",
                    ),
                ),
            ),
            FetchInfo(fetched_at=NOW, next_due=NOW + timedelta(minutes=30)),
        )
        store.apply_parsed_feed(
            tides.id,
            ParsedFeed(
                format="rss20",
                title="Tide Tables",
                entries=(
                    ParsedEntry(
                        id="spring",
                        title="Spring tides this weekend",
                        link="https://tides.example.org/spring",
                        published=NOW - timedelta(days=1),
                        content="<p>High water at 06:12 and 18:40; mind the causeway.</p>",
                    ),
                ),
            ),
            FetchInfo(fetched_at=NOW, next_due=NOW + timedelta(minutes=30)),
        )
        ids = {e.guid: e.id for e in store.entries_by_ids(store.entry_ids(EntryQuery()))}
        store.set_starred([ids["ferry"]], True)
        first = store.add_comment(ids["ferry"], "Lovely photo of the pier.", author="Me")
        store.add_comment(
            ids["ferry"], "Agreed, the light is great.", author="Sam", parent_id=first.id
        )
        cache_image(store, data_paths, CACHED_IMAGE, png(32, 24))
        yield Library(store, data_paths, harbour.id, tides.id, ids)
