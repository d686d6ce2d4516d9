"""Every real-world document of the shared corpus through a real sync: each one ends either
written or failed with a message, and no failure stops the others."""

from __future__ import annotations

import asyncio
import mimetypes

import pytest

from newsreader.paths import DataPaths
from newsreader.store import EntryQuery, Store
from newsreader.sync.engine import SyncOptions, sync
from newsreader.sync.events import FeedOutcome, FeedSynced, SyncEvent
from tests.conftest import REAL_WORLD
from tests.loopback import LoopbackServer, Response

CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".rdf": "application/rdf+xml",
}


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="shared real-world corpus not present")
def test_the_real_world_corpus_syncs(
    data_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The documents name images and comment feeds on the internet: everything but loopback
    # goes through a "proxy" that records and refuses, so the test stays offline and shows
    # that proxies from the environment are honoured.
    proxy = LoopbackServer()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy.url(""))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    documents = sorted(p for p in REAL_WORLD.iterdir() if p.is_file())
    events: list[SyncEvent] = []
    with proxy, LoopbackServer() as server:
        with Store.open(data_paths) as store:
            for path in documents:
                kind = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
                server.route(
                    f"/{path.name}",
                    Response(body=path.read_bytes(), content_type=kind or "text/xml"),
                )
                store.add_feed(server.url(f"/{path.name}"))
        summary = asyncio.run(sync(data_paths, SyncOptions(), [events.append]))
    assert proxy.requests, "no request went through the proxy"
    assert all(r.path.startswith("http://") for r in proxy.requests)
    done = [e for e in events if isinstance(e, FeedSynced)]
    assert summary.checked == len(documents) == len(done)
    by_name = {e.url.rsplit("/", 1)[1]: e for e in done}
    feeds = [n for n in by_name if n.rsplit(".", 1)[1] in {"rss", "atom", "json", "rdf", "xml"}]
    written = [n for n in feeds if by_name[n].outcome is FeedOutcome.UPDATED]
    assert len(written) >= len(feeds) * 0.8, [by_name[n] for n in feeds if n not in written]
    for name, event in by_name.items():
        if event.outcome is FeedOutcome.FAILED:
            assert event.error
        if name.endswith((".html", ".opml")):
            assert event.outcome is FeedOutcome.FAILED
    with Store.open(data_paths) as store:
        assert store.count_entries(EntryQuery()) >= len(written)
        assert store.integrity_check() == []
