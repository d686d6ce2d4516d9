"""Export uses the full article when one is stored (JSON: each entry's `full_text`);
`--feed-text` forces the feed's text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.main import main
from newsreader.model import ParsedEntry, ParsedFeed
from newsreader.paths import DataPaths
from newsreader.store import FetchInfo, Store
from tests.store.builders import NOW

ARTICLE = "The whole story of the orchard, with every tree named and the cider pressed in May."


@pytest.mark.parametrize("format_", ["md", "txt", "html"])
def test_export_uses_the_full_article_unless_feed_text_is_asked(
    data_paths: DataPaths, tmp_path: Path, format_: str
) -> None:
    with Store.open(data_paths) as store:
        feed = store.add_feed("https://orchard.example/feed.xml")
        entry = ParsedEntry(
            id="o", title="Orchard", link="https://orchard.example/o", summary="<p>Teaser…</p>"
        )
        written = store.apply_parsed_feed(
            feed.id, ParsedFeed(format="rss20", entries=(entry,)), FetchInfo(fetched_at=NOW)
        )
        store.record_full_text(
            written.new_entry_ids[0], "ok", NOW, content=f"<p>{ARTICLE}</p>", text=ARTICLE
        )
    data = ["--data-dir", str(data_paths.root)]
    full, feed_text = tmp_path / f"full.{format_}", tmp_path / f"feed.{format_}"
    assert main([*data, "export", "--feed", "1", "--format", format_, "--out", str(full)]) == 0
    assert (
        main(
            [
                *data,
                "export",
                "--feed",
                "1",
                "--format",
                format_,
                "--feed-text",
                "--out",
                str(feed_text),
            ]
        )
        == 0
    )
    full_text = " ".join(full.read_text("utf-8").split())
    feed_words = " ".join(feed_text.read_text("utf-8").split())
    assert "cider pressed in May" in full_text and "Teaser" not in full_text
    assert "Teaser" in feed_words and "cider" not in feed_words


def test_json_export_carries_the_full_article_unless_feed_text_is_asked(
    data_paths: DataPaths, tmp_path: Path
) -> None:
    with Store.open(data_paths) as store:
        feed = store.add_feed("https://orchard.example/feed.xml")
        entries = tuple(
            ParsedEntry(
                id=g, title=g, link=f"https://orchard.example/{g}", summary="<p>Teaser…</p>"
            )
            for g in ("fetched", "walled", "untried")
        )
        written = store.apply_parsed_feed(
            feed.id, ParsedFeed(format="rss20", entries=entries), FetchInfo(fetched_at=NOW)
        )
        fetched, walled, _ = written.new_entry_ids
        store.record_full_text(fetched, "ok", NOW, content=f"<p>{ARTICLE}</p>", text=ARTICLE)
        store.record_full_text(walled, "paywalled", NOW, reason="the site refused the page")
    data = ["--data-dir", str(data_paths.root)]
    full, feed_text = tmp_path / "full.json", tmp_path / "feed.json"
    export = [*data, "export", "--feed", "1", "--format", "json"]
    assert main([*export, "--out", str(full)]) == 0
    assert main([*export, "--feed-text", "--out", str(feed_text)]) == 0

    records = {e["guid"]: e for e in json.loads(full.read_text("utf-8"))["entries"]}
    assert records["fetched"]["full_text"] == {
        "status": "ok",
        "reason": None,
        "text": ARTICLE,
        "content": f"<p>{ARTICLE}</p>",
        "fetched": "2026-03-01T12:00:00Z",
    }
    assert records["walled"]["full_text"]["status"] == "paywalled"
    assert records["walled"]["full_text"]["reason"] == "the site refused the page"
    assert records["untried"]["full_text"] is None
    assert records["fetched"]["text"] == "Teaser…"  # `text` stays the feed's, as in show --json
    plain = json.loads(feed_text.read_text("utf-8"))["entries"]
    assert all("full_text" not in record for record in plain)
    assert "cider" not in feed_text.read_text("utf-8")
