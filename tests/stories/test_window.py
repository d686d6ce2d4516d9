"""The in-memory window story matching keeps (`storyindex._Window`): it must match what the
store holds, whoever wrote it, and give the same stories however often it is read afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.paths import DataPaths
from newsreader.store import Store, storyindex
from tests.stories.labelled import ingest, load
from tests.stories.test_store_stories import OTHER, QUAKE, QUAKE_2, _write


def test_an_article_another_connection_wrote_is_found(data_paths: DataPaths) -> None:
    """Another process (the command line while the window is open) writes a report; the next
    report this store writes joins it."""
    with Store.open(data_paths) as here, Store.open(data_paths) as there:
        _write(here, "https://one.example/feed", OTHER, hours=1)  # the window now covers it
        (first,) = _write(there, "https://two.example/feed", QUAKE)
        (second,) = _write(here, "https://three.example/feed", QUAKE_2, hours=3)
        story = here.entry_story(second)
        assert story is not None
        assert (story.id, story.entries) == (first, (first,))


def test_a_deleted_article_no_longer_leads_a_story(store: Store) -> None:
    (gone,) = _write(store, "https://one.example/feed", QUAKE)
    _write(store, "https://zero.example/feed", OTHER)  # so that no entry id is used again
    store.delete_feed(store.get_entry(gone).feed_id)
    (first,) = _write(store, "https://two.example/feed", QUAKE, hours=1)
    (reprint,) = _write(store, "https://three.example/feed", QUAKE, hours=2)
    story = store.entry_story(reprint)
    assert story is not None
    assert (story.id, story.entries, story.copies) == (first, (first,), (first,))


def _stories(store: Store, name: str) -> list[tuple[str, str, str]]:
    """Each labelled article's (title, its story's first title, the title it copies or "")."""
    ids = ingest(store, load(name))
    rows = store._conn.execute("SELECT entry_id, story_id, copy_of FROM entry_stories").fetchall()
    title = {entry_id: article.title for entry_id, article in ids.items()}
    return sorted(
        (title[e], title[s], "" if c is None else title[c]) for e, s, c in rows if e in title
    )


def test_reading_the_window_afresh_gives_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(DataPaths(tmp_path / "kept").ensure()) as store:
        kept = _stories(store, "events_a.yaml")
    monkeypatch.setattr(storyindex, "WINDOW_ARTICLES", 1)  # every batch starts it afresh
    with Store.open(DataPaths(tmp_path / "fresh").ensure()) as store:
        fresh = _stories(store, "events_a.yaml")
    assert fresh == kept
    assert len({story for _, story, _ in kept}) < len(kept)  # stories were formed
