"""Story quality on the labelled sets: pairwise precision and recall of "same story"."""

from __future__ import annotations

import pytest

from newsreader.store import Store
from tests.stories.labelled import DATA, HARDER, ingest, load, score

SETS = sorted(p.name for p in DATA.glob("*.yaml"))


@pytest.mark.parametrize("name", SETS)
def test_same_story_precision_and_recall(store: Store, name: str) -> None:
    ids = ingest(store, load(name))
    result = score(store, ids)
    assert result.precision >= 0.9, result
    assert result.recall >= 0.9, result


# Measured (precision / recall): events_c 0.67 / 0.27 and events_d 0.75 / 0.18 with session 5's
# matcher (TF-IDF of title and lead); with session 8's (shared rare numbers, the largest
# shared term left out, a feed's second article in a story held to more): events_c
# 0.93 / 0.77, events_d 0.95 / 0.41, and events_e (written then, held out of that tuning)
# 0.74 / 0.36. events_f (written in session 9 before its tuning, held out of it): 0.78 / 0.40
# with session 8's matcher. Session 9 (the cross-lingual lexicon, numbers in one spelling,
# names in their English stem, threshold 0.105): c 0.89 / 0.81, d 0.97 / 0.59,
# e 0.86 / 0.46, f 0.84 / 0.75. Recall is not at the target on any of the four; the floors
# catch a matcher that breaks (joins nothing, or joins everything). events_g (written in
# session 9 by a writer who had not seen the matcher or its word lists, held out of all
# tuning) measured 1.0 / 0.42 with session 9's matcher. events_h (written blind in session 10
# the same way, held out of all tuning) measured 0.79 / 0.50 with main at 6431ce5. Session 10
# (the event bonus: a shared event type and two more shared terms, 0.08; Spanish and Italian
# words in the lexicon; candidates from 15 terms): c 0.90 / 0.82, d 0.97 / 0.67,
# e 0.88 / 0.63, f 0.85 / 0.79; held out, g 0.88 / 0.46 and h 0.75 / 0.52. events_es_it
# (written in session 10 with the lexicon's Spanish and Italian words, knowing the matcher):
# 0.85 / 0.73 with session 9's matcher, 0.88 / 1.00 after session 10. Session 11 (a second
# chance: an article no story takes joins a story of 2+ feeds whose members hold 5 or more of
# its terms between them, at 0.05): c 0.90 / 0.82, d 0.98 / 0.78, e 0.89 / 0.71, f 0.85 / 0.79,
# es_it 0.88 / 1.00; held out, g 0.80 / 0.59 and h 0.70 / 0.64 (precision lower, recall higher).
# With the same chance for an article alone in its story when a later report joins the story
# it missed: c 0.90 / 0.86, d 0.93 / 0.84, e 0.93 / 0.79, f 0.85 / 0.79, es_it 0.88 / 1.00;
# held out, g 0.81 / 0.62 and h 0.70 / 0.64. With candidates from 17 terms (15 before):
# d 1.00 / 0.88, the others the same; held out, g 0.81 / 0.62 and h 0.71 / 0.68.
# events_i (written blind in session 11 by a writer who saw no matcher code, word lists or
# other sets' analysis; held out of all tuning, measured by the lead only): 0.91 / 0.67 with
# session 10's matcher, 0.88 / 0.78 with session 11's second chance.
HARDER_FLOORS = {
    "events_c.yaml": (0.87, 0.83),
    "events_d.yaml": (0.95, 0.85),
    "events_e.yaml": (0.9, 0.76),
    "events_f.yaml": (0.82, 0.76),
    "events_g.yaml": (0.78, 0.59),
    "events_h.yaml": (0.68, 0.65),
    "events_i.yaml": (0.85, 0.75),
    "events_es_it.yaml": (0.85, 0.97),
}


@pytest.mark.parametrize("name", sorted(HARDER_FLOORS))
def test_harder_sets_stay_above_their_floor(store: Store, name: str) -> None:
    result = score(store, ingest(store, load(str((HARDER / name).relative_to(DATA)))))
    precision, recall = HARDER_FLOORS[name]
    assert result.precision >= precision, result
    assert result.recall >= recall, result


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
