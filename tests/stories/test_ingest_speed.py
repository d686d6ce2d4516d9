"""What story matching and language detection skip or share to cost less at ingest, and that
what they find stays the same (issue 12's ingest overhead; docs/stories.md, Speed)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import timedelta

import pytest

from newsreader.store import Store, storyindex
from newsreader.store.storyindex import StoryIndex
from tests.store.builders import NOW, entry, feed, fetch
from tests.stories.labelled import match_stories
from tests.stories.test_store_stories import OTHER, QUAKE, QUAKE_2


def _write(store: Store, url: str, item: tuple[str, str], hours: int = 0) -> int:
    feed_id = store.add_feed(url).id
    parsed = feed(
        entry(
            "a", title=item[0], summary=f"<p>{item[1]}</p>", published=NOW + timedelta(hours=hours)
        )
    )
    store.apply_parsed_feed(feed_id, parsed, fetch())
    match_stories(store)
    return feed_id


def _vocabulary(store: Store) -> Counter[str]:
    rows = store._conn.execute("SELECT term, doc FROM temp.story_vocab")
    return Counter(dict(rows.fetchall()))


def test_the_vocabulary_is_read_again_only_when_the_index_may_have_changed_behind_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document frequencies are counted along as articles are indexed; reading the whole
    vocabulary again (due every batch here) is skipped while nothing else changed the index,
    and made when an entry's row left it or another connection wrote."""
    monkeypatch.setattr(storyindex, "_RECOUNT_EVERY", 1)
    reads: list[int] = []
    read_counts = StoryIndex._read_counts

    def counted(self: StoryIndex) -> None:
        reads.append(1)
        read_counts(self)

    monkeypatch.setattr(StoryIndex, "_read_counts", counted)
    one = _write(store, "https://one.example/feed", QUAKE)
    assert len(reads) == 1  # the first batch reads what the store holds
    _write(store, "https://two.example/feed", QUAKE_2, hours=3)
    assert len(reads) == 1
    assert store._stories._df == _vocabulary(store)  # what a reading would have found

    changed = entry("a", title=OTHER[0], summary=f"<p>{OTHER[1]}</p>", published=NOW)
    store.apply_parsed_feed(one, feed(changed), fetch())  # its old terms leave the index
    match_stories(store)
    assert len(reads) == 2
    assert store._stories._df == _vocabulary(store)
    assert store._stories._df["tram"] == 1 and store._stories._df["valparaiso"] == 1

    (path,) = (row[2] for row in store._conn.execute("PRAGMA database_list") if row[1] == "main")
    other = sqlite3.connect(path)
    with other:  # as many rows as before: only the commit tells
        other.execute("DELETE FROM story_fts WHERE rowid = (SELECT max(rowid) FROM story_fts)")
        other.execute("INSERT INTO story_fts(rowid, terms) VALUES (1, 'tram tram depot')")
    other.close()
    _write(store, "https://three.example/feed", QUAKE, hours=5)
    assert len(reads) == 3
    assert store._stories._df == _vocabulary(store)
    assert store._stories._df["tram"] == 2 and store._stories._df["santiago"] == 1
