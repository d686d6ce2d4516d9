"""decide_entries with plain values: which rows are new, which rewrite, which are skipped."""

from __future__ import annotations

from dataclasses import dataclass

from newsreader.store.decide import HASH_CHANGED_LIMIT, Known, decide_entries


@dataclass(frozen=True)
class Row:
    guid: str
    link: str | None = None
    content_hash: object = "h1"
    updated: int | None = None
    title: str | None = "Title"


def known(guid: str, **fields: object) -> Known:
    values: dict[str, object] = {
        "id": 1,
        "guid": guid,
        "link": None,
        "title": "Title",
        "content_hash": "h1",
        "first_seen": 100,
        "comment_count": None,
        "updated": None,
        "hash_changes": 0,
    }
    values.update(fields)
    return Known(**values)  # type: ignore[arg-type]


def test_unknown_rows_are_inserted_and_unchanged_ones_left_alone() -> None:
    intents = decide_entries([Row("a"), Row("b")], [known("a")], purged=set())
    assert [r.guid for r in intents.inserts] == ["b"]
    assert intents.updates == [] and intents.skipped_purged == 0


def test_a_purged_guid_is_not_added_again() -> None:
    intents = decide_entries([Row("gone"), Row("new")], [], purged={"gone"})
    assert [r.guid for r in intents.inserts] == ["new"]
    assert intents.skipped_purged == 1


def test_a_new_guid_with_a_known_link_is_the_same_article() -> None:
    stored = known("old-id", link="https://site.example/a")
    intents = decide_entries([Row("new-id", link="https://site.example/a")], [stored], set())
    assert intents.inserts == []
    [update] = intents.updates
    assert update.known is stored and update.row.guid == "new-id" and update.hash_changes == 0


def test_a_new_guid_and_title_at_a_known_link_is_a_new_article() -> None:
    """A live blog's new post at the page of a post that left the feed: not an overwrite."""
    stored = known("live-1", link="https://site.example/live", title="Harbor opens")
    row = Row("live-3", link="https://site.example/live", title="Ferry delayed")
    intents = decide_entries([row], [stored], set())
    assert intents.inserts == [row] and intents.updates == []


def test_a_link_held_by_two_entries_never_renames_either() -> None:
    one = known("live-1", id=1, link="https://site.example/live")
    two = known("live-2", id=2, link="https://site.example/live")
    intents = decide_entries([Row("x", link="https://site.example/live")], [one, two], set())
    assert [r.guid for r in intents.inserts] == ["x"] and intents.updates == []
    rows = [Row("y", link="https://site.example/a"), Row("z", link="https://site.example/a")]
    stored = known("old", link="https://site.example/a")
    intents = decide_entries(rows, [stored], set())
    assert [r.guid for r in intents.inserts] == ["y", "z"] and intents.updates == []


def test_a_known_link_whose_guid_is_still_in_the_feed_is_another_article() -> None:
    stored = known("a", link="https://site.example/same")
    rows = [Row("a", link="https://site.example/same"), Row("b", link="https://site.example/same")]
    intents = decide_entries(rows, [stored], set())
    assert [r.guid for r in intents.inserts] == ["b"]
    assert intents.updates == []


def test_content_only_changes_count_up_to_the_limit_then_stop() -> None:
    stored = known("a", hash_changes=HASH_CHANGED_LIMIT - 1)
    [update] = decide_entries([Row("a", content_hash="h2")], [stored], set()).updates
    assert update.hash_changes == HASH_CHANGED_LIMIT
    capped = known("a", hash_changes=HASH_CHANGED_LIMIT)
    intents = decide_entries([Row("a", content_hash="h3")], [capped], set())
    assert intents.updates == [] and intents.over_limit == 1


def test_a_dated_change_is_always_written_and_resets_the_count() -> None:
    capped = known("a", hash_changes=HASH_CHANGED_LIMIT, updated=1000)
    [update] = decide_entries([Row("a", content_hash="h2", updated=2000)], [capped], set()).updates
    assert update.hash_changes == 0
