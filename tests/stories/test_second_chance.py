"""A story's second chance (session 11): an article that scores under `SAME_STORY` with each
report of an event, but shares many words with them together, joins their story when two
feeds or more have reported it already."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsreader.store import Store
from newsreader.stories import similarity
from tests.store.builders import NOW, entry, feed, fetch
from tests.stories.labelled import match_stories

WIRE = (
    "Fire destroys timber warehouse at Tromsø harbour",
    "A fire destroyed a timber warehouse owned by Lindqvist Shipping at the harbour in "
    "Tromsø overnight, the fire service said on Wednesday. Nobody was hurt; forty "
    "firefighters fought the blaze for six hours.",
)
BRIEF = (
    "Fire destroys Lindqvist warehouse in Tromsø",
    "A fire destroyed a Lindqvist Shipping warehouse in Tromsø, northern Norway. Crews "
    "sprayed the ruins through the night.",
)
SCENE = (
    "Sirens by the quay until dawn",
    "By Wednesday morning only a steel frame stood above the harbour, its timber stacks "
    "smouldering as crews sprayed the northern pier.",
)
UNRELATED = [
    ("City council approves budget for new tram line",
     "The city council approved the budget for a new tram line through the old town on "
     "Monday evening, after a debate of six hours."),
    ("Orchestra names new chief conductor",
     "The national orchestra named a young Estonian conductor as its chief from next "
     "season, ending a search of two years."),
    ("Grain prices fall as harvest forecast improves",
     "Wheat and maize prices fell on Wednesday after forecasters raised their estimate of "
     "this year's harvest across the plains."),
    ("Ferry operator adds night crossings to the islands",
     "The ferry operator will run two night crossings a week to the northern islands from "
     "June, it said, as summer bookings rose by a fifth."),
    ("Museum opens wing of Arctic photographs",
     "A museum opened a new wing of photographs of Arctic towns and their harbours on "
     "Tuesday, taken over forty years by a local doctor."),
    ("Teachers vote on pay offer",
     "Teachers began voting on Thursday on a pay offer of four percent over two years, "
     "which their union called the least it could put to members."),
]  # fmt: skip


def _write(store: Store, outlet: str, item: tuple[str, str], hours: int) -> int:
    feed_id = store.add_feed(f"https://{outlet}.example/feed").id
    published = NOW + timedelta(hours=hours)
    written = store.apply_parsed_feed(
        feed_id,
        feed(entry("x", title=item[0], summary=f"<p>{item[1]}</p>", published=published)),
        fetch(),
    ).new_entry_ids
    match_stories(store)
    return written[0]


def _story(store: Store, entry_id: int) -> int:
    found = store.entry_story(entry_id)
    return found.id if found is not None else entry_id


def _background(store: Store) -> None:
    for i, item in enumerate(UNRELATED):
        _write(store, f"other{i}", item, hours=-6)


def test_a_scene_lede_joins_the_story_its_words_meet_together(store: Store) -> None:
    _background(store)
    wire = _write(store, "wire", WIRE, hours=0)
    brief = _write(store, "brief", BRIEF, hours=1)
    assert _story(store, brief) == wire
    scene = _write(store, "scene", SCENE, hours=3)
    assert _story(store, scene) == wire


def test_without_the_second_chance_the_scene_lede_stands_alone(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case above is one the member-by-member score alone does not join: the second
    chance is what joins it."""
    monkeypatch.setattr("newsreader.store.storyindex.SECOND_CHANCE_TERMS", 1_000)
    _background(store)
    _write(store, "wire", WIRE, hours=0)
    _write(store, "brief", BRIEF, hours=1)
    scene = _write(store, "scene", SCENE, hours=3)
    assert _story(store, scene) == scene


def test_a_story_of_one_feed_gives_no_second_chance(store: Store) -> None:
    _background(store)
    wire = _write(store, "wire", WIRE, hours=0)
    scene = _write(store, "scene", SCENE, hours=3)
    assert _story(store, scene) == scene
    assert _story(store, wire) == wire


def test_the_second_chance_is_below_the_story_threshold() -> None:
    assert 0 < similarity.SECOND_CHANCE < similarity.SAME_STORY


def test_an_article_alone_gets_its_chance_when_the_story_gains_a_second_feed(
    store: Store,
) -> None:
    """The scene lede comes before the brief: the wire report's story holds one feed then,
    so it stays alone; when the brief joins, the story's members hold its words together
    and it moves in (no other article changes story)."""
    _background(store)
    wire = _write(store, "wire", WIRE, hours=0)
    scene = _write(store, "scene", SCENE, hours=1)
    assert _story(store, scene) == scene
    brief = _write(store, "brief", BRIEF, hours=3)
    assert _story(store, brief) == wire
    assert _story(store, scene) == wire
    found = store.entry_story(scene)
    assert found is not None
    assert set(found.entries) == {wire, brief}


def test_a_moved_article_stays_in_its_story_for_the_next_batch(store: Store) -> None:
    """The move is stored: a fresh connection's window reads it back, and a later report
    of the event joins the one story."""
    _background(store)
    wire = _write(store, "wire", WIRE, hours=0)
    scene = _write(store, "scene", SCENE, hours=1)
    _write(store, "brief", BRIEF, hours=3)
    store._stories = type(store._stories)(store._conn)  # a new connection's index
    again = _write(store, "reprint", (WIRE[0], WIRE[1] + " Police are investigating."), hours=4)
    assert _story(store, again) == wire
    assert _story(store, scene) == wire
