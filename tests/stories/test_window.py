"""The in-memory window story matching keeps (`storyindex._Window`): it must match what the
store holds, whoever wrote it, and give the same stories however often it is read afresh."""

from __future__ import annotations

import random
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


def _newest_by_walking_each_list(
    window: storyindex._Window, terms: list[str], low: int, high: int, feed_id: int, limit: int
) -> list[int]:
    """The rule `_Window._newest_of_others` keeps, written plainly: up to `limit` articles of
    other feeds from each term's list (newest first), then the `limit` newest of them all."""
    found: set[int] = set()
    for term in terms:
        taken = 0
        for key in sorted(set(window._postings.get(term, [])), reverse=True):
            member = window.articles.get(key)
            if low <= key <= high and member is not None and member.feed_id != feed_id:
                found.add(key)
                taken += 1
                if taken == limit:
                    break
    return sorted(found, reverse=True)[:limit]


@pytest.mark.parametrize("seed", range(40))
def test_the_newest_articles_of_other_feeds_are_those_each_list_gives(seed: int) -> None:
    """The merged, cut lists give exactly what walking each term's whole list gives, for
    windows where one feed holds most articles of a word (its lists are cut short before
    another feed's article is reached) and articles taken out."""
    rng = random.Random(seed)
    window = storyindex._Window()
    words = [f"w{n}" for n in range(rng.randint(2, 12))]
    feeds = rng.randint(1, 4)
    for key in rng.sample(range(1, 5_000), rng.randint(1, 400)):
        terms = rng.sample(words, rng.randint(1, len(words)))
        # feed 0 is the "own" feed and writes most articles
        feed = 0 if rng.random() < 0.8 else rng.randint(1, feeds)
        window.add(key, storyindex._Member(key, key % 7, None, feed, " ".join(terms)), terms)
    for entry_id in rng.sample(sorted(window._key_of), len(window._key_of) // 10):
        window.forget(entry_id)
    for _ in range(20):
        terms = rng.sample(words, rng.randint(1, len(words)))
        low, high = sorted(rng.sample(range(5_100), 2))
        limit = rng.randint(1, 40)
        expected = _newest_by_walking_each_list(window, terms, low, high, 0, limit)
        assert window._newest_of_others(terms, low, high, 0, limit) == expected
