"""Story quality on the labelled sets: pairwise precision and recall of "same story"."""

from __future__ import annotations

import pytest

from newsreader.store import Store
from tests.stories.labelled import DATA, ingest, load, score

SETS = sorted(p.name for p in DATA.glob("*.yaml"))


@pytest.mark.parametrize("name", SETS)
def test_same_story_precision_and_recall(store: Store, name: str) -> None:
    ids = ingest(store, load(name))
    result = score(store, ids)
    assert result.precision >= 0.9, result
    assert result.recall >= 0.9, result


def test_reprints_are_copies(store: Store) -> None:
    articles = load("events_a.yaml")
    ids = ingest(store, articles)
    by_article = {(a.event, a.outlet): i for i, a in ids.items()}
    for entry_id, article in ids.items():
        if article.copy_of is None:
            continue
        original = by_article[(article.event, article.copy_of)]
        story = store.entry_story(entry_id)
        assert story is not None
        assert story.copies == (original,)
        assert original in story.entries
        assert store.copies_of([original]) == [entry_id]
